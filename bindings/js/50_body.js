// The Fetch body mixin shared by Request and Response. A body is held as one of:
// null, a string (from a string init, encoded only when sent or read as bytes), a Uint8Array
// the body owns (copied from the caller's buffer, so later writes to it don't change the body),
// or a ReadableStream (a stream init, a request body still arriving, or any body once `.body`
// was read: from then on the stream is the body).
(function (internal, global) {
  'use strict';
  const {PromiseReject, PromiseResolve, JSONParse, TypeError, Uint8Array} = internal.primordials;
  const {decodeUtf8, encodeUtf8} = internal;
  // Streams load on first use (35_streams): until then no value can be a ReadableStream, and
  // the class is looked up only when the first stream body is made or met.
  const streams = internal.streams;
  let ReadableStreamClass = null;
  const isStream = (value) => {
    if (ReadableStreamClass === null) {
      if (!internal.streamsLoaded()) return false;
      ReadableStreamClass = streams.ReadableStream;
    }
    return value instanceof ReadableStreamClass;
  };
  // Made on first use (see 39_blob.js): isBlob/isFormData are false until then.
  const blobs = internal.blob;
  const formDatas = internal.formData;
  const formEncoding = internal.formEncoding;
  const mimes = internal.mime;
  // The polyfill's [[disturbed]] slot: true once the stream was read from or cancelled.
  const isDisturbed = (stream) => stream._disturbed === true;

  // Returns {source, type}: type is the Content-Type the init implies, or null.
  function extractBody(init) {
    if (init === null || init === undefined) return {source: null, type: null};
    if (typeof init === 'string') return {source: init, type: 'text/plain;charset=UTF-8'};
    if (init instanceof ArrayBuffer) return {source: new Uint8Array(init.slice(0)), type: null};
    if (ArrayBuffer.isView(init)) {
      const bytes = new Uint8Array(init.buffer, init.byteOffset, init.byteLength);
      return {source: bytes.slice(), type: null};
    }
    if (blobs.isBlob(init)) {
      const type = blobs.typeOf(init);
      return {source: blobs.bytesOf(init), type: type === '' ? null : type};
    }
    if (formDatas.isFormData(init)) {
      const {bytes, type} = formEncoding.load().encodeMultipart(init);
      return {source: bytes, type};
    }
    // URLSearchParams is looked up when used: it may come from a later builtin.
    const URLSearchParams = internal.URLSearchParams ?? global.URLSearchParams;
    if (typeof URLSearchParams === 'function' && init instanceof URLSearchParams) {
      return {source: `${init}`, type: 'application/x-www-form-urlencoded;charset=UTF-8'};
    }
    if (isStream(init)) {
      if (init.locked || isDisturbed(init)) {
        throw new TypeError('The body stream is locked or has already been read.');
      }
      return {source: init, type: null};
    }
    return {source: `${init}`, type: 'text/plain;charset=UTF-8'};
  }

  class BodyState {
    constructor(source) {
      this.source = source;  // null | string | Uint8Array | ReadableStream
      this.used = false;
    }
    get isUsed() {
      return this.used || (isStream(this.source) && isDisturbed(this.source));
    }
    // `.body`: the stream (made from the bytes on first access; it is the body from then on).
    stream() {
      const source = this.source;
      if (source === null || isStream(source)) return source;
      if (this.used) {
        // Read already (text() and friends): the body's stream is disturbed and locked.
        this.source = new streams.ReadableStream();
        this.source.getReader();
        return this.source;
      }
      const bytes = typeof source === 'string' ? encodeUtf8(source) : source;
      this.source = new streams.ReadableStream({
        type: 'bytes',
        start(controller) {
          if (bytes.byteLength > 0) controller.enqueue(bytes);
          controller.close();
        },
      });
      return this.source;
    }
    // For clone(): a stream body is teed (this keeps one branch, the copy gets the other);
    // other sources are immutable and shared.
    clone() {
      if (isStream(this.source)) {
        const [mine, theirs] = this.source.tee();
        this.source = mine;
        return new BodyState(theirs);
      }
      return new BodyState(this.source);
    }
  }

  function take(state) {
    if (state.isUsed || (isStream(state.source) && state.source.locked)) {
      return {error: new TypeError('Body has already been used. It can only be used once. Use clone() first if you need to read it twice.')};
    }
    if (state.source !== null) state.used = true;
    return {source: state.source};
  }

  async function readAll(stream) {
    const reader = stream.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) {
        throw new TypeError('The body stream produced a chunk that is not a Uint8Array.');
      }
      chunks.push(value);
      total += value.byteLength;
    }
    if (chunks.length === 1) return chunks[0];
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }

  // The body's bytes (a promise only when they must be read from a stream).
  function bytesOf(source) {
    if (source === null) return new Uint8Array(0);
    if (typeof source === 'string') return encodeUtf8(source);
    if (isStream(source)) return readAll(source);
    return source.slice();
  }

  function textOf(source) {
    if (source === null) return '';
    if (typeof source === 'string') return source;
    if (isStream(source)) return readAll(source).then(decodeUtf8);
    return decodeUtf8(source);
  }

  // Installs text/json/arrayBuffer/bytes/blob/formData/body/bodyUsed on a class; `stateOf(obj)`
  // returns its BodyState or undefined when obj is not an instance (brand check), `mimeOf(obj)`
  // its Content-Type header value or null.
  function installBodyMixin(ctor, name, stateOf, mimeOf) {
    const brand = (obj, method) => {
      const state = stateOf(obj);
      if (state === undefined) throw new TypeError(`Failed to execute '${method}' on '${name}': Illegal invocation`);
      return state;
    };
    // Runs `convert` on the taken source; sync results become resolved promises.
    const consume = (obj, method, convert) => {
      let taken;
      try {
        taken = take(brand(obj, method));
        if (taken.error) return PromiseReject(taken.error);
        return PromiseResolve(convert(taken.source));
      } catch (e) {
        return PromiseReject(e);
      }
    };
    const methods = {
      text() { return consume(this, 'text', textOf); },
      json() {
        return consume(this, 'json', (source) => {
          const text = textOf(source);
          return typeof text === 'string' ? JSONParse(text) : text.then(JSONParse);
        });
      },
      arrayBuffer() {
        return consume(this, 'arrayBuffer', (source) => {
          const bytes = bytesOf(source);
          return bytes instanceof Uint8Array ? bytes.buffer : bytes.then(toArrayBuffer);
        });
      },
      bytes() { return consume(this, 'bytes', bytesOf); },
      blob() {
        return consume(this, 'blob', (source) => {
          const M = mimes.load();
          const mime = M.extract(mimeOf(this));
          const type = mime === null ? '' : M.serialize(mime);
          const bytes = bytesOf(source);
          const make = (b) => blobs.load().fromBytes(b, type);
          return bytes instanceof Uint8Array ? make(bytes) : bytes.then(make);
        });
      },
      formData() {
        return consume(this, 'formData', (source) => {
          const contentType = mimeOf(this);
          const bytes = bytesOf(source);
          const parse = (b) => formEncoding.load().parseFormBody(b, contentType, source === null);
          return bytes instanceof Uint8Array ? parse(bytes) : bytes.then(parse);
        });
      },
    };
    for (const key of Object.keys(methods)) {
      Object.defineProperty(ctor.prototype, key, {value: methods[key], writable: true, enumerable: true, configurable: true});
    }
    Object.defineProperty(ctor.prototype, 'body', {
      get() { return brand(this, 'body').stream(); },
      enumerable: true, configurable: true,
    });
    Object.defineProperty(ctor.prototype, 'bodyUsed', {
      get() { return brand(this, 'bodyUsed').isUsed; },
      enumerable: true, configurable: true,
    });
  }

  function toArrayBuffer(bytes) {
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
               ? bytes.buffer
               : bytes.slice().buffer;
  }

  internal.body = {extractBody, BodyState, installBodyMixin, isStream};
});
