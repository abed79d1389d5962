// The smallest worker: plain text for every request.
export default {
  async fetch(request, env, ctx) {
    return new Response('Hello from edgerun!\n');
  },
};
