// Event and CustomEvent (DOM Standard). Dispatch itself lives with EventTarget (14_event_target.js),
// which reaches an event's internal state through internal.eventState.
(function (internal, global) {
  'use strict';
  const {ObjectDefineProperty, TypeError} = internal.primordials;
  const {performanceNow} = internal;

  // Web IDL dictionary member read for a boolean (undefined -> false).
  function readBoolean(dict, name) {
    return dict === undefined || dict === null ? false : !!dict[name];
  }
  function checkDictionary(dict, what) {
    if (dict !== undefined && dict !== null && typeof dict !== 'object' && typeof dict !== 'function') {
      throw new TypeError(`Failed to construct '${what}': The provided value is not of type '${what}Init'.`);
    }
  }

  // [LegacyUnforgeable] readonly attribute boolean isTrusted: an own accessor on every event,
  // the same getter function each time. Only events the runtime fires are trusted.
  const isTrustedDesc = {
    get: Object.getOwnPropertyDescriptor({get isTrusted() { return internal.eventState(this).trusted; }},
                                         'isTrusted').get,
    set: undefined, enumerable: true, configurable: false,
  };

  class Event extends internal.PlatformObject {
    // The state the DOM Standard keeps per event, in one object so dispatch can reach it.
    #s;
    constructor(type, eventInitDict = undefined) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
      }
      type = `${type}`;
      checkDictionary(eventInitDict, 'Event');
      const bubbles = readBoolean(eventInitDict, 'bubbles');
      const cancelable = readBoolean(eventInitDict, 'cancelable');
      const composed = readBoolean(eventInitDict, 'composed');
      super();
      this.#s = {
        type,
        bubbles,
        cancelable,
        composed,
        target: null,
        currentTarget: null,
        phase: 0,
        stopPropagation: false,
        stopImmediate: false,
        canceled: false,
        inPassiveListener: false,
        dispatching: false,
        initialized: true,
        trusted: false,
        timeStamp: performanceNow(),
      };
      ObjectDefineProperty(this, 'isTrusted', isTrustedDesc);
    }
    static #state(self) {
      if (self === null || typeof self !== 'object' || !(#s in self)) {
        throw new TypeError("Illegal invocation: 'this' is not an Event");
      }
      return self.#s;
    }
    get type() { return Event.#state(this).type; }
    get target() { return Event.#state(this).target; }
    get srcElement() { return Event.#state(this).target; }
    get currentTarget() { return Event.#state(this).currentTarget; }
    composedPath() {
      const s = Event.#state(this);
      return s.currentTarget === null ? [] : [s.currentTarget];
    }
    get eventPhase() { return Event.#state(this).phase; }
    stopPropagation() { Event.#state(this).stopPropagation = true; }
    get cancelBubble() { return Event.#state(this).stopPropagation; }
    set cancelBubble(value) { if (value) Event.#state(this).stopPropagation = true; }
    stopImmediatePropagation() {
      const s = Event.#state(this);
      s.stopPropagation = true;
      s.stopImmediate = true;
    }
    get bubbles() { return Event.#state(this).bubbles; }
    get cancelable() { return Event.#state(this).cancelable; }
    get returnValue() { return !Event.#state(this).canceled; }
    set returnValue(value) { if (!value) setCanceled(Event.#state(this)); }
    preventDefault() { setCanceled(Event.#state(this)); }
    get defaultPrevented() { return Event.#state(this).canceled; }
    get composed() { return Event.#state(this).composed; }
    get timeStamp() { return Event.#state(this).timeStamp; }
    initEvent(type, bubbles = false, cancelable = false) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to execute 'initEvent' on 'Event': 1 argument required, but only 0 present.");
      }
      const s = Event.#state(this);
      if (s.dispatching) return;
      s.initialized = true;
      s.stopPropagation = s.stopImmediate = s.canceled = false;
      s.target = null;
      s.type = `${type}`;
      s.bubbles = !!bubbles;
      s.cancelable = !!cancelable;
    }
    [internal.primordials.kInspect](depth, options, inspect) {
      const s = Event.#state(this);
      return `${this.constructor.name} ${inspect({type: s.type, defaultPrevented: s.canceled,
        cancelable: s.cancelable, timeStamp: s.timeStamp}, depth)}`;
    }
    static {
      internal.eventState = (event) => Event.#state(event);
      // An event fired by the runtime itself (isTrusted true), e.g. AbortSignal's 'abort'.
      internal.newTrustedEvent = (type) => {
        const event = new Event(type);
        event.#s.trusted = true;
        return event;
      };
    }
  }
  function setCanceled(s) {
    if (s.cancelable && !s.inPassiveListener) s.canceled = true;
  }
  internal.makeEnumerable(Event, [
    'type', 'target', 'srcElement', 'currentTarget', 'composedPath', 'eventPhase', 'stopPropagation',
    'cancelBubble', 'stopImmediatePropagation', 'bubbles', 'cancelable', 'returnValue',
    'preventDefault', 'defaultPrevented', 'composed', 'timeStamp', 'initEvent',
  ]);
  internal.platformClass(Event);
  internal.setToStringTag(Event, 'Event');
  const phases = ['NONE', 'CAPTURING_PHASE', 'AT_TARGET', 'BUBBLING_PHASE'];
  for (let i = 0; i < phases.length; i++) {
    const desc = {value: i, writable: false, enumerable: true, configurable: false};
    ObjectDefineProperty(Event, phases[i], desc);
    ObjectDefineProperty(Event.prototype, phases[i], desc);
  }

  class CustomEvent extends Event {
    #detail;
    constructor(type, eventInitDict = undefined) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to construct 'CustomEvent': 1 argument required, but only 0 present.");
      }
      checkDictionary(eventInitDict, 'CustomEvent');
      super(type, eventInitDict);
      const detail = eventInitDict === undefined || eventInitDict === null ? undefined : eventInitDict.detail;
      this.#detail = detail === undefined ? null : detail;
    }
    static #check(self) {
      if (self === null || typeof self !== 'object' || !(#detail in self)) {
        throw new TypeError("Illegal invocation: 'this' is not a CustomEvent");
      }
      return self;
    }
    get detail() { return CustomEvent.#check(this).#detail; }
    initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to execute 'initCustomEvent' on 'CustomEvent': 1 argument required, but only 0 present.");
      }
      CustomEvent.#check(this);
      if (internal.eventState(this).dispatching) return;
      this.initEvent(type, bubbles, cancelable);
      this.#detail = detail;
    }
  }
  internal.makeEnumerable(CustomEvent, ['detail', 'initCustomEvent']);
  internal.setToStringTag(CustomEvent, 'CustomEvent');

  internal.Event = Event;
  internal.defineGlobal('Event', Event);
  internal.defineGlobal('CustomEvent', CustomEvent);
});
