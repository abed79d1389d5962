// CompressionStream / DecompressionStream (Compression Streams Standard): TransformStreams over a
// zlib/brotli codec per stream (bindings/compression_natives.cc). Output comes in pieces of at
// most 64 KiB; between chunks the TransformStream's backpressure holds the writer, so a long
// stream keeps memory flat. One chunk's own output is enqueued whole (a decompression bomb in a
// single chunk is bounded only by the ArrayBuffer budget).
(function (internal, global) {
  'use strict';
  const {compressionCreate, compressionProcess} = internal;
  // Streams load on first use (35_streams): look TransformStream up when one is made.
  const streams = internal.streams;
  const {TypeError} = internal.primordials;

  const kFormats = new Map([['deflate', 0], ['deflate-raw', 1], ['gzip', 2], ['brotli', 3]]);
  const kErrors = {
    data: (format) => `The compressed data is not valid ${format} data.`,
    trailing: (format) => `Junk found after the end of the compressed ${format} data.`,
    truncated: (format) => `The compressed ${format} data ended before the end of the stream.`,
  };

  function formatCode(format, interfaceName) {
    const name = `${format}`;
    const code = kFormats.get(name);
    if (code === undefined) {
      throw new TypeError(`Failed to construct '${interfaceName}': The provided value '${name}' ` +
                          "is not a valid enum value of type CompressionFormat.");
    }
    return code;
  }

  function makeTransform(format, code, decompress, interfaceName) {
    const handle = compressionCreate(code, decompress);
    // Pieces first, then (if the input was bad) an error: output that came before the bad byte
    // still reaches the reader, as the spec orders "enqueue, then throw".
    function push(controller, chunk, finish) {
      const out = compressionProcess(handle, chunk, finish);
      const n = out.length;
      for (let i = 0; i < n; i++) {
        const piece = out[i];
        if (typeof piece === 'string') throw new TypeError(kErrors[piece](format));
        controller.enqueue(piece);
      }
    }
    return new streams.TransformStream({
      transform(chunk, controller) {
        if (typeof chunk !== 'object' || chunk === null) {
          throw new TypeError(`Failed to execute 'write' on '${interfaceName}': The provided ` +
                              "chunk is not of type '(ArrayBuffer or ArrayBufferView)'.");
        }
        push(controller, chunk, false);
      },
      flush(controller) {
        push(controller, undefined, true);
      },
    });
  }

  class CompressionStream {
    #transform;
    constructor(format) {
      const code = formatCode(format, 'CompressionStream');
      this.#transform = makeTransform(`${format}`, code, false, 'CompressionStream');
    }
    get readable() { return this.#transform.readable; }
    get writable() { return this.#transform.writable; }
  }
  internal.setToStringTag(CompressionStream, 'CompressionStream');
  internal.makeEnumerable(CompressionStream, ['readable', 'writable']);

  class DecompressionStream {
    #transform;
    constructor(format) {
      const code = formatCode(format, 'DecompressionStream');
      this.#transform = makeTransform(`${format}`, code, true, 'DecompressionStream');
    }
    get readable() { return this.#transform.readable; }
    get writable() { return this.#transform.writable; }
  }
  internal.setToStringTag(DecompressionStream, 'DecompressionStream');
  internal.makeEnumerable(DecompressionStream, ['readable', 'writable']);

  internal.defineGlobal('CompressionStream', CompressionStream);
  internal.defineGlobal('DecompressionStream', DecompressionStream);
});
