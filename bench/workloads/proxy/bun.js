// ORIGIN_URL=http://127.0.0.1:18790/ bun bun.js
// proxy: every request fetch()es the local origin and answers its body, status and content type.
const ORIGIN = process.env.ORIGIN_URL;

Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 8787),
  async fetch() {
    const origin = await fetch(ORIGIN);
    const body = await origin.arrayBuffer();
    return new Response(body, {
      status: origin.status,
      headers: {'content-type': origin.headers.get('content-type') ?? 'application/octet-stream'},
    });
  },
});
