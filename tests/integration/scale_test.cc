// Many tenants: a config with thousands of workers starts without creating isolates and serves
// any of them on demand; a small pool budget evicts idle tenants and re-creates them
// transparently.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

TEST(Scale, FiveThousandWorkersStartFastAndServeOnDemand) {
  TempDir dir;
  std::string workers;
  for (int i = 0; i < 5000; ++i) {
    std::string name = "w" + std::to_string(i);
    dir.Write("workers/" + name + ".js",
              "export default { fetch() { return new Response('" + name + "'); } };");
    workers += std::string(i ? "," : "") + R"({"name": ")" + name + R"(", "main": "workers/)" +
               name + R"(.js", "routes": [")" + name + R"(.test/*"]})";
  }
  auto config = dir.Write("c.json", R"({"threads": 1, "isolates": {"spares": 1},
      "workers": [)" + workers + "]}");
  auto start = std::chrono::steady_clock::now();
  auto server = EdgerunProcess::Start(config);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(server->started()) << server->log();
  // Process start to "ready" (generous for a loaded CI machine; bench/ measures it properly).
  EXPECT_LT(took, std::chrono::seconds(3));
  for (const char* name : {"w0", "w2500", "w4999"}) {
    auto r = Fetch(server->port(), "GET", "/", "", {{"Host", std::string(name) + ".test"}});
    ASSERT_TRUE(r) << name;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, name);
  }
}

TEST(Scale, EvictedTenantsComeBackWithFreshState) {
  TempDir dir;
  for (const char* name : {"a", "b", "c"}) {
    dir.Write(std::string(name) + ".js",
              std::string("let n = 0;\nexport default { fetch() { n++; return new Response('") +
                  name + " ' + n); } };");
  }
  auto config = dir.Write("c.json", R"({"threads": 1, "isolates": {"max_per_thread": 2},
      "workers": [{"name": "a", "main": "a.js", "routes": ["*/a"]},
                  {"name": "b", "main": "b.js", "routes": ["*/b"]},
                  {"name": "c", "main": "c.js", "routes": ["*/c"]}]})");
  auto server = EdgerunProcess::Start(config, {"--listen", "127.0.0.1:0", "--log-level", "debug"});
  ASSERT_TRUE(server->started()) << server->log();
  uint16_t port = server->port();
  EXPECT_EQ(Fetch(port, "GET", "/a")->body, "a 1");
  EXPECT_EQ(Fetch(port, "GET", "/a")->body, "a 2");
  EXPECT_EQ(Fetch(port, "GET", "/b")->body, "b 1");
  EXPECT_EQ(Fetch(port, "GET", "/c")->body, "c 1");  // evicts a, the least recently used
  EXPECT_TRUE(server->WaitForLog("[a] evicted (least recently used)", std::chrono::seconds(5)))
      << server->log();
  EXPECT_EQ(Fetch(port, "GET", "/a")->body, "a 1");  // re-created: its state starts over
}

}  // namespace
}  // namespace edgerun::testing
