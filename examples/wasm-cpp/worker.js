// Word frequencies of a posted text, computed by C++ compiled to WebAssembly (src/wordfreq.cc, a
// WASI reactor). The module is bound in edgerun.json (`wasm_modules`) and arrives compiled as
// env.WORDFREQ; it is instantiated once per isolate and reused by the requests that follow.
//
//   POST /wasm/cpp/wordfreq?top=N   (text body; N from 1 to 100, default 10)
//   -> 200 {"words":W,"unique":U,"top":[{"word":"the","count":12},...]}
//   -> 400 {"error":"..."} for a bad ?top= or a body that is not UTF-8; 405 for other methods
const MAX_TOP = 100;
let lib = null;

function json(status, value, headers = {}) {
  return new Response(typeof value === 'string' ? value : JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function load(env) {
  if (lib === null) {
    // The reactor's static constructors run in _initialize (wasi.initialize) and read the stop
    // words from the WASI environment.
    const wasi = new WASI({ env: { STOPWORDS: String(env.STOPWORDS ?? '') } });
    const instance = new WebAssembly.Instance(env.WORDFREQ, wasi.getImportObject());
    wasi.initialize(instance);
    lib = instance.exports;
  }
  return lib;
}

function parseTop(value) {
  if (value === null) return 10;
  if (!/^[0-9]{1,3}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= MAX_TOP ? n : null;
}

function count(e, text, top) {
  const ptr = e.wf_alloc(text.length);
  if (ptr === 0) return json(413, { error: 'the text does not fit in the module\'s memory' });
  new Uint8Array(e.memory.buffer, ptr, text.length).set(text);
  const rc = e.wf_count(ptr, text.length, top);
  // Read memory.buffer again: the call may have grown the memory, which replaces the buffer.
  const out = new TextDecoder().decode(
    new Uint8Array(e.memory.buffer, e.wf_result_ptr(), e.wf_result_len()));
  return rc === 0 ? json(200, out) : json(400, { error: out });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname !== '/wasm/cpp/wordfreq') {
      return json(404, { error: 'not found: POST a text to /wasm/cpp/wordfreq' });
    }
    if (request.method !== 'POST') {
      return json(405, { error: 'use POST with the text as the body' }, { allow: 'POST' });
    }
    const top = parseTop(url.searchParams.get('top'));
    if (top === null) {
      return json(400, { error: `top must be an integer from 1 to ${MAX_TOP}` });
    }
    const text = new Uint8Array(await request.arrayBuffer());
    try {
      return count(load(env), text, top);
    } catch (err) {
      // A trap can leave the instance's memory half-updated: start from a fresh one next time.
      lib = null;
      throw err;
    }
  },
};
