// Config reload (SIGHUP and --watch): changed workers get new isolates, unchanged ones keep
// theirs, a broken config is rejected, and requests keep succeeding throughout.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <future>
#include <thread>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

using namespace std::chrono_literals;

std::string Counter(const std::string& label) {
  return "let n = 0;\nexport default { fetch() { n++; return new Response('" + label +
         " ' + n); } };\n";
}

constexpr const char* kConfig = R"({"threads": 1, "workers": [
  {"name": "a", "main": "a.js", "routes": ["*/a*"]},
  {"name": "b", "main": "b.js", "routes": ["*/b*"]}]})";

class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("a.js", Counter("a-v1"));
    dir_.Write("b.js", Counter("b"));
    config_ = dir_.Write("edgerun.json", kConfig);
  }
  std::string Body(uint16_t port, const std::string& path) {
    auto r = Fetch(port, "GET", path);
    return r ? std::to_string(r->status) + " " + r->body : "no response";
  }
  // Sends SIGHUP and waits for the n-th outcome line ("reloaded config" or "rejected").
  bool ReloadAndWait(EdgerunProcess& server, const std::string& marker, int nth) {
    server.Signal(SIGHUP);
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      std::string log = server.log();
      int count = 0;
      for (size_t pos = log.find(marker); pos != std::string::npos;
           pos = log.find(marker, pos + 1)) {
        ++count;
      }
      if (count >= nth) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  TempDir dir_;
  std::filesystem::path config_;
};

TEST_F(ReloadTest, ChangedWorkerIsReplacedAndUnchangedOneStaysWarm) {
  auto server = EdgerunProcess::Start(config_);
  ASSERT_TRUE(server->started()) << server->log();
  uint16_t port = server->port();
  EXPECT_EQ(Body(port, "/a"), "200 a-v1 1");
  EXPECT_EQ(Body(port, "/a"), "200 a-v1 2");
  EXPECT_EQ(Body(port, "/b"), "200 b 1");
  dir_.Write("a.js", Counter("a-v2"));
  ASSERT_TRUE(ReloadAndWait(*server, "reloaded config (SIGHUP)", 1)) << server->log();
  EXPECT_NE(server->log().find("replaced: a; added: none; removed: none"), std::string::npos)
      << server->log();
  EXPECT_EQ(Body(port, "/a"), "200 a-v2 1");  // new code, new isolate
  EXPECT_EQ(Body(port, "/b"), "200 b 2");     // same isolate: its state survived
}

TEST_F(ReloadTest, AddedAndRemovedWorkersAndRoutes) {
  auto server = EdgerunProcess::Start(config_);
  ASSERT_TRUE(server->started()) << server->log();
  uint16_t port = server->port();
  EXPECT_EQ(Body(port, "/c").substr(0, 3), "404");
  dir_.Write("c.js", Counter("c"));
  dir_.Write("edgerun.json", R"({"threads": 1, "workers": [
      {"name": "a", "main": "a.js", "routes": ["*/a*"]},
      {"name": "c", "main": "c.js", "routes": ["*/c*"]}]})");
  ASSERT_TRUE(ReloadAndWait(*server, "reloaded config (SIGHUP)", 1)) << server->log();
  EXPECT_EQ(Body(port, "/c"), "200 c 1");
  EXPECT_EQ(Body(port, "/b").substr(0, 3), "404");
  EXPECT_NE(server->log().find("added: c; removed: b"), std::string::npos) << server->log();
}

TEST_F(ReloadTest, ChangesThatNeedARestartAreNamedAndTheRestStillApplies) {
  auto server = EdgerunProcess::Start(config_);
  ASSERT_TRUE(server->started()) << server->log();
  uint16_t port = server->port();
  EXPECT_EQ(Body(port, "/a"), "200 a-v1 1");
  dir_.Write("a.js", Counter("a-v2"));
  dir_.Write("edgerun.json", R"({"threads": 2, "outbound": {"max_idle_per_origin": 4},
      "workers": [{"name": "a", "main": "a.js", "routes": ["*/a*"]},
                  {"name": "b", "main": "b.js", "routes": ["*/b*"]}]})");
  ASSERT_TRUE(ReloadAndWait(*server, "reloaded config (SIGHUP)", 1)) << server->log();
  EXPECT_NE(server->log().find("\"listen\" and \"threads\" changes need a restart; keeping the "
                               "current sockets and threads"),
            std::string::npos)
      << server->log();
  EXPECT_NE(server->log().find("\"outbound\" changes need a restart; keeping the current ca_file "
                               "and max_idle_per_origin"),
            std::string::npos)
      << server->log();
  EXPECT_EQ(Body(port, "/a"), "200 a-v2 1");  // the worker change applied all the same
}

TEST_F(ReloadTest, BrokenConfigIsRejectedAndTheOldOneKeepsServing) {
  auto server = EdgerunProcess::Start(config_);
  ASSERT_TRUE(server->started()) << server->log();
  uint16_t port = server->port();
  EXPECT_EQ(Body(port, "/a"), "200 a-v1 1");
  dir_.Write("edgerun.json", R"({"threads": 1, "workers": [{"name": "a", "main": "a.js",)");
  ASSERT_TRUE(ReloadAndWait(*server, "rejected; still serving the previous config", 1))
      << server->log();
  EXPECT_NE(server->log().find("edgerun.json:1:"), std::string::npos) << server->log();
  EXPECT_EQ(Body(port, "/a"), "200 a-v1 2");
}

TEST_F(ReloadTest, WatchReloadsWhenAWorkerFileChanges) {
  auto server = EdgerunProcess::Start(config_, {"--listen", "127.0.0.1:0", "--watch"});
  ASSERT_TRUE(server->started()) << server->log();
  uint16_t port = server->port();
  EXPECT_EQ(Body(port, "/a"), "200 a-v1 1");
  std::this_thread::sleep_for(50ms);
  dir_.Write("a.js", Counter("a-watched"));
  ASSERT_TRUE(server->WaitForLog("reloaded config (files changed)", 10s)) << server->log();
  EXPECT_EQ(Body(port, "/a"), "200 a-watched 1");
}

TEST_F(ReloadTest, NoRequestFailsWhileReloadingUnderLoad) {
  if (std::system("command -v wrk >/dev/null 2>&1") != 0) GTEST_SKIP() << "wrk is not installed";
  auto server = EdgerunProcess::Start(config_);
  ASSERT_TRUE(server->started()) << server->log();
  uint16_t port = server->port();
  auto load = std::async(std::launch::async, [port] {
    std::string command = "wrk -t1 -c20 -d3s http://127.0.0.1:" + std::to_string(port) + "/a 2>&1";
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
      char buf[512];
      while (std::fgets(buf, sizeof buf, pipe))
        out += buf;
      ::pclose(pipe);
    }
    return out;
  });
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(400ms);
    dir_.Write("a.js", Counter("a-v" + std::to_string(i + 2)));
    ASSERT_TRUE(ReloadAndWait(*server, "reloaded config (SIGHUP)", i + 1)) << server->log();
  }
  std::string report = load.get();
  EXPECT_NE(report.find("requests in"), std::string::npos) << report;
  EXPECT_EQ(report.find("Non-2xx"), std::string::npos) << report;
  EXPECT_EQ(report.find("Socket errors"), std::string::npos) << report;
  EXPECT_EQ(Body(port, "/a").substr(0, 9), "200 a-v6 ");
}

}  // namespace
}  // namespace edgerun::testing
