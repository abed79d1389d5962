// The one entry point the runtime calls per request (see bindings/worker_context.h).
(function (internal, global) {
  'use strict';
  const {ReflectApply, PromiseResolve, PromisePrototypeThen} = internal.primordials;
  const {newIncomingRequest, newExecutionContext, dispatchFetchEvent, responseParts} = internal;

  internal.dispatch = function dispatch(handler, receiver, method, url, headers, body, env, id) {
    const request = newIncomingRequest(method, url, headers, body);
    const ctx = newExecutionContext(id);
    const result = handler === undefined ? dispatchFetchEvent(request, ctx)
                                         : ReflectApply(handler, receiver, [request, env, ctx]);
    if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
      return PromisePrototypeThen(PromiseResolve(result), responseParts);
    }
    return responseParts(result);
  };
});
