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
  const kUtf8Found = [kUtf8, 'utf-8'];

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
    #doNotFlush = false;
    // Between stream: true calls: for UTF-8 the bytes of an incomplete sequence (Uint8Array), for
    // the other encodings the C++ decoder's state (Uint32Array(4)).
    #state = null;

    constructor(label = 'utf-8', options = undefined) {
      label = `${label}`;
      if (!isDictionary(options)) {
        throw new TypeError("Failed to construct 'TextDecoder': The provided value is not of type 'TextDecoderOptions'.");
      }
      const fatal = !!(options && options.fatal);
      const ignoreBOM = !!(options && options.ignoreBOM);
      // The default label skips the native lookup: `new TextDecoder()` is on hot paths.
      const found = label === 'utf-8' ? kUtf8Found : encodingForLabel(label);
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
      let stream = false;
      if (options !== undefined) {
        if (!isDictionary(options)) {
          throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type 'TextDecodeOptions'.");
        }
        stream = !!(options && options.stream);
      }
      if (!this.#doNotFlush) this.#bomSeen = false;
      this.#doNotFlush = stream;
      const id = this.#id;
      let text;
      if (id === kUtf8 && !stream && this.#state === null) {
        text = utf8Decode(input, this.#fatal, false);  // the common case: one whole buffer
      } else {
        try {
          text = id === kUtf8 ? this.#decodeUtf8(input, stream)
                              : this.#decodeOther(input, stream);
        } catch (e) {
          this.#state = null;
          this.#doNotFlush = false;
          throw e;
        }
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
      const pending = this.#state;
      if (pending !== null) {
        const tail = asBytes(input);
        bytes = new Uint8Array(pending.length + tail.length);
        bytes.set(pending, 0);
        bytes.set(tail, pending.length);
        this.#state = null;
      }
      if (!stream) return utf8Decode(bytes, this.#fatal, false);
      const [text, consumed] = utf8Decode(bytes, this.#fatal, true);
      const size = bytes === undefined ? 0 : bytes.byteLength;
      if (consumed < size) this.#state = asBytes(bytes).slice(consumed);
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
