// bench/streams: what streaming costs inside a worker. GET /?case=NAME&n=ITERATIONS runs one case
// n times after a warm-up and answers "NAME: X ms per MB". Each case moves 1 MiB in 16 KiB chunks.
const MiB = 1 << 20;
const CHUNK = 16 << 10;

function source(type) {
  let sent = 0;
  return new ReadableStream({
    type,
    pull(c) {
      if (sent >= MiB) {
        c.close();
        return;
      }
      c.enqueue(new Uint8Array(CHUNK));
      sent += CHUNK;
    },
  });
}

async function drain(readable) {
  const reader = readable.getReader();
  let n = 0;
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return n;
    n += value.byteLength;
  }
}

const data = new Uint8Array(MiB).map((_, i) => (i * 7) & 0x3f);

const cases = {
  // A body read through a reader (the default stream the runtime will hand out).
  reader: () => drain(source(undefined)),
  // The same through a byte stream (type: 'bytes').
  bytes: () => drain(source('bytes')),
  // pipeThrough an identity TransformStream.
  pipeThrough: () => drain(source(undefined).pipeThrough(new TransformStream())),
  // gzip of compressible bytes.
  gzip: () => {
    const cs = new CompressionStream('gzip');
    const w = cs.writable.getWriter();
    for (let o = 0; o < MiB; o += CHUNK) w.write(data.subarray(o, o + CHUNK));
    w.close();
    return drain(cs.readable);
  },
};

export default {
  async fetch(request) {
    const param = (key) => (new RegExp(`[?&]${key}=([^&]*)`).exec(request.url) || [])[1];
    const name = param('case');
    const n = Number(param('n') || 100);
    const run = cases[name];
    if (!run) return new Response(`cases: ${Object.keys(cases).join(', ')}\n`, {status: 404});
    for (let i = 0; i < 5; i++) await run();
    const t0 = Date.now();
    for (let i = 0; i < n; i++) await run();
    return new Response(`${name}: ${((Date.now() - t0) / n).toFixed(3)} ms per MB\n`);
  },
};
