// Request (Fetch Standard). Incoming requests are built by internal.newIncomingRequest with the
// headers still as the runtime's flat list; the Headers object is made on first access.
(function (internal, global) {
  'use strict';
  const {ObjectCreate, ReflectApply, TypeError, kInspect} = internal.primordials;
  const {extractBody, BodyState, installBodyMixin, isStream} = internal.body;
  const H = internal.headers;

  const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const kNormalizedMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
  const kForbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK']);
  const kRedirectModes = new Set(['follow', 'error', 'manual']);
  const kModes = new Set(['navigate', 'same-origin', 'no-cors', 'cors']);
  const kCredentials = new Set(['omit', 'same-origin', 'include']);
  const kCacheModes = new Set(['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached']);
  const kReferrerPolicies = new Set(['', 'no-referrer', 'no-referrer-when-downgrade', 'same-origin', 'origin',
                                     'strict-origin', 'origin-when-cross-origin',
                                     'strict-origin-when-cross-origin', 'unsafe-url']);
  const kCorsSafelistedMethods = new Set(['GET', 'HEAD', 'POST']);
  const kIncoming = Symbol('incoming');
  const {AbortSignal} = global;
  const AbortSignalAny = AbortSignal.any;
  const isAbortSignal = (value) => value instanceof AbortSignal;
  const kFail = "Failed to construct 'Request'";

  function enumValue(value, allowed, type) {
    value = `${value}`;
    if (!allowed.has(value)) throw new TypeError(`${kFail}: The provided value '${value}' is not a valid enum value of type ${type}.`);
    return value;
  }

  function normalizeMethod(method) {
    method = `${method}`;
    if (!tokenRe.test(method)) throw new TypeError(`Failed to construct 'Request': '${method}' is not a valid HTTP method.`);
    const upper = method.toUpperCase();
    if (kForbiddenMethods.has(upper)) throw new TypeError(`Failed to construct 'Request': '${method}' HTTP method is unsupported.`);
    return kNormalizedMethods.has(upper) ? upper : method;
  }

  // Relative URLs throw: a worker has no base URL (see internal.parseUrl in 32_url.js).
  const credentialsRe = /^[A-Za-z][A-Za-z0-9+.\-]*:\/\/[^/?#]*@/;
  function parseUrl(input) {
    const url = internal.parseUrl(input, kFail);
    if (credentialsRe.test(url)) throw new TypeError(`${kFail}: Request cannot be constructed from a URL that includes credentials: ${url}`);
    return url;
  }

  class Request {
    #method = 'GET';
    #url = '';
    #headers = null;
    #rawHeaders = null;  // flat [name, value, ...] from the wire until .headers is read
    #body = null;
    #redirect = 'follow';
    #cf = undefined;
    #mode = 'cors';
    #credentials = 'same-origin';
    #cache = 'default';
    #referrer = 'about:client';
    #referrerPolicy = '';
    #integrity = '';
    #keepalive = false;
    #signal = null;  // made on first read unless given: most requests never look at it

    constructor(input, init = undefined) {
      if (input === kIncoming) return;
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
      if (init !== undefined && init !== null && typeof init !== 'object') {
        throw new TypeError("Failed to construct 'Request': The provided value is not of type 'RequestInit'.");
      }
      init = init ?? {};
      // Fetch Standard, new Request(input, init), in its order (errors surface in that order).
      let inputBody = null;
      let inputSignal = null;
      let headersInit;
      let fallbackMode = null;
      if (input !== null && typeof input === 'object' && #method in input) {
        this.#url = input.#url;
        this.#method = input.#method;
        this.#redirect = input.#redirect;
        this.#cf = input.#cf;
        this.#mode = input.#mode;
        this.#credentials = input.#credentials;
        this.#cache = input.#cache;
        this.#referrer = input.#referrer;
        this.#referrerPolicy = input.#referrerPolicy;
        this.#integrity = input.#integrity;
        this.#keepalive = input.#keepalive;
        inputSignal = input.#signal;
        headersInit = input.headers;
        inputBody = input.#body;
      } else {
        this.#url = parseUrl(input);
        fallbackMode = 'cors';
      }
      if (init.window !== undefined && init.window !== null) {
        throw new TypeError(`${kFail}: 'window' can only be null.`);
      }
      if (init.referrer !== undefined) {
        const referrer = `${init.referrer}`;
        if (referrer === '') {
          this.#referrer = '';
        } else {
          const parsed = internal.parseUrl(referrer, kFail);
          this.#referrer = parsed === 'about:client' ? 'about:client' : parsed;
        }
      }
      if (init.referrerPolicy !== undefined) this.#referrerPolicy = enumValue(init.referrerPolicy, kReferrerPolicies, 'ReferrerPolicy');
      let mode = init.mode !== undefined ? enumValue(init.mode, kModes, 'RequestMode') : fallbackMode;
      if (mode === 'navigate') throw new TypeError(`${kFail}: Cannot construct a Request with a RequestInit whose mode member is set as 'navigate'.`);
      if (mode !== null) this.#mode = mode;
      if (init.credentials !== undefined) this.#credentials = enumValue(init.credentials, kCredentials, 'RequestCredentials');
      if (init.cache !== undefined) this.#cache = enumValue(init.cache, kCacheModes, 'RequestCache');
      if (this.#cache === 'only-if-cached' && this.#mode !== 'same-origin') {
        throw new TypeError(`${kFail}: 'only-if-cached' can be set only with 'same-origin' mode`);
      }
      if (init.redirect !== undefined) this.#redirect = enumValue(init.redirect, kRedirectModes, 'RequestRedirect');
      if (init.integrity !== undefined) this.#integrity = `${init.integrity}`;
      if (init.keepalive !== undefined) this.#keepalive = !!init.keepalive;
      if (init.method !== undefined) this.#method = normalizeMethod(init.method);
      if (init.signal !== undefined) {
        if (init.signal !== null && !isAbortSignal(init.signal)) {
          throw new TypeError(`${kFail}: member signal is not of type AbortSignal.`);
        }
        inputSignal = init.signal;
      }
      if (inputSignal !== null) this.#signal = AbortSignalAny([inputSignal]);
      if (init.duplex !== undefined && `${init.duplex}` !== 'half') {
        throw new TypeError(`${kFail}: The provided value '${init.duplex}' is not a valid enum value of type RequestDuplex.`);
      }
      if (init.cf !== undefined) this.#cf = init.cf;
      if (init.headers !== undefined) headersInit = init.headers;

      if (this.#mode === 'no-cors' && !kCorsSafelistedMethods.has(this.#method)) {
        throw new TypeError(`${kFail}: '${this.#method}' is unsupported in no-cors mode.`);
      }
      if (this.#mode === 'no-cors') {
        this.#headers = new Headers();
        H.setGuard(this.#headers, 'request-no-cors');
        // Filled through the guard, like append().
        if (headersInit !== undefined) {
          for (const [name, value] of new Headers(headersInit)) this.#headers.append(name, value);
        }
      } else {
        this.#headers = new Headers(headersInit);
      }

      const initBody = init.body !== undefined && init.body !== null;
      if ((initBody || (inputBody !== null && inputBody.source !== null)) &&
          (this.#method === 'GET' || this.#method === 'HEAD')) {
        throw new TypeError(`${kFail}: Request with GET/HEAD method cannot have body.`);
      }
      let source = null, type = null;
      if (initBody) {
        ({source, type} = extractBody(init.body));
        if (this.#keepalive && isStream(source)) {
          throw new TypeError(`${kFail}: keepalive cannot be used with a ReadableStream body.`);
        }
        if (type !== null) H.setIfAbsent(this.#headers, 'content-type', type);
      } else if (inputBody !== null && inputBody.source !== null) {
        if (inputBody.isUsed || (isStream(inputBody.source) && inputBody.source.locked)) {
          throw new TypeError(`${kFail}: Cannot construct a Request with a Request object that has already been used.`);
        }
        source = inputBody.source;
        // A stream body is carried over through a new stream (the Fetch Standard's proxy), so
        // the new Request's body is never the very object the input handed out.
        if (isStream(source)) source = source.pipeThrough(new internal.streams.TransformStream());
      }
      // A stream body goes out in the request's own mode only (Cloudflare and Deno accept it
      // without `duplex: 'half'`, which the standard requires; so do we, for code written
      // for them).
      if (isStream(source) && this.#mode !== 'same-origin' && this.#mode !== 'cors') {
        throw new TypeError(`${kFail}: A ReadableStream body needs mode 'same-origin' or 'cors'.`);
      }
      // The input's body is used up by the new Request, even when init's body replaces it.
      if (inputBody !== null && inputBody.source !== null) inputBody.used = true;
      this.#body = new BodyState(source);
    }

    get method() { return this.#method; }
    get url() { return this.#url; }
    get headers() {
      if (this.#headers === null) {
        this.#headers = this.#rawHeaders === null ? new Headers() : H.fromFlat(this.#rawHeaders, 'immutable');
        this.#rawHeaders = null;
      }
      return this.#headers;
    }
    get redirect() { return this.#redirect; }
    get cf() { return this.#cf; }
    get destination() { return ''; }
    get referrer() { return this.#referrer; }
    get referrerPolicy() { return this.#referrerPolicy; }
    get mode() { return this.#mode; }
    get credentials() { return this.#credentials; }
    get cache() { return this.#cache; }
    get integrity() { return this.#integrity; }
    get keepalive() { return this.#keepalive; }
    get isReloadNavigation() { return false; }
    get isHistoryNavigation() { return false; }
    get duplex() { return 'half'; }
    get signal() {
      if (this.#signal === null) this.#signal = AbortSignalAny([]);  // never aborted
      return this.#signal;
    }

    clone() {
      if (!(#method in this)) throw new TypeError("Failed to execute 'clone' on 'Request': Illegal invocation");
      if (this.#body.isUsed) throw new TypeError("Failed to execute 'clone' on 'Request': Request body is already used");
      const r = new Request(kIncoming);
      r.#method = this.#method;
      r.#url = this.#url;
      r.#redirect = this.#redirect;
      r.#cf = this.#cf;
      r.#mode = this.#mode;
      r.#credentials = this.#credentials;
      r.#cache = this.#cache;
      r.#referrer = this.#referrer;
      r.#referrerPolicy = this.#referrerPolicy;
      r.#integrity = this.#integrity;
      r.#keepalive = this.#keepalive;
      if (this.#signal !== null) r.#signal = AbortSignalAny([this.#signal]);
      if (this.#headers === null) {
        r.#rawHeaders = this.#rawHeaders;
      } else {
        r.#headers = new Headers(this.#headers);
        H.setGuard(r.#headers, H.getGuard(this.#headers));
      }
      r.#body = this.#body.clone();
      return r;
    }

    [kInspect]() {
      return `Request { method: '${this.#method}', url: '${this.#url}', headers: ${this.headers[kInspect]()}, bodyUsed: ${this.#body.isUsed} }`;
    }

    static {
      internal.newIncomingRequest = function (method, url, flatHeaders, body) {
        const r = new Request(kIncoming);
        r.#method = method;
        r.#url = url;
        r.#rawHeaders = flatHeaders;
        // A number: the body is still arriving; the host streams it under that id.
        r.#body = new BodyState(typeof body === 'number' ? internal.newHostBodyStream(body) : body);
        return r;
      };
      const headersGetter = Object.getOwnPropertyDescriptor(Request.prototype, 'headers').get;
      internal.requestBodyState = (r) => r.#body;
      installBodyMixin(Request, 'Request',
                       (obj) => (obj !== null && typeof obj === 'object' && #method in obj) ? obj.#body : undefined,
                       (obj) => H.get(ReflectApply(headersGetter, obj, []), 'content-type'));
    }
  }
  internal.setToStringTag(Request, 'Request');
  internal.makeEnumerable(Request, ['method', 'url', 'headers', 'redirect', 'cf', 'destination', 'referrer',
                                    'referrerPolicy', 'mode', 'credentials', 'cache', 'integrity',
                                    'keepalive', 'isReloadNavigation', 'isHistoryNavigation',
                                    'duplex', 'signal', 'clone']);
  internal.defineGlobal('Request', Request);
});
