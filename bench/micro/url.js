// URL micro-benchmarks, run as a worker (bench/micro/url starts edgerun with it) or under Node
// for reference. Each case is timed in a loop sized to take >= 50 ms; the median of 5 is kept.
const now = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

const abs = 'https://user:pw@www.example.com:8443/a/b/c.html?q=1&r=two#frag';
const base = 'https://www.example.com/docs/guide/';
const parsed = new URL('https://example.com/api/v1/items/42?limit=10&offset=20&sort=name');
parsed.searchParams.get('limit');  // made once: the case measures get(), not the first access

const cases = {
  'new URL(absolute)': () => new URL(abs),
  'new URL(relative, base)': () => new URL('../api/items?id=7', base),
  'url.pathname': () => parsed.pathname,
  'url.searchParams.get()': () => parsed.searchParams.get('offset'),
  'new URL(abs).searchParams.get()': () => new URL(abs).searchParams.get('q'),
  'url.search = ...': () => { parsed.search = '?limit=10&offset=20&sort=name'; },
  'URL.canParse(absolute)': () => URL.canParse(abs),
  'new URLSearchParams(string)': () => new URLSearchParams('a=1&b=2&c=three&d=%20x'),
};

function time(fn, iterations) {
  let sink = 0;
  const start = now();
  for (let i = 0; i < iterations; i++) {
    if (fn() === sink) sink++;
  }
  return [(now() - start) * 1e6 / iterations, sink];
}

export function run() {
  const out = {};
  for (const [name, fn] of Object.entries(cases)) {
    let iterations = 1000;
    while (time(fn, iterations)[0] * iterations < 50e6) iterations *= 2;
    const samples = [];
    for (let r = 0; r < 5; r++) samples.push(time(fn, iterations)[0]);
    samples.sort((a, b) => a - b);
    out[name] = Math.round(samples[2]);
  }
  return out;
}

export default {
  fetch() { return Response.json(run()); },
};
