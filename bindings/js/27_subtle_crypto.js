// SubtleCrypto (W3C Web Cryptography API): argument conversion, algorithm normalization, usage and
// extractability checks, JWK, and per-algorithm steps. The cryptography itself is OpenSSL, through
// the crypto* natives (bindings/crypto_*.cc).
(function (internal, global) {
  'use strict';
  const {kIllegal, setSubtle} = internal.crypto;
  const {TypeError} = internal.primordials;
  const kBrand = Symbol('SubtleCrypto');

  // Everything behind the methods (normalization, JWK, the algorithms) is built on first use:
  // left out of the startup snapshot it costs an isolate nothing until its worker calls
  // crypto.subtle (built eagerly, it was ~100 KiB of every isolate's heap).
  let methods;
  const call = (name, self, args) => (methods ??= build())[name].apply(self, args);

  class SubtleCrypto {
    constructor(token) {
      if (token !== kIllegal) throw new TypeError('Illegal constructor');
      Object.defineProperty(this, kBrand, {value: kBrand});
    }
    digest(algorithm, data) { return call('digest', this, arguments); }
    encrypt(algorithm, key, data) { return call('encrypt', this, arguments); }
    decrypt(algorithm, key, data) { return call('decrypt', this, arguments); }
    sign(algorithm, key, data) { return call('sign', this, arguments); }
    verify(algorithm, key, signature, data) { return call('verify', this, arguments); }
    generateKey(algorithm, extractable, keyUsages) {
      return call('generateKey', this, arguments);
    }
    deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
      return call('deriveKey', this, arguments);
    }
    deriveBits(algorithm, baseKey, length = null) { return call('deriveBits', this, arguments); }
    importKey(format, keyData, algorithm, extractable, keyUsages) {
      return call('importKey', this, arguments);
    }
    exportKey(format, key) { return call('exportKey', this, arguments); }
    wrapKey(format, key, wrappingKey, wrapAlgorithm) { return call('wrapKey', this, arguments); }
    unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm,
              extractable, keyUsages) {
      return call('unwrapKey', this, arguments);
    }
  }
  internal.setToStringTag(SubtleCrypto, 'SubtleCrypto');
  internal.makeEnumerable(SubtleCrypto, ['encrypt', 'decrypt', 'sign', 'verify', 'digest',
                                         'generateKey', 'deriveKey', 'deriveBits', 'importKey',
                                         'exportKey', 'wrapKey', 'unwrapKey']);
  internal.defineGlobal('SubtleCrypto', SubtleCrypto);
  setSubtle(new SubtleCrypto(kIllegal));

  function build() {
    const N = internal;
    const {makeDomException, newCryptoKey, isKey, keySlots, kUsageOrder} = internal.crypto;
    const {TypeError, Uint8Array, JSONParse, JSONStringify, utf8Encode, utf8Decode} = {
      ...internal.primordials, utf8Encode: internal.utf8Encode, utf8Decode: internal.utf8Decode};

    const kDomNames = new Set(['NotSupportedError', 'SyntaxError', 'InvalidAccessError', 'DataError',
                               'OperationError']);
    const fail = (name, message) => makeDomException(name, message);

    // Natives throw Errors named for the DOMException the spec wants; rethrow them as such.
    function toDomError(e) {
      if (e instanceof Error && kDomNames.has(e.name) && typeof global.DOMException === 'function' &&
          !(e instanceof global.DOMException)) {
        return fail(e.name, e.message);
      }
      return e;
    }

    // ---- Web IDL conversions ----

    // The IDL conversion only checks the type; the bytes are copied when the method's steps say
    // so, after the algorithm is normalized (its getters may still change the buffer).
    function checkBytes(value, what) {
      if (typeof value !== 'object' || value === null ||
          !(N.isArrayBuffer(value) || ArrayBuffer.isView(value))) {
        throw new TypeError(`${what} is not of type '(ArrayBuffer or ArrayBufferView)'`);
      }
      return value;
    }
    function copyBytes(value, what) { return N.cryptoCopyBytes(checkBytes(value, what)); }

    function toInteger(value, what, max, enforce) {
      let n = Number(value);
      if (enforce) {
        if (!Number.isFinite(n)) throw new TypeError(`${what} is not a finite number`);
        n = Math.trunc(n);
        if (n < 0 || n > max) throw new TypeError(`${what} is outside the range [0, ${max}]`);
        return n;
      }
      if (!Number.isFinite(n)) return 0;
      n = Math.trunc(n) % (max + 1);
      return n < 0 ? n + max + 1 : n;
    }

    const kFormats = ['raw', 'spki', 'pkcs8', 'jwk'];
    function toFormat(value) {
      const s = `${value}`;
      if (!kFormats.includes(s)) {
        throw new TypeError(`The provided value '${s}' is not a valid enum value of type KeyFormat.`);
      }
      return s;
    }

    function toUsages(value) {
      if (typeof value !== 'object' || value === null || typeof value[Symbol.iterator] !== 'function') {
        throw new TypeError('keyUsages is not a sequence');
      }
      const out = [];
      for (const v of value) {
        const s = `${v}`;
        if (!kUsageOrder.includes(s)) {
          throw new TypeError(`The provided value '${s}' is not a valid enum value of type KeyUsage.`);
        }
        out.push(s);
      }
      return out;
    }

    function toAlgorithmIdentifier(value) {
      return (typeof value === 'object' && value !== null) || typeof value === 'function' ? value :
                                                                                           `${value}`;
    }

    function requireKey(value, what) {
      if (!isKey(value)) throw new TypeError(`${what} is not of type 'CryptoKey'`);
      return keySlots(value);
    }

    function requireArgs(count, needed, method) {
      if (count < needed) {
        throw new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': ${needed} arguments required, but only ${count} present.`);
      }
    }

    const kJwkStrings = ['kty', 'use', 'alg', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq',
                         'qi', 'k'];
    function toJwk(value) {
      if (typeof value !== 'object' || value === null) {
        throw new TypeError("keyData is not of type 'JsonWebKey'");
      }
      const jwk = {};
      for (const name of kJwkStrings) {
        const v = value[name];
        if (v !== undefined) jwk[name] = `${v}`;
      }
      if (value.ext !== undefined) jwk.ext = !!value.ext;
      if (value.key_ops !== undefined) jwk.key_ops = toStrings(value.key_ops);
      if (value.oth !== undefined) jwk.oth = value.oth;
      return jwk;
    }
    function toStrings(value) {
      if (typeof value !== 'object' || value === null || typeof value[Symbol.iterator] !== 'function') {
        throw new TypeError('key_ops is not a sequence');
      }
      return Array.from(value, (v) => `${v}`);
    }

    // ---- algorithm normalization (WebCrypto, "normalizing an algorithm") ----

    // Dictionary members: [name, type, required]; members are read in this (lexicographic) order.
    const kDictionaries = {
      HmacImportParams: [['hash', 'hash', true], ['length', 'u32', false]],
      RsaHashedImportParams: [['hash', 'hash', true]],
      RsaHashedKeyGenParams: [['hash', 'hash', true], ['modulusLength', 'u32', true],
                              ['publicExponent', 'bigint', true]],
      RsaPssParams: [['saltLength', 'u32', true]],
      RsaOaepParams: [['label', 'bytes', false]],
      EcdsaParams: [['hash', 'hash', true]],
      EcKeyParams: [['namedCurve', 'string', true]],
      EcdhKeyDeriveParams: [['public', 'key', true]],
      AesCtrParams: [['counter', 'bytes', true], ['length', 'u8', true]],
      AesCbcParams: [['iv', 'bytes', true]],
      AesGcmParams: [['additionalData', 'bytes', false], ['iv', 'bytes', true],
                     ['tagLength', 'u8', false]],
      AesKeyParams: [['length', 'u16', true]],
      HkdfParams: [['hash', 'hash', true], ['info', 'bytes', true], ['salt', 'bytes', true]],
      Pbkdf2Params: [['hash', 'hash', true], ['iterations', 'u32', true], ['salt', 'bytes', true]],
    };
    const kMax = {u8: 0xff, u16: 0xffff, u32: 0xffffffff};

    const registry = {};
    function register(ops, names, dictionary) {
      for (const op of ops.split(' ')) {
        registry[op] ??= new Map();
        for (const name of names.split(' ')) registry[op].set(asciiUpper(name), [name, dictionary]);
      }
    }
    function asciiUpper(s) { return s.replace(/[a-z]+/g, (m) => m.toUpperCase()); }
    const kRsa = 'RSASSA-PKCS1-v1_5 RSA-PSS RSA-OAEP';
    const kAes = 'AES-CTR AES-CBC AES-GCM AES-KW';
    register('digest', 'SHA-1 SHA-256 SHA-384 SHA-512', null);
    register('sign verify', 'HMAC Ed25519 RSASSA-PKCS1-v1_5', null);
    register('sign verify', 'ECDSA', 'EcdsaParams');
    register('sign verify', 'RSA-PSS', 'RsaPssParams');
    register('encrypt decrypt', 'RSA-OAEP', 'RsaOaepParams');
    register('encrypt decrypt', 'AES-CTR', 'AesCtrParams');
    register('encrypt decrypt', 'AES-CBC', 'AesCbcParams');
    register('encrypt decrypt', 'AES-GCM', 'AesGcmParams');
    register('wrapKey unwrapKey', 'AES-KW', null);
    register('generateKey', 'HMAC', 'HmacImportParams');
    register('generateKey', kRsa, 'RsaHashedKeyGenParams');
    register('generateKey', 'ECDSA ECDH', 'EcKeyParams');
    register('generateKey', kAes, 'AesKeyParams');
    register('generateKey', 'Ed25519 X25519', null);
    register('importKey', 'HMAC', 'HmacImportParams');
    register('importKey', kRsa, 'RsaHashedImportParams');
    register('importKey', 'ECDSA ECDH', 'EcKeyParams');
    register('importKey', `${kAes} Ed25519 X25519 HKDF PBKDF2`, null);
    register('deriveBits', 'ECDH X25519', 'EcdhKeyDeriveParams');
    register('deriveBits', 'HKDF', 'HkdfParams');
    register('deriveBits', 'PBKDF2', 'Pbkdf2Params');
    register('getKeyLength', kAes, 'AesKeyParams');
    register('getKeyLength', 'HMAC', 'HmacImportParams');
    register('getKeyLength', 'HKDF PBKDF2', null);

    function normalize(algorithm, op) {
      if (typeof algorithm === 'string') return normalize({name: algorithm}, op);
      if (typeof algorithm !== 'object' || algorithm === null) {
        if (typeof algorithm !== 'function') throw new TypeError('Algorithm: name is required');
      }
      const nameValue = algorithm.name;
      if (nameValue === undefined) throw new TypeError("Algorithm: required member 'name' is missing");
      const name = `${nameValue}`;
      const entry = registry[op].get(asciiUpper(name));
      if (entry === undefined) throw fail('NotSupportedError', `Unrecognized algorithm name: ${name}`);
      const out = {name: entry[0]};
      const members = entry[1] === null ? [] : kDictionaries[entry[1]];
      for (const [member, type, required] of members) {
        const v = algorithm[member];
        if (v === undefined) {
          if (required) {
            throw new TypeError(`${entry[0]}: required member '${member}' is missing or undefined`);
          }
          continue;
        }
        out[member] = convertMember(v, type, `${entry[0]}.${member}`);
      }
      return out;
    }

    function convertMember(v, type, what) {
      switch (type) {
        case 'hash': return normalize(toAlgorithmIdentifier(v), 'digest');
        case 'bytes': return copyBytes(v, what);
        case 'string': return `${v}`;
        case 'key': return requireKey(v, what);
        case 'bigint':
          if (!(v instanceof Uint8Array)) throw new TypeError(`${what} is not of type 'Uint8Array'`);
          return new Uint8Array(v);
        default: return toInteger(v, what, kMax[type], true);
      }
    }

    // ---- helpers shared by the algorithms ----

    function checkUsages(usages, allowed) {
      for (const u of usages) {
        if (!allowed.includes(u)) throw fail('SyntaxError', `Unsupported key usage: ${u}`);
      }
    }
    const only = (usages, allowed) => usages.filter((u) => allowed.includes(u));

    const kB64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const kB64Index = new Int8Array(128).fill(-1);
    for (let i = 0; i < 64; i++) kB64Index[kB64.charCodeAt(i)] = i;
    kB64Index['+'.charCodeAt(0)] = 62;
    kB64Index['/'.charCodeAt(0)] = 63;

    function b64urlEncode(buffer) {
      const b = new Uint8Array(buffer);
      let s = '';
      let i = 0;
      for (; i + 2 < b.length; i += 3) {
        const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
        s += kB64[n >> 18] + kB64[(n >> 12) & 63] + kB64[(n >> 6) & 63] + kB64[n & 63];
      }
      if (i + 1 === b.length) {
        s += kB64[b[i] >> 2] + kB64[(b[i] & 3) << 4];
      } else if (i + 2 === b.length) {
        const n = (b[i] << 8) | b[i + 1];
        s += kB64[n >> 10] + kB64[(n >> 4) & 63] + kB64[(n & 15) << 2];
      }
      return s;
    }

    function b64urlDecode(s, what) {
      if (typeof s !== 'string') throw fail('DataError', `JWK member '${what}' is missing`);
      let end = s.length;
      while (end > 0 && s.charCodeAt(end - 1) === 61) end--;  // tolerate '=' padding
      if (end % 4 === 1) throw fail('DataError', `JWK member '${what}' is not valid base64url`);
      const out = new Uint8Array(Math.floor(end * 3 / 4));
      let bits = 0;
      let acc = 0;
      let j = 0;
      for (let i = 0; i < end; i++) {
        const c = s.charCodeAt(i);
        const v = c < 128 ? kB64Index[c] : -1;
        if (v < 0) throw fail('DataError', `JWK member '${what}' is not valid base64url`);
        acc = (acc << 6) | v;
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          out[j++] = (acc >> bits) & 0xff;
        }
      }
      return out;
    }

    // The checks every JWK import makes (kty, use, key_ops, ext).
    function checkJwk(jwk, kty, use, extractable, usages) {
      if (jwk.kty !== kty) throw fail('DataError', `JWK 'kty' must be '${kty}'`);
      if (usages.length > 0 && jwk.use !== undefined && jwk.use !== use) {
        throw fail('DataError', `JWK 'use' must be '${use}'`);
      }
      if (jwk.key_ops !== undefined) {
        if (new Set(jwk.key_ops).size !== jwk.key_ops.length) {
          throw fail('DataError', "JWK 'key_ops' contains duplicates");
        }
        for (const u of usages) {
          if (!jwk.key_ops.includes(u)) {
            throw fail('DataError', `JWK 'key_ops' does not allow the usage '${u}'`);
          }
        }
      }
      if (jwk.ext === false && extractable) {
        throw fail('DataError', 'JWK is not extractable (ext: false) but extractable was requested');
      }
    }

    function jwkCommon(key, fields) {
      return {...fields, key_ops: [...key.usages], ext: key.extractable};
    }

    function randomBytes(n) {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i += 65536) N.cryptoRandomFill(b.subarray(i, Math.min(n, i + 65536)));
      return b;
    }

    const hashBits = (hash) => hash.name === 'SHA-1' ? 160 : Number(hash.name.slice(4));
    const hmacBlockBits = (hash) => hash.name === 'SHA-384' || hash.name === 'SHA-512' ? 1024 : 512;
    const hashSuffix = (hash) => hash.name === 'SHA-1' ? '1' : hash.name.slice(4);

    function truncateBits(buffer, length) {
      if (length === null) return buffer;
      if (length > buffer.byteLength * 8) {
        throw fail('OperationError', `length (${length}) is greater than the derived secret's ${buffer.byteLength * 8} bits`);
      }
      const out = new Uint8Array(buffer, 0, Math.ceil(length / 8)).slice();
      if (length % 8) out[out.length - 1] &= 0xff << (8 - (length % 8));
      return out.buffer;
    }

    // ---- algorithms ----

    const HMAC = {
      generateKey(alg, extractable, usages) {
        checkUsages(usages, ['sign', 'verify']);
        const length = HMAC.getKeyLength(alg, 'OperationError');
        const bytes = randomBytes(Math.ceil(length / 8));
        if (length % 8) bytes[bytes.length - 1] &= 0xff << (8 - (length % 8));
        return newCryptoKey('secret', extractable, {name: 'HMAC', hash: {name: alg.hash.name}, length},
                            usages, N.cryptoImportSecret(bytes));
      },
      getKeyLength(alg, error = 'TypeError') {
        if (alg.length === undefined) return hmacBlockBits(alg.hash);
        if (alg.length === 0) {
          if (error === 'TypeError') throw new TypeError('HMAC: length must not be 0');
          throw fail(error, 'HMAC: length must not be 0');
        }
        return alg.length;
      },
      importKey(format, data, alg, extractable, usages) {
        checkUsages(usages, ['sign', 'verify']);
        if (format === 'jwk') {
          checkJwk(data, 'oct', 'sig', extractable, usages);
          const bytes = b64urlDecode(data.k, 'k');
          if (data.alg !== undefined && data.alg !== 'HS' + hashSuffix(alg.hash)) {
            throw fail('DataError', `JWK 'alg' ${data.alg} does not match the hash ${alg.hash.name}`);
          }
          data = bytes;
        } else if (format !== 'raw') {
          throw fail('NotSupportedError', `HMAC keys cannot be imported as ${format}`);
        }
        let length = data.length * 8;
        if (length === 0) throw fail('DataError', 'HMAC key data must not be empty');
        if (alg.length !== undefined) {
          if (alg.length > length || alg.length <= length - 8) {
            throw fail('DataError', `HMAC length ${alg.length} does not match the key data (${length} bits)`);
          }
          length = alg.length;
        }
        return newCryptoKey('secret', extractable, {name: 'HMAC', hash: {name: alg.hash.name}, length},
                            usages, N.cryptoImportSecret(data));
      },
      exportKey(format, key) {
        const raw = N.cryptoExportSecret(key.handle);
        if (format === 'raw') return raw;
        if (format === 'jwk') {
          return jwkCommon(key, {kty: 'oct', k: b64urlEncode(raw),
                                 alg: 'HS' + hashSuffix(key.algorithm.hash)});
        }
        throw fail('NotSupportedError', `HMAC keys cannot be exported as ${format}`);
      },
      sign(alg, key, data) { return N.cryptoHmacSign(key.algorithm.hash.name, key.handle, data); },
      verify(alg, key, signature, data) {
        return N.cryptoHmacVerify(key.algorithm.hash.name, key.handle, data, signature);
      },
    };

    function aes(name, mode) {
      const allowed = mode === 'KW' ? ['wrapKey', 'unwrapKey'] :
                                      ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
      const make = (extractable, usages, bytes) => newCryptoKey(
          'secret', extractable, {name, length: bytes.length * 8}, usages,
          N.cryptoImportSecret(bytes));
      const self = {
        generateKey(alg, extractable, usages) {
          checkUsages(usages, allowed);
          return make(extractable, usages, randomBytes(self.getKeyLength(alg) / 8));
        },
        getKeyLength(alg) {
          if (alg.length !== 128 && alg.length !== 192 && alg.length !== 256) {
            throw fail('OperationError', `${name}: length must be 128, 192 or 256`);
          }
          return alg.length;
        },
        importKey(format, data, alg, extractable, usages) {
          checkUsages(usages, allowed);
          if (format === 'jwk') {
            checkJwk(data, 'oct', 'enc', extractable, usages);
            const bytes = b64urlDecode(data.k, 'k');
            if (data.alg !== undefined && data.alg !== `A${bytes.length * 8}${mode}`) {
              throw fail('DataError', `JWK 'alg' ${data.alg} does not match a ${bytes.length * 8}-bit ${name} key`);
            }
            data = bytes;
          } else if (format !== 'raw') {
            throw fail('NotSupportedError', `${name} keys cannot be imported as ${format}`);
          }
          if (data.length !== 16 && data.length !== 24 && data.length !== 32) {
            throw fail('DataError', `${name} key data must be 128, 192 or 256 bits long`);
          }
          return make(extractable, usages, data);
        },
        exportKey(format, key) {
          const raw = N.cryptoExportSecret(key.handle);
          if (format === 'raw') return raw;
          if (format === 'jwk') {
            return jwkCommon(key, {kty: 'oct', k: b64urlEncode(raw),
                                   alg: `A${key.algorithm.length}${mode}`});
          }
          throw fail('NotSupportedError', `${name} keys cannot be exported as ${format}`);
        },
      };
      if (mode === 'KW') {
        self.wrapKey = (alg, key, data) => {
          if (data.length % 8) throw fail('OperationError', 'AES-KW: data must be a multiple of 8 bytes');
          return N.cryptoAesKw(true, key.handle, data);
        };
        self.unwrapKey = (alg, key, data) => N.cryptoAesKw(false, key.handle, data);
        return self;
      }
      const run = (encrypt) => (alg, key, data) => {
        let iv = alg.iv;
        let param = 0;
        if (mode === 'CBC') {
          if (iv.length !== 16) throw fail('OperationError', 'AES-CBC: iv must be 16 bytes');
        } else if (mode === 'CTR') {
          iv = alg.counter;
          if (iv.length !== 16) throw fail('OperationError', 'AES-CTR: counter must be 16 bytes');
          if (alg.length === 0 || alg.length > 128) {
            throw fail('OperationError', 'AES-CTR: length must be between 1 and 128');
          }
          param = alg.length;
        } else {
          if (iv.length === 0) throw fail('OperationError', 'AES-GCM: iv must not be empty');
          param = alg.tagLength ?? 128;
          if (![32, 64, 96, 104, 112, 120, 128].includes(param)) {
            throw fail('OperationError', `AES-GCM: invalid tagLength ${param}`);
          }
        }
        return N.cryptoAes(name, encrypt, key.handle, data, iv, param, alg.additionalData);
      };
      self.encrypt = run(true);
      self.decrypt = run(false);
      return self;
    }

    // Public/private key usages of each asymmetric algorithm.
    const kPairUsages = {
      'RSASSA-PKCS1-v1_5': [['verify'], ['sign']],
      'RSA-PSS': [['verify'], ['sign']],
      'RSA-OAEP': [['encrypt', 'wrapKey'], ['decrypt', 'unwrapKey']],
      'ECDSA': [['verify'], ['sign']],
      'ECDH': [[], ['deriveKey', 'deriveBits']],
      'Ed25519': [['verify'], ['sign']],
      'X25519': [[], ['deriveKey', 'deriveBits']],
    };

    function pair(name, algorithm, extractable, usages, handles) {
      const [pub, priv] = kPairUsages[name];
      checkUsages(usages, [...pub, ...priv]);
      const publicKey = newCryptoKey('public', true, algorithm, only(usages, pub), handles[0]);
      const privateKey = newCryptoKey('private', extractable, algorithm, only(usages, priv),
                                      handles[1]);
      return {publicKey, privateKey};
    }

    // Usages allowed for an imported key of the given type.
    function importUsages(name, usages, isPrivate) {
      checkUsages(usages, kPairUsages[name][isPrivate ? 1 : 0]);
    }

    function exportAsymmetric(format, key, jwk) {
      switch (format) {
        case 'spki':
          if (key.type !== 'public') throw fail('InvalidAccessError', 'Only public keys export as spki');
          return N.cryptoExportDer('spki', key.handle);
        case 'pkcs8':
          if (key.type !== 'private') throw fail('InvalidAccessError', 'Only private keys export as pkcs8');
          return N.cryptoExportDer('pkcs8', key.handle);
        case 'jwk':
          return jwkCommon(key, jwk(N.cryptoExportJwk(key.handle).map(b64urlEncode)));
        default:
          return null;
      }
    }

    function rsaJwkAlg(name, hash) {
      if (name === 'RSA-OAEP') return hash.name === 'SHA-1' ? 'RSA-OAEP' : 'RSA-OAEP-' + hash.name.slice(4);
      return (name === 'RSA-PSS' ? 'PS' : 'RS') + hashSuffix(hash);
    }

    function rsa(name) {
      const algorithmOf = (handle, hash) => {
        const [kind, , modulusLength, publicExponent] = N.cryptoKeyDetails(handle);
        if (kind !== 'RSA') throw fail('DataError', `The key is not an RSA key (${kind})`);
        return {name, modulusLength, publicExponent, hash: {name: hash.name}};
      };
      const self = {
        generateKey(alg, extractable, usages) {
          const [pub, priv] = kPairUsages[name];
          checkUsages(usages, [...pub, ...priv]);
          // A promise: RSA key generation runs off the event loop.
          return N.cryptoGenerateKeyPair('RSA', alg.modulusLength, alg.publicExponent).then(
              (handles) => pair(name, {name, modulusLength: alg.modulusLength,
                                       publicExponent: alg.publicExponent, hash: {name: alg.hash.name}},
                                extractable, usages, handles));
        },
        importKey(format, data, alg, extractable, usages) {
          let handle;
          let type;
          if (format === 'spki' || format === 'pkcs8') {
            type = format === 'spki' ? 'public' : 'private';
            importUsages(name, usages, type === 'private');
            handle = N.cryptoImportDer(format, data);
          } else if (format === 'jwk') {
            type = data.d !== undefined ? 'private' : 'public';
            importUsages(name, usages, type === 'private');
            checkJwk(data, 'RSA', name === 'RSA-OAEP' ? 'enc' : 'sig', extractable, usages);
            if (data.alg !== undefined && data.alg !== rsaJwkAlg(name, alg.hash)) {
              throw fail('DataError', `JWK 'alg' ${data.alg} does not match ${name} with ${alg.hash.name}`);
            }
            const parts = ['n', 'e'];
            if (type === 'private') parts.push('d', 'p', 'q', 'dp', 'dq', 'qi');
            if (data.oth !== undefined) throw fail('NotSupportedError', 'JWK with other primes (oth)');
            handle = N.cryptoImportRsa(...parts.map((p) => b64urlDecode(data[p], p)));
          } else {
            throw fail('NotSupportedError', `${name} keys cannot be imported as ${format}`);
          }
          return newCryptoKey(type, extractable, algorithmOf(handle, alg.hash), usages, handle);
        },
        exportKey(format, key) {
          const out = exportAsymmetric(format, key, (parts) => {
            const names = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'];
            const jwk = {kty: 'RSA', alg: rsaJwkAlg(name, key.algorithm.hash)};
            parts.forEach((p, i) => { jwk[names[i]] = p; });
            return jwk;
          });
          if (out === null) throw fail('NotSupportedError', `${name} keys cannot be exported as ${format}`);
          return out;
        },
      };
      if (name === 'RSA-OAEP') {
        self.encrypt = (alg, key, data) => {
          if (key.type !== 'public') throw fail('InvalidAccessError', 'RSA-OAEP encrypts with a public key');
          return N.cryptoRsaOaep(true, key.handle, key.algorithm.hash.name, data, alg.label);
        };
        self.decrypt = (alg, key, data) => {
          if (key.type !== 'private') throw fail('InvalidAccessError', 'RSA-OAEP decrypts with a private key');
          return N.cryptoRsaOaep(false, key.handle, key.algorithm.hash.name, data, alg.label);
        };
      } else {
        self.sign = (alg, key, data) => {
          if (key.type !== 'private') throw fail('InvalidAccessError', `${name} signs with a private key`);
          return N.cryptoSign(name, key.handle, key.algorithm.hash.name, data, alg.saltLength ?? 0);
        };
        self.verify = (alg, key, signature, data) => {
          if (key.type !== 'public') throw fail('InvalidAccessError', `${name} verifies with a public key`);
          return N.cryptoVerify(name, key.handle, key.algorithm.hash.name, data, signature,
                                alg.saltLength ?? 0);
        };
      }
      return self;
    }

    const kCurves = {'P-256': 32, 'P-384': 48, 'P-521': 66};

    // Shared import/export/derive steps of ECDSA, ECDH (curves) and Ed25519, X25519 (OKP).
    function asymmetric(name, okp) {
      const use = name === 'ECDSA' || name === 'Ed25519' ? 'sig' : 'enc';
      const algorithmOf = (alg) => okp ? {name} : {name, namedCurve: alg.namedCurve};
      const checkCurve = (alg) => {
        if (!okp && !Object.hasOwn(kCurves, alg.namedCurve)) {
          throw fail('NotSupportedError', `Unsupported namedCurve: ${alg.namedCurve}`);
        }
      };
      const checkHandle = (handle, alg) => {
        const [kind, curve] = N.cryptoKeyDetails(handle);
        if (okp ? kind !== name : kind !== 'EC') {
          throw fail('DataError', `The key is not a${okp ? 'n ' + name : 'n EC'} key (${kind})`);
        }
        if (!okp && curve !== alg.namedCurve) {
          throw fail('DataError', `The key's curve ${curve} is not ${alg.namedCurve}`);
        }
      };
      const self = {
        generateKey(alg, extractable, usages) {
          const [pub, priv] = kPairUsages[name];
          checkUsages(usages, [...pub, ...priv]);
          checkCurve(alg);
          const handles = N.cryptoGenerateKeyPair(okp ? name : 'EC', alg.namedCurve);
          return pair(name, algorithmOf(alg), extractable, usages, handles);
        },
        importKey(format, data, alg, extractable, usages) {
          checkCurve(alg);
          let handle;
          let type;
          switch (format) {
            case 'spki':
            case 'pkcs8':
              type = format === 'spki' ? 'public' : 'private';
              importUsages(name, usages, type === 'private');
              handle = N.cryptoImportDer(format, data);
              checkHandle(handle, alg);
              break;
            case 'raw':
              type = 'public';
              importUsages(name, usages, false);
              handle = okp ? N.cryptoImportOkp(name, data, undefined) :
                             N.cryptoImportEc(alg.namedCurve, data, undefined, undefined, undefined);
              break;
            case 'jwk': {
              type = data.d !== undefined ? 'private' : 'public';
              importUsages(name, usages, type === 'private');
              checkJwk(data, okp ? 'OKP' : 'EC', use, extractable, usages);
              const crv = okp ? name : alg.namedCurve;
              if (data.crv !== crv) throw fail('DataError', `JWK 'crv' must be '${crv}'`);
              if (data.alg !== undefined) {
                const expected = name === 'ECDSA' ? ['ES' + {'P-256': '256', 'P-384': '384', 'P-521': '512'}[crv]] :
                                 name === 'Ed25519' ? ['EdDSA', 'Ed25519'] : null;
                if (expected !== null && !expected.includes(data.alg)) {
                  throw fail('DataError', `JWK 'alg' ${data.alg} does not match ${name} ${okp ? '' : crv}`);
                }
              }
              const x = b64urlDecode(data.x, 'x');
              const d = type === 'private' ? b64urlDecode(data.d, 'd') : undefined;
              if (okp) {
                handle = N.cryptoImportOkp(name, x, d);
              } else {
                const y = b64urlDecode(data.y, 'y');
                const size = kCurves[crv];
                if (x.length !== size || y.length !== size || (d !== undefined && d.length !== size)) {
                  throw fail('DataError', `JWK coordinates must be ${size} bytes for ${crv}`);
                }
                handle = N.cryptoImportEc(crv, undefined, x, y, d);
              }
              break;
            }
            default:
              throw fail('NotSupportedError', `${name} keys cannot be imported as ${format}`);
          }
          return newCryptoKey(type, extractable, algorithmOf(alg), usages, handle);
        },
        exportKey(format, key) {
          if (format === 'raw') {
            if (key.type !== 'public') throw fail('InvalidAccessError', 'Only public keys export as raw');
            return N.cryptoExportRawPublic(key.handle);
          }
          const out = exportAsymmetric(format, key, (parts) => okp ?
              (parts.length > 1 ? {kty: 'OKP', crv: name, x: parts[0], d: parts[1]} :
                                  {kty: 'OKP', crv: name, x: parts[0]}) :
              (parts.length > 2 ? {kty: 'EC', crv: key.algorithm.namedCurve, x: parts[0], y: parts[1], d: parts[2]} :
                                  {kty: 'EC', crv: key.algorithm.namedCurve, x: parts[0], y: parts[1]}));
          if (out === null) throw fail('NotSupportedError', `${name} keys cannot be exported as ${format}`);
          if (format === 'jwk' && name === 'ECDSA') {
            out.alg = 'ES' + {'P-256': '256', 'P-384': '384', 'P-521': '512'}[key.algorithm.namedCurve];
          } else if (format === 'jwk' && name === 'Ed25519') {
            out.alg = 'Ed25519';
          }
          return out;
        },
      };
      if (use === 'sig') {
        self.sign = (alg, key, data) => {
          if (key.type !== 'private') throw fail('InvalidAccessError', `${name} signs with a private key`);
          return N.cryptoSign(name, key.handle, alg.hash?.name, data, 0);
        };
        self.verify = (alg, key, signature, data) => {
          if (key.type !== 'public') throw fail('InvalidAccessError', `${name} verifies with a public key`);
          return N.cryptoVerify(name, key.handle, alg.hash?.name, data, signature, 0);
        };
      } else {
        self.deriveBits = (alg, key, length) => {
          if (key.type !== 'private') throw fail('InvalidAccessError', `${name}: the base key must be a private key`);
          const pub = alg.public;
          if (pub.type !== 'public') throw fail('InvalidAccessError', `${name}: 'public' must be a public key`);
          if (pub.algorithm.name !== name) {
            throw fail('InvalidAccessError', `${name}: 'public' is a ${pub.algorithm.name} key`);
          }
          if (!okp && pub.algorithm.namedCurve !== key.algorithm.namedCurve) {
            throw fail('InvalidAccessError', `${name}: the keys are on different curves`);
          }
          const secret = N.cryptoDeriveShared(key.handle, pub.handle);
          if (okp && new Uint8Array(secret).every((b) => b === 0)) {
            throw fail('OperationError', 'X25519: the shared secret is all zeros (small-order public key)');
          }
          return truncateBits(secret, length);
        };
      }
      return self;
    }

    function kdf(name) {
      return {
        importKey(format, data, alg, extractable, usages) {
          if (format !== 'raw') throw fail('NotSupportedError', `${name} keys can only be imported as raw`);
          checkUsages(usages, ['deriveKey', 'deriveBits']);
          if (extractable) throw fail('SyntaxError', `${name} keys cannot be extractable`);
          return newCryptoKey('secret', false, {name}, usages, N.cryptoImportSecret(data));
        },
        getKeyLength() { return null; },
        deriveBits(alg, key, length) {
          if (length === null || length % 8 !== 0) {
            throw fail('OperationError', `${name}: length must be a multiple of 8`);
          }
          if (name === 'PBKDF2' && alg.iterations === 0) {
            throw fail('OperationError', 'PBKDF2: iterations must be greater than 0');
          }
          return N.cryptoKdf(name, alg.hash.name, key.handle, alg.salt,
                             name === 'HKDF' ? alg.info : alg.iterations, length / 8);
        },
      };
    }

    const kImpl = {
      'HMAC': HMAC,
      'AES-CTR': aes('AES-CTR', 'CTR'),
      'AES-CBC': aes('AES-CBC', 'CBC'),
      'AES-GCM': aes('AES-GCM', 'GCM'),
      'AES-KW': aes('AES-KW', 'KW'),
      'RSASSA-PKCS1-v1_5': rsa('RSASSA-PKCS1-v1_5'),
      'RSA-PSS': rsa('RSA-PSS'),
      'RSA-OAEP': rsa('RSA-OAEP'),
      'ECDSA': asymmetric('ECDSA', false),
      'ECDH': asymmetric('ECDH', false),
      'Ed25519': asymmetric('Ed25519', true),
      'X25519': asymmetric('X25519', true),
      'HKDF': kdf('HKDF'),
      'PBKDF2': kdf('PBKDF2'),
    };

    function checkKeyFor(alg, key, usage) {
      if (alg.name !== key.algorithm.name) {
        throw fail('InvalidAccessError', `The key is a ${key.algorithm.name} key, not ${alg.name}`);
      }
      if (!key.usages.includes(usage)) {
        throw fail('InvalidAccessError', `The key does not allow '${usage}'`);
      }
    }

    function requireUsagesFor(result) {
      const key = keySlots(result.privateKey ?? result);
      if ((key.type === 'secret' || key.type === 'private') && key.usages.length === 0) {
        throw fail('SyntaxError', 'Secret and private keys must have at least one usage');
      }
      return result;
    }

    function importInto(format, keyData, alg, extractable, usages) {
      const key = kImpl[alg.name].importKey(format, keyData, alg, extractable, usages);
      if ((key.type === 'secret' || key.type === 'private') && usages.length === 0) {
        throw fail('SyntaxError', 'Secret and private keys must have at least one usage');
      }
      return key;
    }

    function exportFrom(format, key, wrapping) {
      const impl = kImpl[key.algorithm.name];
      if (impl.exportKey === undefined) {
        throw fail('NotSupportedError', `${key.algorithm.name} keys cannot be exported`);
      }
      if (!key.extractable) throw fail('InvalidAccessError', 'The key is not extractable');
      void wrapping;
      return impl.exportKey(format, key);
    }

    // Every method: convert arguments, then run the steps; any error rejects the returned promise.
    async function run(steps) {
      try {
        return await steps();
      } catch (e) {
        throw toDomError(e);
      }
    }

    function checkThis(self) {
      if (typeof self !== 'object' || self === null || self[kBrand] !== kBrand) {
        throw new TypeError('Illegal invocation');
      }
    }

    const methods = {
      digest(algorithm, data) {
        const n = arguments.length;
        return run(() => {
          checkThis(this);
          requireArgs(n, 2, 'digest');
          algorithm = toAlgorithmIdentifier(algorithm);
          checkBytes(data, 'data');
          const alg = normalize(algorithm, 'digest');
          return N.cryptoDigest(alg.name, copyBytes(data));
        });
      },
      encrypt(algorithm, key, data) {
        const n = arguments.length;
        return run(() => cipher(this, n, 'encrypt', algorithm, key, data));
      },
      decrypt(algorithm, key, data) {
        const n = arguments.length;
        return run(() => cipher(this, n, 'decrypt', algorithm, key, data));
      },
      sign(algorithm, key, data) {
        const n = arguments.length;
        return run(() => {
          checkThis(this);
          requireArgs(n, 3, 'sign');
          algorithm = toAlgorithmIdentifier(algorithm);
          const k = requireKey(key, 'key');
          checkBytes(data, 'data');
          const alg = normalize(algorithm, 'sign');
          data = copyBytes(data);
          checkKeyFor(alg, k, 'sign');
          return kImpl[alg.name].sign(alg, k, data);
        });
      },
      verify(algorithm, key, signature, data) {
        const n = arguments.length;
        return run(() => {
          checkThis(this);
          requireArgs(n, 4, 'verify');
          algorithm = toAlgorithmIdentifier(algorithm);
          const k = requireKey(key, 'key');
          checkBytes(signature, 'signature');
          checkBytes(data, 'data');
          const alg = normalize(algorithm, 'verify');
          signature = copyBytes(signature);
          data = copyBytes(data);
          checkKeyFor(alg, k, 'verify');
          return kImpl[alg.name].verify(alg, k, signature, data);
        });
      },
      generateKey(algorithm, extractable, keyUsages) {
        const n = arguments.length;
        return run(() => {
          checkThis(this);
          requireArgs(n, 3, 'generateKey');
          algorithm = toAlgorithmIdentifier(algorithm);
          extractable = !!extractable;
          const usages = toUsages(keyUsages);
          const alg = normalize(algorithm, 'generateKey');
          const result = kImpl[alg.name].generateKey(alg, extractable, usages);
          return result instanceof Promise ? result.then(requireUsagesFor) : requireUsagesFor(result);
        });
      },
      deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
        const n = arguments.length;
        return run(() => {
          checkThis(this);
          requireArgs(n, 5, 'deriveKey');
          algorithm = toAlgorithmIdentifier(algorithm);
          const k = requireKey(baseKey, 'baseKey');
          derivedKeyType = toAlgorithmIdentifier(derivedKeyType);
          extractable = !!extractable;
          const usages = toUsages(keyUsages);
          const alg = normalize(algorithm, 'deriveBits');
          const importAlg = normalize(derivedKeyType, 'importKey');
          const lengthAlg = normalize(derivedKeyType, 'getKeyLength');
          checkKeyFor(alg, k, 'deriveKey');
          const length = kImpl[lengthAlg.name].getKeyLength(lengthAlg);
          // deriveBits may answer with a promise (long PBKDF2 runs off the event loop).
          return Promise.resolve(kImpl[alg.name].deriveBits(alg, k, length)).then(
              (secret) => importInto('raw', new Uint8Array(secret), importAlg, extractable, usages));
        });
      },
      deriveBits(algorithm, baseKey, length = null) {
        const n = arguments.length;
        return run(() => {
          checkThis(this);
          requireArgs(n, 2, 'deriveBits');
          algorithm = toAlgorithmIdentifier(algorithm);
          const k = requireKey(baseKey, 'baseKey');
          length = length === null || length === undefined ? null :
                                                              toInteger(length, 'length', 0xffffffff, false);
          const alg = normalize(algorithm, 'deriveBits');
          checkKeyFor(alg, k, 'deriveBits');
          return kImpl[alg.name].deriveBits(alg, k, length);
        });
      },
      importKey(format, keyData, algorithm, extractable, keyUsages) {
        const n = arguments.length;
        return run(() => {
          checkThis(this);
          requireArgs(n, 5, 'importKey');
          format = toFormat(format);
          if (format === 'jwk') {
            keyData = toJwk(keyData);
          } else {
            checkBytes(keyData, 'keyData');
          }
          algorithm = toAlgorithmIdentifier(algorithm);
          extractable = !!extractable;
          const usages = toUsages(keyUsages);
          const alg = normalize(algorithm, 'importKey');
          if (format !== 'jwk') keyData = copyBytes(keyData);
          return importInto(format, keyData, alg, extractable, usages);
        });
      },
      exportKey(format, key) {
        const n = arguments.length;
        return run(() => {
          checkThis(this);
          requireArgs(n, 2, 'exportKey');
          format = toFormat(format);
          return exportFrom(format, requireKey(key, 'key'));
        });
      },
      wrapKey(format, key, wrappingKey, wrapAlgorithm) {
        const n = arguments.length;
        return run(() => {
          checkThis(this);
          requireArgs(n, 4, 'wrapKey');
          format = toFormat(format);
          const k = requireKey(key, 'key');
          const wk = requireKey(wrappingKey, 'wrappingKey');
          wrapAlgorithm = toAlgorithmIdentifier(wrapAlgorithm);
          const [alg, op] = normalizeWrap(wrapAlgorithm, 'wrapKey', 'encrypt');
          checkKeyFor(alg, wk, 'wrapKey');
          const exported = exportFrom(format, k);
          const bytes = format === 'jwk' ? utf8Encode(JSONStringify(exported)) : new Uint8Array(exported);
          return kImpl[alg.name][op](alg, wk, bytes);
        });
      },
      unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm,
                extractable, keyUsages) {
        const n = arguments.length;
        return run(() => {
          checkThis(this);
          requireArgs(n, 7, 'unwrapKey');
          format = toFormat(format);
          checkBytes(wrappedKey, 'wrappedKey');
          const uk = requireKey(unwrappingKey, 'unwrappingKey');
          unwrapAlgorithm = toAlgorithmIdentifier(unwrapAlgorithm);
          unwrappedKeyAlgorithm = toAlgorithmIdentifier(unwrappedKeyAlgorithm);
          extractable = !!extractable;
          const usages = toUsages(keyUsages);
          const [alg, op] = normalizeWrap(unwrapAlgorithm, 'unwrapKey', 'decrypt');
          const importAlg = normalize(unwrappedKeyAlgorithm, 'importKey');
          wrappedKey = copyBytes(wrappedKey);
          checkKeyFor(alg, uk, 'unwrapKey');
          const bytes = new Uint8Array(kImpl[alg.name][op](alg, uk, wrappedKey));
          let keyData = bytes;
          if (format === 'jwk') {
            let parsed;
            try {
              parsed = JSONParse(utf8Decode(bytes, false, false));
            } catch {
              throw fail('DataError', 'The unwrapped key is not a valid JWK');
            }
            keyData = toJwk(parsed);
          }
          return importInto(format, keyData, importAlg, extractable, usages);
        });
      }
    };

    function normalizeWrap(algorithm, op, fallback) {
      try {
        return [normalize(algorithm, op), op];
      } catch (e) {
        if (e?.name !== 'NotSupportedError') throw e;
        return [normalize(algorithm, fallback), fallback];
      }
    }

    function cipher(self, n, op, algorithm, key, data) {
      checkThis(self);
      requireArgs(n, 3, op);
      algorithm = toAlgorithmIdentifier(algorithm);
      const k = requireKey(key, 'key');
      checkBytes(data, 'data');
      const alg = normalize(algorithm, op);
      data = copyBytes(data);
      checkKeyFor(alg, k, op);
      return kImpl[alg.name][op](alg, k, data);
    }

    return methods;
  }
});
