// FormData and the body mixin's blob()/formData() as a worker sees them: entry order and
// conversions, multipart round trips through Response/Request, urlencoded bodies, malformed
// input, and the Content-Type a Blob/FormData body implies.
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

TEST(FormData, KeepsEntriesInOrderAndSetReplacesTheFirst) {
  EXPECT_EQ(EvalJs("const fd = new FormData();"
                   "fd.append('a', '1'); fd.append('b', '2'); fd.append('a', '3');"
                   "const before = [...fd].map(([k, v]) => k + '=' + v).join('&');"
                   "fd.set('a', '4'); fd.append('c', 5);"
                   "const after = [...fd.keys()].join(',') + ' ' + [...fd.values()].join(',');"
                   "fd.delete('b');"
                   "return [before, after, fd.get('a'), fd.getAll('a').length, fd.has('b'),"
                   "  fd.get('zz')].join(' | ');"),
            "a=1&b=2&a=3 | a,b,c 4,2,5 | 4 | 1 | false | ");
}

TEST(FormData, BlobValuesBecomeFilesNamedBlobOrTheGivenName) {
  EXPECT_EQ(EvalJs("const fd = new FormData();"
                   "const blob = new Blob(['x'], {type: 'text/x'});"
                   "const file = new File(['yy'], 'orig.txt', {lastModified: 7});"
                   "fd.append('a', blob); fd.append('b', blob, 'named.bin');"
                   "fd.append('c', file); fd.append('d', file, 'renamed.txt');"
                   "const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(k => fd.get(k));"
                   "return [a instanceof File, a.name, a.type, b.name, c === file,"
                   "  d === file, d.name, d.lastModified, await d.text()].join(',');"),
            "true,blob,text/x,named.bin,true,false,renamed.txt,7,yy");
}

TEST(FormData, NamesAndValuesAreUsvStrings) {
  EXPECT_EQ(EvalJs("const fd = new FormData(); fd.append('n\\uD800', 'v\\uDC00x');"
                   "const [[k, v]] = fd;"
                   "return k.charCodeAt(1).toString(16) + ' ' + v.charCodeAt(1).toString(16);"),
            "fffd fffd");
}

TEST(FormData, ArgumentErrorsAreTypeErrors) {
  EXPECT_EQ(EvalJs("const out = [];"
                   "const tries = [() => new FormData({}), () => new FormData().append('a'),"
                   "  () => new FormData().append('a', 'not a blob', 'name.txt'),"
                   "  () => new FormData().forEach(5)];"
                   "for (const f of tries) { try { f(); out.push('ok'); } catch (e) {"
                   "  out.push(e.name); } }"
                   "return out.join(',');"),
            "TypeError,TypeError,TypeError,TypeError");
}

TEST(FormData, IteratorsAreLive) {
  EXPECT_EQ(EvalJs("const fd = new FormData(); fd.append('a', '1');"
                   "const it = fd.entries(); fd.append('b', '2');"
                   "const seen = []; for (const [k] of it) seen.push(k);"
                   "return seen.join(',') + ' ' + Object.prototype.toString.call(fd.keys());"),
            "a,b [object FormData Iterator]");
}

TEST(FormData, ResponseRoundTripKeepsStringsAndFiles) {
  EXPECT_EQ(EvalJs("const fd = new FormData();"
                   "fd.append('greeting', 'hi\\nthere');"
                   "fd.append('up\"load', new Blob([new Uint8Array([0, 255, 13, 10, 45, 45])],"
                   "  {type: 'application/x-raw'}), 'a\"b.bin');"
                   "const res = new Response(fd);"
                   "const type = res.headers.get('content-type');"
                   "const back = await res.formData(); const out = [];"
                   "for (const [k, v] of back) {"
                   "  if (typeof v === 'string') out.push(k + '=' + JSON.stringify(v));"
                   "  else out.push(k + '=' + v.name + ':' + v.type + ':' +"
                   "    [...await v.bytes()].join('.')); }"
                   "return /^multipart\\/form-data; boundary=[-\\w]+$/.test(type) + ' ' +"
                   "  out.join(' ');"),
            // String values have their line breaks normalized to CRLF by the encoding.
            R"(true greeting="hi\r\nthere" up"load=a"b.bin:application/x-raw:0.255.13.10.45.45)");
}

TEST(FormData, MultipartEscapesQuotesAndLineBreaksInNames) {
  EXPECT_EQ(EvalJs("const fd = new FormData();"
                   "fd.append('a\"b\\nc', new Blob(['x']), 'f\\r\"g');"
                   "const text = await new Response(fd).text();"
                   "return text.split('\\r\\n')[1];"),
            R"(Content-Disposition: form-data; name="a%22b%0D%0Ac"; filename="f%0D%22g")");
}

TEST(FormData, UrlencodedRequestBody) {
  EXPECT_EQ(EvalJs("const req = new Request('http://x/', {method: 'POST', body: "
                   "'a=1&b=%20&c+d=e+f&&g&h=%zz%C3%A9',"
                   "  headers: {'content-type': 'application/x-www-form-urlencoded'}});"
                   "return JSON.stringify([...await req.formData()]);"),
            R"([["a","1"],["b"," "],["c d","e f"],["g",""],["h","%zzé"]])");
}

TEST(FormData, ParsesMultipartFromAnotherClient) {
  // As curl -F sends it: a preamble-free body with LF-free values and a file part.
  EXPECT_EQ(
      EvalJs(
          "const body = '--XyZ\\r\\n'"
          "  + 'content-disposition: form-data; name=\"field\"\\r\\n\\r\\nvalue one\\r\\n'"
          "  + '--XyZ\\r\\nContent-Disposition: form-data; name=\"doc\"; filename=\"r.txt\"\\r\\n'"
          "  + 'Content-Type: Text/Plain\\r\\n\\r\\nline1\\r\\nline2\\r\\n--XyZ--\\r\\n';"
          "const fd = await new Request('http://x/', {method: 'POST', body,"
          "  headers: {'content-type': 'multipart/form-data; boundary=\"XyZ\"'}}).formData();"
          "const f = fd.get('doc');"
          "return fd.get('field') + '|' + f.name + '|' + f.type + '|' + JSON.stringify(await "
          "f.text());"),
      R"(value one|r.txt|text/plain|"line1\r\nline2")");
}

TEST(FormData, MalformedMultipartIsATypeError) {
  EXPECT_EQ(
      EvalJs(
          "const bad = ['--b\\r\\nContent-Disposition: form-data; name=\"a\"\\r\\n\\r\\nno end',"
          "  'garbage', '--b\\r\\nX: y\\r\\n\\r\\nv\\r\\n--b--',"
          "  '--b\\r\\nContent-Disposition: form-data; name=\"a\"'];"
          "const out = [];"
          "for (const body of bad) {"
          "  try { await new Response(body, {headers: {'content-type': "
          "    'multipart/form-data; boundary=b'}}).formData(); out.push('ok'); }"
          "  catch (e) { out.push(e.name); } }"
          "try { await new Response('a=1', {headers: {'content-type': 'text/plain'}}).formData();"
          "  out.push('ok'); } catch (e) { out.push(e.name); }"
          "try { await new Response('', {headers: {'content-type': 'multipart/form-data'}})"
          "  .formData(); out.push('ok'); } catch (e) { out.push(e.name); }"
          "return out.join(',');"),
      "TypeError,TypeError,TypeError,TypeError,TypeError,TypeError");
}

TEST(FormData, LargeMultipartBodyParsesInLinearTime) {
  // 8 MiB of a file full of near-delimiters (CRLF, dashes and most of the boundary): a search
  // that is not linear would not finish within 500 ms of CPU (a linear one takes ~40 ms; the
  // default 50 ms budget was too tight on a loaded machine).
  isolates::TenantLimits limits;
  limits.cpu_ms = 500;
  EXPECT_EQ(EvalJs("const fd = new FormData();"
                   "const chunk = '\\r\\n------edgerunFormBoundary';"
                   "fd.append('f', new Blob([chunk.repeat(300000)]), 'big.txt');"
                   "const back = await new Response(fd).formData();"
                   "return back.get('f').size;",
                   limits),
            std::to_string(27 * 300000));
}

TEST(BodyMixin, UrlSearchParamsBodyIsUrlencoded) {
  if (EvalJs("return typeof URLSearchParams;") != "function") {
    GTEST_SKIP() << "URLSearchParams is not a builtin in this build";
  }
  EXPECT_EQ(EvalJs("const res = new Response(new URLSearchParams([['a', '1 2'], ['b', 'é']]));"
                   "const type = res.headers.get('content-type');"
                   "const fd = await res.clone().formData();"
                   "return type + ' ' + (await res.text()) + ' ' + fd.get('a') + fd.get('b');"),
            "application/x-www-form-urlencoded;charset=UTF-8 a=1+2&b=%C3%A9 1 2é");
}

TEST(BodyMixin, BlobTakesItsTypeFromContentType) {
  EXPECT_EQ(EvalJs("const a = await new Response('hello', {headers: {'Content-Type': 'Text/HTML; "
                   "Charset=\"utf-8\"'}}).blob();"
                   "const b = await new Response(new Uint8Array([1, 2])).blob();"
                   "const c = await new Request('http://x/', {method: 'POST', body: 'x'}).blob();"
                   "return [a.type, a.size, await a.text(), JSON.stringify(b.type), b.size, c.type]"
                   "  .join(',');"),
            R"(text/html;charset=utf-8,5,hello,"",2,text/plain;charset=UTF-8)");
}

TEST(BodyMixin, BlobBodyGivesItsBytesAndType) {
  EXPECT_EQ(EvalJs("const blob = new Blob(['ab', new Uint8Array([99])], {type: 'Image/PNG'});"
                   "const res = new Response(blob);"
                   "const untyped = new Response(new Blob(['z']));"
                   "return res.headers.get('content-type') + ' ' + (await res.text()) + ' ' +"
                   "  untyped.headers.get('content-type') + ' ' + (await blob.text());"),
            "image/png abc null abc");
}

TEST(BodyMixin, BlobBodyIsServedOnTheWire) {
  TestWorker w(Files{{"index.js",
                      "export default { async fetch() {\n"
                      "  return new Response(new Blob(['<b>', 'hi</b>'], {type: 'text/html'}));\n"
                      "} };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "<b>hi</b>");
  bool typed = false;
  for (const auto& [name, value] : r->headers) {
    if (name == "content-type") typed = value == "text/html";
  }
  EXPECT_TRUE(typed);
}

}  // namespace
}  // namespace edgerun::testing
