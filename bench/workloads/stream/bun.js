// bun bun.js
// stream: a 1 MiB response body produced by a ReadableStream in 16 chunks of 64 KiB. Byte j of
// the body is 'a' + (j % 26); the chunks are computed once, at the top level, and enqueued on
// demand (pull) for every response.
const CHUNK = 64 * 1024;
const CHUNKS = 16;
const chunks = Array.from({length: CHUNKS}, (_, k) => {
  const chunk = new Uint8Array(CHUNK);
  for (let i = 0; i < CHUNK; i++) chunk[i] = 97 + ((k * CHUNK + i) % 26);
  return chunk;
});

function body() {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      controller.enqueue(chunks[next++]);
      if (next === CHUNKS) controller.close();
    },
  });
}

Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 8787),
  fetch() {
    return new Response(body(), {headers: {'content-type': 'application/octet-stream'}});
  },
});
