// echo-post: POST a body (the benchmark sends 4 KiB) -> {"length": <bytes>, "sha256": "<hex>"}
// with the digest from crypto.subtle.digest.
const HEX = Array.from({length: 256}, (_, i) => i.toString(16).padStart(2, '0'));

function hex(buffer) {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

export default {
  async fetch(request) {
    const body = await request.arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', body);
    return Response.json({length: body.byteLength, sha256: hex(digest)});
  },
};
