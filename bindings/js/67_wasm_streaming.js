// WebAssembly.compileStreaming() and instantiateStreaming() (WebAssembly Web API, section 3): V8 defines
// them only in isolates whose embedder set a streaming callback, and edgerun's worker contexts
// come from a snapshot made without one. V8 adds WebAssembly to a context only after deserializing
// it, so NewWorkerContext (bindings/worker_context.cc) calls internal.installWasmStreaming() on
// every new worker context. These check the Response as the spec says, read its
// whole body and hand the bytes to WebAssembly.compile / instantiate, so a worker's
// "wasm_runtime_compile": false refuses them like those.
(function (internal, global) {
  'use strict';
  const {ObjectDefineProperty, ReflectApply, StringPrototypeToLowerCase, StringPrototypeReplace,
         TypeError} = internal.primordials;
  const ResponsePrototype = global.Response.prototype;
  const getOk = Object.getOwnPropertyDescriptor(ResponsePrototype, 'ok').get;
  const getHeaders = Object.getOwnPropertyDescriptor(ResponsePrototype, 'headers').get;
  const arrayBuffer = ResponsePrototype.arrayBuffer;
  const headersGet = global.Headers.prototype.get;

  async function bytesOf(source, api) {
    const response = await source;
    let ok, headers;
    try {
      ok = ReflectApply(getOk, response, []);  // also the brand check
      headers = ReflectApply(getHeaders, response, []);
    } catch {
      throw new TypeError(`WebAssembly.${api}(): Argument 0 must be a Response or a Promise for one`);
    }
    const type = ReflectApply(headersGet, headers, ['content-type']);
    if (type === null ||
        StringPrototypeToLowerCase(StringPrototypeReplace(type, /^[\t ]+|[\t ]+$/g, '')) !== 'application/wasm') {
      throw new TypeError(`WebAssembly.${api}(): Incorrect response MIME type ` +
                          `${type === null ? '(none)' : `'${type}'`}. Expected 'application/wasm'.`);
    }
    if (!ok) throw new TypeError(`WebAssembly.${api}(): HTTP status code is not ok`);
    return ReflectApply(arrayBuffer, response, []);
  }

  let WebAssembly, compile, instantiate;  // this context's, set by installWasmStreaming()
  const methods = {
    async compileStreaming(source) {
      return ReflectApply(compile, WebAssembly, [await bytesOf(source, 'compileStreaming')]);
    },
    async instantiateStreaming(source) {
      const importObject = arguments[1];
      const bytes = await bytesOf(source, 'instantiateStreaming');
      return ReflectApply(instantiate, WebAssembly, [bytes, importObject]);
    },
  };
  internal.installWasmStreaming = function () {
    WebAssembly = global.WebAssembly;
    if (WebAssembly === undefined) return;  // not yet: the snapshot is being built
    compile = WebAssembly.compile;
    instantiate = WebAssembly.instantiate;
    for (const name of ['compileStreaming', 'instantiateStreaming']) {
      ObjectDefineProperty(WebAssembly, name,
                           {value: methods[name], writable: true, enumerable: false, configurable: true});
    }
  };
})
