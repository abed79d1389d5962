// TextEncoder / TextDecoder (WHATWG Encoding Standard; UTF-8).
(function (internal, global) {
  'use strict';
  const {utf8Encode, utf8EncodeInto, utf8Decode} = internal;
  const {TypeError, RangeError, Uint8Array} = internal.primordials;

  const kUtf8Labels = new Set(['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8',
                               'utf8', 'x-unicode20utf8']);

  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') { return utf8Encode(`${input}`); }
    encodeInto(source, destination) {
      if (!(destination instanceof Uint8Array)) {
        throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
      }
      const [read, written] = utf8EncodeInto(`${source}`, destination);
      return {read, written};
    }
  }
  internal.setToStringTag(TextEncoder, 'TextEncoder');
  internal.makeEnumerable(TextEncoder, ['encoding', 'encode', 'encodeInto']);

  function isBufferSource(v) {
    return v instanceof ArrayBuffer || ArrayBuffer.isView(v) ||
           (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer);
  }

  class TextDecoder {
    #fatal;
    #ignoreBOM;
    #bomSeen = false;
    #pending = null;  // bytes of an incomplete sequence kept across stream: true calls

    constructor(label = 'utf-8', options = undefined) {
      const name = `${label}`.trim().toLowerCase();
      if (!kUtf8Labels.has(name)) {
        throw new RangeError(`Failed to construct 'TextDecoder': The encoding label provided ('${label}') is invalid.`);
      }
      if (options !== undefined && options !== null && typeof options !== 'object') {
        throw new TypeError("Failed to construct 'TextDecoder': The provided value is not of type 'TextDecoderOptions'.");
      }
      this.#fatal = !!(options && options.fatal);
      this.#ignoreBOM = !!(options && options.ignoreBOM);
    }
    get encoding() { return 'utf-8'; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }

    decode(input = undefined, options = undefined) {
      if (input !== undefined && !isBufferSource(input)) {
        throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
      }
      const stream = !!(options && options.stream);
      let bytes = input;
      if (this.#pending !== null) {
        const tail = input === undefined ? new Uint8Array(0)
            : (ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input));
        bytes = new Uint8Array(this.#pending.length + tail.length);
        bytes.set(this.#pending, 0);
        bytes.set(tail, this.#pending.length);
        this.#pending = null;
      }
      let text;
      try {
        if (stream) {
          let consumed;
          [text, consumed] = utf8Decode(bytes, this.#fatal, true);
          const size = bytes === undefined ? 0 : bytes.byteLength;
          if (consumed < size) {
            const all = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
            this.#pending = all.slice(consumed);
          }
        } else {
          text = utf8Decode(bytes, this.#fatal, false);
        }
      } catch (e) {
        this.#bomSeen = false;
        throw e;
      }
      if (!this.#ignoreBOM && !this.#bomSeen && text.length > 0) {
        if (text.charCodeAt(0) === 0xFEFF) text = text.slice(1);
        this.#bomSeen = true;
      }
      if (!stream) this.#bomSeen = false;
      return text;
    }
  }
  internal.setToStringTag(TextDecoder, 'TextDecoder');
  internal.makeEnumerable(TextDecoder, ['encoding', 'fatal', 'ignoreBOM', 'decode']);

  // UTF-8 decode as the Fetch body mixin does it (BOM stripped, replacement on errors).
  internal.decodeUtf8 = function (bytes) {
    const text = utf8Decode(bytes, false, false);
    return text.charCodeAt(0) === 0xFEFF ? text.slice(1) : text;
  };
  internal.encodeUtf8 = utf8Encode;
  internal.defineGlobal('TextEncoder', TextEncoder);
  internal.defineGlobal('TextDecoder', TextDecoder);
});
