// node node.mjs
// wasm: every request calls the WebAssembly export fib(1000) (fib.wat) and answers the result.
import {readFileSync} from 'node:fs';
import http from 'node:http';

const module = new WebAssembly.Module(readFileSync(new URL('./fib.wasm', import.meta.url)));
const fib = new WebAssembly.Instance(module).exports.fib;

http
  .createServer((req, res) => {
    const body = String(fib(1000) >>> 0);
    res.writeHead(200, {'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body)});
    res.end(body);
  })
  .listen(Number(process.env.PORT ?? 8787), '127.0.0.1');
