#include "tests/conformance/wpt_paths.h"

#include <array>
#include <cctype>
#include <system_error>
#include <utility>
#include <vector>

namespace edgerun::wpt {
namespace {

// URL data that the tests fetch but that lives in conformance-data (see SOURCES.md).
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kMapped = {{
    {"/url/resources/urltestdata.json", "wpt-url/urltestdata.json"},
    {"/url/resources/urltestdata-javascript-only.json", "wpt-url/urltestdata-javascript-only.json"},
    {"/url/resources/setters_tests.json", "wpt-url/setters_tests.json"},
    {"/url/resources/toascii.json", "wpt-url/toascii.json"},
    {"/url/resources/IdnaTestV2.json", "wpt-url/IdnaTestV2.json"},
    {"/urlpattern/resources/urlpatterntestdata.json", "wpt-url/urlpatterntestdata.json"},
}};

bool HasScheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == ':') return true;
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) {
      return false;
    }
  }
  return false;
}

// Removes "." and ".." segments (RFC 3986 5.2.4) from an absolute path.
std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 1;  // past the leading '/'
  bool trailing_slash = false;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(pos, end - pos);
    bool last = end == path.size();
    if (seg == ".") {
      trailing_slash = last;
    } else if (seg == "..") {
      if (!out.empty()) out.pop_back();
      trailing_slash = last;
    } else {
      out.push_back(seg);
      trailing_slash = false;
    }
    pos = end + 1;
  }
  std::string result;
  for (auto seg : out) {
    result += '/';
    result += seg;
  }
  if (result.empty() || trailing_slash) result += '/';
  return result;
}

}  // namespace

std::string TestUrl(std::string_view relative_path) {
  std::string path(relative_path);
  constexpr std::string_view kAny = ".any.js";
  if (path.size() > kAny.size() && path.ends_with(kAny)) {
    path.replace(path.size() - kAny.size(), kAny.size(), ".any.worker.js");
  }
  return std::string(kOrigin) + "/" + path;
}

std::optional<std::string> ResolveSameOrigin(std::string_view base, std::string_view input,
                                             std::string* error) {
  // Strip the fragment and query: a static server ignores them.
  std::string_view ref = input.substr(0, input.find_first_of("?#"));
  std::string path;
  if (HasScheme(ref)) {
    std::string_view origin_prefix = kOrigin;
    if (ref.substr(0, origin_prefix.size()) != origin_prefix ||
        (ref.size() > origin_prefix.size() && ref[origin_prefix.size()] != '/')) {
      *error = "only same-origin URLs (" + std::string(kOrigin) + "/...) are served, not " +
               std::string(input);
      return std::nullopt;
    }
    path = ref.size() == origin_prefix.size() ? "/" : std::string(ref.substr(origin_prefix.size()));
  } else if (ref.substr(0, 2) == "//") {
    *error = "only same-origin URLs are served, not " + std::string(input);
    return std::nullopt;
  } else if (!ref.empty() && ref[0] == '/') {
    path = ref;
  } else {
    std::string_view base_path = base.substr(kOrigin.size());
    base_path = base_path.substr(0, base_path.find_first_of("?#"));
    path = std::string(base_path.substr(0, base_path.rfind('/') + 1)) + std::string(ref);
  }
  return RemoveDotSegments(path);
}

std::optional<std::filesystem::path> MapUrlPath(std::string_view url_path, const Roots& roots) {
  if (url_path.empty() || url_path[0] != '/' || url_path.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  std::filesystem::path file;
  for (const auto& [from, to] : kMapped) {
    if (url_path == from) file = roots.conformance_data / to;
  }
  if (file.empty()) {
    if (RemoveDotSegments(url_path) != url_path) return std::nullopt;
    file = roots.wpt / url_path.substr(1);
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  return file;
}

std::string ContentTypeFor(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  if (ext == ".json") return "application/json";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".txt") return "text/plain";
  if (ext == ".html") return "text/html";
  if (ext == ".vtt") return "text/vtt";
  if (ext == ".webm") return "video/webm";
  return "application/octet-stream";
}

}  // namespace edgerun::wpt
