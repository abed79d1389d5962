// atob / btoa (HTML): forgiving-base64 over Latin-1 strings, natively (base64_natives.cc).
(function (internal, global) {
  'use strict';
  const {TypeError} = internal.primordials;
  const {btoaEncode, atobDecode, DOMException} = internal;

  internal.defineGlobal('btoa', function btoa(data) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'btoa': 1 argument required, but only 0 present.");
    }
    const result = btoaEncode(`${data}`);
    if (result === null) {
      throw new DOMException("Failed to execute 'btoa': The string to be encoded contains characters outside of the Latin1 range.", 'InvalidCharacterError');
    }
    return result;
  });
  internal.defineGlobal('atob', function atob(data) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'atob': 1 argument required, but only 0 present.");
    }
    const result = atobDecode(`${data}`);
    if (result === null) {
      throw new DOMException("Failed to execute 'atob': The string to be decoded is not correctly encoded.", 'InvalidCharacterError');
    }
    return result;
  });
});
