// The `ctx` passed to fetch(request, env, ctx): waitUntil() lets work finish after the response.
(function (internal, global) {
  'use strict';
  const {PromiseResolve, PromisePrototypeThen} = internal.primordials;
  const {waitUntilDelta} = internal;

  class ExecutionContext {
    #request;
    constructor(request) {
      this.#request = request;
    }
    waitUntil(promise) {
      const request = this.#request;
      waitUntilDelta(request, 1);
      PromisePrototypeThen(PromiseResolve(promise), () => waitUntilDelta(request, -1), (error) => {
        waitUntilDelta(request, -1);
        internal.reportError(error);
      });
    }
    passThroughOnException() {}
  }
  internal.setToStringTag(ExecutionContext, 'ExecutionContext');
  // `request` is the runtime's id for the request: waitUntil() work is tracked per request.
  internal.newExecutionContext = (request) => new ExecutionContext(request);
});
