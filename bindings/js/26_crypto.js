// The `crypto` global (Crypto: getRandomValues, randomUUID, subtle) and CryptoKey. Key material
// stays in C++ (bindings/crypto_*.cc); a CryptoKey holds a handle to it. SubtleCrypto is in
// 27_subtle_crypto.js.
(function (internal, global) {
  'use strict';
  const {cryptoRandomFill} = internal;
  const {TypeError, Uint8Array, ObjectFreeze, ArrayPrototypeJoin} =
      internal.primordials;

  // DOMException once the global exists (it is built in parallel); until then an Error whose
  // name is the DOMException's name.
  function makeDomException(name, message) {
    const DOMException = global.DOMException;
    if (typeof DOMException === 'function') return new DOMException(message, name);
    const error = new Error(message);
    error.name = name;
    return error;
  }

  const kIllegal = Symbol('illegal constructor');
  const typedArrayTag = Function.prototype.call.bind(
      Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype),
                                      Symbol.toStringTag).get);
  const kIntegerArrays = new Set(['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
                                  'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array',
                                  'BigUint64Array']);
  const byteLengthOf = Function.prototype.call.bind(
      Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype),
                                      'byteLength').get);
  // Two hex digits for each byte value, made on the first randomUUID() (not in every isolate).
  let hexTable;
  function makeHexTable() {
    const table = [];
    for (let i = 0; i < 256; i++) table.push((i < 16 ? '0' : '') + i.toString(16));
    return table;
  }

  let subtle;  // the SubtleCrypto instance, set by 27_subtle_crypto.js

  class Crypto {
    constructor(token) {
      if (token !== kIllegal) throw new TypeError('Illegal constructor');
    }
    get subtle() {
      if (!(this instanceof Crypto)) throw new TypeError('Illegal invocation');
      return subtle;
    }
    getRandomValues(array) {
      if (!(this instanceof Crypto)) throw new TypeError('Illegal invocation');
      if (arguments.length < 1) {
        throw new TypeError("Failed to execute 'getRandomValues' on 'Crypto': 1 argument required, but only 0 present.");
      }
      if (!ArrayBuffer.isView(array)) {
        throw new TypeError("Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of type 'ArrayBufferView'.");
      }
      const tag = typedArrayTag(array);
      if (tag === undefined || !kIntegerArrays.has(tag)) {
        throw makeDomException('TypeMismatchError',
                               `getRandomValues: ${tag ?? 'DataView'} is not an integer-type array`);
      }
      const length = byteLengthOf(array);
      if (length > 65536) {
        const message = `getRandomValues: the array's byte length (${length}) exceeds 65536`;
        // The newer DOM spec makes QuotaExceededError its own DOMException subclass.
        const QuotaExceededError = global.QuotaExceededError;
        if (typeof QuotaExceededError === 'function') {
          throw new QuotaExceededError(message, {quota: 65536, requested: length});
        }
        throw makeDomException('QuotaExceededError', message);
      }
      cryptoRandomFill(array);
      return array;
    }
    randomUUID() {
      if (!(this instanceof Crypto)) throw new TypeError('Illegal invocation');
      const b = new Uint8Array(16);
      cryptoRandomFill(b);
      b[6] = (b[6] & 0x0f) | 0x40;  // version 4
      b[8] = (b[8] & 0x3f) | 0x80;  // variant 10
      const hex = hexTable ??= makeHexTable();
      const h = (i) => hex[b[i]];
      return h(0) + h(1) + h(2) + h(3) + '-' + h(4) + h(5) + '-' + h(6) + h(7) + '-' + h(8) + h(9) +
             '-' + h(10) + h(11) + h(12) + h(13) + h(14) + h(15);
    }
  }
  internal.setToStringTag(Crypto, 'Crypto');
  internal.makeEnumerable(Crypto, ['subtle', 'getRandomValues', 'randomUUID']);

  const kUsageOrder = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits',
                       'wrapKey', 'unwrapKey'];

  class CryptoKey {
    #type;
    #extractable;
    #algorithm;  // what the operations read (user code cannot change it)
    #algorithmView;  // what key.algorithm returns (the same object each time)
    #usages;
    #usagesView;
    #handle;
    constructor(token, type, extractable, algorithm, usages, handle) {
      if (token !== kIllegal) throw new TypeError('Illegal constructor');
      this.#type = type;
      this.#extractable = extractable;
      this.#algorithm = ObjectFreeze(algorithm);
      this.#algorithmView = copyAlgorithm(algorithm);
      this.#usages = usages;
      this.#usagesView = [...usages];
      this.#handle = handle;
    }
    get type() { return CryptoKey.#check(this).#type; }
    get extractable() { return CryptoKey.#check(this).#extractable; }
    get algorithm() { return CryptoKey.#check(this).#algorithmView; }
    get usages() { return CryptoKey.#check(this).#usagesView; }
    static #check(key) {
      if (!(typeof key === 'object' && key !== null && #type in key)) {
        throw new TypeError('Illegal invocation');
      }
      return key;
    }
    static isKey(value) { return typeof value === 'object' && value !== null && #type in value; }
    static slots(key) {
      return {type: key.#type, extractable: key.#extractable, algorithm: key.#algorithm,
              usages: key.#usages, handle: key.#handle};
    }
    [internal.primordials.kInspect]() {
      return `CryptoKey { type: '${this.#type}', extractable: ${this.#extractable}, algorithm: ${JSON.stringify(this.#algorithmView)}, usages: [${ArrayPrototypeJoin(this.#usages, ', ')}] }`;
    }
  }
  const isKey = CryptoKey.isKey;
  const keySlots = CryptoKey.slots;
  delete CryptoKey.isKey;
  delete CryptoKey.slots;
  internal.setToStringTag(CryptoKey, 'CryptoKey');
  internal.makeEnumerable(CryptoKey, ['type', 'extractable', 'algorithm', 'usages']);

  function copyAlgorithm(algorithm) {
    const out = {};
    for (const name of Object.keys(algorithm)) {
      const v = algorithm[name];
      out[name] = v instanceof Uint8Array ? new Uint8Array(v) :
                  (typeof v === 'object' && v !== null) ? copyAlgorithm(v) : v;
    }
    return out;
  }

  // usages: already validated KeyUsage strings; the key keeps them once each, in spec order.
  function newCryptoKey(type, extractable, algorithm, usages, handle) {
    const ordered = kUsageOrder.filter((u) => usages.includes(u));
    return new CryptoKey(kIllegal, type, extractable, algorithm, ordered, handle);
  }

  internal.crypto = {makeDomException, newCryptoKey, isKey, keySlots, kIllegal, kUsageOrder,
                     setSubtle(s) { subtle = s; }};
  internal.defineGlobal('Crypto', Crypto);
  internal.defineGlobal('CryptoKey', CryptoKey);
  internal.defineGlobal('crypto', new Crypto(kIllegal));
});
