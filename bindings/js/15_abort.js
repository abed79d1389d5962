// AbortController and AbortSignal (DOM Standard), including AbortSignal.timeout() on the host's
// timers and AbortSignal.any() with dependent signals.
(function (internal, global) {
  'use strict';
  const {TypeError, SymbolIterator} = internal.primordials;
  const {EventTarget, DOMException, newTrustedEvent} = internal;
  const WeakRefCtor = WeakRef;
  const dispatchEvent = Function.prototype.call.bind(EventTarget.prototype.dispatchEvent);

  let constructing = false;  // AbortSignal's constructor is not callable by user code

  class AbortSignal extends EventTarget {
    #aborted = false;
    #reason = undefined;
    #algorithms = null;       // Set of functions run on abort (platform "abort algorithms")
    #dependent = false;
    #sources = null;          // dependent signals: the non-dependent signals they follow (strong)
    #dependents = null;       // Set of WeakRef to dependent signals following this one
    #pinned = null;           // dependents kept alive because someone listens for their abort

    constructor() {
      if (!constructing) throw new TypeError("Failed to construct 'AbortSignal': Illegal constructor");
      super();
    }
    static #check(self) {
      if (self === null || typeof self !== 'object' || !(#aborted in self)) {
        throw new TypeError("Illegal invocation: 'this' is not an AbortSignal");
      }
      return self;
    }
    static #make() {
      constructing = true;
      try {
        return new AbortSignal();
      } finally {
        constructing = false;
      }
    }

    get aborted() { return AbortSignal.#check(this).#aborted; }
    get reason() { return AbortSignal.#check(this).#reason; }
    throwIfAborted() {
      if (AbortSignal.#check(this).#aborted) throw this.#reason;
    }

    static abort(reason = undefined) {
      const signal = AbortSignal.#make();
      signal.#aborted = true;
      signal.#reason = reason === undefined ? defaultReason() : reason;
      return signal;
    }

    static timeout(milliseconds) {
      // Web IDL [EnforceRange] unsigned long long
      let ms = +milliseconds;
      if (!Number.isFinite(ms)) {
        throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': Value is not of type 'unsigned long long'.");
      }
      ms = Math.trunc(ms);
      if (ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
        throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': Value is outside the 'unsigned long long' value range.");
      }
      const signal = AbortSignal.#make();
      internal.startInternalTimer(() => {
        signal.#abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      }, ms);
      return signal;
    }

    static any(signals) {
      const list = [];
      if (signals === null || (typeof signals !== 'object' && typeof signals !== 'function') ||
          typeof signals[SymbolIterator] !== 'function') {
        throw new TypeError("Failed to execute 'any' on 'AbortSignal': The provided value cannot be converted to a sequence.");
      }
      for (const signal of signals) {
        if (signal === null || typeof signal !== 'object' || !(#aborted in signal)) {
          throw new TypeError("Failed to execute 'any' on 'AbortSignal': Failed to convert value to 'AbortSignal'.");
        }
        list.push(signal);
      }
      const result = AbortSignal.#make();
      for (const signal of list) {
        if (signal.#aborted) {
          result.#aborted = true;
          result.#reason = signal.#reason;
          return result;
        }
      }
      result.#dependent = true;
      result.#sources = new Set();
      for (const signal of list) {
        if (!signal.#dependent) {
          result.#follow(signal);
        } else {
          for (const source of signal.#sources) result.#follow(source);
        }
      }
      return result;
    }

    #follow(source) {
      if (this.#sources.has(source)) return;
      this.#sources.add(source);
      source.#dependents ??= new Set();
      // Held weakly: a long-lived signal combined into a short-lived one per request must not
      // keep every combination alive. Dead references are swept as the set grows.
      if (source.#dependents.size >= 64 && (source.#dependents.size & (source.#dependents.size - 1)) === 0) {
        for (const ref of source.#dependents) if (ref.deref() === undefined) source.#dependents.delete(ref);
      }
      source.#dependents.add(new WeakRefCtor(this));
      this.#updatePin();
    }

    // DOM: a dependent signal is not collected while it has sources and abort listeners or
    // algorithms, so its sources hold it strongly while it has any, and weakly otherwise.
    #updatePin() {
      if (!this.#dependent || this.#aborted) return;
      const wanted = (this.#algorithms !== null && this.#algorithms.size > 0) ||
                     internal.listenerMap(this).has('abort');
      for (const source of this.#sources) {
        if (wanted) {
          (source.#pinned ??= new Set()).add(this);
        } else if (source.#pinned !== null) {
          source.#pinned.delete(this);
        }
      }
    }

    // "signal abort"
    #abort(reason) {
      if (this.#aborted) return;
      this.#aborted = true;
      this.#reason = reason === undefined ? defaultReason() : reason;
      const dependents = [];
      if (this.#dependents !== null) {
        for (const ref of this.#dependents) {
          const dependent = ref.deref();
          if (dependent !== undefined && !dependent.#aborted) {
            dependent.#aborted = true;
            dependent.#reason = this.#reason;
            dependents.push(dependent);
          }
        }
      }
      this.#dependents = null;
      this.#pinned = null;
      this.#runAbortSteps();
      for (const dependent of dependents) dependent.#runAbortSteps();
    }

    #runAbortSteps() {
      const algorithms = this.#algorithms;
      this.#algorithms = null;
      if (algorithms !== null) {
        for (const algorithm of algorithms) {
          try {
            algorithm();
          } catch (error) {
            internal.reportError(error);
          }
        }
      }
      dispatchEvent(this, newTrustedEvent('abort'));
    }

    static {
      internal.isAbortSignal = (value) => value !== null && typeof value === 'object' && #aborted in value;
      internal.abortSignalAborted = (signal) => signal.#aborted;
      internal.abortSignalReason = (signal) => signal.#reason;
      // Platform "abort algorithms" (listener removal, fetch, streams); returns a function that
      // removes the algorithm again.
      internal.addAbortAlgorithm = (signal, algorithm) => {
        if (signal.#aborted) return () => {};
        (signal.#algorithms ??= new Set()).add(algorithm);
        signal.#updatePin();
        return () => {
          if (signal.#algorithms === null) return;
          signal.#algorithms.delete(algorithm);
          signal.#updatePin();
        };
      };
      // Called when a target gains its first or loses its last 'abort' listener.
      internal.onAbortListener = (target) => {
        if (target !== null && typeof target === 'object' && #aborted in target) target.#updatePin();
      };
      internal.newAbortSignal = () => AbortSignal.#make();
      internal.signalAbort = (signal, reason) => signal.#abort(reason);
    }
  }
  internal.defineEventHandler(AbortSignal, 'onabort');
  internal.makeEnumerable(AbortSignal, ['aborted', 'reason', 'throwIfAborted']);
  for (const name of ['abort', 'timeout', 'any']) {
    Object.defineProperty(AbortSignal, name, {enumerable: true});
  }
  internal.setToStringTag(AbortSignal, 'AbortSignal');

  function defaultReason() {
    return new DOMException('signal is aborted without reason', 'AbortError');
  }

  class AbortController extends internal.PlatformObject {
    #signal = internal.newAbortSignal();
    constructor() {
      super();
    }
    static #check(self) {
      if (self === null || typeof self !== 'object' || !(#signal in self)) {
        throw new TypeError("Illegal invocation: 'this' is not an AbortController");
      }
      return self;
    }
    get signal() { return AbortController.#check(this).#signal; }
    abort(reason = undefined) { internal.signalAbort(AbortController.#check(this).#signal, reason); }
  }
  internal.makeEnumerable(AbortController, ['signal', 'abort']);
  internal.platformClass(AbortController);
  internal.setToStringTag(AbortController, 'AbortController');

  internal.defineGlobal('AbortSignal', AbortSignal);
  internal.defineGlobal('AbortController', AbortController);
});
