// deno run --allow-net=127.0.0.1 --allow-env=PORT deno.js
// wasm: every request calls the WebAssembly export fib(1000) (fib.wat) and answers the result.
// Deno imports a .wasm file as an instantiated module.
import {fib} from './fib.wasm';

Deno.serve(
  {hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 8787), onListen() {}},
  () => new Response(String(fib(1000) >>> 0)),
);
