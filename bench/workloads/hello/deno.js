// deno run --allow-net=127.0.0.1 --allow-env=PORT deno.js
Deno.serve(
  {hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 8787), onListen() {}},
  () => new Response('Hello, World!'),
);
