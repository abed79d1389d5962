// `edgerun check`, `--version`, `--help` and usage errors.
#include <gtest/gtest.h>

#include "tests/integration/edgerun_process.h"

namespace edgerun::testing {
namespace {

TEST(Cli, VersionAndHelp) {
  CommandResult v = RunEdgerun({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("edgerun " EDGERUN_VERSION, 0), 0u) << v.out;
  EXPECT_NE(v.out.find("V8 10.2"), std::string::npos) << v.out;
  CommandResult h = RunEdgerun({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("edgerun serve --config FILE"), std::string::npos);
}

TEST(Cli, UsageErrorsExit2) {
  EXPECT_EQ(RunEdgerun({}).exit_code, 2);
  CommandResult r = RunEdgerun({"serve"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs --config FILE"), std::string::npos) << r.err;
  r = RunEdgerun({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos) << r.err;
  r = RunEdgerun({"serve", "--config", "x.json", "--threads", "zero"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(Cli, CheckReportsTheJsonPathOfAWrongType) {
  TempDir dir;
  dir.Write("w.js", "export default { fetch() { return new Response('x'); } };");
  auto config =
      dir.Write("c.json", R"({"workers": [{"name": "w", "main": "w.js", "routes": [42]}]})");
  CommandResult r = RunEdgerun({"check", "--config", config.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("$.workers[0].routes[0]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("c.json"), std::string::npos) << r.err;
}

TEST(Cli, CheckReportsSyntaxErrorsWithFileLineColumn) {
  TempDir dir;
  dir.Write("ok.js", "export default { fetch() { return new Response('x'); } };");
  dir.Write("bad.js", "export default {\n  fetch() {\n    return new Response('x';\n  }\n};\n");
  auto config = dir.Write("c.json", R"({"workers": [
      {"name": "ok", "main": "ok.js", "routes": ["*/ok"]},
      {"name": "bad", "main": "bad.js", "routes": ["*/*"]}]})");
  CommandResult r = RunEdgerun({"check", "--config", config.string()});
  EXPECT_EQ(r.exit_code, 1);
  std::string where = (dir.path() / "bad.js").string() + ":3:";
  EXPECT_NE(r.err.find(where), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SyntaxError"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("worker \"bad\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 of 2 workers failed"), std::string::npos) << r.err;
}

TEST(Cli, CheckReportsJsonSyntaxErrorPosition) {
  TempDir dir;
  auto config = dir.Write("c.json", "{\n  \"workers\": [\n    {\"name\": \"w\",}\n  ]\n}\n");
  CommandResult r = RunEdgerun({"check", "--config", config.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("c.json:3:"), std::string::npos) << r.err;
}

TEST(Cli, CheckOfAMissingFile) {
  CommandResult r = RunEdgerun({"check", "--config", "/nonexistent/edgerun.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/edgerun.json"), std::string::npos) << r.err;
}

TEST(Cli, SecretsComeFromTheEnvironmentAndAreNeverPrinted) {
  TempDir dir;
  dir.Write("w.js",
            "export default { fetch(r, env) { return new Response(env.TOKEN.length + ''); } };");
  auto config = dir.Write("c.json", R"({"workers": [{"name": "w", "main": "w.js", "routes": ["*/*"],
      "secrets": {"TOKEN": {"env": "EDGERUN_TEST_TOKEN"}}}]})");
  CommandResult missing = RunEdgerun({"check", "--config", config.string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("EDGERUN_TEST_TOKEN"), std::string::npos) << missing.err;
  CommandResult ok =
      RunEdgerun({"check", "--config", config.string()}, {{"EDGERUN_TEST_TOKEN", "s3cr3t-value"}});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.err.find("s3cr3t-value"), std::string::npos);
  EXPECT_EQ(ok.out.find("s3cr3t-value"), std::string::npos);
}

}  // namespace
}  // namespace edgerun::testing
