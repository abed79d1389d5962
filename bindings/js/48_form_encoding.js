// FormData on the wire: multipart/form-data encoding (HTML Standard) for FormData bodies, and the
// two parsers behind body.formData(): multipart/form-data (RFC 7578, as the Fetch Standard
// reads it) and application/x-www-form-urlencoded (URL Standard). Both parsers are linear in
// the body size: the only search is for the delimiter, whose length RFC 2046 bounds to 74.
// Made on first use, like Blob (see 39_blob.js).
(function (internal, global) {
  'use strict';
  const {ArrayPrototypePush, ReflectApply, StringPrototypeReplace,
         StringPrototypeToLowerCase, StringPrototypeSlice, TypeError, Uint8Array} =
      internal.primordials;
  const {encodeUtf8, utf8Decode} = internal;
  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  const TypedArrayIndexOf = TypedArrayPrototype.indexOf;
  const TypedArraySet = TypedArrayPrototype.set;
  const TypedArraySlice = TypedArrayPrototype.slice;
  const StringFromCharCode = String.fromCharCode;
  const DateNow = Date.now;
  const MathRandom = Math.random;
  const NumberParseInt = Number.parseInt;
  const StringPrototypeIndexOf = String.prototype.indexOf;
  const StringPrototypeTrim = String.prototype.trim;
  const stringIndexOf = (s, search, from) => ReflectApply(StringPrototypeIndexOf, s, [search, from]);

  const api = internal.loadOnce({}, load);
  internal.formEncoding = api;

  function load() {
    const B = internal.blob.load();
    const FD = internal.formData.load();
    const M = internal.mime.load();

    const indexOf = (bytes, byte, from) => ReflectApply(TypedArrayIndexOf, bytes, [byte, from]);
    const slice = (bytes, begin, end) => ReflectApply(TypedArraySlice, bytes, [begin, end]);
    // UTF-8 decode without BOM handling (the BOM, if any, stays): names and values of form entries.
    const decode = (bytes) => utf8Decode(bytes, false, false);

    function concat(chunks) {
      let size = 0;
      for (let i = 0; i < chunks.length; i++) size += chunks[i].byteLength;
      const out = new Uint8Array(size);
      let offset = 0;
      for (let i = 0; i < chunks.length; i++) {
        ReflectApply(TypedArraySet, out, [chunks[i], offset]);
        offset += chunks[i].byteLength;
      }
      return out;
    }

    const kBoundaryChars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    function newBoundary() {
      let out = '----edgerunFormBoundary';
      for (let i = 0; i < 24; i++) out += kBoundaryChars[(MathRandom() * kBoundaryChars.length) | 0];
      return out;
    }

    const newlineRe = /\r\n|\r|\n/g;
    const escapeRe = /[\r\n"]/g;
    const kEscapes = {'\r': '%0D', '\n': '%0A', '"': '%22'};
    const escapeValue = (s) => StringPrototypeReplace(s, escapeRe, (c) => kEscapes[c]);
    const normalizeNewlines = (s) => StringPrototypeReplace(s, newlineRe, '\r\n');

    // Returns {bytes, type} for a FormData body.
    function encodeMultipart(formData) {
      const entries = FD.entriesOf(formData);
      const boundary = newBoundary();
      // No entries, no bytes (as browsers send it and WPT expects); the parser reads it back.
      if (entries.length === 0) {
        return {bytes: new Uint8Array(0), type: `multipart/form-data; boundary=${boundary}`};
      }
      const chunks = [];
      let text = '';
      for (let i = 0; i < entries.length; i++) {
        const [name, value] = entries[i];
        text += `--${boundary}\r\nContent-Disposition: form-data; name="${escapeValue(normalizeNewlines(name))}"`;
        if (typeof value === 'string') {
          text += `\r\n\r\n${normalizeNewlines(value)}\r\n`;
          continue;
        }
        const type = B.typeOf(value) || 'application/octet-stream';
        text += `; filename="${escapeValue(B.nameOf(value))}"\r\nContent-Type: ${type}\r\n\r\n`;
        ArrayPrototypePush(chunks, encodeUtf8(text), B.bytesOf(value));
        text = '\r\n';
      }
      text += `--${boundary}--\r\n`;
      ArrayPrototypePush(chunks, encodeUtf8(text));
      return {bytes: concat(chunks), type: `multipart/form-data; boundary=${boundary}`};
    }

    const kCR = 13, kLF = 10, kDash = 45;

    function multipartError(why) {
      return new TypeError(`Failed to parse the body as multipart/form-data: ${why}.`);
    }

    // True when `bytes` holds `pattern` at `at`.
    function matchesAt(bytes, pattern, at) {
      if (at + pattern.length > bytes.length) return false;
      for (let i = 0; i < pattern.length; i++) {
        if (bytes[at + i] !== pattern[i]) return false;
      }
      return true;
    }

    // The first index >= from where `pattern` (which starts with CR) occurs, or -1.
    function find(bytes, pattern, from) {
      for (let at = indexOf(bytes, pattern[0], from); at !== -1; at = indexOf(bytes, pattern[0], at + 1)) {
        if (matchesAt(bytes, pattern, at)) return at;
        if (at + pattern.length > bytes.length) return -1;
      }
      return -1;
    }

    // Parses `name="value"` parameters of a Content-Disposition value (after "form-data").
    // Quoted values use the HTML Standard's escapes (%22, %0D, %0A), which are undone.
    function dispositionParams(value, pos) {
      const params = {name: null, filename: null};
      const n = value.length;
      while (pos < n) {
        while (pos < n && (value[pos] === ' ' || value[pos] === '\t')) pos++;
        if (value[pos] !== ';') return null;
        pos++;
        while (pos < n && (value[pos] === ' ' || value[pos] === '\t')) pos++;
        const keyStart = pos;
        while (pos < n && value[pos] !== '=' && value[pos] !== ';') pos++;
        const key = StringPrototypeToLowerCase(StringPrototypeSlice(value, keyStart, pos));
        if (value[pos] !== '=') return null;
        pos++;
        let v;
        if (value[pos] === '"') {
          const close = stringIndexOf(value, '"', pos + 1);
          if (close === -1) return null;
          v = StringPrototypeSlice(value, pos + 1, close);
          v = StringPrototypeReplace(v, /%(22|0D|0A)/gi, (m, hex) => StringFromCharCode(NumberParseInt(hex, 16)));
          pos = close + 1;
        } else {
          const start = pos;
          while (pos < n && value[pos] !== ';' && value[pos] !== ' ' && value[pos] !== '\t') pos++;
          v = StringPrototypeSlice(value, start, pos);
        }
        if ((key === 'name' || key === 'filename') && params[key] === null) params[key] = v;
      }
      return params;
    }

    // multipart/form-data -> list of [name, string | File] entries; throws TypeError.
    function parseMultipart(bytes, boundary, noBody) {
      if (boundary === null || boundary.length === 0 || boundary.length > 70) {
        throw multipartError('the Content-Type has no valid boundary parameter');
      }
      const dashBoundary = encodeUtf8(`--${boundary}`);
      const delimiter = encodeUtf8(`\r\n--${boundary}`);
      const entries = [];
      // What an empty FormData is sent as (no bytes) reads back as an empty FormData; a Request or
      // Response without a body has no multipart document at all.
      if (noBody) throw multipartError('there is no body');
      if (bytes.length === 0) return entries;
      let pos = 0;
      if (!matchesAt(bytes, dashBoundary, 0)) {
        // A preamble (RFC 2046) ends at the first delimiter.
        const first = find(bytes, delimiter, 0);
        if (first === -1) throw multipartError('the boundary does not occur in the body');
        pos = first + 2;
      }
      for (;;) {
        pos += dashBoundary.length;  // at "--boundary"
        if (bytes[pos] === kDash && bytes[pos + 1] === kDash) break;  // the close delimiter
        // Transport padding (spaces, tabs) may follow a delimiter.
        while (bytes[pos] === 32 || bytes[pos] === 9) pos++;
        if (bytes[pos] !== kCR || bytes[pos + 1] !== kLF) {
          throw multipartError('a boundary is not followed by CRLF');
        }
        pos += 2;
        let name = null, filename = null, contentType = null;
        for (;;) {
          const lineEnd = indexOf(bytes, kCR, pos);
          if (lineEnd === -1 || bytes[lineEnd + 1] !== kLF) throw multipartError('a part\'s headers do not end');
          if (lineEnd === pos) { pos += 2; break; }
          const line = decode(bytes.subarray(pos, lineEnd));
          pos = lineEnd + 2;
          const colon = stringIndexOf(line, ':', 0);
          if (colon <= 0) throw multipartError(`malformed part header "${line}"`);
          const headerName = StringPrototypeToLowerCase(StringPrototypeSlice(line, 0, colon));
          const headerValue = ReflectApply(StringPrototypeTrim, StringPrototypeSlice(line, colon + 1), []);
          if (headerName === 'content-disposition') {
            if (StringPrototypeToLowerCase(StringPrototypeSlice(headerValue, 0, 9)) !== 'form-data') {
              throw multipartError('a part\'s Content-Disposition is not form-data');
            }
            const params = dispositionParams(headerValue, 9);
            if (params === null) throw multipartError(`malformed Content-Disposition "${headerValue}"`);
            name = params.name;
            filename = params.filename;
          } else if (headerName === 'content-type') {
            contentType = headerValue;
          }
        }
        if (name === null) throw multipartError('a part has no Content-Disposition name');
        const bodyEnd = find(bytes, delimiter, pos);
        if (bodyEnd === -1) throw multipartError('the body ends before the closing boundary');
        const body = slice(bytes, pos, bodyEnd);
        if (filename !== null) {
          const type = contentType === null ? 'text/plain' : B.normalizeType(contentType);
          ArrayPrototypePush(entries, [name, B.toFile(B.fromBytes(body, ''), filename, type, DateNow())]);
        } else {
          ArrayPrototypePush(entries, [name, decode(body)]);
        }
        pos = bodyEnd + 2;
      }
      return entries;
    }

    function hexValue(c) {
      if (c >= 48 && c <= 57) return c - 48;
      if (c >= 65 && c <= 70) return c - 55;
      if (c >= 97 && c <= 102) return c - 87;
      return -1;
    }

    // Percent-decodes bytes[start, end) with '+' as space, then decodes UTF-8.
    function decodeFormComponent(bytes, start, end) {
      const out = new Uint8Array(end - start);
      let n = 0;
      for (let i = start; i < end; i++) {
        const c = bytes[i];
        if (c === 43) { out[n++] = 32; continue; }
        if (c === 37 && i + 2 < end) {
          const hi = hexValue(bytes[i + 1]), lo = hexValue(bytes[i + 2]);
          if (hi >= 0 && lo >= 0) { out[n++] = hi * 16 + lo; i += 2; continue; }
        }
        out[n++] = c;
      }
      return decode(out.subarray(0, n));
    }

    // application/x-www-form-urlencoded (URL Standard) -> list of [name, value].
    function parseUrlencoded(bytes) {
      const entries = [];
      const n = bytes.length;
      let start = 0;
      while (start < n) {
        let end = indexOf(bytes, 38, start);  // '&'
        if (end === -1) end = n;
        if (end > start) {
          let eq = indexOf(bytes, 61, start);  // '='
          if (eq === -1 || eq > end) eq = end;
          ArrayPrototypePush(entries, [decodeFormComponent(bytes, start, eq),
                                       eq < end ? decodeFormComponent(bytes, eq + 1, end) : '']);
        }
        start = end + 1;
      }
      return entries;
    }

    // body.formData(): the bytes as the Content-Type says; TypeError for other types.
    function parseFormBody(bytes, contentType, noBody) {
      const mime = M.extract(contentType);
      const essence = mime === null ? null : M.essence(mime);
      if (essence === 'multipart/form-data') {
        return FD.fromEntries(parseMultipart(bytes, M.param(mime, 'boundary'), noBody));
      }
      if (essence === 'application/x-www-form-urlencoded') {
        return FD.fromEntries(parseUrlencoded(bytes));
      }
      throw new TypeError(`Failed to parse the body as FormData: the Content-Type is ${contentType === null ? 'missing' : `"${contentType}"`}, not multipart/form-data or application/x-www-form-urlencoded.`);
    }

    api.encodeMultipart = encodeMultipart;
    api.parseFormBody = parseFormBody;
  }
});
