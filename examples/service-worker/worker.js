// The classic service-worker format, still common in older Workers code.
addEventListener('fetch', (event) => {
  event.respondWith(handle(event.request));
});

async function handle(request) {
  return new Response(`service worker saw ${request.method} ${request.url}\n`, {
    headers: { 'x-worker-format': 'service-worker' },
  });
}
