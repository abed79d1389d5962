// Shared ECMAScript abstract operations for our ES2023+ built-ins (05_es_*.js), which V8 10.2
// lacks. One small set of helpers instead of per-feature machinery keeps the per-isolate heap
// small (core-js cost +820 KiB). Intrinsics are captured here, before user code can replace them.
(function (internal, global) {
  'use strict';
  const {TypeError, RangeError, Symbol, Math, Reflect, Object, Function, String} = global;
  const uncurryThis = (fn) => Function.prototype.call.bind(fn);
  const call = uncurryThis(Function.prototype.call);  // call(fn, thisArg, ...args)
  const StringPrototypeSlice = uncurryThis(String.prototype.slice);
  const {defineProperty, getPrototypeOf} = Object;
  const {trunc} = Math;
  const DONE = Symbol('done');  // stepValue's "iterator finished", never a user value

  const isObject = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function';

  function toIntegerOrInfinity(value) {
    const n = +value;  // ToNumber: a TypeError for Symbol and BigInt
    return n !== n || n === 0 ? 0 : trunc(n);
  }

  function toObject(value, method) {
    if (value == null) throw new TypeError(`${method} called on null or undefined`);
    return Object(value);
  }

  function lengthOfArrayLike(O) {
    const len = toIntegerOrInfinity(O.length);
    return len <= 0 ? 0 : len > 9007199254740991 ? 9007199254740991 : len;
  }

  // Methods the way ECMAScript defines built-in methods: writable, non-enumerable, configurable.
  // Method-shorthand functions already have the right name and are not constructors. A method
  // V8 already has is left alone (a newer V8 keeps its native one).
  function defineMethods(target, methods) {
    for (const key of Reflect.ownKeys(methods)) {
      if (Reflect.getOwnPropertyDescriptor(target, key) !== undefined) continue;
      const desc = Reflect.getOwnPropertyDescriptor(methods, key);
      desc.enumerable = false;
      defineProperty(target, key, desc);
    }
  }

  function getMethod(value, key) {
    const fn = value[key];
    if (fn == null) return undefined;
    if (typeof fn !== 'function') throw new TypeError(`${String(key)} is not a function`);
    return fn;
  }

  // Iterator records are {iterator, next}; GetIteratorDirect and GetIteratorFromMethod.
  const getIteratorDirect = (iterator) => ({iterator, next: iterator.next});
  function getIteratorFromMethod(obj, method) {
    const iterator = call(method, obj);
    if (!isObject(iterator)) throw new TypeError('Result of the iterator method is not an object');
    return getIteratorDirect(iterator);
  }

  // IteratorStep: the result object, or DONE.
  function step(record) {
    const result = call(record.next, record.iterator);
    if (!isObject(result)) throw new TypeError(`Iterator result ${String(result)} is not an object`);
    return result.done ? DONE : result;
  }
  // IteratorStepValue: the value, or DONE.
  function stepValue(record) {
    const result = call(record.next, record.iterator);
    if (!isObject(result)) throw new TypeError(`Iterator result ${String(result)} is not an object`);
    return result.done ? DONE : result.value;
  }

  // IteratorClose with a normal completion: errors from `return` and a non-object result count.
  function iteratorClose(iterator) {
    const ret = getMethod(iterator, 'return');
    if (ret === undefined) return;
    if (!isObject(call(ret, iterator))) throw new TypeError('Iterator result is not an object');
  }
  // IteratorClose with a throw completion: the original error wins, whatever `return` does.
  function iteratorCloseQuietly(iterator) {
    try {
      const ret = getMethod(iterator, 'return');
      if (ret !== undefined) call(ret, iterator);
    } catch {
      // The caller rethrows the error that made it close the iterator.
    }
  }
  // Calls fn(a, b) and closes `iterator` if it throws (IfAbruptCloseIterator).
  function callOrClose(iterator, fn, a, b) {
    try {
      return fn(a, b);
    } catch (e) {
      iteratorCloseQuietly(iterator);
      throw e;
    }
  }

  // A value for an error message, without running user code (no toString of objects).
  function describe(value) {
    if (isObject(value)) return 'an object';
    if (typeof value === 'symbol') return 'a symbol';
    if (typeof value === 'string') return `the string "${value.length > 20 ? StringPrototypeSlice(value, 0, 20) + '...' : value}"`;
    return String(value);
  }
  function requireCallable(fn, what) {
    if (typeof fn !== 'function') throw new TypeError(`${what}: ${describe(fn)} is not a function`);
  }

  // NewPromiseCapability(C).
  function newPromiseCapability(C) {
    let resolve, reject;
    const promise = new C((res, rej) => {
      if (resolve !== undefined || reject !== undefined) throw new TypeError('Promise executor has already been invoked');
      resolve = res;
      reject = rej;
    });
    if (typeof resolve !== 'function' || typeof reject !== 'function') {
      throw new TypeError('Promise resolve or reject function is not callable');
    }
    return {promise, resolve, reject};
  }

  internal.es = {
    uncurryThis, call, DONE, isObject, toIntegerOrInfinity, toObject, lengthOfArrayLike,
    defineMethods, getMethod, getIteratorDirect, getIteratorFromMethod, step, stepValue,
    iteratorClose, iteratorCloseQuietly, callOrClose, describe, requireCallable, newPromiseCapability,
    getPrototypeOf, TypeError, RangeError,
  };
});
