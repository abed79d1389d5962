// ES2025 Set methods: union, intersection, difference, symmetricDifference, isSubsetOf,
// isSupersetOf, isDisjointFrom. `other` is used through the spec's set-like protocol
// (GetSetRecord: size, has, keys); `this` through the captured Set intrinsics only.
(function (internal, global) {
  'use strict';
  const {
    uncurryThis, call, isObject, toIntegerOrInfinity, defineMethods, getIteratorFromMethod,
    stepValue, DONE, iteratorClose, getPrototypeOf, TypeError, RangeError,
  } = internal.es;
  const {Set, Reflect, String} = global;
  const SetPrototype = Set.prototype;
  const SetSize = uncurryThis(Reflect.getOwnPropertyDescriptor(SetPrototype, 'size').get);
  const SetHas = uncurryThis(SetPrototype.has);
  const SetAdd = uncurryThis(SetPrototype.add);
  const SetDelete = uncurryThis(SetPrototype.delete);
  const SetValues = uncurryThis(SetPrototype.values);
  const SetIteratorNext = uncurryThis(getPrototypeOf(new Set().values()).next);

  function thisSize(O, method) {
    try {
      return SetSize(O);
    } catch {
      throw new TypeError(`Method Set.prototype.${method} called on incompatible receiver ${isObject(O) ? 'object' : String(O)}`);
    }
  }

  function getSetRecord(obj, method) {
    if (!isObject(obj)) throw new TypeError(`Set.prototype.${method}: the argument must be a set-like object`);
    const rawSize = obj.size;
    const numSize = +rawSize;
    if (numSize !== numSize) throw new TypeError(`Set.prototype.${method}: the argument's size is not a number`);
    const size = toIntegerOrInfinity(numSize);
    if (size < 0) throw new RangeError(`Set.prototype.${method}: the argument's size is negative`);
    const has = obj.has;
    if (typeof has !== 'function') throw new TypeError(`Set.prototype.${method}: the argument's has is not a function`);
    const keys = obj.keys;
    if (typeof keys !== 'function') throw new TypeError(`Set.prototype.${method}: the argument's keys is not a function`);
    return {set: obj, size, has, keys};
  }

  // A copy of O's [[SetData]] as a new %Set%.
  function copySet(O) {
    const result = new Set();
    const it = SetValues(O);
    for (let r; !(r = SetIteratorNext(it)).done;) SetAdd(result, r.value);
    return result;
  }
  // Calls fn(e) for each element of O, live (additions during the walk are visited), until fn
  // returns true; returns whether it did.
  function someElement(O, fn) {
    const it = SetValues(O);
    for (let r; !(r = SetIteratorNext(it)).done;) {
      if (fn(r.value)) return true;
    }
    return false;
  }
  // Calls fn(key) for each value of the other set's keys() (-0 as +0) until fn returns true;
  // then closes the iterator and returns true.
  function someKey(rec, fn) {
    const keys = getIteratorFromMethod(rec.set, rec.keys);
    for (;;) {
      let next = stepValue(keys);
      if (next === DONE) return false;
      if (next === 0) next = 0;
      if (fn(next)) {
        iteratorClose(keys.iterator);
        return true;
      }
    }
  }
  const otherHas = (rec, e) => !!call(rec.has, rec.set, e);

  defineMethods(SetPrototype, {
    union(other) {
      thisSize(this, 'union');
      const rec = getSetRecord(other, 'union');
      const keys = getIteratorFromMethod(rec.set, rec.keys);
      const result = copySet(this);
      for (let next; (next = stepValue(keys)) !== DONE;) SetAdd(result, next === 0 ? 0 : next);
      return result;
    },
    intersection(other) {
      thisSize(this, 'intersection');
      const rec = getSetRecord(other, 'intersection');
      const size = SetSize(this);  // after GetSetRecord, which may have changed it
      const result = new Set();
      if (size <= rec.size) {
        someElement(this, (e) => {
          if (otherHas(rec, e)) SetAdd(result, e);
        });
      } else {
        someKey(rec, (next) => {
          if (SetHas(this, next)) SetAdd(result, next);
        });
      }
      return result;
    },
    difference(other) {
      thisSize(this, 'difference');
      const rec = getSetRecord(other, 'difference');
      const size = SetSize(this);  // after GetSetRecord, which may have changed it
      const result = copySet(this);
      if (size <= rec.size) {
        // Walks the copy (it never grows), asking `other` about each element still in it.
        someElement(result, (e) => {
          if (otherHas(rec, e)) SetDelete(result, e);
        });
      } else {
        someKey(rec, (next) => {
          SetDelete(result, next);
        });
      }
      return result;
    },
    symmetricDifference(other) {
      thisSize(this, 'symmetricDifference');
      const rec = getSetRecord(other, 'symmetricDifference');
      const keys = getIteratorFromMethod(rec.set, rec.keys);
      const result = copySet(this);
      for (let next; (next = stepValue(keys)) !== DONE;) {
        if (next === 0) next = 0;
        if (SetHas(this, next)) SetDelete(result, next);
        else SetAdd(result, next);
      }
      return result;
    },
    isSubsetOf(other) {
      thisSize(this, 'isSubsetOf');
      const rec = getSetRecord(other, 'isSubsetOf');
      const size = SetSize(this);  // after GetSetRecord, which may have changed it
      if (size > rec.size) return false;
      return !someElement(this, (e) => !otherHas(rec, e));
    },
    isSupersetOf(other) {
      thisSize(this, 'isSupersetOf');
      const rec = getSetRecord(other, 'isSupersetOf');
      const size = SetSize(this);  // after GetSetRecord, which may have changed it
      if (size < rec.size) return false;
      return !someKey(rec, (next) => !SetHas(this, next));
    },
    isDisjointFrom(other) {
      thisSize(this, 'isDisjointFrom');
      const rec = getSetRecord(other, 'isDisjointFrom');
      const size = SetSize(this);  // after GetSetRecord, which may have changed it
      if (size <= rec.size) return !someElement(this, (e) => otherHas(rec, e));
      return !someKey(rec, (next) => SetHas(this, next));
    },
  });
});
