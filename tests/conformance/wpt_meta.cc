#include "tests/conformance/wpt_meta.h"

#include <cctype>

namespace edgerun::wpt {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Matches WPT's `//\s*META:\s*(\w*)=(.*)$`.
bool ParseLine(std::string_view line, std::string_view* key, std::string_view* value) {
  if (line.substr(0, 2) != "//") return false;
  line = Trim(line.substr(2));
  if (line.substr(0, 5) != "META:") return false;
  line = Trim(line.substr(5));
  size_t eq = line.find('=');
  if (eq == std::string_view::npos) return false;
  for (char c : line.substr(0, eq)) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  *key = line.substr(0, eq);
  *value = Trim(line.substr(eq + 1));
  return true;
}

}  // namespace

TestMeta ParseMeta(std::string_view source) {
  TestMeta meta;
  if (source.substr(0, 3) == "\xEF\xBB\xBF") source.remove_prefix(3);
  while (!source.empty()) {
    size_t nl = source.find('\n');
    std::string_view line = source.substr(0, nl);
    source = nl == std::string_view::npos ? std::string_view() : source.substr(nl + 1);
    std::string_view key, value;
    if (!ParseLine(line, &key, &value)) break;
    if (key == "script") {
      meta.scripts.emplace_back(value);
    } else if (key == "variant") {
      meta.variants.emplace_back(value);
    } else if (key == "global") {
      meta.globals.emplace_back(value);
    } else if (key == "title") {
      meta.title = value;
    } else if (key == "timeout") {
      meta.long_timeout = value == "long";
    }
  }
  return meta;
}

}  // namespace edgerun::wpt
