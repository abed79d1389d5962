// bun bun.js
Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 8787),
  fetch() {
    return new Response('Hello, World!');
  },
});
