// The WPT runner's own logic: META parsing, URL/path mapping, expectation diffing and updating,
// the summary table, and (when shared/wpt is present) running the self-test files in isolates.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "isolates/v8_platform.h"
#include "tests/conformance/wpt_expectations.h"
#include "tests/conformance/wpt_file_runner.h"
#include "tests/conformance/wpt_meta.h"
#include "tests/conformance/wpt_paths.h"
#include "tests/conformance/wpt_report.h"
#include "tests/conformance/wpt_suites.h"

namespace edgerun::wpt {
namespace {

namespace fs = std::filesystem;

TEST(WptMeta, ReadsTheHeaderInOrderAndStopsAtTheFirstOtherLine) {
  TestMeta meta = ParseMeta(
      "// META: global=window,worker\n"
      "// META: title=Encoding API: Basics\n"
      "//META:script=/common/sab.js\r\n"
      "// META: timeout=long\n"
      "// META: variant=?1-1000\n"
      "// META: script=resources/helper.js\n"
      "\n"
      "// META: script=/not/read.js\n");
  EXPECT_EQ(meta.scripts, (std::vector<std::string>{"/common/sab.js", "resources/helper.js"}));
  EXPECT_EQ(meta.title, "Encoding API: Basics");
  EXPECT_TRUE(meta.long_timeout);
  EXPECT_EQ(meta.variants, (std::vector<std::string>{"?1-1000"}));
  EXPECT_EQ(meta.globals, (std::vector<std::string>{"window,worker"}));
}

TEST(WptMeta, NoHeaderAndShortTimeout) {
  TestMeta meta = ParseMeta("'use strict';\n// META: script=/late.js\n");
  EXPECT_TRUE(meta.scripts.empty());
  EXPECT_FALSE(meta.long_timeout);
  EXPECT_FALSE(ParseMeta("// META: timeout=short\n").long_timeout);
}

TEST(WptPaths, TestUrlIsTheWorkerWrapper) {
  EXPECT_EQ(TestUrl("url/url-constructor.any.js"),
            "http://web-platform.test:8000/url/url-constructor.any.worker.js");
  EXPECT_EQ(TestUrl("fetch/api/body/cloned-any.js"),
            "http://web-platform.test:8000/fetch/api/body/cloned-any.js");
}

TEST(WptPaths, ResolvesRelativeRootAndSameOriginUrls) {
  const std::string base = "http://web-platform.test:8000/fetch/api/response/x.any.worker.js";
  std::string error;
  EXPECT_EQ(ResolveSameOrigin(base, "../resources/data.json", &error),
            "/fetch/api/resources/data.json");
  EXPECT_EQ(ResolveSameOrigin(base, "resources/a.js?x=1#f", &error),
            "/fetch/api/response/resources/a.js");
  EXPECT_EQ(ResolveSameOrigin(base, "/common/utils.js", &error), "/common/utils.js");
  EXPECT_EQ(ResolveSameOrigin(base, "./../../../../../../etc/passwd", &error), "/etc/passwd");
  EXPECT_EQ(ResolveSameOrigin(base, "http://web-platform.test:8000/media/foo.vtt", &error),
            "/media/foo.vtt");
}

TEST(WptPaths, RejectsOtherOrigins) {
  const std::string base = "http://web-platform.test:8000/url/a.any.worker.js";
  std::string error;
  EXPECT_EQ(ResolveSameOrigin(base, "http://example.com/", &error), std::nullopt);
  EXPECT_NE(error.find("same-origin"), std::string::npos);
  EXPECT_EQ(ResolveSameOrigin(base, "http://web-platform.test:80001/x", &error), std::nullopt);
  EXPECT_EQ(ResolveSameOrigin(base, "//web-platform.test:8000/x", &error), std::nullopt);
  EXPECT_EQ(ResolveSameOrigin(base, "data:text/plain,hi", &error), std::nullopt);
}

class WptPathsOnDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("wpt-paths-" + std::to_string(::getpid()));
    roots_ = {dir_ / "wpt", dir_ / "conformance-data"};
    fs::create_directories(roots_.wpt / "url/resources");
    fs::create_directories(roots_.conformance_data / "wpt-url");
    std::ofstream(roots_.wpt / "url/a.any.js") << "test";
    std::ofstream(roots_.conformance_data / "wpt-url/urltestdata.json") << "[]";
    std::ofstream(dir_ / "secret.txt") << "outside";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  Roots roots_;
};

TEST_F(WptPathsOnDisk, MapsTheTreeAndTheUrlDataAndNothingElse) {
  EXPECT_EQ(MapUrlPath("/url/a.any.js", roots_), roots_.wpt / "url/a.any.js");
  EXPECT_EQ(MapUrlPath("/url/resources/urltestdata.json", roots_),
            roots_.conformance_data / "wpt-url/urltestdata.json");
  EXPECT_EQ(MapUrlPath("/url/missing.json", roots_), std::nullopt);
  EXPECT_EQ(MapUrlPath("/../secret.txt", roots_), std::nullopt);
  EXPECT_EQ(MapUrlPath("/url", roots_), std::nullopt);  // a directory
  EXPECT_EQ(MapUrlPath("relative.js", roots_), std::nullopt);
}

TEST(WptPaths, ContentTypes) {
  EXPECT_EQ(ContentTypeFor("a/data.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("media/foo.vtt"), "text/vtt");
  EXPECT_EQ(ContentTypeFor("x.bin"), "application/octet-stream");
}

TEST(WptSuites, TestFilesAreAnyJsAndClonedAny) {
  EXPECT_TRUE(IsTestFile("url/url-origin.any.js"));
  EXPECT_TRUE(IsTestFile("fetch/api/body/cloned-any.js"));
  EXPECT_FALSE(IsTestFile("url/resources/helper.js"));
  EXPECT_FALSE(IsTestFile("url/toascii.window.js"));
  ASSERT_NE(FindSuite("encoding"), nullptr);
  EXPECT_EQ(FindSuite("nope"), nullptr);
}

FileResult File(std::string path, std::vector<SubtestResult> subtests,
                FileStatus status = FileStatus::kOk, std::string message = "") {
  FileResult r;
  r.path = std::move(path);
  r.subtests = std::move(subtests);
  r.status = status;
  r.message = std::move(message);
  return r;
}

SubtestResult Pass(std::string name) {
  return {std::move(name), SubtestStatus::kPass, ""};
}
SubtestResult Fail(std::string name, std::string message = "boom") {
  return {std::move(name), SubtestStatus::kFail, std::move(message)};
}

Expectations Parse(std::string_view json) {
  Expectations e;
  std::string error;
  EXPECT_TRUE(ParseExpectations(json, &e, &error)) << error;
  return e;
}

TEST(WptExpectations, ParsesBothFormsAndRejectsOthers) {
  Expectations e = Parse(R"({"a.any.js": "does not load", "b.any.js": {"x\ty": "why"}})");
  EXPECT_TRUE(e["a.any.js"].whole_file);
  EXPECT_EQ(e["a.any.js"].reason, "does not load");
  EXPECT_EQ(e["b.any.js"].subtests["x\ty"], "why");
  std::string error;
  EXPECT_FALSE(ParseExpectations(R"({"a.any.js": 3})", &e, &error));
  EXPECT_FALSE(ParseExpectations(R"({"a.any.js": {"x": 1}})", &e, &error));
  EXPECT_FALSE(ParseExpectations("[]", &e, &error));
  EXPECT_FALSE(ParseExpectations("{", &e, &error));
}

TEST(WptExpectations, SerializeRoundTripsAndIsSorted) {
  Expectations e;
  e["z.any.js"].whole_file = true;
  e["z.any.js"].reason = "load \"error\"";
  e["a.any.js"].subtests["name with \x01 and \\ and \xC3\xA9"] = "reason";
  std::string text = SerializeExpectations(e);
  EXPECT_LT(text.find("a.any.js"), text.find("z.any.js"));
  Expectations back = Parse(text);
  EXPECT_EQ(back["z.any.js"].reason, "load \"error\"");
  EXPECT_EQ(back["a.any.js"].subtests.count("name with \x01 and \\ and \xC3\xA9"), 1u);
  EXPECT_EQ(SerializeExpectations(back), text);
  EXPECT_EQ(SerializeExpectations({}), "{}\n");
}

TEST(WptExpectations, UnlistedFailureIsUnexpected) {
  Expectations e = Parse(R"({"a.any.js": {"listed": "known"}})");
  Diff d = Compare(
      {File("a.any.js", {Fail("listed"), Fail("new", "assert_equals: 1 vs 2"), Pass("ok")})}, e,
      true);
  ASSERT_EQ(d.unexpected_failures.size(), 1u);
  EXPECT_EQ(d.unexpected_failures[0], "a.any.js: new: FAIL: assert_equals: 1 vs 2");
  EXPECT_TRUE(d.unexpected_passes.empty());
  EXPECT_FALSE(d.ok());
}

TEST(WptExpectations, ListedFailureThatPassesIsReported) {
  Expectations e = Parse(R"({"a.any.js": {"fixed": "was broken"}})");
  Diff d = Compare({File("a.any.js", {Pass("fixed")})}, e, true);
  ASSERT_EQ(d.unexpected_passes.size(), 1u);
  EXPECT_EQ(d.unexpected_passes[0], "a.any.js: fixed");
  EXPECT_FALSE(d.ok());
}

TEST(WptExpectations, TimeoutAndNotRunAreFailures) {
  Diff d = Compare(
      {File("a.any.js", {{"t", SubtestStatus::kTimeout, ""}, {"n", SubtestStatus::kNotRun, ""}})},
      {}, true);
  EXPECT_EQ(d.unexpected_failures.size(), 2u);
}

TEST(WptExpectations, WholeFileEntries) {
  Expectations e = Parse(R"({"a.any.js": "throws at load", "b.any.js": "times out"})");
  // Failing as a whole: expected, whatever its subtests did.
  Diff d = Compare({File("a.any.js", {Fail("x")}, FileStatus::kLoadError, "ReferenceError"),
                    File("b.any.js", {}, FileStatus::kTimeout, "timed out")},
                   e, true);
  EXPECT_TRUE(d.ok());
  // Completing now: reported, whether or not its subtests pass.
  d = Compare({File("a.any.js", {Pass("x")}), File("b.any.js", {Fail("y")})}, e, true);
  ASSERT_EQ(d.unexpected_passes.size(), 2u);
  EXPECT_EQ(d.unexpected_passes[0], "a.any.js (whole file)");
  EXPECT_NE(d.unexpected_passes[1].find("1 failing subtest"), std::string::npos);
}

TEST(WptExpectations, FileLevelFailureNotListedAsWholeFileIsUnexpected) {
  Expectations e = Parse(R"({"a.any.js": {"x": "known"}})");
  Diff d = Compare({File("a.any.js", {}, FileStatus::kLoadError, "SyntaxError: nope")}, e, true);
  ASSERT_EQ(d.unexpected_failures.size(), 1u);
  EXPECT_EQ(d.unexpected_failures[0], "a.any.js: load error: SyntaxError: nope");
}

TEST(WptExpectations, StaleEntries) {
  Expectations e = Parse(R"({"a.any.js": {"renamed": "r"}, "gone.any.js": "r"})");
  Diff d = Compare({File("a.any.js", {Pass("new name")})}, e, true);
  EXPECT_EQ(d.stale.size(), 2u);
  // Running one file only: other files' entries are not stale.
  d = Compare({File("a.any.js", {Pass("new name")})}, e, false);
  EXPECT_EQ(d.stale.size(), 1u);
}

TEST(WptExpectations, UpdateKeepsReasonsAndMarksNewEntries) {
  Expectations old =
      Parse(R"({"a.any.js": {"known": "a real reason", "fixed": "was broken"}, "c.any.js": "r"})");
  std::vector<FileResult> results = {
      File("a.any.js", {Fail("known"), Pass("fixed"), Fail("new", "assert_true: got false")}),
      File("b.any.js", {}, FileStatus::kLoadError, "ReferenceError: URLPattern is not defined"),
      File("d.any.js", {Fail("gone global", "Blob is not defined")}),
  };
  Expectations updated = Update(results, old, /*complete=*/true);
  EXPECT_EQ(updated["a.any.js"].subtests["known"], "a real reason");
  EXPECT_EQ(updated["a.any.js"].subtests.count("fixed"), 0u);
  EXPECT_EQ(updated["a.any.js"].subtests["new"].rfind(kPlaceholderPrefix, 0), 0u);
  EXPECT_TRUE(updated["b.any.js"].whole_file);
  EXPECT_EQ(updated["b.any.js"].reason.rfind("URLPattern is not implemented yet", 0), 0u);
  EXPECT_EQ(updated["d.any.js"].subtests["gone global"].rfind("Blob is not implemented yet", 0),
            0u);
  EXPECT_EQ(updated.count("c.any.js"), 0u);  // not in the suite any more
  EXPECT_TRUE(Compare(results, updated, true).ok());
  EXPECT_EQ(UnexplainedEntries(updated), (std::vector<std::string>{"a.any.js: new"}));
  // A partial run keeps the other files' entries.
  EXPECT_EQ(Update({results[0]}, old, false).count("c.any.js"), 1u);
}

TEST(WptExpectations, UpdateDerivesAMissingGlobalReasonAgain) {
  // Once Blob exists, "Blob is not implemented yet" would be a stale reason: it is derived from
  // the current failure again. A person's reason is kept.
  const std::string derived = "Blob is not implemented yet (ReferenceError: Blob is not defined)";
  Expectations old;
  old["a.any.js"].subtests = {
      {"x", derived}, {"y", derived}, {"z", "slice() ignores a negative end"}};
  Expectations updated =
      Update({File("a.any.js", {Fail("x", "assert_equals: expected 3 but got 4"),
                                Fail("y", "File is not defined"), Fail("z", "other")})},
             old, true);
  EXPECT_EQ(updated["a.any.js"].subtests["x"].rfind(kPlaceholderPrefix, 0), 0u);
  EXPECT_EQ(updated["a.any.js"].subtests["y"],
            "File is not implemented yet (ReferenceError: File is not defined)");
  EXPECT_EQ(updated["a.any.js"].subtests["z"], "slice() ignores a negative end");
}

TEST(WptExpectations, EmptyReasonsAreUnexplained) {
  Expectations e = Parse(R"({"a.any.js": " ", "b.any.js": {"x": ""}, "c.any.js": {"y": "ok"}})");
  EXPECT_EQ(UnexplainedEntries(e).size(), 2u);
  ExpectationCounts c = Count(e);
  EXPECT_EQ(c.files, 1u);
  EXPECT_EQ(c.subtests, 2u);
}

TEST(WptReport, RowsRoundTripAndTableHasATotal) {
  SuiteRow a{"url", 21, 2068, 4, 2028, 2064, 0};
  SuiteRow b{"atob", 1, 380, 380, 380, 0, 1};
  SuiteRow back;
  ASSERT_TRUE(ParseRow(FormatRow(a), &back));
  EXPECT_EQ(back.suite, "url");
  EXPECT_EQ(back.expected_subtests, 2064u);
  std::string table = FormatTable({a, b});
  EXPECT_NE(table.find("| url | 21 | 2068 | 4 | 0.2% | 2028 | 2064 subtests |"), std::string::npos);
  EXPECT_NE(table.find("| atob | 1 | 380 | 380 | 100.0% | 380 | 0 subtests + 1 whole files |"),
            std::string::npos);
  EXPECT_NE(table.find("| **total** | 22 | 2448 | 384 | 15.7% | 2408 |"), std::string::npos);
}

TEST(WptReport, ReplacesBetweenMarkersOnly) {
  std::string doc = "before\n<!-- wpt-table:begin -->\nold\n<!-- wpt-table:end -->\nafter\n";
  ASSERT_TRUE(ReplaceBetweenMarkers(&doc, "new\n"));
  EXPECT_EQ(doc, "before\n<!-- wpt-table:begin -->\nnew\n<!-- wpt-table:end -->\nafter\n");
  std::string none = "no markers";
  EXPECT_FALSE(ReplaceBetweenMarkers(&none, "x"));
}

// The self-test files in real isolates (needs testharness.js from shared/wpt).
class WptSelfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::path shared = fs::path(EDGERUN_SHARED_DIR);
    if (const char* env = std::getenv("EDGERUN_SHARED_DIR"); env && *env) shared = env;
    options_.roots = {shared / "wpt", shared / "conformance-data"};
    if (!fs::exists(options_.roots.wpt / "resources/testharness.js")) {
      GTEST_SKIP() << "no shared/wpt";
    }
    options_.tests_root = fs::path(EDGERUN_SOURCE_DIR) / "tests/conformance";
    options_.timeout_s = 2;
    isolates::V8Platform::Initialize();
  }
  RunOptions options_;
};

TEST_F(WptSelfTest, PassingFileUsesTheRunnersGlobals) {
  FileResult r = RunTestFile("selftest/pass.any.js", options_);
  EXPECT_EQ(r.status, FileStatus::kOk) << r.message;
  ASSERT_EQ(r.subtests.size(), 7u);
  for (const auto& s : r.subtests)
    EXPECT_EQ(s.status, SubtestStatus::kPass) << s.name << ": " << s.message;
  EXPECT_EQ(r.subtests[6].name, "name with a lone U+d800 surrogate");  // testharness.js
}

TEST_F(WptSelfTest, FailingSubtestIsReportedWithItsMessage) {
  FileResult r = RunTestFile("selftest/fail.any.js", options_);
  EXPECT_EQ(r.status, FileStatus::kOk);
  ASSERT_EQ(r.subtests.size(), 2u);
  EXPECT_EQ(r.subtests[0].name, "a failing subtest");
  EXPECT_EQ(r.subtests[0].status, SubtestStatus::kFail);
  EXPECT_NE(r.subtests[0].message.find("arithmetic"), std::string::npos);
  EXPECT_EQ(r.subtests[1].status, SubtestStatus::kPass);
  Diff d = Compare({r}, {}, false);
  ASSERT_EQ(d.unexpected_failures.size(), 1u);
}

TEST_F(WptSelfTest, TimeoutCallsTimeoutAndReportsUnfinishedSubtests) {
  FileResult r = RunTestFile("selftest/timeout.any.js", options_);
  EXPECT_EQ(r.status, FileStatus::kTimeout);
  EXPECT_NE(r.message.find("timed out after 2 s"), std::string::npos) << r.message;
  ASSERT_EQ(r.subtests.size(), 2u);
  EXPECT_EQ(r.subtests[0].status, SubtestStatus::kPass);
  EXPECT_EQ(r.subtests[1].status, SubtestStatus::kTimeout);
  EXPECT_GE(r.seconds, 2.0);
}

TEST_F(WptSelfTest, StalledFileTimesOutEarly) {
  FileResult r = RunTestFile("selftest/stall.any.js", options_);
  EXPECT_EQ(r.status, FileStatus::kTimeout);
  EXPECT_NE(r.message.find("stalled"), std::string::npos) << r.message;
  EXPECT_LT(r.seconds, 2.0);
}

TEST_F(WptSelfTest, ThrowAtLoadIsALoadErrorWithTheMessage) {
  FileResult r = RunTestFile("selftest/load-error.any.js", options_);
  EXPECT_EQ(r.status, FileStatus::kLoadError);
  EXPECT_NE(r.message.find("thrown at load on purpose"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("load-error.any.js:3"), std::string::npos) << r.message;
}

TEST_F(WptSelfTest, EndlessLoopIsTerminated) {
  options_.timeout_s = 0.5;
  options_.watchdog_grace_s = 0.5;
  FileResult r = RunTestFile("selftest/endless-loop.js", options_);
  EXPECT_EQ(r.status, FileStatus::kTimeout);
  EXPECT_NE(r.message.find("endless loop"), std::string::npos) << r.message;
  EXPECT_LT(r.seconds, 5.0);
}

TEST_F(WptSelfTest, OutOfMemoryIsACrashNotAnAbort) {
  options_.heap_limit_mb = 32;
  fs::path dir = fs::temp_directory_path() / ("wpt-oom-" + std::to_string(::getpid()));
  fs::create_directories(dir / "t");
  std::ofstream(dir / "t/oom.any.js")
      << "test(() => { const a = []; for (;;) a.push({a}); }, 'grows');\n";
  options_.tests_root = dir;
  FileResult r = RunTestFile("t/oom.any.js", options_);
  fs::remove_all(dir);
  EXPECT_EQ(r.status, FileStatus::kCrash);
  EXPECT_NE(r.message.find("out of memory"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace edgerun::wpt
