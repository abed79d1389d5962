// Where the runner finds things: the test's URL (its WorkerLocation), same-origin URL paths
// resolved and mapped onto files of the WPT tree and of conformance-data (SOURCES.md's table),
// and the Content-Type a static server would send.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace edgerun::wpt {

// The origin every test runs at (WPT's default host and port).
inline constexpr std::string_view kOrigin = "http://web-platform.test:8000";

struct Roots {
  std::filesystem::path wpt;               // shared/wpt
  std::filesystem::path conformance_data;  // shared/conformance-data
};

// "url/a.any.js" -> "http://web-platform.test:8000/url/a.any.worker.js" (what WPT serves the
// file's dedicated-worker wrapper as; other names keep their own).
std::string TestUrl(std::string_view relative_path);

// Resolves `input` against the same-origin URL `base` and returns the URL path ("/url/x.json",
// dot segments removed, query and fragment dropped). Cross-origin or non-HTTP URLs give nullopt
// with *error saying why.
std::optional<std::string> ResolveSameOrigin(std::string_view base, std::string_view input,
                                             std::string* error);

// The file that answers URL path `url_path`, or nullopt if there is none (no such file, or the
// path escapes the tree).
std::optional<std::filesystem::path> MapUrlPath(std::string_view url_path, const Roots& roots);

// Content-Type for a served file, from its extension.
std::string ContentTypeFor(const std::filesystem::path& file);

}  // namespace edgerun::wpt
