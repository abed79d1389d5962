// node node.mjs
// json: GET /users/<id> -> a ~1 KB JSON object built from the id; the same object as edgerun.js.
// Node's req.url is already the path (+ query): only the query is cut off.
import http from 'node:http';

const ROLES = ['admin', 'editor', 'viewer'];
const PLANS = ['free', 'pro', 'business', 'enterprise'];

function user(id) {
  return {
    id,
    username: `user${id}`,
    name: `User Number ${id}`,
    email: `user${id}@example.com`,
    active: id % 2 === 0,
    role: ROLES[id % 3],
    plan: PLANS[id % 4],
    created_at: new Date(Date.UTC(2024, 0, 1) + id * 86400000).toISOString(),
    last_login_ip: `10.${id % 256}.${(id >> 8) % 256}.1`,
    locale: 'en-US',
    timezone: 'Europe/Berlin',
    avatar_url: `https://cdn.example.com/avatars/${id}.png`,
    profile_url: `https://example.com/users/${id}`,
    followers: id * 7,
    following: id * 3,
    posts: id * 11,
    score: Math.round(id * 1.618 * 1000) / 1000,
    verified: id % 5 === 0,
    tags: ['edge', 'workers', `cohort-${id % 10}`],
    address: {street: `${id} Main Street`, city: 'Springfield', zip: String(10000 + id), country: 'US'},
    preferences: {theme: id % 2 ? 'dark' : 'light', newsletter: id % 3 === 0, language: 'en'},
    bio: 'Builds things that run close to the users, measures them, and writes down what was measured.',
    links: {
      self: `/users/${id}`,
      followers: `/users/${id}/followers`,
      following: `/users/${id}/following`,
      posts: `/users/${id}/posts`,
    },
    permissions: ['read:profile', 'write:profile', 'read:posts', id % 3 === 0 ? 'admin:all' : 'write:posts'],
    quota: {requests_per_day: 100000, used_today: (id * 37) % 100000, reset_at: '2024-01-01T00:00:00.000Z'},
  };
}

http
  .createServer((req, res) => {
    const query = req.url.indexOf('?');
    const match = /^\/users\/(\d+)$/.exec(query < 0 ? req.url : req.url.slice(0, query));
    if (!match) {
      res.writeHead(404, {'content-type': 'text/plain;charset=UTF-8'});
      res.end('not found');
      return;
    }
    const body = JSON.stringify(user(Number(match[1])));
    res.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
    res.end(body);
  })
  .listen(Number(process.env.PORT ?? 8787), '127.0.0.1');
