// TextDecoder for every encoding of the Encoding Standard, observed from worker JS; the label and
// single-byte tables are checked against the spec's own data in shared/ (skipped when absent).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bindings/encoding_labels.h"
#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

std::optional<std::string> ReadSharedFile(const std::string& name) {
  std::filesystem::path path = std::filesystem::path(EDGERUN_SHARED_DIR) / name;
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(TextDecoderLabels, EveryLabelOfTheSpecResolvesToItsEncoding) {
  auto json = ReadSharedFile("conformance-data/whatwg-encoding/encodings.json");
  if (!json) GTEST_SKIP() << "shared/conformance-data/whatwg-encoding/encodings.json not found";
  // Checked in the worker: labels with surrounding whitespace and in upper case, `encoding`
  // is the lowercase name, and the replacement encoding's labels throw RangeError.
  EXPECT_EQ(
      EvalJs("const groups = " + *json +
             ";\n"
             "const bad = []; let count = 0;\n"
             "for (const g of groups) for (const e of g.encodings) for (const l of e.labels) {\n"
             "  count++;\n"
             "  for (const v of [l, ' \\t' + l.toUpperCase() + '\\n\\f\\r ']) {\n"
             "    let got;\n"
             "    try { got = new TextDecoder(v).encoding; } catch (err) { got = err.name; }\n"
             "    const want = e.name === 'replacement' ? 'RangeError' : e.name.toLowerCase();\n"
             "    if (got !== want) bad.push(v + '=' + got);\n"
             "  }\n"
             "}\n"
             "return count + ' ' + bad.join(',');"),
      "228 ");
}

TEST(TextDecoderLabels, UnknownLabelsAndNonAsciiWhitespaceAreRejected) {
  EXPECT_FALSE(bindings::encoding::EncodingForLabel("utf-9"));
  EXPECT_FALSE(bindings::encoding::EncodingForLabel("\v utf-8"));  // VT is not ASCII whitespace
  EXPECT_FALSE(bindings::encoding::EncodingForLabel(""));
  EXPECT_EQ(bindings::encoding::EncodingForLabel("\n Shift_JIS \t"),
            bindings::encoding::Encoding::kShiftJis);
  EXPECT_EQ(EvalJs("try { new TextDecoder('utf-8\\u00a0'); return 'no'; } catch (e) { return "
                   "e.name + ' ' + e.message; }"),
            "RangeError Failed to construct 'TextDecoder': The encoding label provided "
            "('utf-8\u00a0') is invalid.");
}

TEST(TextDecoderSingleByte, EveryByteDecodesPerTheSpecIndex) {
  auto json = ReadSharedFile("conformance-data/whatwg-encoding/single-byte-indexes.json");
  if (!json) GTEST_SKIP() << "shared/conformance-data/whatwg-encoding/single-byte-indexes.json";
  EXPECT_EQ(EvalJs("const indexes = " + *json +
                   ";\n"
                   "const bad = []; let n = 0;\n"
                   "const bytes = new Uint8Array(256).map((_, i) => i);\n"
                   "for (const [name, index] of Object.entries(indexes)) {\n"
                   "  n++;\n"
                   "  const text = new TextDecoder(name).decode(bytes);\n"
                   "  let want = '';\n"
                   "  for (let i = 0; i < 128; i++) want += String.fromCharCode(i);\n"
                   "  for (const cp of index) want += cp === null ? '\\ufffd' : "
                   "String.fromCodePoint(cp);\n"
                   "  if (text !== want) bad.push(name);\n"
                   "  const fatal = new TextDecoder(name, {fatal: true});\n"
                   "  index.forEach((cp, i) => {\n"
                   "    let got;\n"
                   "    try { got = fatal.decode(new Uint8Array([0x80 + i])); } catch (e) { got = "
                   "e.name; }\n"
                   "    if (got !== (cp === null ? 'TypeError' : String.fromCodePoint(cp))) "
                   "bad.push(name + ':' + i);\n"
                   "  });\n"
                   "}\n"
                   "return n + ' ' + bad.join(',');"),
            "27 ");
}

TEST(TextDecoderSingleByte, Iso88598IAndXUserDefined) {
  EXPECT_EQ(EvalJs("const d = new TextDecoder('csISO88598I'); return d.encoding + ' ' + "
                   "d.decode(new Uint8Array([0xE0, 0x41])).codePointAt(0).toString(16);"),
            "iso-8859-8-i 5d0");
  EXPECT_EQ(
      EvalJs("const s = new TextDecoder('x-user-defined').decode(new Uint8Array([0x41, "
             "0x80, 0xFF])); return [...s].map(c => c.codePointAt(0).toString(16)).join(' ');"),
      "41 f780 f7ff");
}

// Known encodings of real text, decoded whole and split at every byte with {stream: true}.
constexpr const char* kSamples = R"JS(
const samples = [
  ['shift_jis', [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA, 0x41, 0xB1], '\u65e5\u672c\u8a9eA\uff71'],
  ['euc-jp', [0xC6, 0xFC, 0xCB, 0xDC, 0x8E, 0xB1, 0x8F, 0xB0, 0xA1, 0x41], '\u65e5\u672c\uff71\u4e02A'],
  ['iso-2022-jp', [0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x1B, 0x28, 0x4A, 0x5C, 0x1B, 0x28, 0x42, 0x41],
   '\u65e5\u672c\u00a5A'],
  ['euc-kr', [0xC7, 0xD1, 0xB1, 0xB9, 0xBE, 0xEE], '\ud55c\uad6d\uc5b4'],
  ['big5', [0xA4, 0xA4, 0xA4, 0xE5, 0x88, 0x62, 0x87, 0x45], '\u4e2d\u6587\u00ca\u0304\ud85c\ude67'],
  ['gbk', [0xD6, 0xD0, 0xCE, 0xC4, 0x80], '\u4e2d\u6587\u20ac'],
  ['gb18030', [0x81, 0x30, 0x81, 0x30, 0x90, 0x30, 0x81, 0x30, 0xD6, 0xD0], '\u0080\ud800\udc00\u4e2d'],
  ['utf-16le', [0x3D, 0xD8, 0x00, 0xDE, 0x41, 0x00], '\ud83d\ude00A'],
  ['utf-16be', [0xD8, 0x3D, 0xDE, 0x00, 0x00, 0x41], '\ud83d\ude00A'],
  ['windows-1252', [0x80, 0x41, 0x9F], '\u20acA\u0178'],
];
)JS";

TEST(TextDecoderMultiByte, DecodesKnownTextWholeAndSplitAtEveryByte) {
  EXPECT_EQ(EvalJs(std::string(kSamples) +
                   "const bad = [];\n"
                   "for (const [enc, bytes, want] of samples) {\n"
                   "  const whole = new TextDecoder(enc, {fatal: true}).decode(new "
                   "Uint8Array(bytes));\n"
                   "  if (whole !== want) bad.push(enc + ' whole ' + escape(whole));\n"
                   "  for (let cut = 0; cut <= bytes.length; cut++) {\n"
                   "    const d = new TextDecoder(enc, {fatal: true});\n"
                   "    const s = d.decode(new Uint8Array(bytes.slice(0, cut)), {stream: true}) +\n"
                   "              d.decode(new Uint8Array(bytes.slice(cut)));\n"
                   "    if (s !== want) bad.push(enc + ' cut ' + cut + ' ' + escape(s));\n"
                   "  }\n"
                   "  const d = new TextDecoder(enc); let s = '';\n"
                   "  for (const b of bytes) s += d.decode(new Uint8Array([b]), {stream: true});\n"
                   "  s += d.decode();\n"
                   "  if (s !== want) bad.push(enc + ' bytewise ' + escape(s));\n"
                   "}\n"
                   "return samples.length + ' ' + bad.join(', ');"),
            "10 ");
}

TEST(TextDecoderMultiByte, ErrorsReplaceOrThrowAndAsciiIsNotSwallowed) {
  // A lead byte followed by ASCII: the ASCII byte is emitted after the U+FFFD (the spec prepends
  // it back to the stream); a truncated sequence at the end is one U+FFFD.
  EXPECT_EQ(
      EvalJs(
          "const out = [];\n"
          "for (const enc of ['shift_jis', 'euc-jp', 'euc-kr', 'big5', 'gbk', "
          "'gb18030']) {\n"
          "  const lead = enc === 'euc-jp' ? 0xA4 : 0x81 + (enc === 'shift_jis' ? 0 : 0x20);\n"
          "  out.push(escape(new TextDecoder(enc).decode(new Uint8Array([lead, 0x0A, lead]))));\n"
          "  try { new TextDecoder(enc, {fatal: true}).decode(new Uint8Array([lead])); "
          "out.push('no'); }\n"
          "  catch (e) { out.push(e.name); }\n"
          "}\n"
          "return out.join(' ');"),
      "%uFFFD%0A%uFFFD TypeError %uFFFD%0A%uFFFD TypeError %uFFFD%0A%uFFFD TypeError "
      "%uFFFD%0A%uFFFD TypeError %uFFFD%0A%uFFFD TypeError %uFFFD%0A%uFFFD TypeError");
  // gb18030: a bad fourth byte gives back the second and third bytes (here '0' and U+FFFD).
  EXPECT_EQ(EvalJs("return escape(new TextDecoder('gb18030').decode(new Uint8Array([0x81, 0x30, "
                   "0x81, 0x29])));"),
            "%uFFFD0%uFFFD%29");
  EXPECT_EQ(EvalJs("try { new TextDecoder('iso-2022-jp', {fatal: true}).decode(new "
                   "Uint8Array([0x1B, 0x28, 0x42, 0x1B, 0x28, 0x42])); return 'no'; } catch (e) "
                   "{ return e.name + ': ' + e.message; }"),
            "TypeError: The encoded data was not valid for encoding iso-2022-jp");
}

TEST(TextDecoderMultiByte, StateCarriesAcrossChunksAndResetsAfterFlush) {
  // ISO-2022-JP's mode (here: JIS X 0208 after ESC $ B) persists between stream: true calls and
  // is gone after a call without stream.
  EXPECT_EQ(EvalJs("const d = new TextDecoder('iso-2022-jp');\n"
                   "const a = d.decode(new Uint8Array([0x1B, 0x24]), {stream: true});\n"
                   "const b = d.decode(new Uint8Array([0x42, 0x46]), {stream: true});\n"
                   "const c = d.decode(new Uint8Array([0x7C]), {stream: true});\n"
                   "const e = d.decode();\n"
                   "const f = d.decode(new Uint8Array([0x46, 0x7C]));\n"
                   "return escape([a, b, c, e, f].join('|'));"),
            "%7C%7C%u65E5%7C%7CF%7C");
  EXPECT_EQ(EvalJs("const d = new TextDecoder('shift_jis');\n"
                   "const a = d.decode(new Uint8Array([0x93]), {stream: true});\n"
                   "const b = d.decode();\n"
                   "const c = d.decode(new Uint8Array([0xFA]));\n"
                   "return escape(a + '|' + b + '|' + c);"),
            "%7C%uFFFD%7C%uFFFD");
  // A pending lead byte is not forgotten when the next chunk is all ASCII.
  EXPECT_EQ(EvalJs("const d = new TextDecoder('big5');\n"
                   "const a = d.decode(new Uint8Array([0x81]), {stream: true});\n"
                   "return escape(a + '|' + d.decode(new Uint8Array([0x41, 0x42])));"),
            "%7C%uFFFDAB");
}

TEST(TextDecoderUtf16, BomSurrogatesAndOddLength) {
  // A lead surrogate then a lone byte at the end is one error (the spec resets both at once).
  EXPECT_EQ(EvalJs("const d = new TextDecoder('utf-16le');\n"
                   "return [d.encoding, escape(d.decode(new Uint8Array([0xFF, 0xFE, 0x41, 0x00, "
                   "0x00, 0xD8, 0x42]))),\n"
                   "  escape(new TextDecoder('utf-16be').decode(new Uint8Array([0xFE, 0xFF, 0xDC, "
                   "0x00, 0x00, 0x41]))),\n"
                   "  escape(new TextDecoder('utf-16', {ignoreBOM: true}).decode(new "
                   "Uint8Array([0xFF, 0xFE])))].join(' ');"),
            "utf-16le A%uFFFD %uFFFDA %uFEFF");
  // A BOM is only stripped for UTF-8 and UTF-16: other encodings keep U+FEFF.
  EXPECT_EQ(EvalJs("return escape(new TextDecoder('gb18030').decode(new Uint8Array([0x84, 0x31, "
                   "0x95, 0x33, 0x41])));"),
            "%uFEFFA");
}

TEST(TextDecoderInput, AcceptsArrayBufferViewsAndSharedArrayBuffer) {
  EXPECT_EQ(EvalJs("const sab = new SharedArrayBuffer(4); new Uint8Array(sab).set([0x41, 0x00, "
                   "0x42, 0x00]);\n"
                   "const d = new TextDecoder('utf-16le');\n"
                   "return [d.decode(sab), d.decode(new DataView(sab, 2)), d.decode(new "
                   "Uint16Array(sab, 2, 1)),\n"
                   "  escape(new TextDecoder('windows-1252').decode(new Uint8Array(sab).buffer)), "
                   "d.decode()].join('|');"),
            "AB|B|B|A%00B%00|");
  EXPECT_NE(EvalJs("new TextDecoder('big5').decode('abc')").find("THREW TypeError"),
            std::string::npos);
  EXPECT_NE(EvalJs("new TextDecoder('big5').decode(new Uint8Array(1), 1)").find("THREW TypeError"),
            std::string::npos);
}

}  // namespace
}  // namespace edgerun::testing
