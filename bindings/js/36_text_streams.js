// TextEncoderStream / TextDecoderStream (WHATWG Encoding Standard): TransformStreams over the
// TextEncoder/TextDecoder of 20_encoding. Everything they use is captured here, at snapshot time.
(function (internal, global) {
  'use strict';
  // Streams load on first use (35_streams): look TransformStream up when one is made.
  const streams = internal.streams;
  const {ReflectApply, StringPrototypeCharCodeAt, StringPrototypeSlice, TypeError, Uint8Array} =
      internal.primordials;
  const {TextDecoder} = global;
  const decode = TextDecoder.prototype.decode;
  const getEncoding = Object.getOwnPropertyDescriptor(TextDecoder.prototype, 'encoding').get;
  const getFatal = Object.getOwnPropertyDescriptor(TextDecoder.prototype, 'fatal').get;
  const getIgnoreBOM = Object.getOwnPropertyDescriptor(TextDecoder.prototype, 'ignoreBOM').get;
  const encodeUtf8 = internal.encodeUtf8;
  const kReplacementBytes = [0xEF, 0xBF, 0xBD];

  function isHighSurrogate(unit) {
    return unit >= 0xD800 && unit <= 0xDBFF;
  }

  class TextEncoderStream {
    #transform;

    constructor() {
      // A high surrogate at the end of a chunk waits for the low surrogate in the next one.
      let pending = '';
      this.#transform = new streams.TransformStream({
        transform(chunk, controller) {
          let input = pending + `${chunk}`;
          pending = '';
          if (input.length > 0 &&
              isHighSurrogate(StringPrototypeCharCodeAt(input, input.length - 1))) {
            pending = StringPrototypeSlice(input, input.length - 1);
            input = StringPrototypeSlice(input, 0, input.length - 1);
          }
          if (input.length > 0) controller.enqueue(encodeUtf8(input));
        },
        flush(controller) {
          if (pending !== '') controller.enqueue(new Uint8Array(kReplacementBytes));
        },
      });
    }
    get encoding() {
      this.#transform;  // brand check: a TypeError on other receivers
      return 'utf-8';
    }
    get readable() { return this.#transform.readable; }
    get writable() { return this.#transform.writable; }
  }
  internal.setToStringTag(TextEncoderStream, 'TextEncoderStream');
  internal.makeEnumerable(TextEncoderStream, ['encoding', 'readable', 'writable']);

  function isBufferSource(v) {
    return v instanceof ArrayBuffer || ArrayBuffer.isView(v) ||
           (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer);
  }

  class TextDecoderStream {
    #decoder;
    #transform;

    constructor(label = 'utf-8', options = undefined) {
      const decoder = new TextDecoder(label, options);  // RangeError/TypeError as TextDecoder
      this.#decoder = decoder;
      const streamOption = {stream: true};
      this.#transform = new streams.TransformStream({
        transform(chunk, controller) {
          if (!isBufferSource(chunk)) {
            throw new TypeError("Failed to execute 'write' on 'TextDecoderStream': The provided " +
                                "chunk is not of type '(ArrayBuffer or ArrayBufferView)'.");
          }
          const text = ReflectApply(decode, decoder, [chunk, streamOption]);
          if (text !== '') controller.enqueue(text);
        },
        flush(controller) {
          const text = ReflectApply(decode, decoder, []);
          if (text !== '') controller.enqueue(text);
        },
      });
    }
    get encoding() { return ReflectApply(getEncoding, this.#decoder, []); }
    get fatal() { return ReflectApply(getFatal, this.#decoder, []); }
    get ignoreBOM() { return ReflectApply(getIgnoreBOM, this.#decoder, []); }
    get readable() { return this.#transform.readable; }
    get writable() { return this.#transform.writable; }
  }
  internal.setToStringTag(TextDecoderStream, 'TextDecoderStream');
  internal.makeEnumerable(TextDecoderStream,
                          ['encoding', 'fatal', 'ignoreBOM', 'readable', 'writable']);

  internal.defineGlobal('TextEncoderStream', TextEncoderStream);
  internal.defineGlobal('TextDecoderStream', TextDecoderStream);
});
