// ES2025 iterator helpers: the abstract global Iterator, Iterator.from, Iterator.prototype map /
// filter / take / drop / flatMap / reduce / toArray / forEach / some / every / find, and ES2026
// Iterator.concat. A helper's closure is a step function run by %IteratorHelperPrototype%'s
// next (no generator objects); return closes the underlying iterators as the spec says.
(function (internal, global) {
  'use strict';
  const {
    uncurryThis, call, DONE, isObject, toIntegerOrInfinity, defineMethods, getMethod,
    getIteratorDirect, getIteratorFromMethod, step, stepValue, iteratorClose, iteratorCloseQuietly,
    callOrClose, describe, getPrototypeOf, TypeError, RangeError,
  } = internal.es;
  const {Object, Reflect, Symbol, Function, String} = global;
  const {defineProperty, setPrototypeOf} = Object;
  const {getOwnPropertyDescriptor: ReflectGetOwnPropertyDescriptor,
         defineProperty: ReflectDefineProperty} = Reflect;
  const IteratorPrototype = getPrototypeOf(getPrototypeOf([][Symbol.iterator]()));
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

  // A helper's state: the underlying iterator record (none for concat), the callback or limit,
  // the inner iterator being flattened (flatMap/concat), and where the closure is: `started`
  // (left suspended-start), `running` (executing), `live` (not completed). `step(st)` runs the
  // closure to its next yield: the value, or DONE when it returns.
  const helperState = (iterator, stepFn, fn, remaining) => ({
    iterator, next: iterator === undefined ? undefined : iterator.next, step: stepFn, fn, remaining,
    counter: 0, inner: undefined, innerRecord: undefined, started: false, running: false,
    live: true,
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
    constructor(st) {
      this.#st = st;
    }
    next() {
      const st = this.#st;
      if (st.running) throw running();
      if (!st.live) return {value: undefined, done: true};
      st.started = st.running = true;
      try {
        const value = st.step(st);
        if (value === DONE) {
          st.live = false;
          return {value: undefined, done: true};
        }
        return {value, done: false};
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
      throw new TypeError(`${method}: ${describe(obj)} is not an iterator or iterable`);
    }
    const iteratorMethod = getMethod(obj, SymbolIterator);
    const iterator = iteratorMethod === undefined ? obj : call(iteratorMethod, obj);
    if (!isObject(iterator)) throw new TypeError(`${method}: the iterator is not an object`);
    return getIteratorDirect(iterator);
  }

  // The closures of the spec's helpers, one yield per call.
  function mapStep(st) {
    const value = stepValue(st);
    if (value === DONE) return DONE;
    return callOrClose(st.iterator, st.fn, value, st.counter++);
  }
  function filterStep(st) {
    for (;;) {
      const value = stepValue(st);
      if (value === DONE) return DONE;
      if (callOrClose(st.iterator, st.fn, value, st.counter++)) return value;
    }
  }
  function takeStep(st) {
    if (st.remaining === 0) {
      iteratorClose(st.iterator);
      return DONE;
    }
    if (st.remaining !== Infinity) st.remaining--;
    return stepValue(st);
  }
  function dropStep(st) {
    for (; st.remaining > 0; st.remaining !== Infinity && st.remaining--) {
      if (step(st) === DONE) return DONE;
    }
    return stepValue(st);
  }
  function flatMapStep(st) {
    for (;;) {
      if (st.inner !== undefined) {
        let value;
        try {
          value = stepValue(st.innerRecord);
        } catch (e) {
          st.inner = undefined;
          iteratorCloseQuietly(st.iterator);
          throw e;
        }
        if (value !== DONE) return value;
        st.inner = undefined;
      }
      const value = stepValue(st);
      if (value === DONE) return DONE;
      try {
        st.innerRecord = getIteratorFlattenable(st.fn(value, st.counter++), false, 'Iterator.prototype.flatMap');
      } catch (e) {
        iteratorCloseQuietly(st.iterator);
        throw e;
      }
      st.inner = st.innerRecord.iterator;
    }
  }
  function concatStep(st) {  // st.fn: [iterable, its @@iterator method, ...]; st.remaining: index
    for (;;) {
      if (st.inner !== undefined) {
        const value = stepValue(st.innerRecord);
        if (value !== DONE) return value;
        st.inner = undefined;
      }
      const iterables = st.fn;
      if (st.remaining >= iterables.length) return DONE;
      st.innerRecord = getIteratorFromMethod(iterables[st.remaining], iterables[st.remaining + 1]);
      st.remaining += 2;
      st.inner = st.innerRecord.iterator;
    }
  }

  function thisIterator(O, method) {
    if (!isObject(O)) throw new TypeError(`Iterator.prototype.${method} called on ${describe(O)}, not an object`);
  }
  // An invalid argument closes the receiver before the error is thrown.
  function requireCallableOrClose(O, fn, method) {
    if (typeof fn !== 'function') {
      iteratorCloseQuietly(O);
      throw new TypeError(`Iterator.prototype.${method}: ${describe(fn)} is not a function`);
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
      return new IteratorHelper(helperState(this, mapStep, mapper, 0));
    },
    filter(predicate) {
      thisIterator(this, 'filter');
      requireCallableOrClose(this, predicate, 'filter');
      return new IteratorHelper(helperState(this, filterStep, predicate, 0));
    },
    take(limit) {
      thisIterator(this, 'take');
      const remaining = toLimit(this, limit, 'take');
      return new IteratorHelper(helperState(this, takeStep, undefined, remaining));
    },
    drop(limit) {
      thisIterator(this, 'drop');
      const remaining = toLimit(this, limit, 'drop');
      return new IteratorHelper(helperState(this, dropStep, undefined, remaining));
    },
    flatMap(mapper) {
      thisIterator(this, 'flatMap');
      requireCallableOrClose(this, mapper, 'flatMap');
      return new IteratorHelper(helperState(this, flatMapStep, mapper, 0));
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
      return new IteratorHelper(helperState(undefined, concatStep, iterables, 0));
    },
  });

  internal.defineGlobal('Iterator', Iterator);
});
