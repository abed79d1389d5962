// Runs the WPT url/ and urlpattern/ *.any.js files in a worker isolate under a minimal
// testharness.js stand-in (test, promise_test, the assert_* they use; fetch() serves the data
// files). Counts subtests the way WPT does. Skipped when /work/shared/wpt is absent. A shared
// conformance runner (tests/conformance/) is meant to replace this once it lands.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

const std::filesystem::path kShared = std::filesystem::path(EDGERUN_SHARED_DIR);

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr char kHarness[] = R"JS(
const __results = [];
const __promiseTests = [];
function __record(name, error) {
  __results.push([String(name), error === null ? null : String(error && error.message || error)]);
}
class AssertionError extends Error {}
function __sameValue(x, y) {
  if (y !== y) return x !== x;
  if (x === 0 && y === 0) return 1 / x === 1 / y;
  return x === y;
}
function __fmt(v) { try { return typeof v === 'string' ? JSON.stringify(v) : String(v); } catch { return '?'; } }
function assert_equals(a, b, m) { if (!__sameValue(a, b)) throw new AssertionError(`${m || ''} expected ${__fmt(b)} but got ${__fmt(a)}`); }
function assert_not_equals(a, b, m) { if (__sameValue(a, b)) throw new AssertionError(`${m || ''} got disallowed ${__fmt(a)}`); }
function assert_true(a, m) { if (a !== true) throw new AssertionError(`${m || ''} expected true got ${__fmt(a)}`); }
function assert_false(a, m) { if (a !== false) throw new AssertionError(`${m || ''} expected false got ${__fmt(a)}`); }
function assert_unreached(m) { throw new AssertionError(`reached unreachable code ${m || ''}`); }
function assert_implements(c, m) { if (!c) throw new AssertionError(`not implemented ${m || ''}`); }
function assert_array_equals(a, b, m) {
  if (a === null || typeof a !== 'object' || a.length !== b.length) throw new AssertionError(`${m || ''} lengths differ: ${__fmt(a)} vs ${__fmt(b)}`);
  for (let i = 0; i < b.length; i++) if (!__sameValue(a[i], b[i])) throw new AssertionError(`${m || ''} [${i}] expected ${__fmt(b[i])} got ${__fmt(a[i])}`);
}
function assert_object_equals(a, b, m) {
  const check = (x, y, path) => {
    if (typeof y !== 'object' || y === null) { if (!__sameValue(x, y)) throw new AssertionError(`${m || ''} ${path}: expected ${__fmt(y)} got ${__fmt(x)}`); return; }
    if (typeof x !== 'object' || x === null) throw new AssertionError(`${m || ''} ${path}: not an object`);
    const kx = Object.keys(x), ky = Object.keys(y);
    if (kx.length !== ky.length) throw new AssertionError(`${m || ''} ${path}: keys ${kx} vs ${ky}`);
    for (const k of ky) check(x[k], y[k], path + '.' + k);
  };
  check(a, b, '');
}
function __threw(fn) { try { fn(); } catch (e) { return {e}; } return null; }
function assert_throws_js(ctor, fn, m) {
  const r = __threw(fn);
  if (r === null) throw new AssertionError(`${m || ''} did not throw`);
  if (r.e === null || typeof r.e !== 'object' || r.e.constructor !== ctor) throw new AssertionError(`${m || ''} threw ${r.e} instead of ${ctor.name}`);
}
function assert_throws_exactly(v, fn, m) {
  const r = __threw(fn);
  if (r === null || !__sameValue(r.e, v)) throw new AssertionError(`${m || ''} did not throw the exact value`);
}
function assert_throws_dom(name, fn, m) {
  const r = __threw(fn);
  if (r === null) throw new AssertionError(`${m || ''} did not throw`);
  if (typeof DOMException === 'undefined' || !(r.e instanceof DOMException) || r.e.name !== name) throw new AssertionError(`${m || ''} threw ${r.e} instead of DOMException ${name}`);
}
const __t = {step_func: (f) => f, step_func_done: (f) => f, unreached_func: (m) => () => assert_unreached(m), add_cleanup() {}};
function test(fn, name) { try { fn(__t); __record(name, null); } catch (e) { __record(name, e); } }
function promise_test(fn, name) { __promiseTests.push([fn, name]); }
function subsetTestByKey(key, testFn, ...args) { return testFn(...args); }
function setup() {}
function done() {}
self.GLOBAL = {isWindow: () => false, isWorker: () => true, isShadowRealm: () => false};
const fetch = async (path) => {
  if (!(path in __data)) throw new Error('no data file ' + path);
  return {json: async () => JSON.parse(__data[path])};
};
)JS";

struct WptResult {
  int pass = 0;
  int fail = 0;
  int blocked = 0;  // failures because another API is missing (FormData, structuredClone, ...)
  std::string failures;
};

// Subtests that exercise URL only through an API other teams are building (Request.formData,
// FormData, structuredClone, DOMException): counted apart until those land.
bool BlockedByMissingApi(const std::string& error) {
  static const std::regex missing(
      R"((formData|structuredClone) is not a function|(DOMException|FormData) is not defined)");
  return std::regex_search(error, missing);
}

// `dir`: "url" or "urlpattern"; `file`: the .any.js name.
WptResult RunWpt(const std::string& dir, const std::string& file) {
  const std::filesystem::path wpt = kShared / "wpt" / dir;
  std::string source = ReadFile(wpt / file);
  std::string scripts;
  std::regex meta(R"(// META: script=(\S+))");
  for (std::sregex_iterator it(source.begin(), source.end(), meta), end; it != end; ++it) {
    std::string script = (*it)[1];
    if (script.rfind("/common/", 0) == 0) continue;  // subset-tests-by-key: stubbed above
    scripts += ReadFile(wpt / script) + "\n";
  }
  // Data files: the WPT copies where present, else the ones under conformance-data.
  std::string data = "const __data = {";
  std::regex fetches(R"(fetch\(["']([^"']+)["']\))");
  std::string all = source + scripts;
  for (std::sregex_iterator it(all.begin(), all.end(), fetches), end; it != end; ++it) {
    std::string path = (*it)[1];
    std::filesystem::path local = wpt / path;
    if (!std::filesystem::exists(local)) {
      local = kShared / "conformance-data" / "wpt-url" / std::filesystem::path(path).filename();
    }
    std::string json = ReadFile(local);
    // A JS string literal of the JSON text: JSON.stringify's escaping is valid JS.
    std::string quoted = "\"";
    for (char c : json) {
      if (c == '"' || c == '\\') {
        quoted += '\\';
        quoted += c;
      } else if (c == '\n') {
        quoted += "\\n";
      } else if (c == '\r') {
        quoted += "\\r";
      } else {
        quoted += c;
      }
    }
    quoted += "\"";
    data += "\"" + path + "\": " + quoted + ",\n";
  }
  data += "};\n";
  std::string index =
      data + kHarness + scripts + source +
      "\nexport default { async fetch() {\n"
      "  for (const [fn, name] of __promiseTests) {\n"
      "    try { await fn(__t); __record(name, null); } catch (e) { __record(name, e); }\n"
      "  }\n"
      "  return new Response(JSON.stringify(__results));\n"
      "} };\n";
  isolates::TenantLimits limits;
  limits.cpu_ms = 20000;
  limits.startup_cpu_ms = 20000;
  TestWorker worker(Files{{"index.js", index}}, "index.js", isolates::ScriptFormat::kAuto, {},
                    limits);
  WptResult result;
  if (!worker.started()) {
    result.fail = 1;
    result.failures = "start failed: " + worker.start_error();
    return result;
  }
  auto response = worker.Get("/");
  if (!response || response->status != 200) {
    result.fail = 1;
    result.failures = "no response: " + (response ? response->body : std::string());
    return result;
  }
  // The body is [[name, error|null], ...]; count without a JSON parser by the two shapes.
  const std::string& body = response->body;
  std::regex entry(R"re(\["((?:[^"\\]|\\.)*)",(null|"((?:[^"\\]|\\.)*)")\])re");
  for (std::sregex_iterator it(body.begin(), body.end(), entry), end; it != end; ++it) {
    if ((*it)[2] == "null") {
      ++result.pass;
    } else {
      ++result.fail;
      if (BlockedByMissingApi((*it)[3].str())) ++result.blocked;
      result.failures += "  " + (*it)[1].str() + ": " + (*it)[3].str() + "\n";
    }
  }
  return result;
}

WptResult RunSuite(const std::string& dir) {
  WptResult total;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(kShared / "wpt" / dir)) {
    if (e.path().string().ends_with(".any.js")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    WptResult r = RunWpt(dir, f.filename().string());
    std::cout << dir << "/" << f.filename().string() << ": " << r.pass << " passed, " << r.fail
              << " failed\n";
    total.pass += r.pass;
    total.fail += r.fail;
    total.blocked += r.blocked;
    if (r.fail) total.failures += f.filename().string() + ":\n" + r.failures;
  }
  std::cout << dir << " total: " << total.pass << " passed, " << total.fail << " failed ("
            << total.blocked << " of them need an API other than URL)\n";
  return total;
}

TEST(UrlWpt, UrlSuite) {
  if (!std::filesystem::exists(kShared / "wpt" / "url")) GTEST_SKIP() << "no WPT checkout";
  WptResult r = RunSuite("url");
  ASSERT_GT(r.pass + r.fail, 1000);
  // Node 20 passes 98.1% of these subtests. Subtests that need FormData/structuredClone/
  // DOMException (other builtins, not there yet) are left out of the ratio.
  const int counted = r.pass + r.fail - r.blocked;
  EXPECT_GE(r.pass * 1000, counted * 981) << r.failures;
  std::cout << r.failures;
}

TEST(UrlWpt, UrlPatternSuite) {
  if (!std::filesystem::exists(kShared / "wpt" / "urlpattern")) GTEST_SKIP() << "no WPT checkout";
  WptResult r = RunSuite("urlpattern");
  ASSERT_GT(r.pass + r.fail, 100);
  // The brief's bar. What fails: the tentative generate() (not in the polyfill), RegExp `v` flag
  // sets (V8 10.2 lacks them), non-BMP group names (the polyfill's tokenizer).
  EXPECT_GE(r.pass * 100, (r.pass + r.fail) * 95) << r.failures;
  std::cout << r.failures;
}

}  // namespace
}  // namespace edgerun::testing
