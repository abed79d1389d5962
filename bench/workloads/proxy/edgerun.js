// proxy: every request fetch()es the local origin (env.ORIGIN, an nginx on loopback started by
// bench/run) and answers its body, status and content type. The body is read whole
// (arrayBuffer) and not streamed through, so the worker only needs fetch(), not streams.
export default {
  async fetch(request, env) {
    const origin = await fetch(env.ORIGIN);
    const body = await origin.arrayBuffer();
    return new Response(body, {
      status: origin.status,
      headers: {'content-type': origin.headers.get('content-type') ?? 'application/octet-stream'},
    });
  },
};
