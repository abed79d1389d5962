// Headers (Fetch Standard): case-insensitive, ordered, multiple values combined with ", " on
// read, Set-Cookie kept apart (getSetCookie), guards for immutable headers.
(function (internal, global) {
  'use strict';
  const {
    ArrayIsArray, ArrayPrototypePush, ArrayPrototypeSort, ArrayPrototypeJoin, ObjectCreate,
    ReflectOwnKeys, SymbolIterator, TypeError, IteratorPrototype, kInspect,
  } = internal.primordials;

  const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const invalidValueRe = /[\0\r\n]/;
  const nonByteRe = /[^\x00-\xff]/;
  const trimRe = /^[\t\n\r ]+|[\t\n\r ]+$/g;

  function normalizeName(name, method) {
    name = `${name}`;
    if (!tokenRe.test(name)) {
      throw new TypeError(`Failed to execute '${method}' on 'Headers': Invalid name`);
    }
    return name.toLowerCase();
  }

  function normalizeValue(value, method) {
    value = `${value}`;
    if (nonByteRe.test(value)) {
      throw new TypeError(`Failed to execute '${method}' on 'Headers': Invalid value (characters above U+00FF)`);
    }
    value = value.replace(trimRe, '');
    if (invalidValueRe.test(value)) {
      throw new TypeError(`Failed to execute '${method}' on 'Headers': Invalid value`);
    }
    return value;
  }

  // Fetch Standard: the headers a "no-cors" request may carry (its Headers have the
  // "request-no-cors" guard, which silently drops anything else).
  const kNoCorsNames = new Set(['accept', 'accept-language', 'content-language', 'content-type']);
  const corsUnsafeByteRe = /[\x00-\x08\x0a-\x1f"():<>?@[\\\]{}\x7f]/;
  const languageRe = /^[0-9A-Za-z *,\-.;=]*$/;
  const kSafeContentTypes = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
  function isNoCorsSafelisted(name, value) {
    if (!kNoCorsNames.has(name) || value.length > 128) return false;
    switch (name) {
      case 'accept':
        return !corsUnsafeByteRe.test(value);
      case 'accept-language':
      case 'content-language':
        return languageRe.test(value);
      default: {  // content-type
        if (corsUnsafeByteRe.test(value)) return false;
        const essence = value.split(';')[0].replace(trimRe, '').toLowerCase();
        return kSafeContentTypes.has(essence);
      }
    }
  }

  class Headers {
    #map = new Map();      // lower-case name -> [values], insertion order of names
    #guard = 'none';       // 'none' | 'immutable' | 'request-no-cors'
    #sorted = null;        // cached sort-and-combine result, dropped on every change

    constructor(init = undefined) {
      if (init === undefined) return;
      if (init === null || (typeof init !== 'object' && typeof init !== 'function')) {
        throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
      }
      // Another Headers object, iterated the way Web IDL would (a replaced @@iterator counts).
      if (#map in init && init[SymbolIterator] === headersEntries) {
        for (const [name, values] of init.#map) this.#map.set(name, [...values]);
        return;
      }
      if (typeof init[SymbolIterator] === 'function') {
        for (const pair of init) {
          if (pair === null || typeof pair !== 'object' || typeof pair[SymbolIterator] !== 'function') {
            throw new TypeError("Failed to construct 'Headers': The provided value cannot be converted to a sequence.");
          }
          const items = ArrayIsArray(pair) ? pair : [...pair];
          if (items.length !== 2) {
            throw new TypeError("Failed to construct 'Headers': Invalid value (each header must be a [name, value] pair)");
          }
          this.#append(items[0], items[1], 'constructor');
        }
        return;
      }
      // record<ByteString, ByteString>: each key is converted before its value is read, and
      // the whole record before anything is appended (Web IDL).
      const record = [];
      for (const key of ReflectOwnKeys(init)) {
        const desc = Object.getOwnPropertyDescriptor(init, key);
        if (desc === undefined || !desc.enumerable) continue;
        if (typeof key === 'symbol') {
          throw new TypeError("Failed to construct 'Headers': Cannot convert a Symbol value to a string");
        }
        if (nonByteRe.test(key)) {
          throw new TypeError(`Failed to construct 'Headers': Invalid name (characters above U+00FF): ${key}`);
        }
        const value = `${init[key]}`;
        if (nonByteRe.test(value)) {
          throw new TypeError(`Failed to construct 'Headers': Invalid value (characters above U+00FF) for ${key}`);
        }
        ArrayPrototypePush(record, key, value);
      }
      for (let i = 0; i < record.length; i += 2) this.#append(record[i], record[i + 1], 'constructor');
    }

    #checkMutable() {
      if (this.#guard === 'immutable') throw new TypeError("Can't modify immutable headers.");
    }

    #append(name, value, method) {
      const key = normalizeName(name, method);
      const v = normalizeValue(value, method);
      this.#checkMutable();
      const values = this.#map.get(key);
      if (this.#guard === 'request-no-cors') {
        const combined = values === undefined ? v : `${ArrayPrototypeJoin(values, ', ')}, ${v}`;
        if (!isNoCorsSafelisted(key, combined)) return;
      }
      if (values === undefined) this.#map.set(key, [v]);
      else ArrayPrototypePush(values, v);
      this.#sorted = null;
    }

    append(name, value) { this.#append(name, value, 'append'); }

    delete(name) {
      const key = normalizeName(name, 'delete');
      this.#checkMutable();
      if (this.#guard === 'request-no-cors' && !kNoCorsNames.has(key) && key !== 'range') return;
      if (this.#map.delete(key)) this.#sorted = null;
    }

    get(name) {
      const values = this.#map.get(normalizeName(name, 'get'));
      return values === undefined ? null : ArrayPrototypeJoin(values, ', ');
    }

    getSetCookie() {
      const values = this.#map.get('set-cookie');
      return values === undefined ? [] : [...values];
    }

    has(name) { return this.#map.has(normalizeName(name, 'has')); }

    set(name, value) {
      const key = normalizeName(name, 'set');
      const v = normalizeValue(value, 'set');
      this.#checkMutable();
      if (this.#guard === 'request-no-cors' && !isNoCorsSafelisted(key, v)) return;
      this.#map.set(key, [v]);
      this.#sorted = null;
    }

    // The "sort and combine" list: names sorted, values combined, Set-Cookie one entry each.
    #pairs() {
      if (this.#sorted !== null) return this.#sorted;
      const names = ArrayPrototypeSort([...this.#map.keys()]);
      const pairs = [];
      for (const name of names) {
        const values = this.#map.get(name);
        if (name === 'set-cookie') {
          for (const v of values) ArrayPrototypePush(pairs, [name, v]);
        } else {
          ArrayPrototypePush(pairs, [name, ArrayPrototypeJoin(values, ', ')]);
        }
      }
      this.#sorted = pairs;
      return pairs;
    }

    forEach(callback, thisArg = undefined) {
      if (typeof callback !== 'function') {
        throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
      }
      for (let i = 0; i < this.#pairs().length; i++) {
        const [name, value] = this.#pairs()[i];
        callback.call(thisArg, value, name, this);
      }
    }

    keys() { return makeIterator(this, 'key'); }
    values() { return makeIterator(this, 'value'); }
    entries() { return makeIterator(this, 'key+value'); }

    [kInspect]() {
      const parts = [];
      for (const [name, value] of this.#pairs()) ArrayPrototypePush(parts, `'${name}' => '${value}'`);
      return parts.length ? `Headers { ${ArrayPrototypeJoin(parts, ', ')} }` : 'Headers {}';
    }

    static {
      internal.headers = {
        isHeaders: (h) => h !== null && typeof h === 'object' && #map in h,
        pairs: (h) => h.#pairs(),
        // From the runtime's flat [name, value, ...] list (names as received on the wire).
        fromFlat(flat, guard) {
          const h = new Headers();
          const map = h.#map;
          for (let i = 0; i < flat.length; i += 2) {
            const key = flat[i].toLowerCase();
            const values = map.get(key);
            if (values === undefined) map.set(key, [flat[i + 1]]);
            else ArrayPrototypePush(values, flat[i + 1]);
          }
          h.#guard = guard;
          return h;
        },
        // To a flat [name, value, ...] list for the wire (every value separately).
        toFlat(h) {
          const flat = [];
          for (const [name, values] of h.#map) {
            for (const v of values) ArrayPrototypePush(flat, name, v);
          }
          return flat;
        },
        setGuard(h, guard) { h.#guard = guard; },
        getGuard: (h) => h.#guard,
        // Sets a header bypassing the guard (for the body's Content-Type).
        setIfAbsent(h, name, value) { if (!h.#map.has(name)) { h.#map.set(name, [value]); h.#sorted = null; } },
        get: (h, name) => { const v = h.#map.get(name); return v === undefined ? null : ArrayPrototypeJoin(v, ', '); },
      };
      internal.headersIteratorNext = function (iterator) {
        const pairs = iterator.target.#pairs();
        if (iterator.index >= pairs.length) return {value: undefined, done: true};
        const [name, value] = pairs[iterator.index++];
        const kind = iterator.kind;
        return {value: kind === 'key' ? name : kind === 'value' ? value : [name, value], done: false};
      };
    }
  }
  const headersEntries = Headers.prototype.entries;
  Headers.prototype[SymbolIterator] = headersEntries;
  internal.setToStringTag(Headers, 'Headers');
  internal.makeEnumerable(Headers, ['append', 'delete', 'get', 'getSetCookie', 'has', 'set', 'forEach', 'keys', 'values', 'entries']);

  // Iterators re-read the live sorted list on every step, as the Fetch Standard specifies.
  const HeadersIteratorPrototype = ObjectCreate(IteratorPrototype, {
    next: {
      value: function next() {
        if (this === null || typeof this !== 'object' || !(kIteratorState in this)) {
          throw new TypeError("next method called on an object that is not a Headers iterator");
        }
        return internal.headersIteratorNext(this[kIteratorState]);
      },
      writable: true, enumerable: true, configurable: true,
    },
    [Symbol.toStringTag]: {value: 'Headers Iterator', configurable: true},
  });
  const kIteratorState = Symbol('state');
  function makeIterator(target, kind) {
    if (!internal.headers.isHeaders(target)) {
      throw new TypeError('Illegal invocation: not a Headers object');
    }
    const it = ObjectCreate(HeadersIteratorPrototype);
    Object.defineProperty(it, kIteratorState, {value: {target, kind, index: 0}});
    return it;
  }

  internal.defineGlobal('Headers', Headers);
});
