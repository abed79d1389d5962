// WHATWG Streams as a worker sees them: reading to the end, backpressure, error propagation,
// piping with abort, byte streams, and that the runtime's own stream plumbing is immune to user
// code replacing globals.
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

TEST(Streams, GlobalsExist) {
  EXPECT_EQ(EvalJs("return ['ReadableStream', 'ReadableStreamDefaultReader', "
                   "'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest', "
                   "'ReadableStreamDefaultController', 'ReadableByteStreamController', "
                   "'WritableStream', 'WritableStreamDefaultWriter', "
                   "'WritableStreamDefaultController', 'TransformStream', "
                   "'TransformStreamDefaultController', 'ByteLengthQueuingStrategy', "
                   "'CountQueuingStrategy'].filter(n => typeof globalThis[n] !== 'function')"
                   ".join(',') || 'all';"),
            "all");
}

TEST(Streams, ReaderReadsEveryChunkThenDone) {
  EXPECT_EQ(EvalJs("const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); "
                   "  c.close(); } });"
                   "const r = rs.getReader(); const out = [];"
                   "for (;;) { const {value, done} = await r.read(); if (done) break; "
                   "  out.push(value); }"
                   "await r.closed; return out.join(',') + ' locked=' + rs.locked;"),
            "a,b locked=true");
}

TEST(Streams, PullSourceIsAskedOnlyAsFarAsHighWaterMark) {
  // A source that could produce forever is pulled until the queue holds highWaterMark chunks.
  EXPECT_EQ(EvalJs("let pulls = 0;"
                   "const rs = new ReadableStream({ pull(c) { c.enqueue(pulls++); } },"
                   "  new CountQueuingStrategy({ highWaterMark: 3 }));"
                   "await new Promise(r => setTimeout(r, 10));"
                   "const before = pulls; const r = rs.getReader(); await r.read();"
                   "await new Promise(r => setTimeout(r, 10));"
                   "return before + ' ' + pulls;"),
            "3 4");
}

TEST(Streams, SlowSinkPausesFastSourceThroughDesiredSize) {
  // The sink takes each chunk only when the test lets it: pipeTo must stop pulling the source
  // once the writable side's queue is full, and the writer reports it through desiredSize.
  EXPECT_EQ(EvalJs("let produced = 0; const release = [];"
                   "const source = new ReadableStream({ pull(c) { c.enqueue(produced++); } },"
                   "  { highWaterMark: 0 });"
                   "const sink = new WritableStream({ write() { return new Promise(r => "
                   "  release.push(r)); } }, { highWaterMark: 2 });"
                   "const piping = source.pipeTo(sink);"
                   "await new Promise(r => setTimeout(r, 20));"
                   "const stalled = produced;"
                   "release.shift()();"
                   "await new Promise(r => setTimeout(r, 20));"
                   "const afterOne = produced;"
                   "return stalled + ' ' + afterOne;"),
            // The chunk in the sink's write still counts against highWaterMark 2 until it is done,
            // so two chunks fill the pipe; each finished write lets exactly one more in.
            "2 3");
  EXPECT_EQ(EvalJs("const ws = new WritableStream({ write() { return new Promise(() => {}); } },"
                   "  new CountQueuingStrategy({ highWaterMark: 2 }));"
                   "const w = ws.getWriter(); const sizes = [w.desiredSize];"
                   "w.write(1); sizes.push(w.desiredSize); w.write(2); sizes.push(w.desiredSize);"
                   "w.write(3); sizes.push(w.desiredSize);"
                   "let ready = false; w.ready.then(() => { ready = true; });"
                   "await new Promise(r => setTimeout(r, 10));"
                   "return sizes.join(',') + ' ready=' + ready;"),
            "2,1,0,-1 ready=false");
}

TEST(Streams, TransformErrorReachesBothEnds) {
  EXPECT_EQ(EvalJs("const ts = new TransformStream({ transform(chunk) { "
                   "  throw new RangeError('bad chunk ' + chunk); } });"
                   "const writer = ts.writable.getWriter(); const reader = ts.readable.getReader();"
                   "const w = writer.write('x').then(() => 'ok', e => e.name + ': ' + e.message);"
                   "const r = reader.read().then(() => 'ok', e => e.name + ': ' + e.message);"
                   "return (await w) + ' | ' + (await r);"),
            "RangeError: bad chunk x | RangeError: bad chunk x");
}

TEST(Streams, PipeThroughTransformsEveryChunk) {
  EXPECT_EQ(EvalJs("const rs = ReadableStream.from(['a', 'b', 'c']);"
                   "const upper = new TransformStream({ transform(c, ctl) { "
                   "  ctl.enqueue(c.toUpperCase()); } });"
                   "const out = []; for await (const c of rs.pipeThrough(upper)) out.push(c);"
                   "return out.join('');"),
            "ABC");
}

TEST(Streams, PipeToStopsAndCancelsTheSourceWhenAborted) {
  // A minimal AbortSignal stand-in, so the test does not depend on AbortController (another
  // builtin); the polyfill accepts any object with the AbortSignal members it uses.
  EXPECT_EQ(EvalJs("const listeners = [];"
                   "const signal = { aborted: false, reason: undefined,"
                   "  addEventListener(type, fn) { listeners.push(fn); },"
                   "  removeEventListener() {} };"
                   "let cancelReason = null; let n = 0;"
                   "const rs = new ReadableStream({ pull(c) { c.enqueue(n++); },"
                   "  cancel(r) { cancelReason = r; } });"
                   "const written = [];"
                   "const ws = new WritableStream({ write(c) { written.push(c); "
                   "  return new Promise(r => setTimeout(r, 1)); } });"
                   "const p = rs.pipeTo(ws, { signal });"
                   "await new Promise(r => setTimeout(r, 10));"
                   "signal.aborted = true; signal.reason = new Error('stop');"
                   "listeners.forEach(fn => fn());"
                   "const outcome = await p.then(() => 'resolved', e => e.message);"
                   "return outcome + ' cancel=' + (cancelReason && cancelReason.message) + "
                   "' wrote=' + (written.length > 0);"),
            "stop cancel=stop wrote=true");
}

TEST(Streams, AsyncIterationPreventCancelLeavesStreamReadable) {
  EXPECT_EQ(
      EvalJs("const rs = ReadableStream.from([1, 2, 3]);"
             "for await (const v of rs.values({ preventCancel: true })) { if (v === 1) break; }"
             "const r = rs.getReader(); const rest = [];"
             "for (;;) { const {value, done} = await r.read(); if (done) break; "
             "  rest.push(value); }"
             "return rest.join(',');"),
      "2,3");
  EXPECT_EQ(EvalJs("let cancelled = false;"
                   "const rs = new ReadableStream({ pull(c) { c.enqueue(1); },"
                   "  cancel() { cancelled = true; } });"
                   "for await (const v of rs) break;"
                   "return cancelled + ' ' + rs.locked;"),
            "true false");
}

TEST(Streams, ByteStreamFillsByobReaderBuffer) {
  EXPECT_EQ(
      EvalJs(
          "const rs = new ReadableStream({ type: 'bytes', pull(c) {"
          "  const v = c.byobRequest.view; v[0] = 7; v[1] = 9; "
          "  c.byobRequest.respond(2); c.close(); } });"
          "const r = rs.getReader({ mode: 'byob' });"
          "const {value} = await r.read(new Uint8Array(8));"
          "return value.constructor.name + ' ' + value.byteLength + ' ' + [...value].join(',');"),
      "Uint8Array 2 7,9");
}

TEST(Streams, TeeGivesBothBranchesEveryChunk) {
  EXPECT_EQ(EvalJs("const [a, b] = ReadableStream.from(['x', 'y']).tee();"
                   "const read = async s => { const o = []; for await (const c of s) o.push(c);"
                   "  return o.join(''); };"
                   "return (await read(a)) + (await read(b));"),
            "xyxy");
}

TEST(Streams, TransformStreamSidesAreTheGlobalClasses) {
  EXPECT_EQ(EvalJs("const ts = new TransformStream();"
                   "return [ts.readable instanceof ReadableStream, "
                   "ts.writable instanceof WritableStream, "
                   "ts.readable.getReader() instanceof ReadableStreamDefaultReader, "
                   "Object.prototype.toString.call(ts)].join(' ');"),
            "true true true [object TransformStream]");
}

TEST(Streams, ReplacingGlobalsDoesNotBreakStreams) {
  // Streams load on first use; a worker that replaced Object, Promise, its methods or
  // queueMicrotask before that must not change how streams schedule their own work, and gets its
  // own replacements back afterwards. (Replacing Object while streams run breaks them: the
  // polyfill looks Object.create and friends up at call time.)
  EXPECT_EQ(EvalJs("const fakePromise = function Promise() { throw new Error('user Promise'); };"
                   "const realThen = Promise.prototype.then; let userThenCalls = 0;"
                   "globalThis.Promise = fakePromise;"
                   "Object.getPrototypeOf((async () => {})()).then = function (...a) {"
                   "  userThenCalls++; return realThen.apply(this, a); };"
                   "const userQueueMicrotask = () => { throw new Error('user queueMicrotask'); };"
                   "globalThis.queueMicrotask = userQueueMicrotask;"
                   "const realObject = Object; globalThis.Object = null;"
                   "const loaded = typeof ReadableStream;"  // the first touch loads streams
                   "globalThis.Object = realObject;"
                   "const rs = ReadableStream.from(['p', 'q']);"
                   "const kept = globalThis.Promise === fakePromise && "
                   "  globalThis.queueMicrotask === userQueueMicrotask;"
                   "const calls = userThenCalls;"
                   "const out = []; for await (const c of rs.pipeThrough(new TransformStream()))"
                   "  out.push(c);"
                   "Object.getPrototypeOf((async () => {})()).then = realThen;"
                   "return out.join('') + ' ' + loaded + ' kept=' + kept + ' calls=' + calls;"),
            "pq function kept=true calls=0");
}

TEST(Streams, GlobalsBecomeDataPropertiesAndStayReplaceable) {
  EXPECT_EQ(EvalJs("const before = Object.getOwnPropertyDescriptor(globalThis, 'WritableStream');"
                   "new WritableStream();"
                   "const after = Object.getOwnPropertyDescriptor(globalThis, 'WritableStream');"
                   "return [typeof before.get, after.value === WritableStream, after.writable,"
                   "  after.enumerable, after.configurable].join(' ');"),
            "function true true false true");
  // Reassigning a global before first use sticks; the runtime's own streams still work.
  EXPECT_EQ(EvalJs("globalThis.TransformStream = 'mine';"
                   "const te = new TextEncoderStream();"
                   "const w = te.writable.getWriter(); w.write('ok'); w.close();"
                   "const out = []; for await (const c of te.readable) out.push(...c);"
                   "return TransformStream + ' ' + String.fromCharCode(...out) + ' ' + "
                   "(te.readable instanceof ReadableStream);"),
            "mine ok true");
}

TEST(Streams, BufferedBodiesDoNotLoadStreams) {
  // Streams cost every isolate that loads them ~140 KiB; a worker that only uses buffered bodies
  // must not pay that (the globals stay unloaded accessors).
  EXPECT_EQ(EvalJs("const r = new Request('http://x/', {method: 'POST', body: 'abc'});"
                   "const text = await r.text();"
                   "const res = new Response(new Uint8Array([1, 2]));"
                   "const bytes = await res.clone().arrayBuffer();"
                   "const json = await Response.json({a: 1}).json();"
                   "const unloaded = typeof Object.getOwnPropertyDescriptor(globalThis, "
                   "  'ReadableStream').get === 'function';"
                   "const hasBody = new Response('x').body instanceof ReadableStream;"
                   "return [text, bytes.byteLength, json.a, unloaded, hasBody].join(' ');"),
            "abc 2 1 true true");
}

TEST(Streams, WrongArgumentsThrowTypeErrors) {
  EXPECT_EQ(EvalJs("const errors = [];"
                   "for (const f of [() => new ReadableStream({ type: 'nope' }),"
                   "    () => new ReadableStream().getReader({ mode: 'nope' }),"
                   "    () => { const rs = new ReadableStream(); rs.getReader(); rs.getReader(); },"
                   "    () => new WritableStream({}, { size: 5 })]) {"
                   "  try { f(); errors.push('none'); } catch (e) { errors.push(e.name); } }"
                   "return errors.join(',');"),
            "TypeError,TypeError,TypeError,TypeError");
}

// Runs `chunks` (a JS array expression) through `stream` (a JS expression) and returns the output
// chunks, JSON-encoded (Uint8Arrays as arrays of numbers), or the error's name and message.
std::string PipeChunks(const std::string& stream, const std::string& chunks) {
  return EvalJs("const ts = " + stream +
                "; const out = [];"
                "const done = (async () => { for await (const c of ts.readable) "
                "  out.push(c instanceof Uint8Array ? [...c] : c); })();"
                "const w = ts.writable.getWriter();"
                "try { for (const c of " +
                chunks +
                ") await w.write(c); await w.close();"
                "  await done; return JSON.stringify(out); }"
                "catch (e) { return e.name + ': ' + e.message; }");
}

TEST(TextStreams, EncoderJoinsSurrogatePairSplitAcrossChunks) {
  // U+1F499 is D83D DC99: the high surrogate waits for the next chunk instead of becoming U+FFFD.
  EXPECT_EQ(PipeChunks("new TextEncoderStream()", "['a\\uD83D', '\\uDC99b']"),
            "[[97],[240,159,146,153,98]]");
}

TEST(TextStreams, EncoderFlushesLoneHighSurrogateAsReplacement) {
  EXPECT_EQ(PipeChunks("new TextEncoderStream()", "['x\\uD83D']"), "[[120],[239,191,189]]");
}

TEST(TextStreams, DecoderWaitsForTheRestOfASplitCharacter) {
  // U+00E9 is C3 A9; the first chunk alone yields nothing, the second the whole character.
  EXPECT_EQ(PipeChunks("new TextDecoderStream()",
                       "[new Uint8Array([0x61, 0xC3]), new Uint8Array([0xA9])]"),
            "[\"a\",\"\u00e9\"]");
}

TEST(TextStreams, DecoderEndingMidCharacterGivesReplacementOrFatalTypeError) {
  EXPECT_EQ(PipeChunks("new TextDecoderStream()", "[new Uint8Array([0x61, 0xC3])]"),
            "[\"a\",\"\ufffd\"]");
  EXPECT_EQ(
      PipeChunks("new TextDecoderStream('utf-8', {fatal: true})", "[new Uint8Array([0x61, 0xC3])]"),
      "TypeError: The encoded data was not valid for encoding utf-8");
}

TEST(TextStreams, DecoderRejectsChunksThatAreNotBytes) {
  EXPECT_EQ(PipeChunks("new TextDecoderStream()", "['text']").substr(0, 11), "TypeError: ");
}

TEST(TextStreams, AttributesAndPipeThrough) {
  EXPECT_EQ(EvalJs("const d = new TextDecoderStream('UTF8', {fatal: true, ignoreBOM: true});"
                   "const text = ReadableStream.from(['h\\u00e9', 'llo'])"
                   "  .pipeThrough(new TextEncoderStream()).pipeThrough(new TextDecoderStream());"
                   "let s = ''; for await (const c of text) s += c;"
                   "return [d.encoding, d.fatal, d.ignoreBOM, new TextEncoderStream().encoding, s,"
                   "  Object.prototype.toString.call(d)].join(' ');"),
            "utf-8 true true utf-8 h\u00e9llo [object TextDecoderStream]");
}

}  // namespace
}  // namespace edgerun::testing
