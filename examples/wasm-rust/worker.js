// Checksums and a grayscale filter over the request body, computed by Rust compiled to
// wasm32-unknown-unknown (src/imagekit.rs): a module with no imports, bound in edgerun.json
// (`wasm_modules`) and given to the worker compiled as env.IMAGEKIT. One instance per isolate.
//
//   POST /wasm/rust/checksum   -> 200 {"bytes":N,"crc32":"xxxxxxxx","adler32":"xxxxxxxx"}
//   POST /wasm/rust/grayscale  RGBA pixels -> 200 one gray byte per pixel (BT.601 luma)
//                              -> 400 {"error":"..."} when the length is not a multiple of 4
let kit = null;

function json(status, value, headers = {}) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const hex32 = (n) => (n >>> 0).toString(16).padStart(8, '0');

// Copies `bytes` into a fresh buffer in the module's memory; calls use(ptr) and frees it after.
function withBuffer(e, bytes, use) {
  const ptr = e.alloc(bytes.length);
  if (ptr === 0) return json(413, { error: 'the body does not fit in the module\'s memory' });
  try {
    new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
    return use(ptr);
  } finally {
    e.dealloc(ptr, bytes.length);
  }
}

const routes = {
  '/wasm/rust/checksum': (e, body) =>
    withBuffer(e, body, (ptr) =>
      json(200, {
        bytes: body.length,
        crc32: hex32(e.crc32(ptr, body.length)),
        adler32: hex32(e.adler32(ptr, body.length)),
      })),
  '/wasm/rust/grayscale': (e, body) => {
    if (body.length % 4 !== 0) {
      return json(400, {
        error: `the body must be RGBA pixels (4 bytes each); ${body.length} bytes is not a multiple of 4`,
      });
    }
    return withBuffer(e, body, (ptr) => {
      const n = e.grayscale(ptr, body.length);
      // slice() copies the pixels out before the buffer is freed.
      const gray = new Uint8Array(e.memory.buffer, ptr, n).slice();
      return new Response(gray, { headers: { 'content-type': 'application/octet-stream' } });
    });
  },
};

export default {
  async fetch(request, env) {
    const route = routes[new URL(request.url).pathname];
    if (!route) {
      return json(404, { error: 'not found: POST to /wasm/rust/checksum or /wasm/rust/grayscale' });
    }
    if (request.method !== 'POST') {
      return json(405, { error: 'use POST with the bytes as the body' }, { allow: 'POST' });
    }
    const body = new Uint8Array(await request.arrayBuffer());
    kit ??= new WebAssembly.Instance(env.IMAGEKIT, {}).exports;
    try {
      return route(kit, body);
    } catch (err) {
      kit = null;
      throw err;
    }
  },
};
