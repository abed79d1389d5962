// Expected failures of a suite (tests/conformance/expectations/<suite>.json) and the diff of a
// run against them. The file is a JSON object keyed by test file (path under the WPT root):
//   "dir/file.any.js": "reason"                    the whole file fails (load error, timeout,
//                                                  harness error): its subtests are not checked
//   "dir/file.any.js": {"subtest name": "reason"}  these subtests fail; all others must pass
// Every reason is one line a reader can act on; new entries written by --update carry a
// placeholder (kPlaceholderPrefix) that CheckReasons rejects until someone explains them.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tests/conformance/wpt_types.h"

namespace edgerun::wpt {

inline constexpr std::string_view kPlaceholderPrefix = "TODO(explain):";

struct FileExpectation {
  bool whole_file = false;
  std::string reason;                           // when whole_file
  std::map<std::string, std::string> subtests;  // name -> reason otherwise
};

using Expectations = std::map<std::string, FileExpectation>;

// Parses an expectations file's text; false with *error on malformed input.
bool ParseExpectations(std::string_view json, Expectations* out, std::string* error);
// Stable text: keys sorted, one entry per line, UTF-8, trailing newline.
std::string SerializeExpectations(const Expectations& expectations);

struct Diff {
  std::vector<std::string> unexpected_failures;  // "file: subtest: STATUS: message"
  std::vector<std::string> unexpected_passes;    // listed but now passing
  std::vector<std::string> stale;                // listed but not run at all
  bool ok() const {
    return unexpected_failures.empty() && unexpected_passes.empty() && stale.empty();
  }
};

// `complete`: the run covered every file of the suite, so entries for files not run are stale.
Diff Compare(const std::vector<FileResult>& results, const Expectations& expectations,
             bool complete);

// The expectations that make `results` pass: existing reasons are kept, new entries get a
// placeholder (or, for a load error naming a missing global, that fact). Entries for files not
// in `results` are kept unless `complete`.
Expectations Update(const std::vector<FileResult>& results, const Expectations& old, bool complete);

// Entries whose reason is empty or still the placeholder, as "file: subtest".
std::vector<std::string> UnexplainedEntries(const Expectations& expectations);

// Number of listed subtests and whole files.
struct ExpectationCounts {
  size_t subtests = 0;
  size_t files = 0;
};
ExpectationCounts Count(const Expectations& expectations);

}  // namespace edgerun::wpt
