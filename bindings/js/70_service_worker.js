// Service-worker script format: addEventListener("fetch", event => event.respondWith(...)). The
// listeners are ordinary listeners of the global EventTarget (14_event_target.js); a request is a
// FetchEvent dispatched at the global object.
(function (internal, global) {
  'use strict';
  const {TypeError} = internal.primordials;
  const {Event, eventState} = internal;
  const dispatchEvent = Function.prototype.call.bind(internal.EventTarget.prototype.dispatchEvent);

  class FetchEvent extends Event {
    #request;
    #ctx = null;
    #responded = false;
    #response = undefined;

    constructor(type, init = undefined) {
      if (arguments.length < 2) {
        throw new TypeError(`Failed to construct 'FetchEvent': 2 arguments required, but only ${arguments.length} present.`);
      }
      if (init === null || typeof init !== 'object' || !(init.request instanceof Request)) {
        throw new TypeError("Failed to construct 'FetchEvent': init.request must be a Request");
      }
      super(type, init);
      this.#request = init.request;
    }
    static #check(self) {
      if (self === null || typeof self !== 'object' || !(#request in self)) {
        throw new TypeError("Illegal invocation: 'this' is not a FetchEvent");
      }
      return self;
    }
    get request() { return FetchEvent.#check(this).#request; }
    respondWith(response) {
      FetchEvent.#check(this);
      if (this.#responded) throw new TypeError("Failed to execute 'respondWith' on 'FetchEvent': The event has already been responded to.");
      this.#responded = true;
      this.#response = response;
    }
    waitUntil(promise) {
      if (FetchEvent.#check(this).#ctx !== null) this.#ctx.waitUntil(promise);
    }
    passThroughOnException() {}

    static {
      internal.dispatchFetchEvent = function (request, ctx) {
        const event = new FetchEvent('fetch', {request});
        eventState(event).trusted = true;
        event.#ctx = ctx;
        dispatchEvent(global, event);
        if (!event.#responded) {
          throw new TypeError("No response: no 'fetch' event listener called event.respondWith().");
        }
        return event.#response;
      };
    }
  }
  internal.makeEnumerable(FetchEvent, ['request', 'respondWith', 'waitUntil', 'passThroughOnException']);
  internal.setToStringTag(FetchEvent, 'FetchEvent');

  internal.defineGlobal('FetchEvent', FetchEvent);
  internal.hasFetchListener = () => internal.listenerMap(global).get('fetch') !== undefined;
});
