// performance (High Resolution Time): now() is monotonic and relative to the time origin, the
// moment this worker's context was made. Unlike Cloudflare, time does not stand still during
// execution (no Spectre mitigation by frozen clocks); see the README.
(function (internal, global) {
  'use strict';
  const {TypeError} = internal.primordials;
  const {performanceNow, timeOrigin, EventTarget} = internal;
  let constructing = false;

  class Performance extends EventTarget {
    constructor() {
      if (!constructing) throw new TypeError("Failed to construct 'Performance': Illegal constructor");
      super();
    }
    now() { return performanceNow(); }
    get timeOrigin() { return timeOrigin(); }
    toJSON() { return {timeOrigin: timeOrigin()}; }
  }
  internal.makeEnumerable(Performance, ['now', 'timeOrigin', 'toJSON']);
  internal.setToStringTag(Performance, 'Performance');

  constructing = true;
  const performance = new Performance();
  constructing = false;
  internal.defineGlobal('Performance', Performance);
  Object.defineProperty(global, 'performance', {
    get() { return performance; }, enumerable: true, configurable: true,
  });
});
