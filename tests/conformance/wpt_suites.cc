#include "tests/conformance/wpt_suites.h"

#include <algorithm>
#include <system_error>

namespace edgerun::wpt {

const std::vector<Suite>& AllSuites() {
  static const std::vector<Suite> kSuites = {
      {"url", {"url"}, 2028},
      {"urlpattern", {"urlpattern"}, 3},
      {"encoding", {"encoding"}, 11006},
      {"fetch-headers", {"fetch/api/headers"}, 99},
      {"fetch-request", {"fetch/api/request"}, 278},
      {"fetch-response", {"fetch/api/response"}, 194},
      {"fetch-body", {"fetch/api/body"}, 28},
      {"streams", {"streams"}, 1100},
      {"fileapi", {"FileAPI/blob", "FileAPI/file"}, 222},
      {"atob", {"html/webappapis/atob"}, 380},
      {"structured-clone", {"html/webappapis/structured-clone"}, 106},
      {"compression", {"compression"}, 139},
      {"dom-abort", {"dom/abort"}, 33},
      {"dom-events", {"dom/events"}, 36},
      {"webcrypto", {"WebCryptoAPI"}, 30670},
  };
  return kSuites;
}

const Suite* FindSuite(std::string_view name) {
  for (const Suite& s : AllSuites()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

bool IsTestFile(std::string_view path) {
  return path.ends_with(".any.js") || path == "fetch/api/body/cloned-any.js";
}

std::vector<std::string> ListTestFiles(const std::filesystem::path& root,
                                       const std::vector<std::string_view>& dirs) {
  std::vector<std::string> files;
  for (std::string_view dir : dirs) {
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(root / dir, ec), end; !ec && it != end;
         it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      std::string rel = it->path().lexically_relative(root).generic_string();
      if (IsTestFile(rel)) files.push_back(rel);
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

}  // namespace edgerun::wpt
