// Runs one WPT test file the way a WPT dedicated worker would, inside a fresh edgerun worker
// isolate (made from the startup snapshot exactly like a tenant's, so the globals are the real
// ones): testharness.js, each `// META: script=`, then the test, as separate classic scripts
// named by their files; then done(); then the event loop until testharness reports completion
// or the per-file timeout hits (then timeout(), so unfinished subtests report TIMEOUT/NOTRUN).
// Call from any thread; each call owns its isolate and libuv loop.
#pragma once

#include <string>

#include "tests/conformance/wpt_paths.h"
#include "tests/conformance/wpt_types.h"

namespace edgerun::wpt {

struct RunOptions {
  Roots roots;
  // Where the test file itself is read from (default: roots.wpt); the self-test keeps its test
  // files in the source tree and takes testharness.js and helpers from the WPT tree.
  std::filesystem::path tests_root;
  double timeout_s = 30;        // per file
  double long_timeout_s = 120;  // for `// META: timeout=long`
  // When nothing is left that could ever run (no timer, no platform task) for this long, the
  // file is stalled: time it out now instead of waiting for the deadline. 0 disables it.
  double stall_s = 1;
  size_t heap_limit_mb = 512;
  // JS still running this long after the timeout (a synchronous endless loop, which never
  // returns to the event loop) is terminated and the file reported as a timeout.
  double watchdog_grace_s = 5;
};

// `relative_path`: the test file under roots.wpt (e.g. "url/url-constructor.any.js").
FileResult RunTestFile(const std::string& relative_path, const RunOptions& options);

}  // namespace edgerun::wpt
