// Fetch-API micro-benchmarks, run as a worker (bench/micro/fetch_api starts edgerun with it) or
// under Node for reference: the objects every request handler makes. Each case runs in a loop
// sized to take >= 50 ms; the median of 5 loops is kept, in ns per operation.
const now = () => performance.now();

const json1k = JSON.stringify({
  id: 12345, name: 'edgerun', tags: ['edge', 'runtime', 'v8', 'isolates', 'wasm'],
  items: Array.from({length: 12}, (_, i) => ({sku: `sku-${i}`, qty: i, price: i * 1.25})),
});
const body1k = new TextEncoder().encode(json1k.padEnd(1024, ' '));
const init = {'content-type': 'application/json', 'x-request-id': 'abc', accept: '*/*'};

const cases = {
  'new URL(absolute)': () => new URL('https://www.example.com:8443/a/b/c.html?q=1&r=two#frag'),
  'new Headers(3 fields) + get()': () => new Headers(init).get('x-request-id'),
  'new Response(string)': () => new Response('Hello from edgerun!'),
  'Response.json(object)': () => Response.json({ok: true, n: 42}),
  'await request.json() (1 KB)': () =>
    new Request('https://example.com/api', {method: 'POST', body: body1k}).json(),
};

async function time(fn, iterations) {
  let sink = 0;
  const start = now();
  for (let i = 0; i < iterations; i++) {
    let v = fn();
    if (v instanceof Promise) v = await v;
    if (v === sink) sink++;
  }
  return (now() - start) * 1e6 / iterations;
}

export async function run() {
  const out = {};
  for (const [name, fn] of Object.entries(cases)) {
    let iterations = 1000;
    while ((await time(fn, iterations)) * iterations < 50e6) iterations *= 2;
    const samples = [];
    for (let r = 0; r < 5; r++) samples.push(await time(fn, iterations));
    samples.sort((a, b) => a - b);
    out[name] = Math.round(samples[2]);
  }
  return out;
}

export default {
  async fetch() { return Response.json(await run()); },
};
