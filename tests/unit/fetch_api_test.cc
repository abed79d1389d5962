// Headers semantics (Fetch Standard), observed from worker JS.
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

TEST(Headers, CaseInsensitiveGetSetHasDelete) {
  EXPECT_EQ(EvalJs("const h = new Headers({'Content-Type': 'text/html'});"
                   "h.set('X-A', '1'); h.delete('x-a');"
                   "return [h.get('content-type'), h.get('CONTENT-TYPE'), h.has('x-a'), "
                   "h.get('x-a')].join('|');"),
            "text/html|text/html|false|");
}

TEST(Headers, AppendCombinesWithCommaSpace) {
  EXPECT_EQ(EvalJs("const h = new Headers(); h.append('Accept', 'a'); h.append('accept', 'b');"
                   "return h.get('accept');"),
            "a, b");
}

TEST(Headers, SetCookieIsKeptApart) {
  EXPECT_EQ(
      EvalJs("const h = new Headers([['Set-Cookie', 'a=1'], ['set-cookie', 'b=2'], ['x', '1']]);"
             "return JSON.stringify([h.getSetCookie(), [...h], h.get('set-cookie')]);"),
      R"([["a=1","b=2"],[["set-cookie","a=1"],["set-cookie","b=2"],["x","1"]],"a=1, b=2"])");
}

TEST(Headers, IterationIsSortedAndLowerCased) {
  EXPECT_EQ(
      EvalJs(
          "const h = new Headers({'Zeta': 'z', 'alpha': 'a', 'Beta': 'b'}); h.append('alpha', 'c');"
          "return [...h.keys()].join(',') + ' ' + [...h.values()].join(',');"),
      "alpha,beta,zeta a, c,b,z");
}

TEST(Headers, ForEachOrderAndArguments) {
  EXPECT_EQ(EvalJs("const h = new Headers({b: '2', a: '1'}); const out = [];"
                   "h.forEach((v, k, self) => out.push(k + '=' + v + (self === h)));"
                   "return out.join(';');"),
            "a=1true;b=2true");
}

TEST(Headers, ValuesAreTrimmedOfHttpWhitespace) {
  EXPECT_EQ(
      EvalJs("const h = new Headers(); h.set('x', ' \\t v  \\t'); return '[' + h.get('x') + ']';"),
      "[v]");
}

TEST(Headers, InvalidNamesAndValuesThrowTypeError) {
  EXPECT_EQ(EvalJs("new Headers().set('bad name', 'x');"),
            "THREW TypeError: Failed to execute 'set' on 'Headers': Invalid name");
  EXPECT_EQ(EvalJs("new Headers().set('x', 'a\\r\\nInjected: 1');"),
            "THREW TypeError: Failed to execute 'set' on 'Headers': Invalid value");
  EXPECT_NE(EvalJs("new Headers().set('x', '\\u0100');").find("THREW TypeError"),
            std::string::npos);
  EXPECT_NE(EvalJs("new Headers(null)").find("THREW TypeError"), std::string::npos);
  EXPECT_NE(EvalJs("new Headers([['only-name']])").find("THREW TypeError"), std::string::npos);
}

TEST(Headers, ConstructFromHeadersCopies) {
  EXPECT_EQ(EvalJs("const a = new Headers({x: '1'}); const b = new Headers(a); b.set('x', '2');"
                   "return a.get('x') + b.get('x');"),
            "12");
}

TEST(Headers, IteratorSeesLiveChanges) {
  EXPECT_EQ(EvalJs("const h = new Headers({a: '1', b: '2', c: '3'}); const seen = [];"
                   "for (const [k] of h) { seen.push(k); if (k === 'a') h.delete('b'); }"
                   "return seen.join(',');"),
            "a,c");
}

TEST(Headers, IncomingRequestHeadersAreImmutable) {
  TestWorker w(
      Files{{"index.js",
             "export default { fetch(req) {\n"
             "  try { req.headers.set('x', '1'); return new Response('mutable'); }\n"
             "  catch (e) { return new Response(e.message + ' ' + req.headers.get('host')); }\n"
             "} };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "Can't modify immutable headers. example.com");
}

TEST(Headers, ToStringTagAndInstanceof) {
  EXPECT_EQ(EvalJs("return Object.prototype.toString.call(new Headers()) + (new Headers() "
                   "instanceof Headers);"),
            "[object Headers]true");
}

TEST(Response, StatusValidation) {
  EXPECT_NE(EvalJs("new Response('', {status: 99})").find("THREW RangeError"), std::string::npos);
  EXPECT_NE(EvalJs("new Response('', {status: 600})").find("THREW RangeError"), std::string::npos);
  EXPECT_NE(EvalJs("new Response('x', {status: 204})").find("THREW TypeError"), std::string::npos);
  EXPECT_NE(EvalJs("new Response('', {statusText: 'a\\nb'})").find("THREW TypeError"),
            std::string::npos);
  EXPECT_EQ(EvalJs("const r = new Response(null, {status: 204}); return r.status + ' ' + r.ok;"),
            "204 true");
}

TEST(Response, StaticHelpers) {
  EXPECT_EQ(EvalJs("const r = Response.redirect('https://e.com/a', 301);"
                   "return r.status + ' ' + r.headers.get('location');"),
            "301 https://e.com/a");
  EXPECT_NE(EvalJs("Response.redirect('https://e.com/', 200)").find("THREW RangeError"),
            std::string::npos);
  EXPECT_EQ(EvalJs("const r = Response.json({a: 1}, {headers: {'x-y': 'z'}});"
                   "return r.headers.get('content-type') + ' ' + r.headers.get('x-y') + ' ' + "
                   "await r.text();"),
            "application/json z {\"a\":1}");
  EXPECT_EQ(EvalJs("const r = Response.error(); return r.type + ' ' + r.status;"), "error 0");
}

TEST(Response, BodyTypesAndSingleUse) {
  EXPECT_EQ(EvalJs("const bytes = new Uint8Array([104, 105]); const r = new Response(bytes);"
                   "bytes[0] = 0; return await r.text() + ' ' + r.bodyUsed + ' ' + "
                   "r.headers.has('content-type');"),
            "hi true false");
  EXPECT_EQ(EvalJs("const r = new Response('x'); await r.text();"
                   "try { await r.text(); return 'no'; } catch (e) { return e.name; }"),
            "TypeError");
  EXPECT_EQ(
      EvalJs(
          "const r = new Response(new ArrayBuffer(3)); return (await r.arrayBuffer()).byteLength;"),
      "3");
  EXPECT_EQ(EvalJs("const r = new Response('{\"a\":[1]}'); const c = r.clone();"
                   "return (await r.json()).a[0] + (await c.text());"),
            "1{\"a\":[1]}");
  EXPECT_EQ(EvalJs("const r = new Response(null); return (await r.text()) + r.bodyUsed;"), "false");
  EXPECT_EQ(EvalJs("return (await new Response('\\u00e9').bytes()).join(',');"), "195,169");
}

TEST(Request, ConstructionRules) {
  EXPECT_EQ(EvalJs("const r = new Request('https://a.com/x', {method: 'post', body: 'hi'});"
                   "return r.method + ' ' + r.url + ' ' + r.headers.get('content-type') + ' ' + "
                   "await r.text();"),
            "POST https://a.com/x text/plain;charset=UTF-8 hi");
  EXPECT_NE(EvalJs("new Request('https://a.com/', {body: 'x'})").find("THREW TypeError"),
            std::string::npos);
  EXPECT_NE(EvalJs("new Request('https://a.com/', {method: 'CONNECT'})").find("THREW TypeError"),
            std::string::npos);
  EXPECT_NE(EvalJs("new Request('/relative')").find("THREW TypeError"), std::string::npos);
  EXPECT_EQ(EvalJs("const a = new Request('https://a.com/', {method: 'PATCH', headers: {x: '1'}});"
                   "const b = new Request(a, {headers: {y: '2'}});"
                   "return b.method + ' ' + b.headers.get('x') + ' ' + b.headers.get('y');"),
            "PATCH null 2");
}

TEST(Encoding, TextEncoderDecoderRoundTrip) {
  EXPECT_EQ(EvalJs("const b = new TextEncoder().encode('h\\u00e9\\u20ac\\ud83d\\ude00');"
                   "return b.length + ' ' + (new TextDecoder().decode(b) === "
                   "'h\\u00e9\\u20ac\\ud83d\\ude00');"),
            "10 true");
}

TEST(Encoding, DecoderReplacementFatalAndBom) {
  EXPECT_EQ(EvalJs("return escape(new TextDecoder().decode(new Uint8Array([0x61, 0xff, 0xe2, 0x82, "
                   "0x62])));"),
            "a%uFFFD%uFFFDb");
  EXPECT_NE(EvalJs("new TextDecoder('utf-8', {fatal: true}).decode(new Uint8Array([0xc3]))")
                .find("THREW TypeError"),
            std::string::npos);
  EXPECT_EQ(
      EvalJs("return new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])).length;"),
      "1");
  EXPECT_EQ(EvalJs("return new TextDecoder('utf8', {ignoreBOM: true}).decode(new Uint8Array([0xef, "
                   "0xbb, 0xbf, 0x41])).length;"),
            "2");
  EXPECT_NE(EvalJs("new TextDecoder('latin-two')").find("THREW RangeError"), std::string::npos);
}

TEST(Encoding, DecoderStreamingSplitsMultibyteSequences) {
  EXPECT_EQ(
      EvalJs("const d = new TextDecoder(); const b = new "
             "TextEncoder().encode('\\u20ac\\ud83d\\ude00');"
             "let s = ''; for (const x of b) s += d.decode(new Uint8Array([x]), {stream: true});"
             "s += d.decode(); return s === '\\u20ac\\ud83d\\ude00';"),
      "true");
}

TEST(Encoding, EncodeIntoReportsReadAndWritten) {
  EXPECT_EQ(EvalJs("const dest = new Uint8Array(4); const r = new "
                   "TextEncoder().encodeInto('a\\u20acb', dest);"
                   "return r.read + ' ' + r.written;"),
            "2 4");
}

TEST(Timers, OrderingArgumentsAndClear) {
  // Waits for the events it checks (not for a fixed delay: a loaded machine can wake the loop
  // late with several timers due at once).
  EXPECT_EQ(EvalJs("const out = [];"
                   "await new Promise(done => {"
                   "  let pending = 2; const step = () => { if (--pending === 0) done(); };"
                   "  setTimeout((a, b) => { out.push(a + b); step(); }, 5, 'x', 'y');"
                   "  const t = setTimeout(() => out.push('cleared'), 1); clearTimeout(t);"
                   "  let n = 0; const i = setInterval(() => {"
                   "    out.push('i' + (++n)); if (n === 2) { clearInterval(i); step(); } }, 1);"
                   "  queueMicrotask(() => out.push('micro'));"
                   "});"
                   "await new Promise(r => setTimeout(r, 20));"  // nothing cleared fires later
                   "return out[0] + ' ' + out.slice(1).sort().join(',');"),
            "micro i1,i2,xy");
}

}  // namespace
}  // namespace edgerun::testing
