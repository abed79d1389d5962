// The bundled example config, served by the real binary: what `scripts/serve` shows a new user.
#include <gtest/gtest.h>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

class ExamplesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = EdgerunProcess::Start(EDGERUN_SOURCE_DIR "/config/edgerun.json").release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->started()) << server_->log(); }
  static EdgerunProcess* server_;
};
EdgerunProcess* ExamplesTest::server_ = nullptr;

TEST_F(ExamplesTest, HelloAnswersTheRoot) {
  auto r = Fetch(server_->port(), "GET", "/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "Hello from edgerun!\n");
  EXPECT_EQ(r->header("content-type"), "text/plain;charset=UTF-8");
  EXPECT_TRUE(r->has_header("date"));
}

TEST_F(ExamplesTest, JsonApiCrudOnOneConnection) {
  // One connection: the same thread, so the same isolate and its in-memory items.
  HttpClient c(server_->port());
  auto created = c.Request("POST", "/api/items", R"({"name":"widget"})",
                           {{"content-type", "application/json"}});
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(created->header("content-type"), "application/json");
  EXPECT_NE(created->body.find("\"name\":\"widget\""), std::string::npos);
  std::string location = created->header("location");
  ASSERT_EQ(location.rfind("/api/items/", 0), 0u) << location;

  auto one = c.Get(location);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 200);
  EXPECT_NE(one->body.find("widget"), std::string::npos);

  auto list = c.Get("/api/items");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->body.front(), '[');

  auto bad = c.Request("POST", "/api/items", "not json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(bad->body, R"({"error":"body must be JSON"})");

  auto wrong_method = c.Request("PUT", "/api/items", "{}");
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405);

  auto deleted = c.Request("DELETE", location);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
  auto gone = c.Get(location);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
}

TEST_F(ExamplesTest, GreeterUsesEnvVarsAndWaitUntil) {
  HttpClient c(server_->port());
  auto r = c.Request("GET", "/greet", "", {{"x-name", "Ada"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find(R"("greeting":"Hello, Ada!")"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find(R"("features":{"beta":true,"regions":["eu","us"]})"), std::string::npos)
      << r->body;
  EXPECT_EQ(r->header("cache-control"), "no-store");
  // The waitUntil work finishes after the response and logs under the worker's name.
  EXPECT_TRUE(server_->WaitForLog("[greeter] recorded visit #", std::chrono::seconds(5)))
      << server_->log();
}

TEST_F(ExamplesTest, ServiceWorkerFormat) {
  auto r = Fetch(server_->port(), "GET", "/sw/x");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("x-worker-format"), "service-worker");
  EXPECT_NE(r->body.find("service worker saw GET http://localhost/sw/x"), std::string::npos)
      << r->body;
}

TEST_F(ExamplesTest, AccessLogNamesTheWorker) {
  ASSERT_TRUE(Fetch(server_->port(), "GET", "/api/items?x=1"));
  EXPECT_TRUE(
      server_->WaitForLog("access [json-api] GET /api/items?x=1 200", std::chrono::seconds(5)))
      << server_->log();
}

TEST(ExampleConfig, PassesCheck) {
  CommandResult r = RunEdgerun({"check", "--config", EDGERUN_SOURCE_DIR "/config/edgerun.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok (10 workers)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace edgerun::testing
