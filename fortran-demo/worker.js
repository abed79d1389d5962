// Serves the Fortran kernels of fortran-demo/kernels (compiled to WebAssembly, bound by the
// config as env.KERNELS) over HTTP:
//   GET /                                   an HTML page showing the image and the endpoints
//   GET /mandelbrot.png?w=&h=&iter=&bands=  the Mandelbrot set as a PNG (pixels from Fortran)
//   GET /heat?n=&steps=                     heat equation on an n x n plate, JSON
//   GET /matmul?n=                          n x n matrix product, JSON with a checksum
//   GET /dot?n=                             dot product of two n-vectors, JSON
// Every kernel response carries `Server-Timing: kernel;dur=<ms>` (the WASM call alone, timed with
// performance.now()), which bench/fortran reads.

// One instance per isolate, made on the first request (env arrives with the request) and reused
// by every later one: instantiating is cheap, but the kernels' heap lives in its memory.
let kernels = null;

function instance(env) {
  if (kernels === null) {
    if (!(env.KERNELS instanceof WebAssembly.Module)) {
      throw new TypeError('env.KERNELS must be a WebAssembly.Module: bind fortran-demo/dist/' +
                          'kernels.wasm with "wasm_modules": {"KERNELS": ...} in the config');
    }
    kernels = new WebAssembly.Instance(env.KERNELS, {}).exports;
  }
  return kernels;
}

// The Mandelbrot view (keep in step with fortran-demo/native/driver.c).
const VIEW = {cx: -0.65, cy: 0.0, span: 3.0};

// Caps keep one request inside the CPU budget (limits.cpu_ms in edgerun.json) and the WASM
// memory cap (limits.memory_mb); the worst cases are measured in fortran-demo/README.md.
const LIMITS = {
  mandelbrot: {w: [1, 2048], h: [1, 2048], iter: [1, 10000], work: 1 << 28},
  heat: {n: [3, 1024], steps: [1, 10000], work: 1 << 28},
  matmul: {n: [1, 640]},
  dot: {n: [1, 4000000]},
};

class BadRequest extends Error {}

// An integer query parameter in [min, max], or `fallback` when absent.
function intParam(url, name, [min, max], fallback) {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  if (!/^[0-9]{1,9}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new BadRequest(`${name} must be an integer from ${min} to ${max} (got "${text}")`);
  }
  return Number(text);
}

function json(value, kernelMs) {
  return new Response(JSON.stringify(value) + '\n', {
    headers: {
      'content-type': 'application/json',
      'server-timing': `kernel;dur=${kernelMs.toFixed(3)}`,
    },
  });
}

// Runs `body(pointers)` with WASM heap blocks of the given byte sizes, freeing them afterwards.
function withBlocks(k, sizes, body) {
  const pointers = [];
  try {
    for (const size of sizes) {
      const p = k.malloc(size);
      if (p === 0) {
        throw new RangeError(`the kernels' WebAssembly memory cannot hold ${size} more bytes ` +
                             '(limits.memory_mb)');
      }
      pointers.push(p);
    }
    return body(pointers);
  } finally {
    for (const p of pointers) k.free(p);
  }
}

function f64(k, pointer, count) {
  return new Float64Array(k.memory.buffer, pointer, count);
}

async function mandelbrot(url, k) {
  const lim = LIMITS.mandelbrot;
  const w = intParam(url, 'w', lim.w, 600);
  const h = intParam(url, 'h', lim.h, 400);
  const iter = intParam(url, 'iter', lim.iter, 500);
  // Rendering in bands gives V8 10.2 (no on-stack replacement for WASM) calls between which it
  // can switch from Liftoff to optimized code; bench/fortran measures what it changes.
  const bands = intParam(url, 'bands', [1, h], Math.min(h, 8));
  if (w * h * iter > lim.work) {
    throw new BadRequest(`w * h * iter must be at most ${lim.work} (got ${w * h * iter})`);
  }
  const rowBytes = 3 * w;
  let iterations = 0;
  let kernelMs = 0;
  // PNG scanlines: a filter-type byte (0, none) before each row of RGB bytes.
  const raw = new Uint8Array((rowBytes + 1) * h);
  withBlocks(k, [rowBytes * h], ([rgb]) => {
    const t0 = performance.now();
    for (let b = 0; b < bands; ++b) {
      const row0 = Math.floor((b * h) / bands);
      const rows = Math.floor(((b + 1) * h) / bands) - row0;
      iterations += Number(k.mandelbrot_rows(w, h, iter, VIEW.cx, VIEW.cy, VIEW.span, row0, rows,
                                             rgb + row0 * rowBytes));
    }
    kernelMs = performance.now() - t0;
    const pixels = new Uint8Array(k.memory.buffer, rgb, rowBytes * h);
    for (let y = 0; y < h; ++y) {
      raw.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
    }
  });
  const png = await encodePng(w, h, raw);
  return new Response(png, {
    headers: {
      'content-type': 'image/png',
      'server-timing': `kernel;dur=${kernelMs.toFixed(3)}`,
      'x-mandelbrot-iterations': String(iterations),
    },
  });
}

function heat(url, k) {
  const lim = LIMITS.heat;
  const n = intParam(url, 'n', lim.n, 128);
  const steps = intParam(url, 'steps', lim.steps, 500);
  if (n * n * steps > lim.work) {
    throw new BadRequest(`n * n * steps must be at most ${lim.work} (got ${n * n * steps})`);
  }
  return withBlocks(k, [8 * n * n, 8 * n * n], ([u, work]) => {
    k.heat_init(n, u);
    const t0 = performance.now();
    const total = k.heat_run(n, steps, u, work);
    const kernelMs = performance.now() - t0;
    const grid = f64(k, u, n * n);
    const mid = Math.floor(n / 2);
    return json({n, steps, total, center: grid[mid + mid * n],
                 quarter: grid[Math.floor(n / 4) + mid * n], kernel_ms: kernelMs}, kernelMs);
  });
}

function matmul(url, k) {
  const n = intParam(url, 'n', LIMITS.matmul.n, 200);
  const bytes = 8 * n * n;
  return withBlocks(k, [bytes, bytes, bytes], ([a, b, c]) => {
    k.matmul_init(n, a, b);
    const t0 = performance.now();
    const checksum = k.matmul_run(n, a, b, c);
    const kernelMs = performance.now() - t0;
    const m = f64(k, c, n * n);  // column-major: c(i, j) is m[(i - 1) + (j - 1) * n]
    const last = n - 1;
    return json({n, checksum, c11: m[0], cnn: m[last + last * n], c1n: m[last * n], cn1: m[last],
                 kernel_ms: kernelMs}, kernelMs);
  });
}

function dot(url, k) {
  const n = intParam(url, 'n', LIMITS.dot.n, 1000000);
  return withBlocks(k, [8 * n, 8 * n], ([x, y]) => {
    k.dot_init(n, x, y);
    const t0 = performance.now();
    const value = k.dot_run(n, x, y);
    const kernelMs = performance.now() - t0;
    return json({n, dot: value, kernel_ms: kernelMs}, kernelMs);
  });
}

// ---- PNG (RFC 2083): signature, IHDR, one IDAT of zlib-compressed scanlines, IEND ----

let crcTable = null;

function crc32(bytes, crc = 0xffffffff) {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; ++n) {
      let c = n;
      for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  for (let i = 0; i < bytes.length; ++i) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return crc;
}

function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; ++i) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  // The CRC covers the type and the data, not the length.
  view.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0);
  return out;
}

async function encodePng(width, height, scanlines) {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8);  // 8-bit depth, truecolour RGB, deflate, no filter, no interlace
  // CompressionStream("deflate") is the zlib format (RFC 1950), which is what IDAT holds.
  const zlib = new Uint8Array(await new Response(
      new Blob([scanlines]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
                 chunk('IHDR', header), chunk('IDAT', zlib), chunk('IEND', new Uint8Array(0))];
  const png = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    png.set(p, offset);
    offset += p.length;
  }
  return png;
}

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Fortran on the edge</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}
img{max-width:100%;image-rendering:pixelated}code{background:#eee;padding:0 .2em}</style></head>
<body>
<h1>Fortran on the edge</h1>
<p>These numbers come from Fortran kernels compiled to WebAssembly (flang-16) and run by edgerun.</p>
<p><img src="/mandelbrot.png?w=600&amp;h=400&amp;iter=500" width="600" height="400"
        alt="The Mandelbrot set, rendered by a Fortran kernel"></p>
<ul>
<li><a href="/mandelbrot.png?w=600&amp;h=400&amp;iter=500"><code>/mandelbrot.png?w=600&amp;h=400&amp;iter=500</code></a> the image above (w, h up to 2048, iter up to 10000)</li>
<li><a href="/heat?n=128&amp;steps=500"><code>/heat?n=128&amp;steps=500</code></a> heat equation on an n &times; n plate</li>
<li><a href="/matmul?n=200"><code>/matmul?n=200</code></a> n &times; n matrix product with a checksum</li>
<li><a href="/dot?n=1000000"><code>/dot?n=1000000</code></a> dot product of two n-vectors</li>
<li><a href="/wagi/hello"><code>/wagi/hello</code></a> a Fortran program answering as CGI (a WAGI worker)</li>
</ul>
<p>Each response's <code>Server-Timing</code> header gives the time spent in the kernel.</p>
</body>
</html>
`;

const ROUTES = new Map([['/mandelbrot.png', mandelbrot], ['/heat', heat], ['/matmul', matmul], ['/dot', dot]]);

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method Not Allowed\n', {status: 405, headers: {allow: 'GET, HEAD'}});
    }
    if (url.pathname === '/') {
      return new Response(PAGE, {headers: {'content-type': 'text/html;charset=utf-8'}});
    }
    const route = ROUTES.get(url.pathname);
    if (route === undefined) return new Response('Not Found\n', {status: 404});
    try {
      return await route(url, instance(env));
    } catch (e) {
      if (e instanceof BadRequest) return Response.json({error: e.message}, {status: 400});
      if (e instanceof RangeError) return Response.json({error: e.message}, {status: 503});
      throw e;
    }
  },
};
