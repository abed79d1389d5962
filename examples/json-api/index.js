// A small JSON API routed on method and path:
//   GET    /api/items        list items
//   POST   /api/items        create one from a JSON body {"name": "..."}
//   GET    /api/items/:id    one item
//   DELETE /api/items/:id    remove it
// Items live in this isolate's memory: each server thread has its own copy, and they last as
// long as the isolate does (a real API would use a database).
import { json, error } from './respond.js';

const items = new Map();
let nextId = 1;

const routes = [
  ['GET', /^\/api\/items\/?$/, () => json([...items.values()])],
  ['POST', /^\/api\/items\/?$/, async (request) => {
    let body;
    try {
      body = await request.json();
    } catch {
      return error(400, 'body must be JSON');
    }
    if (typeof body?.name !== 'string' || body.name.length === 0) {
      return error(422, 'body needs a non-empty "name" string');
    }
    const item = { id: nextId++, name: body.name, created: new Date().toISOString() };
    items.set(item.id, item);
    return json(item, 201, { location: `/api/items/${item.id}` });
  }],
  ['GET', /^\/api\/items\/(\d+)$/, (request, [, id]) => {
    const item = items.get(Number(id));
    return item ? json(item) : error(404, `no item ${id}`);
  }],
  ['DELETE', /^\/api\/items\/(\d+)$/, (request, [, id]) => {
    return items.delete(Number(id)) ? new Response(null, { status: 204 }) : error(404, `no item ${id}`);
  }],
];

export default {
  async fetch(request) {
    const path = request.url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0];
    let pathMatched = false;
    for (const [method, pattern, handler] of routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (method === request.method) return handler(request, match);
    }
    return pathMatched ? error(405, `${request.method} is not allowed on ${path}`)
                       : error(404, `no route for ${path}`);
  },
};
