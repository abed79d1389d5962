// Request (Fetch Standard). Incoming requests are built by internal.newIncomingRequest with the
// headers still as the runtime's flat list; the Headers object is made on first access.
(function (internal, global) {
  'use strict';
  const {ObjectCreate, TypeError, kInspect} = internal.primordials;
  const {extractBody, BodyState, installBodyMixin} = internal.body;
  const H = internal.headers;

  const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const kNormalizedMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
  const kForbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK']);
  const kRedirectModes = new Set(['follow', 'error', 'manual']);
  const kIncoming = Symbol('incoming');

  function normalizeMethod(method) {
    method = `${method}`;
    if (!tokenRe.test(method)) throw new TypeError(`Failed to construct 'Request': '${method}' is not a valid HTTP method.`);
    const upper = method.toUpperCase();
    if (kForbiddenMethods.has(upper)) throw new TypeError(`Failed to construct 'Request': '${method}' HTTP method is unsupported.`);
    return kNormalizedMethods.has(upper) ? upper : method;
  }

  // Relative URLs throw: a worker has no base URL (see internal.parseUrl in 32_url.js).
  function parseUrl(input) {
    return internal.parseUrl(input, "Failed to construct 'Request'");
  }

  class Request {
    #method = 'GET';
    #url = '';
    #headers = null;
    #rawHeaders = null;  // flat [name, value, ...] from the wire until .headers is read
    #body = null;
    #redirect = 'follow';
    #cf = undefined;

    constructor(input, init = undefined) {
      if (input === kIncoming) return;
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
      if (init !== undefined && init !== null && typeof init !== 'object') {
        throw new TypeError("Failed to construct 'Request': The provided value is not of type 'RequestInit'.");
      }
      init = init ?? {};
      let inputBody = null;
      let headersInit;
      if (input !== null && typeof input === 'object' && #method in input) {
        this.#url = input.#url;
        this.#method = input.#method;
        this.#redirect = input.#redirect;
        this.#cf = input.#cf;
        headersInit = input.headers;
        inputBody = input.#body;
      } else {
        this.#url = parseUrl(input);
      }
      if (init.method !== undefined) this.#method = normalizeMethod(init.method);
      if (init.redirect !== undefined) {
        const mode = `${init.redirect}`;
        if (!kRedirectModes.has(mode)) throw new TypeError(`Failed to construct 'Request': The provided value '${mode}' is not a valid enum value of type RequestRedirect.`);
        this.#redirect = mode;
      }
      if (init.cf !== undefined) this.#cf = init.cf;
      if (init.headers !== undefined) headersInit = init.headers;

      let source = null, type = null;
      if (init.body !== undefined && init.body !== null) {
        ({source, type} = extractBody(init.body));
      } else if (init.body === undefined && inputBody !== null && inputBody.source !== null) {
        if (inputBody.isUsed) throw new TypeError("Failed to construct 'Request': Cannot construct a Request with a Request object that has already been used.");
        source = inputBody.source;
        inputBody.used = true;
      }
      if (source !== null && (this.#method === 'GET' || this.#method === 'HEAD')) {
        throw new TypeError("Failed to construct 'Request': Request with GET/HEAD method cannot have body.");
      }
      this.#headers = new Headers(headersInit);
      if (type !== null) H.setIfAbsent(this.#headers, 'content-type', type);
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
    get integrity() { return ''; }
    get keepalive() { return false; }

    clone() {
      if (!(#method in this)) throw new TypeError("Failed to execute 'clone' on 'Request': Illegal invocation");
      if (this.#body.isUsed) throw new TypeError("Failed to execute 'clone' on 'Request': Request body is already used");
      const r = new Request(kIncoming);
      r.#method = this.#method;
      r.#url = this.#url;
      r.#redirect = this.#redirect;
      r.#cf = this.#cf;
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
      installBodyMixin(Request, 'Request', (obj) => (obj !== null && typeof obj === 'object' && #method in obj) ? obj.#body : undefined);
    }
  }
  internal.setToStringTag(Request, 'Request');
  internal.makeEnumerable(Request, ['method', 'url', 'headers', 'redirect', 'cf', 'integrity', 'keepalive', 'clone']);
  internal.defineGlobal('Request', Request);
});
