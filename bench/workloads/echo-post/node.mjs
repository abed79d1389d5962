// node node.mjs
// echo-post: POST a body (the benchmark sends 4 KiB) -> {"length": <bytes>, "sha256": "<hex>"}
// with the digest from crypto.subtle.digest.
// Node: the body is collected from the request stream; crypto is the global WebCrypto object.
import http from 'node:http';

const HEX = Array.from({length: 256}, (_, i) => i.toString(16).padStart(2, '0'));

function hex(buffer) {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

http
  .createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const digest = await crypto.subtle.digest('SHA-256', body);
    const json = JSON.stringify({length: body.byteLength, sha256: hex(digest)});
    res.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(json)});
    res.end(json);
  })
  .listen(Number(process.env.PORT ?? 8787), '127.0.0.1');
