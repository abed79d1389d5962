// Uint8Array base64 / hex (ES2026): fromBase64, fromHex, and prototype toBase64, toHex,
// setFromBase64, setFromHex. Options are read here in the spec's order; the encoding and
// decoding are native (bindings/base64_natives.cc).
(function (internal, global) {
  'use strict';
  const {isObject, defineMethods, TypeError} = internal.es;
  const {isUint8Array, base64Encode, base64Decode, hexEncode, hexDecode} = internal;
  const {Uint8Array, String} = global;
  const lastChunkModes = {__proto__: null, 'loose': 0, 'strict': 1, 'stop-before-partial': 2};

  function requireUint8Array(value, method) {
    if (!isUint8Array(value)) throw new TypeError(`${method}: the receiver is not a Uint8Array`);
  }
  function requireString(value, method) {
    if (typeof value !== 'string') throw new TypeError(`${method}: the input must be a string, not ${typeof value}`);
  }
  // GetOptionsObject: undefined means no options.
  function getOptions(options, method) {
    if (options !== undefined && !isObject(options)) throw new TypeError(`${method}: options must be an object`);
    return options;
  }
  function isBase64Url(opts, method) {
    const alphabet = opts === undefined ? undefined : opts.alphabet;
    if (alphabet === undefined || alphabet === 'base64') return false;
    if (alphabet === 'base64url') return true;
    throw new TypeError(`${method}: alphabet must be 'base64' or 'base64url', not ${typeof alphabet === 'string' ? `'${alphabet}'` : typeof alphabet}`);
  }
  function lastChunkHandling(opts, method) {
    const mode = opts === undefined ? undefined : opts.lastChunkHandling;
    if (mode === undefined) return 0;
    const n = typeof mode === 'string' ? lastChunkModes[mode] : undefined;
    if (n === undefined) throw new TypeError(`${method}: lastChunkHandling must be 'loose', 'strict' or 'stop-before-partial', not ${typeof mode === 'string' ? `'${mode}'` : String(typeof mode)}`);
    return n;
  }

  defineMethods(Uint8Array, {
    fromBase64(string, options = undefined) {
      const method = 'Uint8Array.fromBase64';
      requireString(string, method);
      const opts = getOptions(options, method);
      const url = isBase64Url(opts, method);
      return base64Decode(string, url, lastChunkHandling(opts, method), undefined);
    },
    fromHex(string) {
      requireString(string, 'Uint8Array.fromHex');
      return hexDecode(string, undefined);
    },
  });
  defineMethods(Uint8Array.prototype, {
    toBase64(options = undefined) {
      if (options === undefined) return base64Encode(this, false, false);
      const method = 'Uint8Array.prototype.toBase64';
      requireUint8Array(this, method);
      const opts = getOptions(options, method);
      const url = isBase64Url(opts, method);
      return base64Encode(this, url, !!opts.omitPadding);
    },
    setFromBase64(string, options = undefined) {
      const method = 'Uint8Array.prototype.setFromBase64';
      requireUint8Array(this, method);
      requireString(string, method);
      const opts = getOptions(options, method);
      const url = isBase64Url(opts, method);
      return base64Decode(string, url, lastChunkHandling(opts, method), this);
    },
    toHex() {
      return hexEncode(this);
    },
    setFromHex(string) {
      const method = 'Uint8Array.prototype.setFromHex';
      requireUint8Array(this, method);
      requireString(string, method);
      return hexDecode(string, this);
    },
  });
});
