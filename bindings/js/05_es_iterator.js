// ES2025 iterator helpers: the abstract global Iterator, Iterator.from, Iterator.prototype map /
// filter / take / drop / flatMap / reduce / toArray / forEach / some / every / find, and ES2026
// Iterator.concat. A helper's closure is an internal generator; %IteratorHelperPrototype%'s
// next/return drive it and close the underlying iterators as the spec says.
(function (internal, global) {
  'use strict';
  const {
    uncurryThis, call, DONE, isObject, toIntegerOrInfinity, defineMethods, getMethod,
    getIteratorDirect, getIteratorFromMethod, step, stepValue, iteratorClose, iteratorCloseQuietly,
    callOrClose, getPrototypeOf, TypeError, RangeError,
  } = internal.es;
  const {Object, Reflect, Symbol, Function, String} = global;
  const {defineProperty, setPrototypeOf} = Object;
  const {getOwnPropertyDescriptor: ReflectGetOwnPropertyDescriptor,
         defineProperty: ReflectDefineProperty} = Reflect;
  const IteratorPrototype = getPrototypeOf(getPrototypeOf([][Symbol.iterator]()));
  const GeneratorPrototype = getPrototypeOf(function* () {}).prototype;
  const GeneratorNext = uncurryThis(GeneratorPrototype.next);
  const GeneratorReturn = uncurryThis(GeneratorPrototype.return);
  const OrdinaryHasInstance = uncurryThis(Function.prototype[Symbol.hasInstance]);
  const SymbolIterator = Symbol.iterator;
  const SymbolToStringTag = Symbol.toStringTag;

  function Iterator() {
    if (new.target === undefined || new.target === Iterator) {
      throw new TypeError('Iterator is abstract: extend it, or wrap an iterator with Iterator.from()');
    }
  }
  defineProperty(Iterator, 'prototype', {value: IteratorPrototype, writable: false});

  // Iterator.prototype.constructor and @@toStringTag are accessors, so that assigning them on
  // an object inheriting from Iterator.prototype makes an own property (web compatibility).
  function setterThatIgnoresPrototypeProperties(thisValue, key, value) {
    if (!isObject(thisValue)) throw new TypeError(`Cannot set ${String(key)} on a non-object`);
    if (thisValue === IteratorPrototype) throw new TypeError(`Cannot set ${String(key)} on Iterator.prototype`);
    if (ReflectGetOwnPropertyDescriptor(thisValue, key) === undefined) {
      if (!ReflectDefineProperty(thisValue, key, {value, writable: true, enumerable: true, configurable: true})) {
        throw new TypeError(`Cannot define ${String(key)} on a non-extensible object`);
      }
    } else {
      thisValue[key] = value;
    }
  }
  defineMethods(IteratorPrototype, {
    get [SymbolToStringTag]() {
      return 'Iterator';
    },
    set [SymbolToStringTag](value) {
      setterThatIgnoresPrototypeProperties(this, SymbolToStringTag, value);
    },
    get constructor() {
      return Iterator;
    },
    set constructor(value) {
      setterThatIgnoresPrototypeProperties(this, 'constructor', value);
    },
  });

  // A helper's state: the underlying iterator record (none for concat), the inner iterator being
  // flattened (flatMap/concat), and the generator's state as far as closing needs it.
  const helperState = (iterator) => ({
    iterator, next: iterator === undefined ? undefined : iterator.next, inner: undefined,
    started: false, running: false, live: true,
  });
  // On return() while suspended in a yield: close the inner iterator, then the underlying one.
  function closeHelper(st) {
    if (st.inner !== undefined) {
      try {
        iteratorClose(st.inner);
      } catch (e) {
        if (st.iterator !== undefined) iteratorCloseQuietly(st.iterator);
        throw e;
      }
    }
    if (st.iterator !== undefined) iteratorClose(st.iterator);
  }
  const running = () => new TypeError('Iterator helper is already running');

  // %IteratorHelperPrototype%
  class IteratorHelper {
    #st;
    #gen;
    constructor(st, gen) {
      this.#st = st;
      this.#gen = gen;
    }
    next() {
      const st = this.#st;
      if (st.running) throw running();
      st.started = st.running = true;
      try {
        const result = GeneratorNext(this.#gen);
        if (result.done) st.live = false;
        return result;
      } catch (e) {
        st.live = false;
        throw e;
      } finally {
        st.running = false;
      }
    }
    return() {
      const st = this.#st;
      if (st.running) throw running();
      if (st.live) {
        st.live = false;
        GeneratorReturn(this.#gen);
        if (!st.started) {
          st.started = true;
          if (st.iterator !== undefined) iteratorClose(st.iterator);
        } else {
          closeHelper(st);
        }
      }
      return {value: undefined, done: true};
    }
  }
  const IteratorHelperPrototype = IteratorHelper.prototype;
  delete IteratorHelperPrototype.constructor;
  setPrototypeOf(IteratorHelperPrototype, IteratorPrototype);
  defineProperty(IteratorHelperPrototype, SymbolToStringTag, {value: 'Iterator Helper', configurable: true});

  // %WrapForValidIteratorPrototype% (Iterator.from of an iterator not inheriting from Iterator).
  class WrapForValidIterator {
    #iterated;
    constructor(record) {
      this.#iterated = record;
    }
    next() {
      const record = this.#iterated;
      return call(record.next, record.iterator);
    }
    return() {
      const iterator = this.#iterated.iterator;
      const ret = getMethod(iterator, 'return');
      if (ret === undefined) return {value: undefined, done: true};
      return call(ret, iterator);
    }
  }
  delete WrapForValidIterator.prototype.constructor;
  setPrototypeOf(WrapForValidIterator.prototype, IteratorPrototype);

  function getIteratorFlattenable(obj, allowStrings, method) {
    if (!isObject(obj) && !(allowStrings && typeof obj === 'string')) {
      throw new TypeError(`${method}: ${typeof obj === 'symbol' ? 'a symbol' : String(obj)} is not an iterator or iterable`);
    }
    const iteratorMethod = getMethod(obj, SymbolIterator);
    const iterator = iteratorMethod === undefined ? obj : call(iteratorMethod, obj);
    if (!isObject(iterator)) throw new TypeError(`${method}: the iterator is not an object`);
    return getIteratorDirect(iterator);
  }

  function* mapGen(st, mapper) {
    for (let counter = 0; ; counter++) {
      const value = stepValue(st);
      if (value === DONE) return;
      yield callOrClose(st.iterator, mapper, value, counter);
    }
  }
  function* filterGen(st, predicate) {
    for (let counter = 0; ; counter++) {
      const value = stepValue(st);
      if (value === DONE) return;
      if (callOrClose(st.iterator, predicate, value, counter)) yield value;
    }
  }
  function* takeGen(st, remaining) {
    for (;;) {
      if (remaining === 0) {
        iteratorClose(st.iterator);
        return;
      }
      if (remaining !== Infinity) remaining--;
      const value = stepValue(st);
      if (value === DONE) return;
      yield value;
    }
  }
  function* dropGen(st, remaining) {
    for (; remaining > 0; remaining !== Infinity && remaining--) {
      if (step(st) === DONE) return;
    }
    for (;;) {
      const value = stepValue(st);
      if (value === DONE) return;
      yield value;
    }
  }
  function* flatMapGen(st, mapper) {
    for (let counter = 0; ; counter++) {
      const value = stepValue(st);
      if (value === DONE) return;
      let inner;
      try {
        inner = getIteratorFlattenable(mapper(value, counter), false, 'Iterator.prototype.flatMap');
      } catch (e) {
        iteratorCloseQuietly(st.iterator);
        throw e;
      }
      st.inner = inner.iterator;
      for (;;) {
        let innerValue;
        try {
          innerValue = stepValue(inner);
        } catch (e) {
          st.inner = undefined;
          iteratorCloseQuietly(st.iterator);
          throw e;
        }
        if (innerValue === DONE) break;
        yield innerValue;
      }
      st.inner = undefined;
    }
  }
  function* concatGen(st, iterables) {
    for (let i = 0; i < iterables.length; i += 2) {
      const record = getIteratorFromMethod(iterables[i], iterables[i + 1]);
      st.inner = record.iterator;
      for (;;) {
        const value = stepValue(record);
        if (value === DONE) break;
        yield value;
      }
      st.inner = undefined;
    }
  }

  function thisIterator(O, method) {
    if (!isObject(O)) throw new TypeError(`Iterator.prototype.${method} called on ${typeof O === 'symbol' ? 'a symbol' : String(O)}, not an object`);
  }
  // An invalid argument closes the receiver before the error is thrown.
  function requireCallableOrClose(O, fn, method) {
    if (typeof fn !== 'function') {
      iteratorCloseQuietly(O);
      throw new TypeError(`Iterator.prototype.${method}: ${typeof fn === 'symbol' ? 'a symbol' : String(fn)} is not a function`);
    }
  }
  function toLimit(O, limit, method) {
    let n;
    try {
      n = +limit;
    } catch (e) {
      iteratorCloseQuietly(O);
      throw e;
    }
    const integer = toIntegerOrInfinity(n);
    if (n !== n || integer < 0) {
      iteratorCloseQuietly(O);
      throw new RangeError(`Iterator.prototype.${method}: ${String(n)} is not a valid limit (a non-negative number)`);
    }
    return integer;
  }

  defineMethods(IteratorPrototype, {
    map(mapper) {
      thisIterator(this, 'map');
      requireCallableOrClose(this, mapper, 'map');
      const st = helperState(this);
      return new IteratorHelper(st, mapGen(st, mapper));
    },
    filter(predicate) {
      thisIterator(this, 'filter');
      requireCallableOrClose(this, predicate, 'filter');
      const st = helperState(this);
      return new IteratorHelper(st, filterGen(st, predicate));
    },
    take(limit) {
      thisIterator(this, 'take');
      const remaining = toLimit(this, limit, 'take');
      const st = helperState(this);
      return new IteratorHelper(st, takeGen(st, remaining));
    },
    drop(limit) {
      thisIterator(this, 'drop');
      const remaining = toLimit(this, limit, 'drop');
      const st = helperState(this);
      return new IteratorHelper(st, dropGen(st, remaining));
    },
    flatMap(mapper) {
      thisIterator(this, 'flatMap');
      requireCallableOrClose(this, mapper, 'flatMap');
      const st = helperState(this);
      return new IteratorHelper(st, flatMapGen(st, mapper));
    },
    reduce(reducer) {
      thisIterator(this, 'reduce');
      requireCallableOrClose(this, reducer, 'reduce');
      const record = getIteratorDirect(this);
      let accumulator, counter;
      if (arguments.length < 2) {
        accumulator = stepValue(record);
        if (accumulator === DONE) throw new TypeError('Reduce of empty iterator with no initial value');
        counter = 1;
      } else {
        accumulator = arguments[1];
        counter = 0;
      }
      for (;; counter++) {
        const value = stepValue(record);
        if (value === DONE) return accumulator;
        try {
          accumulator = reducer(accumulator, value, counter);
        } catch (e) {
          iteratorCloseQuietly(this);
          throw e;
        }
      }
    },
    toArray() {
      thisIterator(this, 'toArray');
      const record = getIteratorDirect(this);
      const items = [];
      for (let value; (value = stepValue(record)) !== DONE;) items[items.length] = value;
      return items;
    },
    forEach(fn) {
      thisIterator(this, 'forEach');
      requireCallableOrClose(this, fn, 'forEach');
      const record = getIteratorDirect(this);
      for (let counter = 0, value; (value = stepValue(record)) !== DONE; counter++) {
        callOrClose(this, fn, value, counter);
      }
    },
    some(predicate) {
      thisIterator(this, 'some');
      requireCallableOrClose(this, predicate, 'some');
      const record = getIteratorDirect(this);
      for (let counter = 0, value; (value = stepValue(record)) !== DONE; counter++) {
        if (callOrClose(this, predicate, value, counter)) {
          iteratorClose(this);
          return true;
        }
      }
      return false;
    },
    every(predicate) {
      thisIterator(this, 'every');
      requireCallableOrClose(this, predicate, 'every');
      const record = getIteratorDirect(this);
      for (let counter = 0, value; (value = stepValue(record)) !== DONE; counter++) {
        if (!callOrClose(this, predicate, value, counter)) {
          iteratorClose(this);
          return false;
        }
      }
      return true;
    },
    find(predicate) {
      thisIterator(this, 'find');
      requireCallableOrClose(this, predicate, 'find');
      const record = getIteratorDirect(this);
      for (let counter = 0, value; (value = stepValue(record)) !== DONE; counter++) {
        if (callOrClose(this, predicate, value, counter)) {
          iteratorClose(this);
          return value;
        }
      }
      return undefined;
    },
  });

  defineMethods(Iterator, {
    from(O) {
      const record = getIteratorFlattenable(O, true, 'Iterator.from');
      if (OrdinaryHasInstance(Iterator, record.iterator)) return record.iterator;
      return new WrapForValidIterator(record);
    },
    concat(...items) {
      const iterables = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (!isObject(item)) throw new TypeError(`Iterator.concat: argument ${i} is not an object`);
        const method = getMethod(item, SymbolIterator);
        if (method === undefined) throw new TypeError(`Iterator.concat: argument ${i} is not iterable`);
        iterables[i * 2] = item;
        iterables[i * 2 + 1] = method;
      }
      const st = helperState(undefined);
      return new IteratorHelper(st, concatGen(st, iterables));
    },
  });

  internal.defineGlobal('Iterator', Iterator);
});
