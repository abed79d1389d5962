// URL and URLSearchParams (WHATWG URL Standard). The parser is native (bindings/url_*.cc): it
// returns [href, ...offsets] and the getters slice the href, so a URL holds two values and reading
// a component allocates nothing but the slice.
(function (internal, global) {
  'use strict';
  const {
    ArrayPrototypePush, ObjectDefineProperty, ObjectGetPrototypeOf,
    ReflectOwnKeys, StringPrototypeSlice, SymbolIterator, TypeError, kInspect,
  } = internal.primordials;
  const {urlParse, urlSet, formDecode, formEncode} = internal;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;

  // Offsets into a parse result (after the href at index 0); see bindings/url_record.h.
  const kProtocolEnd = 1, kUsernameStart = 2, kUsernameEnd = 3, kPasswordStart = 4,
    kPasswordEnd = 5, kHostStart = 6, kHostEnd = 7, kPortStart = 8, kPortEnd = 9,
    kPathStart = 10, kPathEnd = 11, kQueryStart = 12, kFragmentStart = 13;
  // Setter numbers understood by urlSet (url::Setter).
  const kProtocol = 0, kUsername = 1, kPassword = 2, kHost = 3, kHostname = 4, kPort = 5,
    kPathname = 6, kSearch = 7, kHash = 8;

  const surrogateRe = /[\uD800-\uDFFF]/;
  const loneSurrogateRe = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  // Web IDL USVString conversion. Strings that only go to the URL natives skip it: the natives
  // replace lone surrogates themselves when they convert to UTF-8.
  function toUSVString(value) {
    const s = `${value}`;
    return surrogateRe.test(s) ? s.replace(loneSurrogateRe, '\uFFFD') : s;
  }

  function requireArgs(n, count, what) {
    if (n < count) {
      throw new TypeError(`Failed to execute '${what}': ${count} argument${count > 1 ? 's' : ''} required, but only ${n} present.`);
    }
  }

  let attachParams;   // (params, url) -> void: makes params the URL's live searchParams
  let setParamsList;  // (params, query string) -> void: replaces the list from the URL's query
  let updateUrlQuery; // (url, serialized) -> void: the URLSearchParams update steps
  let listOf;         // (params) -> the live [name, value, ...] list

  class URL {
    #r;  // [href, ...offsets]
    #params = null;

    constructor(url, base = undefined) {
      requireArgs(arguments.length, 1, "URL' constructor");
      url = `${url}`;
      if (base !== undefined) base = `${base}`;
      const r = urlParse(url, base);
      if (r === undefined) {
        throw new TypeError(base === undefined ? `Invalid URL: ${url}` : `Invalid URL: ${url} (base: ${base})`);
      }
      this.#r = r;
    }

    static parse(url, base = undefined) {
      requireArgs(arguments.length, 1, "parse' on 'URL");
      try {
        return new URL(url, base);
      } catch {
        return null;
      }
    }

    static canParse(url, base = undefined) {
      requireArgs(arguments.length, 1, "canParse' on 'URL");
      url = `${url}`;
      if (base !== undefined) base = `${base}`;
      return urlParse(url, base) !== undefined;
    }

    #set(setter, value) {
      const r = urlSet(this.#r[0], setter, `${value}`);
      if (r !== undefined) this.#r = r;
      return r !== undefined;
    }

    get href() { return this.#r[0]; }
    set href(value) {
      value = `${value}`;
      const r = urlParse(value);
      if (r === undefined) throw new TypeError(`Failed to set the 'href' property on 'URL': Invalid URL: ${value}`);
      this.#r = r;
      if (this.#params !== null) setParamsList(this.#params, this.search);
    }

    get origin() {
      const r = this.#r;
      const scheme = StringPrototypeSlice(r[0], 0, r[kProtocolEnd] - 1);
      switch (scheme) {
        case 'http': case 'https': case 'ws': case 'wss': case 'ftp':
          return `${scheme}://${StringPrototypeSlice(r[0], r[kHostStart], r[kPortEnd])}`;
        case 'blob': {
          const inner = urlParse(this.pathname);
          if (inner === undefined) return 'null';
          const innerScheme = StringPrototypeSlice(inner[0], 0, inner[kProtocolEnd] - 1);
          if (innerScheme !== 'http' && innerScheme !== 'https') return 'null';
          return `${innerScheme}://${StringPrototypeSlice(inner[0], inner[kHostStart], inner[kPortEnd])}`;
        }
        default:
          return 'null';
      }
    }

    get protocol() { return StringPrototypeSlice(this.#r[0], 0, this.#r[kProtocolEnd]); }
    set protocol(value) { this.#set(kProtocol, value); }

    get username() { return StringPrototypeSlice(this.#r[0], this.#r[kUsernameStart], this.#r[kUsernameEnd]); }
    set username(value) { this.#set(kUsername, value); }

    get password() { return StringPrototypeSlice(this.#r[0], this.#r[kPasswordStart], this.#r[kPasswordEnd]); }
    set password(value) { this.#set(kPassword, value); }

    get host() { return StringPrototypeSlice(this.#r[0], this.#r[kHostStart], this.#r[kPortEnd]); }
    set host(value) { this.#set(kHost, value); }

    get hostname() { return StringPrototypeSlice(this.#r[0], this.#r[kHostStart], this.#r[kHostEnd]); }
    set hostname(value) { this.#set(kHostname, value); }

    get port() { return StringPrototypeSlice(this.#r[0], this.#r[kPortStart], this.#r[kPortEnd]); }
    set port(value) { this.#set(kPort, value); }

    get pathname() { return StringPrototypeSlice(this.#r[0], this.#r[kPathStart], this.#r[kPathEnd]); }
    set pathname(value) { this.#set(kPathname, value); }

    get search() {
      const r = this.#r;
      const start = r[kQueryStart];
      if (start < 0) return '';
      const end = r[kFragmentStart] < 0 ? r[0].length : r[kFragmentStart];
      return end - start <= 1 ? '' : StringPrototypeSlice(r[0], start, end);
    }
    set search(value) {
      this.#set(kSearch, value);
      if (this.#params !== null) setParamsList(this.#params, this.search);
    }

    get searchParams() {
      if (this.#params === null) {
        this.#params = new URLSearchParams(this.search);
        attachParams(this.#params, this);
      }
      return this.#params;
    }

    get hash() {
      const r = this.#r;
      const start = r[kFragmentStart];
      return start < 0 || start === r[0].length - 1 ? '' : StringPrototypeSlice(r[0], start);
    }
    set hash(value) { this.#set(kHash, value); }

    toString() { return this.#r[0]; }
    toJSON() { return this.#r[0]; }

    [kInspect]() { return `URL { href: '${this.#r[0]}' }`; }

    static {
      updateUrlQuery = (url, serialized) => {
        // Empty serialization means a null query; urlSet's search setter does exactly that.
        const r = urlSet(url.#r[0], kSearch, serialized);
        if (r !== undefined) url.#r = r;
      };
    }
  }
  internal.setToStringTag(URL, 'URL');
  internal.makeEnumerable(URL, ['href', 'origin', 'protocol', 'username', 'password', 'host',
    'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash', 'toString', 'toJSON']);
  for (const name of ['parse', 'canParse']) {
    const desc = getOwnPropertyDescriptor(URL, name);
    desc.enumerable = true;
    ObjectDefineProperty(URL, name, desc);
  }

  const kKeys = 0, kValues = 1, kEntries = 2;
  class URLSearchParams {
    #list = [];  // [name, value, name, value, ...]
    #url = null;

    constructor(init = '') {
      if (init !== null && (typeof init === 'object' || typeof init === 'function')) {
        const iter = init[SymbolIterator];
        if (iter !== undefined && iter !== null) {
          if (typeof iter !== 'function') throw new TypeError("Failed to construct 'URLSearchParams': The object's @@iterator is not callable.");
          for (const pair of init) {
            if (pair === null || (typeof pair !== 'object' && typeof pair !== 'function') || typeof pair[SymbolIterator] !== 'function') {
              throw new TypeError("Failed to construct 'URLSearchParams': The provided value cannot be converted to a sequence.");
            }
            const items = [...pair];
            if (items.length !== 2) throw new TypeError("Failed to construct 'URLSearchParams': Sequence initializer must only contain pair elements");
            ArrayPrototypePush(this.#list, toUSVString(items[0]), toUSVString(items[1]));
          }
        } else {
          for (const key of ReflectOwnKeys(init)) {
            if (typeof key !== 'string') continue;
            const desc = getOwnPropertyDescriptor(init, key);
            if (desc === undefined || !desc.enumerable) continue;
            const name = toUSVString(key);
            const value = toUSVString(init[key]);
            // A record has unique keys: a later one replaces an earlier equal one (only after
            // USVString conversion can two keys be equal).
            let replaced = false;
            for (let i = 0; i < this.#list.length; i += 2) {
              if (this.#list[i] === name) { this.#list[i + 1] = value; replaced = true; break; }
            }
            if (!replaced) ArrayPrototypePush(this.#list, name, value);
          }
        }
      } else {
        let s = toUSVString(init);
        if (s.length > 0 && s[0] === '?') s = StringPrototypeSlice(s, 1);
        if (s.length > 0) this.#list = formDecode(s);
      }
    }

    #update() {
      if (this.#url !== null) updateUrlQuery(this.#url, formEncode(this.#list));
    }

    get size() { return this.#list.length / 2; }

    append(name, value) {
      requireArgs(arguments.length, 2, "append' on 'URLSearchParams");
      ArrayPrototypePush(this.#list, toUSVString(name), toUSVString(value));
      this.#update();
    }

    delete(name, value = undefined) {
      requireArgs(arguments.length, 1, "delete' on 'URLSearchParams");
      name = toUSVString(name);
      const list = this.#list;
      const out = [];
      if (value === undefined) {
        for (let i = 0; i < list.length; i += 2) {
          if (list[i] !== name) ArrayPrototypePush(out, list[i], list[i + 1]);
        }
      } else {
        value = toUSVString(value);
        for (let i = 0; i < list.length; i += 2) {
          if (list[i] !== name || list[i + 1] !== value) ArrayPrototypePush(out, list[i], list[i + 1]);
        }
      }
      this.#list = out;
      this.#update();
    }

    get(name) {
      requireArgs(arguments.length, 1, "get' on 'URLSearchParams");
      name = toUSVString(name);
      const list = this.#list;
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name) return list[i + 1];
      }
      return null;
    }

    getAll(name) {
      requireArgs(arguments.length, 1, "getAll' on 'URLSearchParams");
      name = toUSVString(name);
      const list = this.#list;
      const out = [];
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name) ArrayPrototypePush(out, list[i + 1]);
      }
      return out;
    }

    has(name, value = undefined) {
      requireArgs(arguments.length, 1, "has' on 'URLSearchParams");
      name = toUSVString(name);
      if (value !== undefined) value = toUSVString(value);
      const list = this.#list;
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name && (value === undefined || list[i + 1] === value)) return true;
      }
      return false;
    }

    set(name, value) {
      requireArgs(arguments.length, 2, "set' on 'URLSearchParams");
      name = toUSVString(name);
      value = toUSVString(value);
      const list = this.#list;
      const out = [];
      let found = false;
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] !== name) {
          ArrayPrototypePush(out, list[i], list[i + 1]);
        } else if (!found) {
          found = true;
          ArrayPrototypePush(out, name, value);
        }
      }
      if (!found) ArrayPrototypePush(out, name, value);
      this.#list = out;
      this.#update();
    }

    sort() {
      // Stable sort by name in UTF-16 code units (string < compares code units).
      const list = this.#list;
      const pairs = [];
      for (let i = 0; i < list.length; i += 2) ArrayPrototypePush(pairs, [list[i], list[i + 1], i]);
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[2] - b[2]));
      const out = [];
      for (const p of pairs) ArrayPrototypePush(out, p[0], p[1]);
      this.#list = out;
      this.#update();
    }

    forEach(callback, thisArg = undefined) {
      requireArgs(arguments.length, 1, "forEach' on 'URLSearchParams");
      if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not of type 'Function'.");
      for (let i = 0; i < this.#list.length; i += 2) {
        callback.call(thisArg, this.#list[i + 1], this.#list[i], this);
      }
    }

    keys() { return newIterator(this, kKeys); }
    values() { return newIterator(this, kValues); }
    entries() { return newIterator(this, kEntries); }

    toString() { return formEncode(this.#list); }

    [kInspect]() {
      const parts = [];
      for (let i = 0; i < this.#list.length; i += 2) ArrayPrototypePush(parts, `'${this.#list[i]}' => '${this.#list[i + 1]}'`);
      return `URLSearchParams { ${parts.join(', ')} }`;
    }

    static {
      attachParams = (params, url) => { params.#url = url; };
      setParamsList = (params, search) => {
        params.#list = search.length > 1 ? formDecode(StringPrototypeSlice(search, 1)) : [];
      };
      // Iteration reads the live list, as the spec's "value pairs to iterate over" does.
      listOf = (params) => params.#list;
    }
  }

  // The "URLSearchParams Iterator" (Web IDL pair iterator).
  const IteratorPrototype = ObjectGetPrototypeOf(ObjectGetPrototypeOf([][SymbolIterator]()));
  const kTarget = Symbol('target'), kKind = Symbol('kind'), kIndex = Symbol('index');
  const URLSearchParamsIteratorPrototype = Object.create(IteratorPrototype, {
    next: {
      value: function next() {
        if (this === null || typeof this !== 'object' || !(kTarget in this)) {
          throw new TypeError("Failed to execute 'next' on 'URLSearchParams Iterator': Illegal invocation");
        }
        const list = listOf(this[kTarget]);
        const i = this[kIndex];
        if (i >= list.length) return {value: undefined, done: true};
        this[kIndex] = i + 2;
        const kind = this[kKind];
        const value = kind === kKeys ? list[i] : kind === kValues ? list[i + 1] : [list[i], list[i + 1]];
        return {value, done: false};
      },
      writable: true, enumerable: true, configurable: true,
    },
    [Symbol.toStringTag]: {value: 'URLSearchParams Iterator', configurable: true},
  });
  function newIterator(params, kind) {
    listOf(params);  // brand check: throws on a non-URLSearchParams receiver
    const it = Object.create(URLSearchParamsIteratorPrototype);
    it[kTarget] = params;
    it[kKind] = kind;
    it[kIndex] = 0;
    return it;
  }

  ObjectDefineProperty(URLSearchParams.prototype, SymbolIterator, {
    value: URLSearchParams.prototype.entries, writable: true, enumerable: false, configurable: true,
  });
  internal.setToStringTag(URLSearchParams, 'URLSearchParams');
  internal.makeEnumerable(URLSearchParams, ['size', 'append', 'delete', 'get', 'getAll', 'has',
    'set', 'sort', 'forEach', 'keys', 'values', 'entries', 'toString']);

  // For Request/Response: the serialized URL, or a TypeError naming `what`. Workers have no base
  // URL; a harness that needs one defines globalThis.location (like Deno's --location).
  internal.parseUrl = function (input, what) {
    input = `${input}`;
    let base;
    const location = global.location;
    if (location !== undefined && location !== null) base = `${location.href ?? location}`;
    const r = urlParse(input, base);
    if (r === undefined) throw new TypeError(`${what}: Invalid URL: ${input}`);
    return r[0];
  };

  internal.defineGlobal('URL', URL);
  internal.defineGlobal('URLSearchParams', URLSearchParams);
});
