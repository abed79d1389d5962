// Response (Fetch Standard). A fresh Response's Headers object is only made when .headers is
// read; until then the body's Content-Type is kept aside (the common `new Response("hi")` path).
(function (internal, global) {
  'use strict';
  const {JSONStringify, TypeError, RangeError, kInspect} = internal.primordials;
  const {extractBody, BodyState, installBodyMixin, isStream} = internal.body;
  const H = internal.headers;

  const kInternal = Symbol('internal');
  const reasonPhraseRe = /^[\t\x20-\x7e\x80-\xff]*$/;
  const kNullBodyStatus = new Set([101, 103, 204, 205, 304]);
  const kRedirectStatus = new Set([301, 302, 303, 307, 308]);

  function toUnsignedShort(value) {
    let n = Number(value);
    if (!Number.isFinite(n)) return 0;
    n = Math.trunc(n) % 65536;
    return n < 0 ? n + 65536 : n;
  }

  class Response {
    #status = 200;
    #statusText = '';
    #headers = null;
    #contentType = null;  // the body's implied Content-Type while #headers is not made yet
    #guard = 'none';
    #body = null;
    #type = 'default';
    #url = '';
    #redirected = false;

    constructor(body = null, init = undefined) {
      if (body === kInternal) return;
      this.#initialize(body, init, null);
    }

    #initialize(body, init, forcedType) {
      if (init !== undefined && init !== null && typeof init !== 'object') {
        throw new TypeError("Failed to construct 'Response': The provided value is not of type 'ResponseInit'.");
      }
      init = init ?? {};
      const status = init.status === undefined ? 200 : toUnsignedShort(init.status);
      if (status < 200 || status > 599) {
        throw new RangeError(`Failed to construct 'Response': The status provided (${status}) is outside the range [200, 599].`);
      }
      const statusText = init.statusText === undefined ? '' : `${init.statusText}`;
      if (!reasonPhraseRe.test(statusText)) {
        throw new TypeError("Failed to construct 'Response': Invalid statusText");
      }
      this.#status = status;
      this.#statusText = statusText;
      if (init.headers !== undefined) this.#headers = new Headers(init.headers);
      let source = null, type = null;
      if (body !== null && body !== undefined) {
        if (kNullBodyStatus.has(status)) {
          throw new TypeError("Failed to construct 'Response': Response with null body status cannot have body");
        }
        ({source, type} = extractBody(body));
      }
      if (forcedType !== null) type = forcedType;
      if (type !== null) {
        if (this.#headers === null) this.#contentType = type;
        else H.setIfAbsent(this.#headers, 'content-type', type);
      }
      this.#body = new BodyState(source);
    }

    static error() {
      const r = new Response(kInternal);
      r.#status = 0;
      r.#type = 'error';
      r.#guard = 'immutable';
      r.#body = new BodyState(null);
      return r;
    }

    static redirect(url, status = 302) {
      url = internal.parseUrl(url, "Failed to execute 'redirect' on 'Response'");
      status = toUnsignedShort(status);
      if (!kRedirectStatus.has(status)) throw new RangeError(`Failed to execute 'redirect' on 'Response': Invalid status code ${status}`);
      const r = new Response(kInternal);
      r.#status = status;
      r.#headers = new Headers([['location', url]]);
      H.setGuard(r.#headers, 'immutable');
      r.#body = new BodyState(null);
      return r;
    }

    static json(data, init = undefined) {
      const text = JSONStringify(data);
      if (text === undefined) throw new TypeError("Failed to execute 'json' on 'Response': Value is not JSON serializable");
      const r = new Response(kInternal);
      r.#initialize(text, init, 'application/json');
      return r;
    }

    get type() { return this.#type; }
    get url() { return this.#url; }
    get redirected() { return this.#redirected; }
    get status() { return this.#status; }
    get ok() { return this.#status >= 200 && this.#status <= 299; }
    get statusText() { return this.#statusText; }
    get headers() {
      if (this.#headers === null) {
        this.#headers = new Headers();
        if (this.#contentType !== null) H.setIfAbsent(this.#headers, 'content-type', this.#contentType);
        H.setGuard(this.#headers, this.#guard);
      }
      return this.#headers;
    }

    clone() {
      if (!(#status in this)) throw new TypeError("Failed to execute 'clone' on 'Response': Illegal invocation");
      if (this.#body.isUsed) throw new TypeError("Failed to execute 'clone' on 'Response': Response body is already used");
      const r = new Response(kInternal);
      r.#status = this.#status;
      r.#statusText = this.#statusText;
      r.#contentType = this.#contentType;
      r.#guard = this.#guard;
      r.#type = this.#type;
      r.#url = this.#url;
      r.#redirected = this.#redirected;
      if (this.#headers !== null) {
        r.#headers = new Headers(this.#headers);
        H.setGuard(r.#headers, H.getGuard(this.#headers));
      }
      r.#body = this.#body.clone();
      return r;
    }

    [kInspect]() {
      return `Response { status: ${this.#status}, statusText: '${this.#statusText}', headers: ${this.headers[kInspect]()}, bodyUsed: ${this.#body.isUsed}, ok: ${this.ok}, redirected: ${this.#redirected}, type: '${this.#type}', url: '${this.#url}' }`;
    }

    static {
      // A response from the network (fetch()): immutable headers, its URL, body a stream.
      internal.newFetchedResponse = function (status, statusText, flat, body, url, redirected) {
        const r = new Response(kInternal);
        r.#status = status;
        r.#statusText = statusText;
        r.#headers = H.fromFlat(flat, 'immutable');
        r.#guard = 'immutable';
        r.#type = 'basic';
        r.#url = url;
        r.#redirected = redirected;
        r.#body = new BodyState(body);
        return r;
      };
      installBodyMixin(Response, 'Response',
                       (obj) => (obj !== null && typeof obj === 'object' && #status in obj) ? obj.#body : undefined,
                       (obj) => obj.#headers === null ? obj.#contentType : H.get(obj.#headers, 'content-type'));
      // What the runtime sends: [status, statusText, [name, value, ...], string | Uint8Array | null]
      internal.responseParts = function (value) {
        if (value === null || typeof value !== 'object' || !(#status in value)) {
          const got = value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name || 'object') : typeof value;
          throw new TypeError(`The fetch handler must return a Response (or a Promise for one), but it returned ${got}.`);
        }
        if (value.#type === 'error') {
          throw new TypeError('The fetch handler returned Response.error(), which is a network error.');
        }
        let flat;
        if (value.#headers === null) flat = value.#contentType === null ? [] : ['content-type', value.#contentType];
        else flat = H.toFlat(value.#headers);
        let body = value.#body.source;
        if (isStream(body)) {
          if (body.locked || value.#body.isUsed) {
            throw new TypeError('The fetch handler returned a Response whose body stream is locked or already read.');
          }
          body = internal.registerResponseBody(body);  // the host pulls it while writing
        }
        return [value.#status, value.#statusText, flat, body];
      };
    }
  }
  internal.setToStringTag(Response, 'Response');
  internal.makeEnumerable(Response, ['type', 'url', 'redirected', 'status', 'ok', 'statusText', 'headers', 'clone']);
  internal.defineGlobal('Response', Response);
});
