// Uses configuration from env (a string var and a JSON var) and ctx.waitUntil(): the response
// goes out at once; the visit is "recorded" afterwards, off the response's critical path.
let visits = 0;

async function recordVisit(path) {
  // Stand-in for a call to an analytics service.
  await new Promise((resolve) => setTimeout(resolve, 10));
  visits++;
  console.log(`recorded visit #${visits} to ${path}`);
}

export default {
  async fetch(request, env, ctx) {
    const path = request.url.replace(/^[a-z]+:\/\/[^/]+/i, '');
    ctx.waitUntil(recordVisit(path));
    const who = request.headers.get('x-name') ?? env.DEFAULT_NAME;
    const body = {
      greeting: `${env.GREETING}, ${who}!`,
      features: env.FEATURES,
      visitsRecordedBeforeThisOne: visits,
    };
    return Response.json(body, { headers: { 'cache-control': 'no-store' } });
  },
};
