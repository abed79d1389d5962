// wasm: every request calls the WebAssembly export fib(1000) (fib.wat) and answers the result.
// edgerun has no .wasm module bindings yet: the module's bytes are embedded below (written by
// ./gen from fib.wat) and compiled once, at the top level.
// wasm-bytes:begin
const FIB_WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0, 7, 7, 1, 3, 102, 105, 98, 0, 0, 10, 47, 1, 45, 1, 3, 127, 65, 1, 33, 2, 2, 64, 3, 64, 32, 0, 69, 13, 1, 32, 1, 32, 2, 106, 33, 3, 32, 2, 33, 1, 32, 3, 33, 2, 32, 0, 65, 1, 107, 33, 0, 12, 0, 11, 11, 32, 1, 11]);
// wasm-bytes:end
const fib = new WebAssembly.Instance(new WebAssembly.Module(FIB_WASM)).exports.fib;

export default {
  fetch() {
    return new Response(String(fib(1000) >>> 0));
  },
};
