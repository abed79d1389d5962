// WHATWG Streams (ReadableStream, WritableStream, TransformStream, readers/writers/controllers,
// queuing strategies) from web-streams-polyfill, pinned in bindings/npm.
//
// Loaded lazily, the way Node loads some of its globals: the snapshot holds the polyfill's code
// uncompiled, and the globals are accessors that run it the first time any of them (or
// internal.streams) is touched, then replace themselves with the classes. Evaluated eagerly it
// cost every isolate ~136 KiB (bench/density: 1119 -> 1255 KiB per tenant), also for the many
// workers that never use a stream; lazily the first use costs one compile of the polyfill.
//
// These classes are the globals: every stream the runtime makes (bodies, TextEncoderStream,
// CompressionStream) comes from internal.streams, the same classes, so user code replacing a
// global changes nothing inside the runtime.

const kNames = [
  'ByteLengthQueuingStrategy',
  'CountQueuingStrategy',
  'ReadableByteStreamController',
  'ReadableStream',
  'ReadableStreamBYOBReader',
  'ReadableStreamBYOBRequest',
  'ReadableStreamDefaultController',
  'ReadableStreamDefaultReader',
  'TransformStream',
  'TransformStreamDefaultController',
  'WritableStream',
  'WritableStreamDefaultController',
  'WritableStreamDefaultWriter',
];

// What the polyfill reads from the global while it loads (Object, Symbol, Promise and its
// then/resolve/reject, DOMException) or on first use (queueMicrotask), captured now, at snapshot
// time. Loading may happen after user code replaced them, so they are put back for the duration
// of the load.
const {defineProperty, freeze, getOwnPropertyDescriptor, getPrototypeOf, setPrototypeOf} = Object;
// The polyfill keeps the first queueMicrotask it finds for good; it is given this one, at load
// (see load()). It drops the single callback of that load-time call, whose only effect would be
// to resolve a throwaway promise with an object: a worker that has defined
// Object.prototype.then by then would see the lookup.
const queueMicrotaskOriginal = global.queueMicrotask;
let dropNextMicrotask = false;
function microtaskForStreams(callback) {
  if (dropNextMicrotask) {
    dropNextMicrotask = false;
    return;
  }
  queueMicrotaskOriginal(callback);
}
const PromiseCtor = global.Promise;
const PromiseProto = PromiseCtor.prototype;
const originals = [
  [global, 'Object', getOwnPropertyDescriptor(global, 'Object')],
  [global, 'Symbol', getOwnPropertyDescriptor(global, 'Symbol')],
  [global, 'Promise', getOwnPropertyDescriptor(global, 'Promise')],
  [global, 'queueMicrotask', {
    value: microtaskForStreams, writable: true, enumerable: false, configurable: true}],
  [global, 'DOMException', getOwnPropertyDescriptor(global, 'DOMException')],
  [PromiseCtor, 'resolve', getOwnPropertyDescriptor(PromiseCtor, 'resolve')],
  [PromiseCtor, 'reject', getOwnPropertyDescriptor(PromiseCtor, 'reject')],
  [PromiseProto, 'then', getOwnPropertyDescriptor(PromiseProto, 'then')],
];
const AsyncIteratorPrototype = getPrototypeOf(getPrototypeOf(async function* () {}).prototype);

// As internal.defineGlobal, with defineProperty captured here (it runs after user code).
function defineGlobal(name, value) {
  defineProperty(global, name, {value, writable: true, enumerable: false, configurable: true});
}

const lazyGetters = {};
let classes = null;

function withOriginals(fn) {
  const saved = [];
  for (const [object, key, desc] of originals) {
    const current = getOwnPropertyDescriptor(object, key);
    if (desc === undefined || (current !== undefined && !current.configurable)) continue;
    saved.push([object, key, current]);
    defineProperty(object, key, desc);
  }
  try {
    return fn();
  } finally {
    for (const [object, key, current] of saved) {
      if (current === undefined) {
        delete object[key];
      } else {
        defineProperty(object, key, current);
      }
    }
  }
}

function load() {
  if (classes !== null) return classes;
  classes = withOriginals(() => {
    // esbuild wraps a require()d CommonJS module so its body runs on the first call.
    const polyfill = require('web-streams-polyfill');
    const loaded = {};
    for (const name of kNames) loaded[name] = polyfill[name];
    // The polyfill looks queueMicrotask up the first time it needs it (an async iterator's
    // first chunk): make that happen now, while ours is in place.
    const iterator = new loaded.ReadableStream({
      start(controller) {
        controller.enqueue(undefined);
      },
    }).values();
    dropNextMicrotask = true;
    iterator.next();
    dropNextMicrotask = false;
    // Web IDL: a ReadableStream async iterator's prototype inherits from
    // %AsyncIteratorPrototype% (the polyfill makes its own object instead).
    setPrototypeOf(getPrototypeOf(iterator), AsyncIteratorPrototype);
    return freeze(loaded);
  });
  // Globals still holding the lazy accessor become the classes (a global the worker has
  // reassigned in the meantime stays as the worker left it).
  for (const name of kNames) {
    const desc = getOwnPropertyDescriptor(global, name);
    if (desc !== undefined && desc.get === lazyGetters[name]) {
      defineGlobal(name, classes[name]);
    }
  }
  return classes;
}

const streams = {};
for (const name of kNames) {
  const get = {
    [name]() {
      return load()[name];
    },
  }[name];
  lazyGetters[name] = get;
  defineProperty(global, name, {
    get,
    set(value) {
      defineGlobal(name, value);
    },
    enumerable: false,
    configurable: true,
  });
  defineProperty(streams, name, {get, enumerable: true});
}
internal.streams = freeze(streams);
// True once the classes exist. Runtime code that only needs to know whether a value is a
// stream (a Response body init, say) can ask this first instead of loading streams to find out:
// before the first load no ReadableStream can exist.
internal.streamsLoaded = () => classes !== null;
// To load at snapshot time instead (no first-use cost, ~136 KiB more per isolate), call load()
// here.
