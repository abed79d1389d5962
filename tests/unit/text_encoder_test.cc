// TextEncoder: encodeInto never splits a code point and writes U+FFFD for lone surrogates.
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

TEST(TextEncoder, EncodeIntoStopsBeforeACodePointThatDoesNotFit) {
  EXPECT_EQ(EvalJs("const e = new TextEncoder(); const out = [];\n"
                   "for (const [s, n] of [['\\uD800', 2], ['\\uD800', 3], ['a\\uD83D\\uDE00', 4],\n"
                   "    ['a\\uD83D\\uDE00', 5], ['\\uDE00\\uD83D', 6], ['\\u20ac\\u20ac', 5]]) {\n"
                   "  const d = new Uint8Array(n); const r = e.encodeInto(s, d);\n"
                   "  out.push(r.read + '/' + r.written + ':' + d.join(','));\n"
                   "}\n"
                   "return out.join(' ');"),
            "0/0:0,0 1/3:239,191,189 1/1:97,0,0,0 3/5:97,240,159,152,128 "
            "2/6:239,191,189,239,191,189 1/3:226,130,172,0,0");
}

TEST(TextEncoder, EncodeReplacesLoneSurrogatesAndRejectsNonUint8Destinations) {
  EXPECT_EQ(EvalJs("return new TextEncoder().encode('\\uD800x').join(',');"), "239,191,189,120");
  EXPECT_NE(EvalJs("new TextEncoder().encodeInto('a', new Uint16Array(2))").find("THREW TypeError"),
            std::string::npos);
  EXPECT_EQ(EvalJs("const d = new Uint8Array(new SharedArrayBuffer(3));\n"
                   "const r = new TextEncoder().encodeInto('\\u00e9', d);\n"
                   "return r.read + '/' + r.written + ':' + d.join(',');"),
            "1/2:195,169,0");
}

}  // namespace
}  // namespace edgerun::testing
