// setTimeout / setInterval / queueMicrotask (HTML "timers"). Callbacks stay in this context; the
// host only keeps the clock and calls internal.fireTimer(id) when a timer is due.
(function (internal, global) {
  'use strict';
  const {timerStart, timerStop, enqueueMicrotask} = internal;
  const {ReflectApply, TypeError} = internal.primordials;
  const timers = new Map();  // id -> {callback, args, repeat}
  let nextId = 1;

  function allocateId() {
    // Ids are positive and not reused while their timer is live, even after wrapping.
    do {
      const id = nextId++;
      if (nextId > 0x7fffffff) nextId = 1;
      if (!timers.has(id)) return id;
    } while (true);
  }

  function start(callback, delay, args, repeat) {
    // Web IDL "long" conversion, then negative -> 0 (HTML timer initialization steps).
    delay = delay | 0;
    if (delay < 0) delay = 0;
    return startMs(callback, delay, args, repeat);
  }

  function startMs(callback, delay, args, repeat) {
    const id = allocateId();
    timers.set(id, {callback, args, repeat});
    timerStart(id, delay, repeat);
    return id;
  }

  function checkHandler(callback, name) {
    if (typeof callback !== 'function') {
      throw new TypeError(`${name}: the callback must be a function (edgerun does not evaluate strings as code)`);
    }
  }

  function clear(id) {
    id = id | 0;
    if (timers.delete(id)) timerStop(id);
  }

  // fireTimer(id, dropped): run the callback, or forget it (the host cancelled the timer because
  // the request that started it ended). An exception is reported, as HTML's timer task does.
  internal.fireTimer = function (id, dropped) {
    const timer = timers.get(id);
    if (timer === undefined) return;
    if (!timer.repeat || dropped) timers.delete(id);
    if (dropped) return;
    try {
      ReflectApply(timer.callback, global, timer.args);
    } catch (error) {
      internal.reportError(error);
    }
  };

  // A one-shot timer for the runtime's own use (AbortSignal.timeout), immune to user code
  // replacing the globals.
  // `delay` is a non-negative integer of milliseconds, not wrapped to 32 bits like setTimeout's
  // (AbortSignal.timeout takes an unsigned long long).
  internal.startInternalTimer = (callback, delay) => startMs(callback, delay, [], false);

  internal.defineGlobal('setTimeout', function setTimeout(callback, delay = 0, ...args) {
    checkHandler(callback, 'setTimeout');
    return start(callback, delay, args, false);
  });
  internal.defineGlobal('setInterval', function setInterval(callback, delay = 0, ...args) {
    checkHandler(callback, 'setInterval');
    return start(callback, delay, args, true);
  });
  internal.defineGlobal('clearTimeout', function clearTimeout(id = 0) { clear(id); });
  internal.defineGlobal('clearInterval', function clearInterval(id = 0) { clear(id); });
  internal.defineGlobal('queueMicrotask', function queueMicrotask(callback) {
    if (typeof callback !== 'function') {
      throw new TypeError("Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.");
    }
    enqueueMicrotask(() => {
      try {
        callback();
      } catch (e) {
        internal.reportError(e);
      }
    });
  });
});
