// Small ES2024-2026 additions: Promise.withResolvers / Promise.try, String.prototype
// isWellFormed / toWellFormed, RegExp.escape, Error.isError.
(function (internal, global) {
  'use strict';
  const {uncurryThis, call, isObject, defineMethods, newPromiseCapability, TypeError} = internal.es;
  const {isError} = internal;
  const {Promise, String, RegExp, Error, Reflect: {apply: ReflectApply}} = global;
  const RegExpPrototypeExec = uncurryThis(RegExp.prototype.exec);
  const StringPrototypeSlice = uncurryThis(String.prototype.slice);
  const StringPrototypeCharCodeAt = uncurryThis(String.prototype.charCodeAt);
  const StringPrototypeIndexOf = uncurryThis(String.prototype.indexOf);
  const NumberPrototypeToString = uncurryThis(Number.prototype.toString);

  defineMethods(Promise, {
    withResolvers() {
      const {promise, resolve, reject} = newPromiseCapability(this);
      return {promise, resolve, reject};
    },
    try(callback, ...args) {
      if (!isObject(this)) throw new TypeError('Promise.try called on a non-object');
      const capability = newPromiseCapability(this);
      let value;
      try {
        value = ReflectApply(callback, undefined, args);
      } catch (e) {
        call(capability.reject, undefined, e);
        return capability.promise;
      }
      call(capability.resolve, undefined, value);
      return capability.promise;
    },
  });

  // With the u flag a surrogate class matches only unpaired surrogates.
  const loneSurrogate = /[\uD800-\uDFFF]/u;
  const loneSurrogates = /[\uD800-\uDFFF]/gu;
  function thisString(value, method) {
    if (value == null) throw new TypeError(`String.prototype.${method} called on null or undefined`);
    return typeof value === 'string' ? value : `${value}`;  // ToString: a TypeError for symbols
  }
  defineMethods(String.prototype, {
    isWellFormed() {
      return RegExpPrototypeExec(loneSurrogate, thisString(this, 'isWellFormed')) === null;
    },
    toWellFormed() {
      const S = thisString(this, 'toWellFormed');
      let out = '', last = 0, match;
      loneSurrogates.lastIndex = 0;
      while ((match = RegExpPrototypeExec(loneSurrogates, S)) !== null) {
        out += StringPrototypeSlice(S, last, match.index) + '\uFFFD';
        last = match.index + 1;
      }
      return last === 0 ? S : out + StringPrototypeSlice(S, last);
    },
  });

  const hex = (c, width) => StringPrototypeSlice('0000', 0, width - (c < 16 ? 1 : c < 256 ? 2 : c < 4096 ? 3 : 4)) +
                            NumberPrototypeToString(c, 16);
  const controlEscapes = {__proto__: null, 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r'};
  function isWhiteSpaceOrLineTerminator(c) {
    return c === 0x20 || c === 0xA0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c === 0x2028 || c === 0x2029 || c === 0x202F || c === 0x205F || c === 0x3000 ||
           c === 0xFEFF;
  }
  defineMethods(RegExp, {
    escape(S) {
      if (typeof S !== 'string') throw new TypeError('RegExp.escape: the argument must be a string');
      let escaped = '';
      for (let i = 0; i < S.length; i++) {
        const c = StringPrototypeCharCodeAt(S, i);
        const ch = S[i];
        if (i === 0 && ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A))) {
          escaped += '\\x' + hex(c, 2);
        } else if (StringPrototypeIndexOf('^$\\.*+?()[]{}|/', ch) !== -1) {
          escaped += '\\' + ch;
        } else if (c >= 9 && c <= 13) {
          escaped += '\\' + controlEscapes[c];
        } else if (StringPrototypeIndexOf(',-=<>#&!%:;@~\'`"', ch) !== -1 ||
                   isWhiteSpaceOrLineTerminator(c)) {
          escaped += c <= 0xFF ? '\\x' + hex(c, 2) : '\\u' + hex(c, 4);
        } else if (c >= 0xD800 && c <= 0xDFFF) {
          const next = c <= 0xDBFF ? StringPrototypeCharCodeAt(S, i + 1) : NaN;
          if (next >= 0xDC00 && next <= 0xDFFF) {
            escaped += ch + S[++i];  // a well-formed pair is one code point, kept as is
          } else {
            escaped += '\\u' + hex(c, 4);
          }
        } else {
          escaped += ch;
        }
      }
      return escaped;
    },
  });

  defineMethods(Error, {
    isError(arg) {
      return isError(arg);
    },
  });
});
