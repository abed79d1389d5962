// WHATWG Streams (ReadableStream, WritableStream, TransformStream, readers/writers/controllers,
// queuing strategies) from web-streams-polyfill, pinned in bindings/npm. These classes are the
// globals: every stream the runtime makes later (bodies, TextEncoderStream, CompressionStream)
// is built from the same classes, kept on `internal` so user code replacing a global changes
// nothing inside the runtime.
import {
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
  ReadableByteStreamController,
  ReadableStream,
  ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest,
  ReadableStreamDefaultController,
  ReadableStreamDefaultReader,
  TransformStream,
  TransformStreamDefaultController,
  WritableStream,
  WritableStreamDefaultController,
  WritableStreamDefaultWriter,
} from 'web-streams-polyfill';

const classes = {
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
  ReadableByteStreamController,
  ReadableStream,
  ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest,
  ReadableStreamDefaultController,
  ReadableStreamDefaultReader,
  TransformStream,
  TransformStreamDefaultController,
  WritableStream,
  WritableStreamDefaultController,
  WritableStreamDefaultWriter,
};
internal.streams = Object.freeze({...classes});
for (const name of Object.keys(classes)) internal.defineGlobal(name, classes[name]);

// The polyfill looks `queueMicrotask` up on the global the first time it needs it (an async
// iterator's first chunk). Make that happen now, at snapshot time, so it holds the runtime's
// own function and a worker that replaces globalThis.queueMicrotask cannot reach into streams.
// The microtask this queues runs in the snapshot's warm-up checkpoint.
const iterator = new ReadableStream({
  start(controller) {
    controller.enqueue(undefined);
  },
}).values();
iterator.next();

// Web IDL: a ReadableStream async iterator's prototype inherits from %AsyncIteratorPrototype%
// (the polyfill makes its own object with a Symbol.asyncIterator method instead).
const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
Object.setPrototypeOf(Object.getPrototypeOf(iterator), AsyncIteratorPrototype);
