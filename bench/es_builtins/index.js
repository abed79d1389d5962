// Microbenchmarks of the ES2023+ built-ins edgerun adds to V8 10.2 (bindings/js/05_es_*.js),
// next to the closest thing V8 has natively. Run by bench/es-builtins; one request runs them all.
const cases = {
  'toSorted, 1k numbers': (state) => state.numbers.toSorted(state.cmp),
  '  (native) slice().sort, 1k numbers': (state) => state.numbers.slice().sort(state.cmp),
  'Set union, 1k + 1k (half shared)': (state) => state.setA.union(state.setB),
  '  (native) new Set(a) + add each of b': (state) => {
    const s = new Set(state.setA);
    for (const x of state.setB) s.add(x);
    return s;
  },
  'iterator chain map/filter/take/toArray, 1k': (state) =>
    state.numbers.values().map((x) => x * 2).filter((x) => x % 3 !== 0).take(500).toArray(),
  '  (native) array map/filter/slice, 1k': (state) =>
    state.numbers.map((x) => x * 2).filter((x) => x % 3 !== 0).slice(0, 500),
  'Uint8Array toBase64, 1 KiB': (state) => state.bytes.toBase64(),
  'Uint8Array.fromBase64, 1 KiB': (state) => Uint8Array.fromBase64(state.base64),
  'Uint8Array toHex, 1 KiB': (state) => state.bytes.toHex(),
};

function setup() {
  let seed = 1;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const numbers = Array.from({length: 1000}, () => Math.floor(random() * 1e6));
  const bytes = new Uint8Array(1024).map(() => random() * 256);
  return {
    numbers, cmp: (a, b) => a - b, bytes, base64: bytes.toBase64(),
    setA: new Set(Array.from({length: 1000}, (_, i) => i)),
    setB: new Set(Array.from({length: 1000}, (_, i) => i + 500)),
  };
}

// The fastest of many ~20 ms batches: on a shared machine, the batches nobody preempted. Every
// result is used (its length or size), so that the optimizing compiler cannot drop the work.
function measure(fn, state, targetMs) {
  let used = 0;
  const run = (n) => {
    for (let i = 0; i < n; i++) {
      const result = fn(state);
      used += result.length ?? result.size;
    }
  };
  run(200);  // warm up (optimizing tiers)
  let batch = 1;
  for (;;) {
    const start = Date.now();
    run(batch);
    if (Date.now() - start >= 20) break;
    batch *= 2;
  }
  let best = Infinity;
  const end = Date.now() + targetMs;
  while (Date.now() < end) {
    const start = Date.now();
    run(batch);
    best = Math.min(best, (Date.now() - start) / batch);
  }
  globalThis.used = used;
  return best * 1e6;
}

export default {
  fetch(request) {
    if (request.url.endsWith('/ping')) return new Response('ok');
    const targetMs = Number(/[?&]ms=(\d+)/.exec(request.url)?.[1] ?? 300);  // (no URL global yet)
    const state = setup();
    const lines = [];
    for (const [name, fn] of Object.entries(cases)) {
      lines.push(`${name.padEnd(45)} ${measure(fn, state, targetMs).toFixed(0).padStart(9)} ns/op`);
    }
    return new Response(lines.join('\n') + '\n');
  },
};
