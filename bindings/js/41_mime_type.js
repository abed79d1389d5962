// MIME types as the WHATWG MIME Sniffing Standard parses and serializes them, and the Fetch
// Standard's "extract a MIME type" from a Content-Type value: what blob() and formData() read.
// Made on first use (blob() and formData() need it), like Blob (see 39_blob.js).
(function (internal, global) {
  'use strict';
  const {ArrayPrototypePush, ReflectApply, RegExpPrototypeTest, StringPrototypeSlice,
         StringPrototypeToLowerCase, StringPrototypeReplace} = internal.primordials;
  const SetCtor = Set;
  const ObjectAssign = Object.assign;
  const SetPrototypeAdd = Set.prototype.add, SetPrototypeHas = Set.prototype.has;

  const api = internal.loadOnce({}, load);
  internal.mime = api;

  function load() {

    const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
    const quotedStringRe = /^[\t\x20-\x7E\x80-\xFF]*$/;
    const isWhitespace = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

    // Returns {type, subtype, params: [[name, value], ...]} or null on failure. Linear time.
    function parse(input) {
      let start = 0, end = input.length;
      while (start < end && isWhitespace(input[start])) start++;
      while (end > start && isWhitespace(input[end - 1])) end--;
      let pos = start;
      while (pos < end && input[pos] !== '/') pos++;
      const type = StringPrototypeSlice(input, start, pos);
      if (type === '' || !RegExpPrototypeTest(tokenRe, type) || pos >= end) return null;
      const subtypeStart = ++pos;
      while (pos < end && input[pos] !== ';') pos++;
      let subtypeEnd = pos;
      while (subtypeEnd > subtypeStart && isWhitespace(input[subtypeEnd - 1])) subtypeEnd--;
      const subtype = StringPrototypeSlice(input, subtypeStart, subtypeEnd);
      if (subtype === '' || !RegExpPrototypeTest(tokenRe, subtype)) return null;
      const params = [];
      const seen = new SetCtor();
      while (pos < end) {
        pos++;  // the ';'
        while (pos < end && isWhitespace(input[pos])) pos++;
        const nameStart = pos;
        while (pos < end && input[pos] !== ';' && input[pos] !== '=') pos++;
        const name = StringPrototypeToLowerCase(StringPrototypeSlice(input, nameStart, pos));
        if (pos >= end) break;
        if (input[pos] === ';') continue;
        pos++;  // the '='
        let value;
        if (input[pos] === '"') {
          value = '';
          pos++;
          while (pos < end) {
            const c = input[pos];
            if (c === '"') { pos++; break; }
            if (c === '\\' && pos + 1 < end) { value += input[pos + 1]; pos += 2; continue; }
            if (c === '\\') { value += '\\'; pos++; continue; }
            value += c;
            pos++;
          }
          while (pos < end && input[pos] !== ';') pos++;
        } else {
          const valueStart = pos;
          while (pos < end && input[pos] !== ';') pos++;
          let valueEnd = pos;
          while (valueEnd > valueStart && isWhitespace(input[valueEnd - 1])) valueEnd--;
          value = StringPrototypeSlice(input, valueStart, valueEnd);
          if (value === '') continue;
        }
        if (name !== '' && RegExpPrototypeTest(tokenRe, name) &&
            RegExpPrototypeTest(quotedStringRe, value) && !ReflectApply(SetPrototypeHas, seen, [name])) {
          ReflectApply(SetPrototypeAdd, seen, [name]);
          ArrayPrototypePush(params, [name, value]);
        }
      }
      return {type: StringPrototypeToLowerCase(type), subtype: StringPrototypeToLowerCase(subtype), params};
    }

    const quoteRe = /["\\]/g;
    function serialize(mime) {
      let out = `${mime.type}/${mime.subtype}`;
      for (const [name, value] of mime.params) {
        const v = value !== '' && RegExpPrototypeTest(tokenRe, value)
                      ? value : `"${StringPrototypeReplace(value, quoteRe, '\\$&')}"`;
        out += `;${name}=${v}`;
      }
      return out;
    }

    function param(mime, name) {
      const params = mime.params;
      for (let i = 0; i < params.length; i++) {
        if (params[i][0] === name) return params[i][1];
      }
      return null;
    }

    // Splits a combined header value on commas outside quoted strings.
    function splitValues(value) {
      const out = [];
      let start = 0, quoted = false;
      for (let i = 0; i < value.length; i++) {
        const c = value[i];
        if (quoted && c === '\\') i++;
        else if (c === '"') quoted = !quoted;
        else if (c === ',' && !quoted) { ArrayPrototypePush(out, StringPrototypeSlice(value, start, i)); start = i + 1; }
      }
      ArrayPrototypePush(out, StringPrototypeSlice(value, start));
      return out;
    }

    // Fetch's "extract a MIME type" from a Content-Type value (null when there is none / failure).
    function extract(headerValue) {
      if (headerValue === null || headerValue === undefined) return null;
      let mime = null;
      let essence = null;
      let charset = null;
      for (const value of splitValues(headerValue)) {
        const parsed = parse(value);
        if (parsed === null) continue;
        const newEssence = `${parsed.type}/${parsed.subtype}`;
        if (newEssence === '*/*') continue;
        mime = parsed;
        const own = param(parsed, 'charset');
        if (newEssence !== essence) {
          charset = own;
          essence = newEssence;
        } else if (own === null && charset !== null) {
          ArrayPrototypePush(mime.params, ['charset', charset]);
        }
      }
      return mime;
    }

    ObjectAssign(api, {parse, serialize, extract, param,
                       essence: (mime) => `${mime.type}/${mime.subtype}`});
  }
});
