// Runs the WPT URL data (urltestdata.json, setters_tests.json) through the worker-visible URL
// class, the way url-constructor.any.js, url-origin.any.js and url-setters.any.js do. Skipped when
// /work/shared/conformance-data is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

const std::filesystem::path kDataDir =
    std::filesystem::path(EDGERUN_SHARED_DIR) / "conformance-data" / "wpt-url";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `runner` (a module body that sees `data` and returns {pass, fail, failures}) and returns
// the response body: "pass fail\n" followed by one line per failure.
std::string RunWithData(const std::string& data_file, const std::string& runner) {
  TestWorker worker(
      Files{{"data.js", "export default " + ReadFile(kDataDir / data_file) + ";\n"},
            {"index.js",
             "import data from './data.js';\n"
             "function run() {\n" +
                 runner +
                 "\n}\n"
                 "export default { fetch() {\n"
                 "  const {pass, fail, failures} = run();\n"
                 "  return new Response(pass + ' ' + fail + '\\n' + failures.join('\\n'));\n"
                 "} };\n"}});
  if (!worker.started()) return "START FAILED: " + worker.start_error();
  auto response = worker.Get("/");
  return response ? response->body : "NO RESPONSE";
}

// Only non-ASCII hosts reach ICU (ASCII ones are lowercased), so a failing non-ASCII case can be
// ICU 72's UTS #46 data (Unicode 15.0) disagreeing with the newer data WPT is generated from; the
// runners mark those "ICU:" and they are counted apart. A failing ASCII case is always a bug.
bool NeedsNewerIcu(const std::string& failure_line) {
  return failure_line.rfind("ICU: ", 0) == 0;
}

struct Counts {
  int pass = 0;
  int fail = 0;
  int icu = 0;  // failures explained by ICU 72 (kNeedsNewerIcu)
  std::string failures;
};

Counts ParseCounts(const std::string& body) {
  Counts c;
  std::istringstream in(body);
  in >> c.pass >> c.fail;
  std::string rest;
  std::getline(in, rest, '\0');
  std::istringstream lines(rest);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    if (NeedsNewerIcu(line)) {
      ++c.icu;
    } else {
      c.failures += line + "\n";
    }
  }
  return c;
}

constexpr char kConstructorRunner[] = R"JS(
  let pass = 0, fail = 0; const failures = [];
  const keys = ['href', 'protocol', 'username', 'password', 'host', 'hostname', 'port',
                'pathname', 'search', 'hash'];
  for (const t of data) {
    if (typeof t === 'string') continue;
    const base = t.base !== null ? t.base : undefined;
    const name = `<${t.input}> against <${base}>`;
    let problem = null;
    try {
      if (t.failure) {
        try { new URL(t.input, base); problem = 'did not throw'; }
        catch (e) { if (!(e instanceof TypeError)) problem = 'threw ' + e; }
        if (problem === null && URL.canParse(t.input, base)) problem = 'canParse true';
      } else {
        const url = new URL(t.input, base);
        for (const k of keys) {
          if (url[k] !== t[k]) { problem = `${k}: got <${url[k]}> want <${t[k]}>`; break; }
        }
        if (problem === null && 'origin' in t && url.origin !== t.origin) {
          problem = `origin: got <${url.origin}> want <${t.origin}>`;
        }
        if (problem === null && 'searchParams' in t && url.searchParams.toString() !== t.searchParams) {
          problem = `searchParams: got <${url.searchParams}> want <${t.searchParams}>`;
        }
        if (problem === null && !URL.canParse(t.input, base)) problem = 'canParse false';
      }
    } catch (e) { problem = 'threw ' + e; }
    if (problem === null) pass++; else { fail++; failures.push(JSON.stringify(name) + ' ' + JSON.stringify(problem)); }
  }
  return {pass, fail, failures};
)JS";

constexpr char kSettersRunner[] = R"JS(
  let pass = 0, fail = 0; const failures = [];
  for (const attr of Object.keys(data)) {
    if (attr === 'comment') continue;
    for (const t of data[attr]) {
      let problem = null;
      try {
        const url = new URL(t.href);
        url[attr] = t.new_value;
        for (const k of Object.keys(t.expected)) {
          if (url[k] !== t.expected[k]) { problem = `${k}: got <${url[k]}> want <${t.expected[k]}>`; break; }
        }
      } catch (e) { problem = 'threw ' + e; }
      if (problem === null) pass++;
      else { fail++; failures.push(`${attr} <${t.href}> = <${t.new_value}>: ${problem}`); }
    }
  }
  return {pass, fail, failures};
)JS";

// IdnaTestV2.window.js and toascii.window.js: each input as the host of an https URL.
constexpr char kToAsciiRunner[] = R"JS(
  let pass = 0, fail = 0; const failures = [];
  const encode = (s) => [...s].map((c) => ':/?#\\'.includes(c) ? encodeURIComponent(c) : c).join('');
  for (const t of data) {
    if (typeof t === 'string' || t.input === '') continue;
    const input = encode(t.input);
    let problem = null;
    try {
      if (t.output === null) {
        if (URL.canParse(`https://${input}/x`)) problem = 'parsed, want failure';
      } else {
        const url = new URL(`https://${input}/x`);
        if (url.host !== t.output || url.hostname !== t.output || url.pathname !== '/x' ||
            url.href !== `https://${t.output}/x`) problem = `got <${url.host}> want <${t.output}>`;
      }
    } catch (e) { problem = `threw, want <${t.output}>`; }
    if (problem === null) pass++;
    else {
      fail++;
      failures.push(`${/^[\x00-\x7f]*$/.test(t.input) ? '' : 'ICU: '}${JSON.stringify(t.input)} ${problem}${t.comment ? ' (' + t.comment + ')' : ''}`);
    }
  }
  return {pass, fail, failures};
)JS";

TEST(UrlConformance, UrlTestData) {
  if (!std::filesystem::exists(kDataDir / "urltestdata.json")) GTEST_SKIP() << "no WPT URL data";
  Counts c = ParseCounts(RunWithData("urltestdata.json", kConstructorRunner));
  std::cout << "urltestdata: " << c.pass << " passed, " << c.fail << " failed\n";
  ASSERT_GT(c.pass + c.fail, 800) << c.failures;
  EXPECT_EQ(c.fail, 0) << c.failures;
}

TEST(UrlConformance, JavascriptOnlyTestData) {
  if (!std::filesystem::exists(kDataDir / "urltestdata-javascript-only.json")) {
    GTEST_SKIP() << "no WPT URL data";
  }
  Counts c = ParseCounts(RunWithData("urltestdata-javascript-only.json", kConstructorRunner));
  ASSERT_GT(c.pass + c.fail, 0) << c.failures;
  EXPECT_EQ(c.fail, 0) << c.failures;
}

TEST(UrlConformance, SettersTests) {
  if (!std::filesystem::exists(kDataDir / "setters_tests.json")) GTEST_SKIP() << "no WPT URL data";
  Counts c = ParseCounts(RunWithData("setters_tests.json", kSettersRunner));
  std::cout << "setters_tests: " << c.pass << " passed, " << c.fail << " failed\n";
  ASSERT_GT(c.pass + c.fail, 200) << c.failures;
  EXPECT_EQ(c.fail, 0) << c.failures;
}

TEST(UrlConformance, IdnaToAscii) {
  for (const char* file : {"IdnaTestV2.json", "toascii.json"}) {
    if (!std::filesystem::exists(kDataDir / file)) GTEST_SKIP() << "no WPT URL data";
    Counts c = ParseCounts(RunWithData(file, kToAsciiRunner));
    std::cout << file << ": " << c.pass << " passed, " << c.fail << " failed (" << c.icu
              << " non-ASCII, left to ICU 72)\n";
    ASSERT_GT(c.pass + c.fail, 80);
    EXPECT_EQ(c.fail - c.icu, 0) << c.failures;
  }
}

}  // namespace
}  // namespace edgerun::testing
