// EventTarget (DOM Standard): listeners with capture/once/passive/signal, handleEvent objects,
// dispatch with the spec's re-entrancy rules. Targets here are never nodes, so an event's path
// is just its target. The worker's global object is an EventTarget too (as in Deno and
// Cloudflare Workers): its prototype chain runs through EventTarget.prototype.
(function (internal, global) {
  'use strict';
  const {ReflectApply, TypeError} = internal.primordials;
  const {eventState, DOMException} = internal;
  const ArrayPrototypeSplice = Function.prototype.call.bind(Array.prototype.splice);
  const ArrayPrototypeIndexOf = Function.prototype.call.bind(Array.prototype.indexOf);

  // The global object cannot carry a private field, so its listeners live here.
  const globalListeners = new Map();

  function checkCallback(callback, method) {
    if (callback !== undefined && callback !== null && typeof callback !== 'object' &&
        typeof callback !== 'function') {
      throw new TypeError(`Failed to execute '${method}' on 'EventTarget': parameter 2 is not of type 'EventListener'.`);
    }
  }

  // Options as the DOM's "flatten" steps read them (dictionary members in IDL order).
  function flattenAdd(options) {
    if (options === undefined || options === null || typeof options === 'object' || typeof options === 'function') {
      if (options === undefined || options === null) return {capture: false, once: false, passive: false, signal: null};
      const capture = !!options.capture;
      const once = !!options.once;
      const passive = !!options.passive;
      let signal = options.signal;
      if (signal === undefined) {
        signal = null;
      } else if (!internal.isAbortSignal(signal)) {
        throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': member signal is not of type 'AbortSignal'.");
      }
      return {capture, once, passive, signal};
    }
    return {capture: !!options, once: false, passive: false, signal: null};
  }
  function flattenCapture(options) {
    if (options === undefined || options === null) return false;
    if (typeof options === 'object' || typeof options === 'function') return !!options.capture;
    return !!options;
  }

  function find(list, callback, capture) {
    for (let i = 0; i < list.length; i++) {
      if (list[i].callback === callback && list[i].capture === capture) return i;
    }
    return -1;
  }

  function removeRecord(target, map, type, record) {
    record.removed = true;
    const list = map.get(type);
    if (list === undefined) return;
    const i = ArrayPrototypeIndexOf(list, record);
    if (i >= 0) ArrayPrototypeSplice(list, i, 1);
    if (list.length === 0) {
      map.delete(type);
      // An AbortSignal with no 'abort' listeners left need not be kept alive by its sources.
      if (type === 'abort') internal.onAbortListener(target);
    }
  }

  function addRecord(map, type, record) {
    let list = map.get(type);
    if (list === undefined) map.set(type, list = []);
    list.push(record);
  }

  class EventTarget extends internal.PlatformObject {
    #listeners = null;  // Map: type -> [{callback, capture, once, passive, removed}], made on first use
    constructor() {
      super();
    }

    // The listener map of `self`; [Global] rules: an undefined/null `this` means the global.
    static #map(self) {
      if (self === undefined || self === null || self === global) return globalListeners;
      if ((typeof self !== 'object' && typeof self !== 'function') || !(#listeners in self)) {
        throw new TypeError("Illegal invocation: 'this' is not an EventTarget");
      }
      return self.#listeners ??= new Map();
    }

    addEventListener(type, callback, options = undefined) {
      const map = EventTarget.#map(this);
      if (arguments.length < 2) {
        throw new TypeError(`Failed to execute 'addEventListener' on 'EventTarget': 2 arguments required, but only ${arguments.length} present.`);
      }
      type = `${type}`;
      checkCallback(callback, 'addEventListener');
      const {capture, once, passive, signal} = flattenAdd(options);
      if (signal !== null && internal.abortSignalAborted(signal)) return;
      if (callback === undefined || callback === null) return;
      const list = map.get(type);
      if (list !== undefined && find(list, callback, capture) >= 0) return;
      const record = {callback, capture, once, passive, removed: false};
      addRecord(map, type, record);
      const target = this;
      if (signal !== null) internal.addAbortAlgorithm(signal, () => removeRecord(target, map, type, record));
      if (type === 'abort') internal.onAbortListener(this);
    }

    removeEventListener(type, callback, options = undefined) {
      const map = EventTarget.#map(this);
      if (arguments.length < 2) {
        throw new TypeError(`Failed to execute 'removeEventListener' on 'EventTarget': 2 arguments required, but only ${arguments.length} present.`);
      }
      type = `${type}`;
      checkCallback(callback, 'removeEventListener');
      const capture = flattenCapture(options);
      const list = map.get(type);
      if (list === undefined) return;
      const i = find(list, callback, capture);
      if (i >= 0) removeRecord(this, map, type, list[i]);
    }

    dispatchEvent(event) {
      const map = EventTarget.#map(this);
      if (arguments.length < 1) {
        throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': 1 argument required, but only 0 present.");
      }
      let s;
      try {
        s = eventState(event);
      } catch {
        throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
      }
      if (s.dispatching || !s.initialized) {
        throw new DOMException("Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched.", 'InvalidStateError');
      }
      return dispatch(this === undefined || this === null ? global : this, map, event, s);
    }

    static {
      internal.isEventTarget = (value) => value === global ||
          (value !== null && typeof value === 'object' && #listeners in value);
      internal.listenerMap = (target) => EventTarget.#map(target);
    }
  }
  internal.makeEnumerable(EventTarget, ['addEventListener', 'removeEventListener', 'dispatchEvent']);
  internal.platformClass(EventTarget);
  internal.setToStringTag(EventTarget, 'EventTarget');

  function dispatch(target, map, event, s) {
    s.dispatching = true;
    s.target = target;
    s.currentTarget = target;
    s.phase = 2;  // AT_TARGET: capture listeners first, then the others
    invoke(target, map, event, s, true);
    invoke(target, map, event, s, false);
    s.phase = 0;
    s.currentTarget = null;
    s.dispatching = false;
    s.stopPropagation = false;
    s.stopImmediate = false;
    return !s.canceled;
  }

  function invoke(target, map, event, s, capturePass) {
    if (s.stopPropagation) return;
    const list = map.get(s.type);
    if (list === undefined) return;
    const listeners = [...list];  // listeners added during dispatch do not run in it
    for (let i = 0; i < listeners.length; i++) {
      const record = listeners[i];
      if (record.removed || record.capture !== capturePass) continue;
      if (record.once) removeRecord(target, map, s.type, record);
      if (record.passive) s.inPassiveListener = true;
      try {
        const callback = record.callback;
        if (typeof callback === 'function') {
          ReflectApply(callback, target, [event]);
        } else {
          const handleEvent = callback.handleEvent;
          if (typeof handleEvent !== 'function') {
            throw new TypeError("The event listener is neither a function nor an object with a 'handleEvent' method.");
          }
          ReflectApply(handleEvent, callback, [event]);
        }
      } catch (error) {
        internal.reportError(error);
      }
      s.inPassiveListener = false;
      if (s.stopImmediate) return;
    }
  }

  // An event handler IDL attribute (`onabort` and the like): one listener that keeps its place
  // in the list while its value changes, removed when set to null (HTML "event handlers").
  internal.defineEventHandler = function (ctor, name) {
    const type = name.slice(2);
    const handlers = new WeakMap();  // target -> {value, record}
    Object.defineProperty(ctor.prototype, name, {
      enumerable: true,
      configurable: true,
      get() {
        internal.listenerMap(this);
        const h = handlers.get(this);
        return h === undefined ? null : h.value;
      },
      set(value) {
        const map = internal.listenerMap(this);
        const target = this === undefined || this === null ? global : this;
        if (value === null || (typeof value !== 'object' && typeof value !== 'function')) value = null;
        let h = handlers.get(target);
        if (value === null) {
          if (h !== undefined) {
            removeRecord(target, map, type, h.record);
            handlers.delete(target);
          }
          return;
        }
        if (h === undefined) {
          h = {value, record: null};
          h.record = {
            callback(event) {
              if (typeof h.value !== 'function') return;
              const result = ReflectApply(h.value, target, [event]);
              if (result === false) event.preventDefault();
            },
            capture: false, once: false, passive: false, removed: false,
          };
          handlers.set(target, h);
          addRecord(map, type, h.record);
          if (type === 'abort') internal.onAbortListener(target);
        }
        h.value = value;
      },
    });
  };

  internal.EventTarget = EventTarget;
  internal.defineGlobal('EventTarget', EventTarget);
  Object.setPrototypeOf(global, EventTarget.prototype);
});
