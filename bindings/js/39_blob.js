// Blob and File (W3C File API). A Blob's bytes are a frozen list of Uint8Arrays that nothing
// writes to after construction: slices and Blobs made of Blobs share them (views, no copies),
// and every read hands out a fresh copy.
// The classes are made on first use (the globals are getters until then): made eagerly they
// cost every isolate ~10 KiB of heap, and most workers never touch a Blob. Everything the
// code relies on is captured here, at snapshot time, so user code that replaced globals
// before that first use cannot reach in.
(function (internal, global) {
  'use strict';
  // Streams load on first use too (35_streams): looked up when a stream is asked for.
  const streams = internal.streams;
  const {encodeUtf8, decodeUtf8} = internal;
  const {ArrayPrototypePush, ObjectFreeze, PromiseReject, PromiseResolve, ReflectApply,
         RegExpPrototypeTest, StringPrototypeReplace, StringPrototypeToLowerCase, SymbolIterator,
         SymbolToStringTag, TypeError, Uint8Array} = internal.primordials;
  const ArrayBufferIsView = ArrayBuffer.isView;
  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  const TypedArraySlice = TypedArrayPrototype.slice;
  const TypedArraySubarray = TypedArrayPrototype.subarray;
  const TypedArraySet = TypedArrayPrototype.set;
  const DateNow = Date.now;
  const MathMin = Math.min, MathMax = Math.max, MathFloor = Math.floor;
  const NumberIsFinite = Number.isFinite;
  const ObjectAssign = Object.assign;
  const ObjectDefineProperty = Object.defineProperty;
  const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const kMake = Symbol('make');
  const kEmpty = ObjectFreeze([]);
  // Reads and streams hand out at most this much per chunk.
  const kChunkSize = 65536;

  // internal.setToStringTag + internal.makeEnumerable with functions captured at snapshot time.
  internal.installInterface = function (ctor, tag, names) {
    const proto = ctor.prototype;
    ObjectDefineProperty(proto, SymbolToStringTag, {value: tag, writable: false, enumerable: false, configurable: true});
    for (let i = 0; i < names.length; i++) {
      const desc = ObjectGetOwnPropertyDescriptor(proto, names[i]);
      desc.enumerable = true;
      ObjectDefineProperty(proto, names[i], desc);
    }
  };

  // Until the classes exist no value is a Blob or File; load() replaces these.
  const api = internal.loadOnce({isBlob: () => false, isFile: () => false}, load);
  internal.blob = api;

  function load() {
    const slice = (bytes, begin, end) => ReflectApply(TypedArraySlice, bytes, [begin, end]);
    const subarray = (bytes, begin, end) => ReflectApply(TypedArraySubarray, bytes, [begin, end]);

    // Web IDL USVString: lone surrogates become U+FFFD.
    const loneSurrogateRe = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
    const surrogateRe = /[\uD800-\uDFFF]/;
    function toUSVString(value) {
      const s = `${value}`;
      return RegExpPrototypeTest(surrogateRe, s) ? StringPrototypeReplace(s, loneSurrogateRe, '\uFFFD') : s;
    }

    const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');

    // The bytes of a BufferSource, copied: the caller may write to its buffer afterwards.
    function copyBufferSource(value) {
      if (value instanceof ArrayBuffer) return slice(new Uint8Array(value));
      return slice(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    }

    // A Web IDL dictionary argument: undefined/null mean "all defaults"; other primitives throw.
    function toDictionary(value, context) {
      if (value === undefined || value === null) return {};
      if (!isObject(value)) throw new TypeError(`${context}: The provided value is not of type '${context.includes('File') ? 'FilePropertyBag' : 'BlobPropertyBag'}'.`);
      return value;
    }

    function toEndings(value, context) {
      if (value === undefined) return 'transparent';
      const s = `${value}`;
      if (s !== 'transparent' && s !== 'native') {
        throw new TypeError(`${context}: The provided value '${s}' is not a valid enum value of type EndingType.`);
      }
      return s;
    }

    // The File API's type rule: anything outside printable ASCII makes the type "", the rest is
    // lower-cased.
    const nonPrintableRe = /[^\x20-\x7E]/;
    function normalizeType(value) {
      if (value === undefined) return '';
      const s = `${value}`;
      return RegExpPrototypeTest(nonPrintableRe, s) ? '' : StringPrototypeToLowerCase(s);
    }

    // Web IDL long long: non-finite -> 0, truncated toward zero.
    function toLongLong(value) {
      const n = +value;
      if (!NumberIsFinite(n)) return 0;
      return n < 0 ? -MathFloor(-n) : MathFloor(n);
    }

    // Web IDL [Clamp] long long (slice arguments).
    function toClampedLongLong(value) {
      let n = +value;
      if (n !== n) return 0;
      n = MathMin(MathMax(n, -9223372036854775808), 9223372036854775807);
      const f = MathFloor(n);
      const diff = n - f;
      if (diff > 0.5 || (diff === 0.5 && f % 2 !== 0)) return f + 1;
      return f;
    }

    // Converts a sequence<BlobPart> the way Web IDL does: the iterator is driven to the end and
    // each element converted as it comes, so user getters and toString run in spec order.
    // Returns a list of Blob | Uint8Array (a private copy) | string.
    function toBlobParts(value, context) {
      if (value === undefined) return [];
      if (!isObject(value)) {
        throw new TypeError(`${context}: The provided value cannot be converted to a sequence.`);
      }
      const method = value[SymbolIterator];
      if (typeof method !== 'function') {
        throw new TypeError(`${context}: The object must have a callable @@iterator property.`);
      }
      const iterator = ReflectApply(method, value, []);
      if (!isObject(iterator)) throw new TypeError(`${context}: The iterator is not an object.`);
      const next = iterator.next;
      const out = [];
      for (;;) {
        const result = ReflectApply(next, iterator, []);
        if (!isObject(result)) throw new TypeError(`${context}: The iterator result is not an object.`);
        if (result.done) break;
        const element = result.value;
        if (isBlob(element)) ArrayPrototypePush(out, element);
        else if (element instanceof ArrayBuffer || ArrayBufferIsView(element)) {
          ArrayPrototypePush(out, copyBufferSource(element));
        } else {
          ArrayPrototypePush(out, toUSVString(element));
        }
      }
      return out;
    }

    const lineBreakRe = /\r\n|\r/g;
    // Turns converted parts into the frozen list of byte views and its total size. Adjacent bytes
    // that are new (strings, buffers) are joined into one piece; Blob parts are shared.
    function processParts(items, endings) {
      const parts = [];
      let size = 0;
      let run = [];
      let runSize = 0;
      const flush = () => {
        if (runSize === 0) return;
        let piece = run[0];
        if (run.length > 1) {
          piece = new Uint8Array(runSize);
          let offset = 0;
          for (let i = 0; i < run.length; i++) {
            ReflectApply(TypedArraySet, piece, [run[i], offset]);
            offset += run[i].byteLength;
          }
        }
        ArrayPrototypePush(parts, piece);
        size += runSize;
        run = [];
        runSize = 0;
      };
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (typeof item === 'string') {
          const text = endings === 'native' ? StringPrototypeReplace(item, lineBreakRe, '\n') : item;
          const bytes = encodeUtf8(text);
          if (bytes.byteLength > 0) { ArrayPrototypePush(run, bytes); runSize += bytes.byteLength; }
        } else if (!isBlob(item)) {
          if (item.byteLength > 0) { ArrayPrototypePush(run, item); runSize += item.byteLength; }
        } else {
          flush();
          const shared = partsOf(item);
          for (let j = 0; j < shared.length; j++) ArrayPrototypePush(parts, shared[j]);
          size += sizeOf(item);
        }
      }
      flush();
      return {parts: parts.length === 0 ? kEmpty : ObjectFreeze(parts), size};
    }

    function concat(parts, size) {
      if (parts.length === 1) return slice(parts[0]);
      const out = new Uint8Array(size);
      let offset = 0;
      for (let i = 0; i < parts.length; i++) {
        ReflectApply(TypedArraySet, out, [parts[i], offset]);
        offset += parts[i].byteLength;
      }
      return out;
    }

    let isBlob, partsOf, sizeOf;

    // A platform object (internal.PlatformObject), so structuredClone uses the serializer
    // registered below instead of copying it as a plain object.
    class Blob extends internal.PlatformObject {
      #parts;
      #size;
      #type;

      constructor(blobParts = undefined, options = undefined) {
        super();
        if (blobParts === kMake) {
          this.#parts = options.parts;
          this.#size = options.size;
          this.#type = options.type;
          return;
        }
        const context = "Failed to construct 'Blob'";
        const items = toBlobParts(blobParts, context);
        const dict = toDictionary(options, context);
        const endings = toEndings(dict.endings, context);
        const type = normalizeType(dict.type);
        const {parts, size} = processParts(items, endings);
        this.#parts = parts;
        this.#size = size;
        this.#type = type;
      }

      get size() { return this.#size; }
      get type() { return this.#type; }

      slice(start = undefined, end = undefined, contentType = undefined) {
        const size = this.#size;
        let from = start === undefined ? 0 : toClampedLongLong(start);
        let to = end === undefined ? size : toClampedLongLong(end);
        const type = normalizeType(contentType);
        from = from < 0 ? MathMax(size + from, 0) : MathMin(from, size);
        to = to < 0 ? MathMax(size + to, 0) : MathMin(to, size);
        const span = MathMax(to - from, 0);
        const parts = [];
        let offset = 0;
        const source = this.#parts;
        for (let i = 0; i < source.length && offset < from + span; i++) {
          const part = source[i];
          const partEnd = offset + part.byteLength;
          if (partEnd > from) {
            const begin = MathMax(from - offset, 0);
            const finish = MathMin(from + span - offset, part.byteLength);
            ArrayPrototypePush(parts, begin === 0 && finish === part.byteLength ? part : subarray(part, begin, finish));
          }
          offset = partEnd;
        }
        return new Blob(kMake, {parts: parts.length === 0 ? kEmpty : ObjectFreeze(parts), size: span, type});
      }

      stream() {
        const parts = this.#parts;
        let index = 0;
        let offset = 0;
        return new streams.ReadableStream({
          type: 'bytes',
          pull(controller) {
            while (index < parts.length && offset >= parts[index].byteLength) { index++; offset = 0; }
            if (index >= parts.length) {
              controller.close();
              // A BYOB read waiting at the end gets its (empty) view back this way.
              if (controller.byobRequest) controller.byobRequest.respond(0);
              return;
            }
            const part = parts[index];
            const end = MathMin(offset + kChunkSize, part.byteLength);
            // A copy: enqueue transfers the chunk's buffer, and the parts are shared.
            controller.enqueue(slice(part, offset, end));
            offset = end;
          },
        });
      }

      text() {
        if (!isBlob(this)) return PromiseReject(illegal('text', 'Blob'));
        const parts = this.#parts;
        if (parts.length === 0) return PromiseResolve('');
        return PromiseResolve(decodeUtf8(parts.length === 1 ? parts[0] : concat(parts, this.#size)));
      }

      arrayBuffer() {
        if (!isBlob(this)) return PromiseReject(illegal('arrayBuffer', 'Blob'));
        try {
          return PromiseResolve(concat(this.#parts, this.#size).buffer);
        } catch (e) {
          return PromiseReject(e);
        }
      }

      bytes() {
        if (!isBlob(this)) return PromiseReject(illegal('bytes', 'Blob'));
        try {
          return PromiseResolve(concat(this.#parts, this.#size));
        } catch (e) {
          return PromiseReject(e);
        }
      }

      static {
        isBlob = (v) => isObject(v) && #parts in v;
        partsOf = (blob) => blob.#parts;
        sizeOf = (blob) => blob.#size;
        ObjectAssign(api, {
          isBlob,
          toUSVString,
          normalizeType,
          // A fresh copy of the bytes.
          bytesOf: (blob) => concat(blob.#parts, blob.#size),
          typeOf: (blob) => blob.#type,
          sizeOf,
          // A Blob over bytes the caller gives up (they must not be written afterwards).
          fromBytes: (bytes, type) => new Blob(kMake, {parts: bytes.byteLength === 0 ? kEmpty : ObjectFreeze([bytes]), size: bytes.byteLength, type}),
        });
      }
    }

    function illegal(method, name) {
      return new TypeError(`Failed to execute '${method}' on '${name}': Illegal invocation`);
    }

    class File extends Blob {
      #name;
      #lastModified;

      constructor(fileBits, fileName, options = undefined) {
        const context = "Failed to construct 'File'";
        if (arguments.length < 2) {
          throw new TypeError(`${context}: 2 arguments required, but only ${arguments.length} present.`);
        }
        let made;
        if (fileBits === kMake) {
          made = fileName;
        } else {
          const items = toBlobParts(fileBits, context);
          const name = toUSVString(fileName);
          const dict = toDictionary(options, context);
          const endings = toEndings(dict.endings, context);
          const lastModified = dict.lastModified === undefined ? DateNow() : toLongLong(dict.lastModified);
          const type = normalizeType(dict.type);
          const {parts, size} = processParts(items, endings);
          made = {parts, size, type, name, lastModified};
        }
        super(kMake, made);
        this.#name = made.name;
        this.#lastModified = made.lastModified;
      }

      get name() { return this.#name; }
      get lastModified() { return this.#lastModified; }
      get webkitRelativePath() {
        this.#name;  // brand check
        return '';
      }

      static {
        const isFile = (v) => isObject(v) && #name in v;
        api.isFile = isFile;
        api.nameOf = (file) => file.#name;
        api.lastModifiedOf = (file) => file.#lastModified;
        // A File with `blob`'s bytes (shared), as FormData stores Blob values.
        api.toFile = (blob, name, type, lastModified) => {
          const {parts, size} = processParts([blob], 'transparent');
          return new File(kMake, {parts, size, type, name, lastModified});
        };
      }
    }

    internal.platformClass(Blob);
    internal.installInterface(Blob, 'Blob', ['size', 'type', 'slice', 'stream', 'text', 'arrayBuffer', 'bytes']);
    internal.installInterface(File, 'File', ['name', 'lastModified', 'webkitRelativePath']);
    api.Blob = Blob;
    api.File = File;
    // structuredClone: the bytes (copied by the serializer), type, and a File's name/date.
    api.serialize = (blob) => {
      const data = [api.bytesOf(blob), api.typeOf(blob)];
      if (api.isFile(blob)) ArrayPrototypePush(data, api.nameOf(blob), api.lastModifiedOf(blob));
      return data;
    };
    api.deserialize = ([bytes, type, name, lastModified]) => {
      const parts = bytes.byteLength === 0 ? kEmpty : ObjectFreeze([bytes]);
      const made = {parts, size: bytes.byteLength, type, name, lastModified};
      return name === undefined ? new Blob(kMake, made) : new File(kMake, made);
    };
  }

  internal.registerCloneable({
    is: (value) => api.isBlob(value),
    serialize: (blob) => api.serialize(blob),
    deserialize: (data) => api.load().deserialize(data),
  });

  internal.defineLazyGlobal('Blob', () => api.load().Blob);
  internal.defineLazyGlobal('File', () => api.load().File);
});
