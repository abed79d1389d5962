// The conformance suites: which WPT directories each one runs, and Node 20's pass count for the
// same files (from shared/wpt/SOURCES.md), the bar to meet.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace edgerun::wpt {

struct Suite {
  std::string_view name;
  std::vector<std::string_view> dirs;  // under the WPT root, searched recursively
  long node20_passes;                  // -1: no reference
};

const std::vector<Suite>& AllSuites();
const Suite* FindSuite(std::string_view name);

// Whether `relative_path` is a test file (not a helper or data file): *.any.js, and the one
// test WPT names *-any.js (fetch/api/body/cloned-any.js).
bool IsTestFile(std::string_view relative_path);

// The suite's test files under `root`, as sorted paths relative to it.
std::vector<std::string> ListTestFiles(const std::filesystem::path& root,
                                       const std::vector<std::string_view>& dirs);

}  // namespace edgerun::wpt
