// ES2023 change-array-by-copy (Array and %TypedArray% toSorted/toReversed/with, Array toSpliced),
// ES2024 Object.groupBy / Map.groupBy, ES2026 Array.fromAsync: written from the spec text.
(function (internal, global) {
  'use strict';
  const {
    uncurryThis, call, DONE, isObject, toIntegerOrInfinity, toObject, lengthOfArrayLike,
    defineMethods, getMethod, getIteratorFromMethod, requireCallable, getPrototypeOf, TypeError,
    RangeError,
  } = internal.es;
  const {isConstructor, arrayBufferWasDetached} = internal;
  const {Array, Map, Object, Reflect, Symbol, String, BigInt64Array, Math} = global;
  const {max, min} = Math;
  const ArrayPrototypeSort = uncurryThis(Array.prototype.sort);
  const MapPrototypeGet = uncurryThis(Map.prototype.get);
  const MapPrototypeSet = uncurryThis(Map.prototype.set);
  const MapPrototypeForEach = uncurryThis(Map.prototype.forEach);
  const {defineProperty: ReflectDefineProperty, ownKeys: ReflectOwnKeys} = Reflect;
  const kMaxArrayLength = 4294967295;

  function checkComparefn(comparefn, method) {
    if (comparefn !== undefined && typeof comparefn !== 'function') {
      throw new TypeError(`${method}: the comparison function must be either a function or undefined`);
    }
  }

  // ArrayCreate(len) with every element read through Get (holes read as undefined).
  function copyArrayLike(O, len, method) {
    if (len > kMaxArrayLength) throw new RangeError(`${method}: invalid array length ${len}`);
    const A = new Array(len);
    for (let k = 0; k < len; k++) A[k] = O[k];
    return A;
  }

  function relativeIndex(index, len, method) {
    const rel = toIntegerOrInfinity(index);
    const actual = rel >= 0 ? rel : len + rel;
    if (actual >= len || actual < 0) {
      throw new RangeError(`${method}: index ${rel} is out of range for length ${len}`);
    }
    return actual;
  }

  defineMethods(Array.prototype, {
    toReversed() {
      const O = toObject(this, 'Array.prototype.toReversed');
      const len = lengthOfArrayLike(O);
      if (len > kMaxArrayLength) throw new RangeError(`Array.prototype.toReversed: invalid array length ${len}`);
      const A = new Array(len);
      for (let k = 0; k < len; k++) A[k] = O[len - k - 1];
      return A;
    },
    toSorted(comparefn) {
      checkComparefn(comparefn, 'Array.prototype.toSorted');
      const O = toObject(this, 'Array.prototype.toSorted');
      const A = copyArrayLike(O, lengthOfArrayLike(O), 'Array.prototype.toSorted');
      return ArrayPrototypeSort(A, comparefn);
    },
    toSpliced(start, skipCount, ...items) {
      const O = toObject(this, 'Array.prototype.toSpliced');
      const len = lengthOfArrayLike(O);
      const relStart = toIntegerOrInfinity(start);
      const actualStart = relStart < 0 ? max(len + relStart, 0) : min(relStart, len);
      let skip;
      if (arguments.length === 0) skip = 0;
      else if (arguments.length === 1) skip = len - actualStart;
      else skip = min(max(toIntegerOrInfinity(skipCount), 0), len - actualStart);
      const newLen = len + items.length - skip;
      if (newLen > 9007199254740991) throw new TypeError(`Array.prototype.toSpliced: result length ${newLen} exceeds 2^53 - 1`);
      if (newLen > kMaxArrayLength) throw new RangeError(`Array.prototype.toSpliced: invalid array length ${newLen}`);
      const A = new Array(newLen);
      let i = 0, r = actualStart + skip;
      for (; i < actualStart; i++) A[i] = O[i];
      for (const item of items) A[i++] = item;
      for (; i < newLen; i++, r++) A[i] = O[r];
      return A;
    },
    with(index, value) {
      const O = toObject(this, 'Array.prototype.with');
      const len = lengthOfArrayLike(O);
      const actual = relativeIndex(index, len, 'Array.prototype.with');
      if (len > kMaxArrayLength) throw new RangeError(`Array.prototype.with: invalid array length ${len}`);
      const A = new Array(len);
      for (let k = 0; k < len; k++) A[k] = k === actual ? value : O[k];
      return A;
    },
  });

  const unscopables = Array.prototype[Symbol.unscopables];
  for (const name of ['toReversed', 'toSorted', 'toSpliced']) {
    ReflectDefineProperty(unscopables, name, {value: true, writable: true, enumerable: true, configurable: true});
  }

  // %TypedArray%: the element type comes from [[TypedArrayName]] (never @@species or .constructor).
  const TypedArray = getPrototypeOf(global.Uint8Array);
  const TypedArrayPrototype = TypedArray.prototype;
  const getter = (key) => uncurryThis(Reflect.getOwnPropertyDescriptor(TypedArrayPrototype, key).get);
  const TypedArrayName = getter(Symbol.toStringTag);
  const TypedArrayLength = getter('length');
  const TypedArrayBuffer = getter('buffer');
  const TypedArrayPrototypeSet = uncurryThis(TypedArrayPrototype.set);
  const TypedArrayPrototypeSort = uncurryThis(TypedArrayPrototype.sort);
  const TypedArrayPrototypeReverse = uncurryThis(TypedArrayPrototype.reverse);
  const typedArrayConstructors = {__proto__: null};
  for (const name of ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
                      'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
                      'BigUint64Array']) {
    typedArrayConstructors[name] = global[name];
  }
  const bigIntScratch = new BigInt64Array(1);

  // ValidateTypedArray, then TypedArrayCreateSameType(O, len) holding a copy of O's elements.
  function copyTypedArray(O, method) {
    const name = TypedArrayName(O);
    if (name === undefined) throw new TypeError(`${method}: this is not a typed array`);
    const len = TypedArrayLength(O);
    if (len === 0 && arrayBufferWasDetached(TypedArrayBuffer(O))) {
      throw new TypeError(`${method}: the typed array's buffer is detached`);
    }
    const A = new typedArrayConstructors[name](len);
    TypedArrayPrototypeSet(A, O);
    return A;
  }

  defineMethods(TypedArrayPrototype, {
    toReversed() {
      return TypedArrayPrototypeReverse(copyTypedArray(this, '%TypedArray%.prototype.toReversed'));
    },
    toSorted(comparefn) {
      checkComparefn(comparefn, '%TypedArray%.prototype.toSorted');
      return TypedArrayPrototypeSort(copyTypedArray(this, '%TypedArray%.prototype.toSorted'), comparefn);
    },
    with(index, value) {
      const method = '%TypedArray%.prototype.with';
      const name = TypedArrayName(this);
      if (name === undefined) throw new TypeError(`${method}: this is not a typed array`);
      const len = TypedArrayLength(this);
      if (len === 0 && arrayBufferWasDetached(TypedArrayBuffer(this))) {
        throw new TypeError(`${method}: the typed array's buffer is detached`);
      }
      const rel = toIntegerOrInfinity(index);
      const actual = rel >= 0 ? rel : len + rel;
      let numeric;
      if (name[0] === 'B') {
        bigIntScratch[0] = value;  // ToBigInt, once
        numeric = bigIntScratch[0];
      } else {
        numeric = +value;
      }
      // The coercions above may have detached the buffer (length is then 0).
      if (actual < 0 || actual >= TypedArrayLength(this)) {
        throw new RangeError(`${method}: index ${rel} is out of range for length ${len}`);
      }
      const A = new typedArrayConstructors[name](len);
      TypedArrayPrototypeSet(A, this);
      A[actual] = numeric;
      return A;
    },
  });

  // GroupBy(items, callback, keyCoercion): a Map from key to the array of its elements.
  function groupBy(items, callback, propertyKeys, method) {
    if (items == null) throw new TypeError(`${method}: items must not be null or undefined`);
    requireCallable(callback, method);
    const groups = new Map();
    let k = 0;
    for (const value of items) {  // for-of closes the iterator when the body throws
      let key = callback(value, k);
      if (propertyKeys) {
        if (isObject(key)) key = ReflectOwnKeys({[key]: 0})[0];  // ToPropertyKey, once
        else if (typeof key !== 'symbol') key = String(key);
      } else if (key === 0) {
        key = 0;  // -0 -> +0
      }
      const group = MapPrototypeGet(groups, key);
      if (group === undefined) MapPrototypeSet(groups, key, [value]);
      else group[group.length] = value;
      k++;
    }
    return groups;
  }

  defineMethods(Object, {
    groupBy(items, callback) {
      const groups = groupBy(items, callback, true, 'Object.groupBy');
      const obj = {__proto__: null};
      MapPrototypeForEach(groups, (elements, key) => {
        obj[key] = elements;
      });
      return obj;
    },
  });
  defineMethods(Map, {
    groupBy(items, callback) {
      return groupBy(items, callback, false, 'Map.groupBy');
    },
  });

  function createDataPropertyOrThrow(A, k, value) {
    if (!ReflectDefineProperty(A, k, {value, writable: true, enumerable: true, configurable: true})) {
      throw new TypeError(`Array.fromAsync: cannot define property ${k} on the result`);
    }
  }

  async function asyncIteratorCloseQuietly(iterator) {
    try {
      const ret = getMethod(iterator, 'return');
      if (ret !== undefined) await call(ret, iterator);
    } catch {
      // The caller rethrows the error that made it close the iterator.
    }
  }

  async function fromAsync(C, asyncItems, mapfn, thisArg) {
    const mapping = mapfn !== undefined;
    if (mapping) requireCallable(mapfn, 'Array.fromAsync');
    const usingAsync = getMethod(asyncItems, Symbol.asyncIterator);
    const usingSync = usingAsync === undefined ? getMethod(asyncItems, Symbol.iterator) : undefined;
    if (usingAsync !== undefined || usingSync !== undefined) {
      const record = getIteratorFromMethod(asyncItems, usingAsync ?? usingSync);
      const {iterator} = record;
      const A = isConstructor(C) ? new C() : [];
      for (let k = 0; ; k++) {
        let result = call(record.next, iterator);
        if (usingAsync !== undefined) result = await result;
        if (!isObject(result)) throw new TypeError(`Iterator result ${String(result)} is not an object`);
        if (result.done) {
          A.length = k;
          return A;
        }
        let value = result.value;
        try {
          // A sync iterator's values are awaited (CreateAsyncFromSyncIterator); a rejection
          // closes it.
          if (usingSync !== undefined) value = await value;
          if (mapping) value = await call(mapfn, thisArg, value, k);
          createDataPropertyOrThrow(A, k, value);
        } catch (e) {
          await asyncIteratorCloseQuietly(iterator);
          throw e;
        }
      }
    }
    const arrayLike = Object(asyncItems);
    const len = lengthOfArrayLike(arrayLike);
    const A = isConstructor(C) ? new C(len) : new Array(len);
    for (let k = 0; k < len; k++) {
      let value = await arrayLike[k];
      if (mapping) value = await call(mapfn, thisArg, value, k);
      createDataPropertyOrThrow(A, k, value);
    }
    A.length = len;
    return A;
  }

  defineMethods(Array, {
    fromAsync(asyncItems, mapfn = undefined, thisArg = undefined) {
      // Every error, even a bad argument, rejects the returned promise.
      return fromAsync(this, asyncItems, mapfn, thisArg);
    },
  });
});
