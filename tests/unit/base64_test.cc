// atob/btoa (HTML forgiving-base64), as worker code observes them.
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

TEST(Base64, RoundTripsLatin1) {
  EXPECT_EQ(EvalJs("let s = ''; for (let i = 0; i < 256; i++) s += String.fromCharCode(i);"
                   "return [btoa('hello'), btoa(''), btoa('a'), btoa('ab'), atob(btoa(s)) === "
                   "s].join(',');"),
            "aGVsbG8=,,YQ==,YWI=,true");
}

TEST(Base64, DecodeIsForgiving) {
  EXPECT_EQ(EvalJs("return [atob(' aGVs\\nbG8 '), atob('YQ'), atob('YWI'), atob(undefined === 1 ? "
                   "0 : 'YQ==')].join(',');"),
            "hello,a,ab,a");
}

TEST(Base64, InvalidInputIsInvalidCharacterError) {
  EXPECT_EQ(
      EvalJs("const out = [];"
             "for (const s of ['a', 'YQ===', 'Y=Q=', '\\u00ff', 'YQ=\\u0100']) {"
             "  try { atob(s); out.push('ok'); } catch (e) { out.push(e.name + ':' + e.code); } }"
             "try { btoa('\\u0100'); } catch (e) { out.push(e.name); }"
             "return out.join(',');"),
      "InvalidCharacterError:5,InvalidCharacterError:5,InvalidCharacterError:5,"
      "InvalidCharacterError:5,InvalidCharacterError:5,InvalidCharacterError");
}

TEST(Base64, MissingArgumentIsTypeError) {
  EXPECT_EQ(EvalJs("atob();"),
            "THREW TypeError: Failed to execute 'atob': 1 argument required, but only 0 present.");
}

}  // namespace
}  // namespace edgerun::testing
