// Verifies a JSON Web Token from the Authorization header with Web Crypto, as an edge auth
// check in front of an API would: HS256 with the shared secret env.JWT_SECRET, ES256 with the
// public key env.JWT_PUBLIC_KEY (PEM, SubjectPublicKeyInfo). Checks exp and nbf.
//   GET /jwt/whoami   Authorization: Bearer <token>   -> 200 {"ok":true,"claims":{...}} | 401
const enc = new TextEncoder();
const keys = new Map();  // alg -> CryptoKey, imported once per isolate

function b64url(text) {
  return Uint8Array.fromBase64(text, { alphabet: 'base64url' });
}

function json(bytes) {
  return JSON.parse(new TextDecoder().decode(bytes));
}

async function keyFor(alg, env) {
  if (keys.has(alg)) return keys.get(alg);
  let key;
  if (alg === 'HS256') {
    if (!env.JWT_SECRET) throw new Error('HS256 is not configured (no JWT_SECRET)');
    key = await crypto.subtle.importKey('raw', enc.encode(env.JWT_SECRET),
                                        { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  } else if (alg === 'ES256') {
    if (!env.JWT_PUBLIC_KEY) throw new Error('ES256 is not configured (no JWT_PUBLIC_KEY)');
    const base64 = env.JWT_PUBLIC_KEY.replace(/-----[^-]+-----|\s+/g, '');
    key = await crypto.subtle.importKey('spki', Uint8Array.fromBase64(base64),
                                        { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  } else {
    throw new Error(`unsupported alg ${alg}`);
  }
  keys.set(alg, key);
  return key;
}

export async function verifyJwt(token, env, now = Date.now() / 1000) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('malformed token');
  const header = json(b64url(parts[0]));
  const claims = json(b64url(parts[1]));
  const signature = b64url(parts[2]);
  const key = await keyFor(header.alg, env);
  const algorithm = header.alg === 'HS256' ? 'HMAC' : { name: 'ECDSA', hash: 'SHA-256' };
  const ok = await crypto.subtle.verify(algorithm, key, signature, enc.encode(`${parts[0]}.${parts[1]}`));
  if (!ok) throw new Error('bad signature');
  if (typeof claims.exp === 'number' && now >= claims.exp) throw new Error('token expired');
  if (typeof claims.nbf === 'number' && now < claims.nbf) throw new Error('token not yet valid');
  return { alg: header.alg, claims };
}

export default {
  async fetch(request, env) {
    const match = /^Bearer\s+(\S+)$/.exec(request.headers.get('authorization') ?? '');
    if (!match) {
      return Response.json({ error: 'missing bearer token' }, {
        status: 401, headers: { 'www-authenticate': 'Bearer' },
      });
    }
    try {
      const { alg, claims } = await verifyJwt(match[1], env);
      return Response.json({ ok: true, alg, claims });
    } catch (e) {
      return Response.json({ error: e.message }, { status: 401 });
    }
  },
};
