// WAGI workers ("type": "wagi") end to end: the real binary, real HTTP, the WASI command
// tests/wasi/wagi_cgi.c answering as CGI: headers, Status, Location, stdin, the CGI variables,
// and the failures (trap, loop under the CPU limit, malformed output, exit without output).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

using namespace std::chrono_literals;

std::string CgiWasm() {
  std::ifstream in(EDGERUN_WASI_TEST_DIR "/wagi_cgi.wasm", std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class WagiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string wasm = CgiWasm();
    ASSERT_GT(wasm.size(), 1000u) << "wagi_cgi.wasm was not built";
    dir_.Write("cgi.wasm", wasm);
    auto config = dir_.Write("c.json", R"({"threads": 1, "limits": {"cpu_ms": 100},
        "workers": [{"name": "cgi", "type": "wagi", "main": "cgi.wasm", "routes": ["*/*"]}]})");
    server_ = EdgerunProcess::Start(config);
    ASSERT_TRUE(server_->started()) << server_->log();
  }

  TempDir dir_;
  std::unique_ptr<EdgerunProcess> server_;
};

TEST_F(WagiTest, HeadersAndBody) {
  auto r = Fetch(server_->port(), "GET", "/hello");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << server_->log();
  EXPECT_EQ(r->header("content-type"), "text/plain");
  EXPECT_EQ(r->body, "hello from wagi /hello\n");
}

TEST_F(WagiTest, CgiVariablesFromTheRequest) {
  auto r = Fetch(server_->port(), "POST", "/env?a=1&b=two", "12345",
                 {{"Content-Type", "text/x-test"},
                  {"X-Test", "header value"},
                  {"Authorization", "Bearer secret"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << server_->log();
  EXPECT_EQ(r->body,
            "REQUEST_METHOD=POST\n"
            "PATH_INFO=/env\n"
            "QUERY_STRING=a=1&b=two\n"
            "CONTENT_TYPE=text/x-test\n"
            "CONTENT_LENGTH=5\n"
            "SERVER_NAME=localhost\n"
            "SERVER_PROTOCOL=HTTP/1.1\n"
            "HTTP_X_TEST=header value\n"
            "HTTP_AUTHORIZATION=(unset)\n"
            "X_FULL_URL=http://localhost/env?a=1&b=two\n"
            "GATEWAY_INTERFACE=CGI/1.1\n"
            "argc=1 argv0=cgi.wasm\n");
}

TEST_F(WagiTest, StdinIsTheRequestBodyAndCrlfHeadersParse) {
  std::string body(100000, 'b');
  body += "end";
  auto r = Fetch(server_->port(), "PUT", "/echo", body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << server_->log();
  EXPECT_EQ(r->header("content-type"), "application/octet-stream");
  EXPECT_EQ(r->header("x-echo"), "yes");
  EXPECT_EQ(r->body, body);
}

TEST_F(WagiTest, StatusAndLocationHeaders) {
  auto status = Fetch(server_->port(), "GET", "/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 404);
  EXPECT_EQ(status->reason, "Not Found");
  EXPECT_EQ(status->header("x-custom"), "yes");
  EXPECT_FALSE(status->has_header("status"));
  EXPECT_EQ(status->body, "not here\n");
  auto redirect = Fetch(server_->port(), "GET", "/redirect");
  ASSERT_TRUE(redirect);
  EXPECT_EQ(redirect->status, 302);
  EXPECT_EQ(redirect->header("location"), "/elsewhere");
}

TEST_F(WagiTest, NoPreopenMeansNoFiles) {
  auto r = Fetch(server_->port(), "GET", "/file");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body, "no file\n");
}

TEST_F(WagiTest, StderrGoesToTheLog) {
  auto r = Fetch(server_->port(), "GET", "/stderr");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(server_->WaitForLog("a note for the log", 5s)) << server_->log();
}

TEST_F(WagiTest, ATrapIs500WithTheTrapMessageInTheLog) {
  auto r = Fetch(server_->port(), "GET", "/trap");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_TRUE(server_->WaitForLog("RuntimeError: unreachable", 5s)) << server_->log();
  EXPECT_NE(server_->log().find("cgi"), std::string::npos);
  // The worker still serves.
  auto after = Fetch(server_->port(), "GET", "/hello");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(WagiTest, ALoopIsStoppedByTheCpuLimit) {
  auto r = Fetch(server_->port(), "GET", "/loop");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503) << server_->log();
  auto after = Fetch(server_->port(), "GET", "/hello");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(WagiTest, MalformedOutputIs500WithTheReasonInTheLog) {
  auto r = Fetch(server_->port(), "GET", "/malformed");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_TRUE(server_->WaitForLog(
      "malformed CGI output from cgi.wasm (exit code 0): CGI header line \"this is not a "
      "header\" has no \"name:\"",
      5s))
      << server_->log();
  auto bare = Fetch(server_->port(), "GET", "/no-content-type");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 500);
  EXPECT_TRUE(server_->WaitForLog("the CGI headers have neither Content-Type nor Location", 5s))
      << server_->log();
  auto exit = Fetch(server_->port(), "GET", "/exit");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->status, 500);
  EXPECT_TRUE(server_->WaitForLog("cgi.wasm exited with code 3 without writing a CGI response", 5s))
      << server_->log();
}

TEST(Wagi, TheWorkersPreopensApply) {
  TempDir dir;
  dir.Write("cgi.wasm", CgiWasm());
  dir.Write("site/hello.txt", "file under the preopen");
  auto config = dir.Write("c.json", R"({"threads": 1, "workers": [
      {"name": "files", "type": "wagi", "main": "cgi.wasm", "routes": ["*/*"],
       "wasi": {"preopens": {"/data": "site"}}}]})");
  auto server = EdgerunProcess::Start(config);
  ASSERT_TRUE(server->started()) << server->log();
  auto r = Fetch(server->port(), "GET", "/file");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << server->log();
  EXPECT_EQ(r->body, "file under the preopen");
}

TEST(Wagi, ConfigErrorsForAWagiWorker) {
  TempDir dir;
  dir.Write("cgi.wasm", CgiWasm());
  dir.Write("w.js", "export default { fetch() { return new Response('x'); } };");
  auto config = dir.Write("c.json", R"({"workers": [
      {"name": "a", "type": "wagi", "main": "cgi.wasm", "format": "modules", "routes": ["*/a*"]},
      {"name": "b", "type": "wagi", "main": "w.js", "routes": ["*/b*"]},
      {"name": "c", "type": "wasi", "main": "cgi.wasm", "routes": ["*/c*"]}]})");
  CommandResult r = RunEdgerun({"check", "--config", config.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("$.workers[0].format: \"format\" does not apply to a wagi worker"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("$.workers[1].main: a wagi worker's main must be a WASI command module"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("$.workers[2].type: expected \"javascript\" or \"wagi\", got \"wasi\""),
            std::string::npos)
      << r.err;
}

TEST(Wagi, CheckRefusesAModuleThatIsNotACommand) {
  TempDir dir;
  std::ifstream in(EDGERUN_TEST_WASM_DIR "/math.wasm", std::ios::binary);
  std::ostringstream math;
  math << in.rdbuf();
  dir.Write("lib.wasm", math.str());
  auto config = dir.Write("c.json", R"({"workers": [
      {"name": "lib", "type": "wagi", "main": "lib.wasm", "routes": ["*/*"]}]})");
  CommandResult r = RunEdgerun({"check", "--config", config.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("lib.wasm is not a WASI command: a WAGI module must export _start and "
                       "memory"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace edgerun::testing
