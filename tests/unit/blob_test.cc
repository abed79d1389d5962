// Blob and File as a worker sees them: sizes and text of mixed parts, slices (negative indexes,
// shared bytes), type rules, stream() chunks, and File's name/lastModified.
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

TEST(Blob, MixedPartsHaveTheirUtf8SizeAndText) {
  EXPECT_EQ(EvalJs("const inner = new Blob(['é']);"
                   "const b = new Blob(['ab', new Uint8Array([67, 68]), inner,"
                   "  new Uint16Array([0x4645]).buffer, 42]);"
                   "return b.size + ' ' + (await b.text());"),
            "10 abCDéEF42");
}

TEST(Blob, LaterWritesToASourceBufferDoNotChangeTheBlob) {
  EXPECT_EQ(EvalJs("const u = new Uint8Array([1, 2, 3]); const b = new Blob([u]); u[0] = 9;"
                   "return [...new Uint8Array(await b.arrayBuffer())].join(',');"),
            "1,2,3");
}

TEST(Blob, LoneSurrogatesBecomeReplacementCharacters) {
  EXPECT_EQ(EvalJs("const b = new Blob(['a\\uD800b']);"
                   "return b.size + ' ' + [...await b.bytes()].join(',');"),
            "5 97,239,191,189,98");
}

TEST(Blob, NativeEndingsBecomeLineFeeds) {
  EXPECT_EQ(EvalJs("const t = new Blob(['a\\r\\nb\\rc\\n'], {endings: 'native'});"
                   "const u = new Blob(['a\\r\\nb'], {endings: 'transparent'});"
                   "return JSON.stringify([await t.text(), await u.text()]);"),
            R"(["a\nb\nc\n","a\r\nb"])");
  EXPECT_EQ(EvalJs("try { new Blob([], {endings: 'windows'}); return 'no throw'; }"
                   "catch (e) { return e.name; }"),
            "TypeError");
}

TEST(Blob, TypeIsLowerCasedOrEmptiedWhenNotPrintableAscii) {
  EXPECT_EQ(EvalJs("return JSON.stringify([new Blob([], {type: 'Text/HTML'}).type,"
                   "  new Blob([], {type: 'image/gif\\u0000'}).type,"
                   "  new Blob([], {type: '\\u00e5'}).type, new Blob().type]);"),
            R"(["text/html","","",""])");
}

TEST(Blob, NonSequencePartsAreTypeErrors) {
  EXPECT_EQ(EvalJs("const out = [];"
                   "for (const arg of [null, 7, 'abc', {}, new Date()]) {"
                   "  try { new Blob(arg); out.push('ok'); } catch (e) { out.push(e.name); } }"
                   "return out.join(',');"),
            "TypeError,TypeError,TypeError,TypeError,TypeError");
}

TEST(Blob, SliceTakesNegativeIndexesAndAContentType) {
  EXPECT_EQ(
      EvalJs("const b = new Blob(['hello ', new Blob(['wide ']), 'world']);"
             "const parts = [b.slice(6, 10), b.slice(-5), b.slice(-100, 2),"
             "  b.slice(3, 1), b.slice(4, -4, 'TEXT/Plain')];"
             "const out = [];"
             "for (const p of parts) out.push(p.size + ':' + (await p.text()) + ':' + p.type);"
             "return out.join('|');"),
      "4:wide:|5:world:|2:he:|0::|8:o wide w:text/plain");
}

TEST(Blob, SliceOfASliceReadsTheRightBytes) {
  EXPECT_EQ(EvalJs("const b = new Blob(['0123', new Uint8Array([52, 53, 54]), '789']);"
                   "const s = b.slice(2, 9).slice(1, -1);"
                   "return s.size + ' ' + (await s.text()) + ' ' + (await b.text());"),
            "5 34567 0123456789");
}

TEST(Blob, StreamYieldsTheBytesAsUint8ArrayChunks) {
  EXPECT_EQ(EvalJs("const big = new Uint8Array(150000).fill(120);"
                   "const b = new Blob(['ab', big, 'cd']);"
                   "const reader = b.stream().getReader(); const sizes = []; let total = 0;"
                   "let first = null;"
                   "for (;;) { const {value, done} = await reader.read(); if (done) break;"
                   "  if (!(value instanceof Uint8Array)) return 'not bytes';"
                   "  if (first === null) first = value; sizes.push(value.byteLength); total += "
                   "value.byteLength; }"
                   "return total + ' ' + sizes.every(s => s <= 65536) + ' ' + first[0] + "
                   "  ' ' + (await b.text()).length;"),
            "150004 true 97 150004");
}

TEST(Blob, StreamSupportsByobReadersAndLeavesTheBlobReadable) {
  EXPECT_EQ(EvalJs("const b = new Blob(['abcdef']);"
                   "const reader = b.stream().getReader({mode: 'byob'}); let text = '';"
                   "for (;;) { const {value, done} = await reader.read(new Uint8Array(4));"
                   "  if (done) break; text += new TextDecoder().decode(value); }"
                   "return text + ' ' + (await b.text());"),
            "abcdef abcdef");
}

TEST(Blob, ReadsOnOtherObjectsReject) {
  EXPECT_EQ(EvalJs("try { await Blob.prototype.text.call({}); return 'resolved'; }"
                   "catch (e) { return e.name; }"),
            "TypeError");
  EXPECT_EQ(EvalJs("return Object.prototype.toString.call(new Blob()) + ' ' +"
                   "  Object.prototype.toString.call(new File([], 'f'));"),
            "[object Blob] [object File]");
}

TEST(Blob, IsMadeOnFirstUseWithTheBuiltinsOfSnapshotTime) {
  // Blob/File/FormData are made on first use; user code that replaced built-ins before that
  // must not change how they work.
  EXPECT_EQ(EvalJs("const TA = Object.getPrototypeOf(Uint8Array.prototype);"
                   "TA.slice = TA.subarray = TA.set = () => { throw new Error('tampered'); };"
                   "Array.prototype.push = () => { throw new Error('tampered'); };"
                   "Object.defineProperty = Object.assign = () => { throw new Error('tampered'); };"
                   "const b = new Blob(['ab', new Uint8Array([99]), new Blob(['d'])]);"
                   "const fd = new FormData(); fd.append('f', b.slice(1), 'x.txt');"
                   "return (await b.text()) + ' ' + (await fd.get('f').text()) + ' ' +"
                   "  Object.prototype.toString.call(b);"),
            "abcd bcd [object Blob]");
  EXPECT_EQ(EvalJs("globalThis.Blob = 5; const d = Object.getOwnPropertyDescriptor(globalThis, "
                   "'FormData'); void FormData;"
                   "const e = Object.getOwnPropertyDescriptor(globalThis, 'FormData');"
                   "return [Blob, typeof d.get, d.enumerable, typeof e.value, e.writable].join();"),
            "5,function,false,function,true");
}

TEST(File, HasNameTypeAndLastModified) {
  EXPECT_EQ(EvalJs("const before = Date.now();"
                   "const f = new File(['data'], 'notes.TXT', {type: 'Text/Plain'});"
                   "const g = new File([f], 'copy', {lastModified: 42});"
                   "return [f.name, f.type, f.size, f.lastModified >= before,"
                   "  f.webkitRelativePath === '', f instanceof Blob, g.lastModified,"
                   "  await g.text(), g.slice(1) instanceof File].join(',');"),
            "notes.TXT,text/plain,4,true,true,true,42,data,false");
}

TEST(File, StructuredCloneKeepsBytesTypeNameAndDate) {
  EXPECT_EQ(
      EvalJs("const f = new File(['h\u00e9llo'], 'a.txt', {type: 'text/plain', lastModified: 5});"
             "const b = new Blob([new Uint8Array([1, 2, 3])], {type: 'x/y'}).slice(1);"
             "const [f2, b2] = structuredClone([f, b]);"
             "return [f2 instanceof File, f2 !== f, f2.name, f2.type, f2.lastModified,"
             "  await f2.text(), b2 instanceof File, b2.type, (await b2.bytes()).join('.')]"
             "  .join();"),
      "true,true,a.txt,text/plain,5,h\u00e9llo,false,,2.3");
}

TEST(File, NeedsTwoArguments) {
  EXPECT_EQ(EvalJs("try { new File(['x']); return 'no throw'; } catch (e) { return e.name; }"),
            "TypeError");
}

}  // namespace
}  // namespace edgerun::testing
