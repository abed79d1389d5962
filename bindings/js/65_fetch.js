// fetch() (Fetch Standard, as Workers runtimes do it): the request goes out through the host's
// HTTP client; redirects are followed here (at most 20), so each hop is checked against the
// worker's outbound rules; an AbortSignal cancels the request and its body.
(function (internal, global) {
  'use strict';
  const {fetchStart, fetchCancel} = internal;
  const {Promise, PromiseReject, TypeError} = internal.primordials;
  const {DOMException} = internal;
  const H = internal.headers;
  const {URL} = global;
  const kRedirectStatus = new Set([301, 302, 303, 307, 308]);
  const kMaxRedirects = 20;

  const pending = new Map();  // id -> {resolve, reject}
  let nextId = 1;

  internal.fetchDone = function (id, status, statusText, flat, bodyId) {
    const waiting = pending.get(id);
    if (waiting === undefined) return;
    pending.delete(id);
    if (typeof status === 'string') {
      waiting.reject(new TypeError(`fetch failed: ${status}`));
    } else {
      waiting.resolve({status, statusText, flat, bodyId});
    }
  };

  function abortError(signal) {
    return signal.reason !== undefined ? signal.reason
                                       : new DOMException('The operation was aborted.', 'AbortError');
  }

  // One hop: resolves to {status, statusText, flat, bodyId}.
  function send(method, url, flat, body, signal) {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      if (nextId > 0x7fffffff) nextId = 1;
      const error = fetchStart(id, method, url, flat, body);
      if (error !== undefined) {
        reject(new TypeError(`fetch failed: ${error}`));
        return;
      }
      pending.set(id, {resolve, reject});
      if (signal !== null) {
        signal.addEventListener('abort', () => {
          if (!pending.delete(id)) return;
          fetchCancel(id);
          reject(abortError(signal));
        }, {once: true});
      }
    });
  }

  async function fetch(input, init = undefined) {
    const request = new Request(input, init);
    const signal = request.signal;
    if (signal.aborted) throw abortError(signal);
    let url = request.url;
    if (!/^https?:/i.test(url)) {
      throw new TypeError(`fetch failed: only http: and https: URLs can be fetched (got ${url.split(':')[0]}:)`);
    }
    let method = request.method;
    let flat = H.toFlat(request.headers);
    // Bytes go out with a Content-Length; a ReadableStream body is streamed out (chunked), pulled
    // by the connection as the origin takes it.
    const state = internal.requestBodyState(request);
    let body = null;
    if (state.source !== null) {
      if (internal.body.isStream(state.source)) {
        if (state.isUsed || state.source.locked) throw new TypeError('fetch failed: the request body is already used');
        state.used = true;
        body = internal.registerResponseBody(state.source);
      } else {
        body = await request.bytes();
      }
    }
    let redirected = false;
    for (let hop = 0; ; hop++) {
      const answer = await send(method, url, flat, body, signal);
      // bodyId: a number (the body streams from the connection; 0: none) or the whole body.
      const bodyStream = typeof answer.bodyId !== 'number' ? answer.bodyId
                         : answer.bodyId === 0 ? null : internal.newHostBodyStream(answer.bodyId, signal);
      const location = kRedirectStatus.has(answer.status) ? headerOf(answer.flat, 'location') : null;
      if (location === null || request.redirect === 'manual') {
        return internal.newFetchedResponse(answer.status, answer.statusText, answer.flat,
                                           bodyStream, url, redirected);
      }
      if (bodyStream !== null && typeof answer.bodyId === 'number') bodyStream.cancel();
      if (request.redirect === 'error') {
        throw new TypeError(`fetch failed: ${url} redirected (${answer.status}) and the request's redirect mode is 'error'`);
      }
      if (hop + 1 > kMaxRedirects) throw new TypeError(`fetch failed: more than ${kMaxRedirects} redirects`);
      const keepsBody = !(answer.status === 303 && method !== 'GET' && method !== 'HEAD' ||
                          (answer.status === 301 || answer.status === 302) && method === 'POST');
      if (typeof body === 'number' && keepsBody) {
        throw new TypeError(`fetch failed: ${url} redirected (${answer.status}) and a streamed request body cannot be sent again`);
      }
      let next;
      try {
        next = new URL(location, url).href;
      } catch {
        throw new TypeError(`fetch failed: ${url} redirected to an invalid URL: ${location}`);
      }
      if (!/^https?:/i.test(next)) throw new TypeError(`fetch failed: redirect to a non-HTTP URL: ${next}`);
      // 303, and 301/302 after a POST, become a GET without a body (Fetch Standard, HTTP-redirect fetch).
      if (answer.status === 303 && method !== 'GET' && method !== 'HEAD' ||
          (answer.status === 301 || answer.status === 302) && method === 'POST') {
        method = 'GET';
        body = null;
        flat = dropBodyHeaders(flat);
      }
      url = next;
      redirected = true;
    }
  }

  function headerOf(flat, name) {
    for (let i = 0; i < flat.length; i += 2) {
      if (flat[i].toLowerCase() === name) return flat[i + 1];
    }
    return null;
  }

  function dropBodyHeaders(flat) {
    const out = [];
    for (let i = 0; i < flat.length; i += 2) {
      const name = flat[i].toLowerCase();
      if (name === 'content-type' || name === 'content-encoding' || name === 'content-language' ||
          name === 'content-location') continue;
      out.push(flat[i], flat[i + 1]);
    }
    return out;
  }

  internal.defineGlobal('fetch', function fetch_(input, init = undefined) {
    if (arguments.length === 0) {
      return PromiseReject(new TypeError("Failed to execute 'fetch': 1 argument required, but only 0 present."));
    }
    return fetch(input, init);
  });
  Object.defineProperty(global.fetch, 'name', {value: 'fetch'});
});
