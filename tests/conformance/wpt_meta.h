// The `// META:` header of a WPT .any.js file (the same rule as WPT's manifest tool: key=value
// lines at the very top; the first line that is not one ends the header).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace edgerun::wpt {

struct TestMeta {
  std::vector<std::string> scripts;   // `script=` values, in order, as written
  std::vector<std::string> variants;  // `variant=` values (we run the file once, unsplit)
  std::vector<std::string> globals;   // `global=` values (informational)
  std::string title;                  // `title=`: becomes META_TITLE, the default test name
  bool long_timeout = false;          // `timeout=long`
};

TestMeta ParseMeta(std::string_view source);

}  // namespace edgerun::wpt
