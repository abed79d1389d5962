// What one run of a WPT test file produced, as the runner and the expectation diff see it.
#pragma once

#include <string>
#include <vector>

namespace edgerun::wpt {

// testharness.js subtest status codes, in its numbering (Test.statuses).
enum class SubtestStatus { kPass = 0, kFail = 1, kTimeout = 2, kNotRun = 3, kPrecondition = 4 };

const char* SubtestStatusName(SubtestStatus status);

struct SubtestResult {
  std::string name;
  SubtestStatus status = SubtestStatus::kFail;
  std::string message;
};

// How the file as a whole ended. Anything but kOk needs a whole-file expectation.
enum class FileStatus {
  kOk,            // completed; harness status OK
  kLoadError,     // a script threw (or failed to compile / read) while loading
  kHarnessError,  // completed with harness status ERROR (e.g. an assert outside a subtest)
  kTimeout,       // the per-file timeout hit; unfinished subtests reported as TIMEOUT/NOTRUN
  kCrash,         // the isolate ran out of memory or could not be created
};

const char* FileStatusName(FileStatus status);

struct FileResult {
  std::string path;  // relative to the WPT root, e.g. "url/url-constructor.any.js"
  FileStatus status = FileStatus::kOk;
  std::string message;  // for anything but kOk
  std::vector<SubtestResult> subtests;
  std::string console;  // console.* output, capped
  double seconds = 0;

  size_t passed() const {
    size_t n = 0;
    for (const auto& s : subtests)
      n += s.status == SubtestStatus::kPass;
    return n;
  }
};

}  // namespace edgerun::wpt
