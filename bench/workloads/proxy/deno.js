// ORIGIN_URL=http://127.0.0.1:18790/ deno run --allow-net=127.0.0.1 --allow-env=PORT,ORIGIN_URL deno.js
// proxy: every request fetch()es the local origin and answers its body, status and content type.
const ORIGIN = Deno.env.get('ORIGIN_URL');

Deno.serve({hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 8787), onListen() {}}, async () => {
  const origin = await fetch(ORIGIN);
  const body = await origin.arrayBuffer();
  return new Response(body, {
    status: origin.status,
    headers: {'content-type': origin.headers.get('content-type') ?? 'application/octet-stream'},
  });
});
