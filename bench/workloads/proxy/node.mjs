// ORIGIN_URL=http://127.0.0.1:18790/ node node.mjs
// proxy: every request fetch()es the local origin (Node's global fetch) and answers its body,
// status and content type.
import http from 'node:http';

const ORIGIN = process.env.ORIGIN_URL;

http
  .createServer(async (req, res) => {
    const origin = await fetch(ORIGIN);
    const body = Buffer.from(await origin.arrayBuffer());
    res.writeHead(origin.status, {
      'content-type': origin.headers.get('content-type') ?? 'application/octet-stream',
      'content-length': body.byteLength,
    });
    res.end(body);
  })
  .listen(Number(process.env.PORT ?? 8787), '127.0.0.1');
