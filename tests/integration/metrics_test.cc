// The admin listener: /metrics counts what the server did, /healthz says it serves.
#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

using namespace std::chrono_literals;

uint16_t AdminPort(const std::string& log) {
  std::smatch m;
  std::regex admin(R"(admin: http://127\.0\.0\.1:(\d+)/metrics)");
  return std::regex_search(log, m, admin) ? static_cast<uint16_t>(std::stoi(m[1])) : 0;
}

TEST(Metrics, CountsRequestsLimitsAndIsolates) {
  TempDir dir;
  dir.Write("w.js", "export default { fetch() { return new Response('ok'); } };");
  dir.Write("spin.js", "export default { fetch() { for (;;) {} } };");
  auto config = dir.Write("c.json", R"({"threads": 1, "admin": {"listen": "127.0.0.1:0"},
      "limits": {"cpu_ms": 40},
      "workers": [{"name": "w", "main": "w.js", "routes": ["*/w*"]},
                  {"name": "spin", "main": "spin.js", "routes": ["*/spin*"]}]})");
  auto server = EdgerunProcess::Start(config);
  ASSERT_TRUE(server->started()) << server->log();
  uint16_t admin = AdminPort(server->log());
  ASSERT_NE(admin, 0) << server->log();
  ASSERT_EQ(Fetch(server->port(), "GET", "/w")->status, 200);
  ASSERT_EQ(Fetch(server->port(), "GET", "/w")->status, 200);
  ASSERT_EQ(Fetch(server->port(), "GET", "/none")->status, 404);
  ASSERT_EQ(Fetch(server->port(), "GET", "/spin")->status, 503);

  auto health = Fetch(admin, "GET", "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");

  // Pool figures are published once a second: poll.
  std::string body;
  for (int i = 0; i < 50; ++i) {
    auto metrics = Fetch(admin, "GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_EQ(metrics->status, 200);
    EXPECT_EQ(metrics->header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    body = metrics->body;
    if (body.find("edgerun_limit_terminations_total{kind=\"cpu\"} 1") != std::string::npos) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(body.find("edgerun_requests_total{worker=\"w\",status=\"2xx\"} 2"), std::string::npos)
      << body;
  EXPECT_NE(body.find("edgerun_requests_total{worker=\"\",status=\"4xx\"} 1"), std::string::npos)
      << body;
  EXPECT_NE(body.find("edgerun_requests_total{worker=\"spin\",status=\"5xx\"} 1"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("edgerun_limit_terminations_total{kind=\"cpu\"} 1"), std::string::npos)
      << body;
  EXPECT_NE(body.find("edgerun_request_duration_seconds_count 4"), std::string::npos) << body;
  EXPECT_NE(body.find("edgerun_isolates_created_total 2"), std::string::npos) << body;
  EXPECT_NE(body.find("edgerun_worker_cpu_seconds_total{worker=\"spin\"} 0.0"), std::string::npos)
      << body;
  EXPECT_NE(body.find("# TYPE edgerun_request_duration_seconds histogram"), std::string::npos);

  EXPECT_EQ(Fetch(admin, "POST", "/metrics")->status, 405);
  EXPECT_EQ(Fetch(admin, "POST", "/metrics", "a body")->status, 413);  // takes no bodies
  EXPECT_EQ(Fetch(admin, "GET", "/other")->status, 404);
}

TEST(Metrics, AdminMustListenOnLoopback) {
  TempDir dir;
  dir.Write("w.js", "export default { fetch() { return new Response('ok'); } };");
  auto config = dir.Write("c.json", R"({"admin": {"listen": "0.0.0.0:9901"},
      "workers": [{"name": "w", "main": "w.js", "routes": ["*/*"]}]})");
  CommandResult r = RunEdgerun({"check", "--config", config.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("$.admin.listen: the admin endpoints are not authenticated"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace edgerun::testing
