// The `ctx` passed to fetch(request, env, ctx): waitUntil() lets work finish after the response.
(function (internal, global) {
  'use strict';
  const {PromiseResolve, PromisePrototypeThen} = internal.primordials;
  const {waitUntilDelta} = internal;

  class ExecutionContext {
    waitUntil(promise) {
      waitUntilDelta(1);
      PromisePrototypeThen(PromiseResolve(promise), () => waitUntilDelta(-1), (error) => {
        waitUntilDelta(-1);
        internal.reportError(error);
      });
    }
    passThroughOnException() {}
  }
  internal.setToStringTag(ExecutionContext, 'ExecutionContext');
  internal.newExecutionContext = () => new ExecutionContext();
});
