// navigator: who is running the worker.
(function (internal, global) {
  'use strict';
  const {TypeError} = internal.primordials;
  const userAgent = internal.userAgent();
  let constructing = false;

  class Navigator extends internal.PlatformObject {
    constructor() {
      if (!constructing) throw new TypeError("Failed to construct 'Navigator': Illegal constructor");
      super();
    }
    get userAgent() { return userAgent; }
    // One: a request runs on one thread, and the host's core count is not the tenant's business
    // (Cloudflare Workers also answers 1).
    get hardwareConcurrency() { return 1; }
  }
  internal.platformClass(Navigator);
  internal.makeEnumerable(Navigator, ['userAgent', 'hardwareConcurrency']);
  internal.setToStringTag(Navigator, 'Navigator');

  constructing = true;
  const navigator = new Navigator();
  constructing = false;
  internal.defineGlobal('Navigator', Navigator);
  Object.defineProperty(global, 'navigator', {
    get() { return navigator; }, enumerable: true, configurable: true,
  });
});
