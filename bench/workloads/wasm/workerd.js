// wasm: every request calls the WebAssembly export fib(1000) (fib.wat) and answers the result.
// workerd compiles fib.wasm (a Wasm module in workerd.capnp) and imports it as a WebAssembly.Module.
import fibModule from './fib.wasm';

const fib = new WebAssembly.Instance(fibModule).exports.fib;

export default {
  fetch() {
    return new Response(String(fib(1000) >>> 0));
  },
};
