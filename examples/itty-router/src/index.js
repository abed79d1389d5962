// An itty-router app, written as itty-router's docs show, served by edgerun unchanged. The build
// bundles it with its pinned dependency into dist/worker.js, which config/edgerun.json serves
// under /itty/*.
import { AutoRouter, error, json, status } from 'itty-router';

const todos = new Map();
let nextId = 1;

const router = AutoRouter({ base: '/itty' });

router
  .get('/', () => 'Hello from itty-router on edgerun!')
  .get('/todos', () => [...todos.values()])
  .get('/todos/:id', ({ params }) => todos.get(params.id) ?? error(404, 'todo not found'))
  .post('/todos', async (request) => {
    const body = await request.json().catch(() => null);
    if (!body || typeof body.text !== 'string') return error(400, 'expected {"text": string}');
    const todo = { id: String(nextId++), text: body.text, done: false };
    todos.set(todo.id, todo);
    return json(todo, { status: 201 });
  })
  .delete('/todos/:id', ({ params }) => (todos.delete(params.id) ? status(204) : error(404)))
  .get('/search', ({ query }) => ({ q: query.q ?? '', page: Number(query.page ?? 1) }))
  .get('/files/*', ({ params, url }) => ({ path: new URL(url).pathname.slice('/itty/files/'.length) }))
  .get('/throw', () => {
    throw new Error('itty handler failed');
  });

export default router;
