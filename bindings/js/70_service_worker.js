// Service-worker script format: addEventListener("fetch", event => event.respondWith(...)).
(function (internal, global) {
  'use strict';
  const {ArrayPrototypePush, ReflectApply, TypeError} = internal.primordials;
  const fetchListeners = [];

  function callable(listener) {
    return typeof listener === 'function' ||
           (listener !== null && typeof listener === 'object' && typeof listener.handleEvent === 'function');
  }

  class FetchEvent {
    #request;
    #ctx = null;
    #responded = false;
    #response = undefined;
    #stop = false;

    constructor(type, init = undefined) {
      if (`${type}` !== 'fetch') throw new TypeError("Failed to construct 'FetchEvent': type must be 'fetch'");
      if (init === null || typeof init !== 'object' || !(init.request instanceof Request)) {
        throw new TypeError("Failed to construct 'FetchEvent': init.request must be a Request");
      }
      this.#request = init.request;
    }
    get type() { return 'fetch'; }
    get request() { return this.#request; }
    respondWith(response) {
      if (this.#responded) throw new TypeError("Failed to execute 'respondWith' on 'FetchEvent': The event has already been responded to.");
      this.#responded = true;
      this.#response = response;
    }
    waitUntil(promise) {
      if (this.#ctx !== null) this.#ctx.waitUntil(promise);
    }
    passThroughOnException() {}
    stopImmediatePropagation() { this.#stop = true; }
    stopPropagation() {}
    preventDefault() {}

    static {
      internal.dispatchFetchEvent = function (request, ctx) {
        const event = new FetchEvent('fetch', {request});
        event.#ctx = ctx;
        for (const listener of [...fetchListeners]) {
          if (typeof listener === 'function') ReflectApply(listener, global, [event]);
          else ReflectApply(listener.handleEvent, listener, [event]);
          if (event.#stop) break;
        }
        if (!event.#responded) {
          throw new TypeError("No response: no 'fetch' event listener called event.respondWith().");
        }
        return event.#response;
      };
    }
  }
  internal.setToStringTag(FetchEvent, 'FetchEvent');

  internal.defineGlobal('addEventListener', function addEventListener(type, listener, options = undefined) {
    if (!callable(listener)) return;
    if (`${type}` === 'fetch' && !fetchListeners.includes(listener)) ArrayPrototypePush(fetchListeners, listener);
  });
  internal.defineGlobal('removeEventListener', function removeEventListener(type, listener) {
    if (`${type}` !== 'fetch') return;
    const i = fetchListeners.indexOf(listener);
    if (i >= 0) fetchListeners.splice(i, 1);
  });
  internal.defineGlobal('FetchEvent', FetchEvent);
  internal.hasFetchListener = () => fetchListeners.length > 0;
});
