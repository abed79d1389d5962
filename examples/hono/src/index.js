// A Hono app, written as Hono's docs show, served by edgerun unchanged. The build bundles it with
// its pinned dependencies into dist/worker.js (an ES module worker), which config/edgerun.json
// serves under /hono/*.
import { Hono } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { HTTPException } from 'hono/http-exception';
import { logger } from 'hono/logger';

const app = new Hono().basePath('/hono');

app.use('*', logger());
app.use('/api/*', cors({ origin: ['https://app.example'], allowMethods: ['GET', 'POST', 'DELETE'] }));
app.use('/etag/*', etag());
app.use('/admin/*', basicAuth({ username: 'admin', password: 'secret' }));

const books = new Map([['1', { id: '1', title: 'The Pragmatic Programmer' }]]);
let nextId = 2;

app.get('/', (c) => c.text('Hello from Hono on edgerun!'));

app.get('/api/books', (c) => c.json([...books.values()]));

app.get('/api/books/:id', (c) => {
  const book = books.get(c.req.param('id'));
  return book ? c.json(book) : c.json({ error: 'not found' }, 404);
});

app.post('/api/books', async (c) => {
  const body = await c.req.json().catch(() => null);
  if (!body || typeof body.title !== 'string') {
    return c.json({ error: 'expected {"title": string}' }, 400);
  }
  const book = { id: String(nextId++), title: body.title };
  books.set(book.id, book);
  return c.json(book, 201, { location: `/hono/api/books/${book.id}` });
});

app.delete('/api/books/:id', (c) => {
  return books.delete(c.req.param('id')) ? c.body(null, 204) : c.json({ error: 'not found' }, 404);
});

app.get('/users/:user/posts/:post{[0-9]+}', (c) => {
  const { user, post } = c.req.param();
  return c.json({ user, post: Number(post), sort: c.req.query('sort') ?? 'new' });
});

app.get('/etag/doc', (c) => c.text('a document that rarely changes'));

app.get('/admin/stats', (c) => c.json({ books: books.size }));

app.get('/cookies/set', (c) => {
  setCookie(c, 'session', 'abc123', { path: '/', httpOnly: true, sameSite: 'Lax' });
  return c.text('cookie set');
});
app.get('/cookies/get', (c) => c.text(`session=${getCookie(c, 'session') ?? '(none)'}`));
app.get('/cookies/clear', (c) => {
  deleteCookie(c, 'session', { path: '/' });
  return c.text('cookie cleared');
});

app.get('/teapot', () => {
  throw new HTTPException(418, { message: 'I am a teapot' });
});
app.get('/boom', () => {
  throw new Error('something broke');
});

app.notFound((c) => c.json({ error: 'no such route', path: c.req.path }, 404));
app.onError((err, c) => {
  if (err instanceof HTTPException) return err.getResponse();
  console.error(`hono: ${err.message}`);
  return c.json({ error: 'internal error', message: err.message }, 500);
});

export default app;
