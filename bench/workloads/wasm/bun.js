// bun bun.js
// wasm: every request calls the WebAssembly export fib(1000) (fib.wat) and answers the result.
const {instance} = await WebAssembly.instantiate(await Bun.file(new URL('./fib.wasm', import.meta.url)).arrayBuffer());
const fib = instance.exports.fib;

Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 8787),
  fetch() {
    return new Response(String(fib(1000) >>> 0));
  },
});
