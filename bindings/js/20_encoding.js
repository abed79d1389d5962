// TextEncoder / TextDecoder (WHATWG Encoding Standard): UTF-8 on the fast natives, every other
// encoding on the spec's decoders in C++ (bindings/text_decoder.cc).
(function (internal, global) {
  'use strict';
  const {utf8Encode, utf8EncodeInto, utf8Decode, encodingForLabel, textDecode} = internal;
  const {TypeError, RangeError, Uint8Array} = internal.primordials;
  const Uint32Array = global.Uint32Array;
  const ArrayBufferIsView = ArrayBuffer.isView;

  // Encoding ids of bindings/encoding_labels.h.
  const kUtf8 = 0;
  const kReplacement = 36;
  const kUtf16Be = 37;
  const kUtf16Le = 38;

  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') { return utf8Encode(`${input}`); }
    encodeInto(source, destination) {
      source = `${source}`;
      if (!(destination instanceof Uint8Array)) {
        throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
      }
      const [read, written] = utf8EncodeInto(source, destination);
      return {read, written};
    }
  }
  internal.setToStringTag(TextEncoder, 'TextEncoder');
  internal.makeEnumerable(TextEncoder, ['encoding', 'encode', 'encodeInto']);

  function isBufferSource(v) {
    return v instanceof ArrayBuffer || ArrayBufferIsView(v) ||
           (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer);
  }

  function asBytes(v) {
    if (v === undefined) return new Uint8Array(0);
    return ArrayBufferIsView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(v);
  }

  function isDictionary(v) {
    return v === undefined || v === null || typeof v === 'object' || typeof v === 'function';
  }

  class TextDecoder {
    #id;
    #name;
    #fatal;
    #ignoreBOM;
    #bomSeen = false;
    #pending = null;  // UTF-8: bytes of an incomplete sequence kept across stream: true calls
    #state = null;    // other encodings: the C++ decoder's state (Uint32Array(4)), made on first use
    #doNotFlush = false;

    constructor(label = 'utf-8', options = undefined) {
      label = `${label}`;
      if (!isDictionary(options)) {
        throw new TypeError("Failed to construct 'TextDecoder': The provided value is not of type 'TextDecoderOptions'.");
      }
      const fatal = !!(options && options.fatal);
      const ignoreBOM = !!(options && options.ignoreBOM);
      const found = encodingForLabel(label);
      if (found === null || found[0] === kReplacement) {
        throw new RangeError(`Failed to construct 'TextDecoder': The encoding label provided ('${label}') is invalid.`);
      }
      this.#id = found[0];
      this.#name = found[1];
      this.#fatal = fatal;
      this.#ignoreBOM = ignoreBOM;
    }
    get encoding() { return this.#name; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }

    decode(input = undefined, options = undefined) {
      if (input !== undefined && !isBufferSource(input)) {
        throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
      }
      if (!isDictionary(options)) {
        throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type 'TextDecodeOptions'.");
      }
      const stream = !!(options && options.stream);
      const id = this.#id;
      if (!this.#doNotFlush) this.#bomSeen = false;
      this.#doNotFlush = stream;
      let text;
      try {
        text = id === kUtf8 ? this.#decodeUtf8(input, stream) : this.#decodeOther(input, stream);
      } catch (e) {
        this.#pending = null;
        this.#bomSeen = false;
        this.#doNotFlush = false;
        throw e;
      }
      if (!this.#ignoreBOM && !this.#bomSeen && text.length > 0 &&
          (id === kUtf8 || id === kUtf16Le || id === kUtf16Be)) {
        if (text.charCodeAt(0) === 0xFEFF) text = text.slice(1);
        this.#bomSeen = true;
      }
      return text;
    }

    #decodeUtf8(input, stream) {
      let bytes = input;
      if (this.#pending !== null) {
        const tail = asBytes(input);
        bytes = new Uint8Array(this.#pending.length + tail.length);
        bytes.set(this.#pending, 0);
        bytes.set(tail, this.#pending.length);
        this.#pending = null;
      }
      if (!stream) return utf8Decode(bytes, this.#fatal, false);
      const [text, consumed] = utf8Decode(bytes, this.#fatal, true);
      const size = bytes === undefined ? 0 : bytes.byteLength;
      if (consumed < size) this.#pending = asBytes(bytes).slice(consumed);
      return text;
    }

    #decodeOther(input, stream) {
      if (this.#state === null) this.#state = new Uint32Array(4);
      return textDecode(this.#id, this.#state, input, this.#fatal, stream);
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
