// node node.mjs
import http from 'node:http';

const BODY = 'Hello, World!';
http
  .createServer((req, res) => {
    res.writeHead(200, {'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(BODY)});
    res.end(BODY);
  })
  .listen(Number(process.env.PORT ?? 8787), '127.0.0.1');
