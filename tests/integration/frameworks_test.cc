// Hono and itty-router apps from npm (examples/hono, examples/itty-router), bundled at build time
// and served unchanged from the example config: every route, as the frameworks document them.
#include <gtest/gtest.h>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

class FrameworksTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One thread: every connection reaches the same isolate, so in-memory state is shared.
    server_ = EdgerunProcess::Start(EDGERUN_SOURCE_DIR "/config/edgerun.json",
                                    {"--listen", "127.0.0.1:0", "--threads", "1"})
                  .release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->started()) << server_->log(); }
  static EdgerunProcess* server_;
};
EdgerunProcess* FrameworksTest::server_ = nullptr;

// ---- Hono ----

TEST_F(FrameworksTest, HonoRootAndLoggerMiddleware) {
  auto r = Fetch(server_->port(), "GET", "/hono");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body, "Hello from Hono on edgerun!");
  EXPECT_EQ(r->header("content-type"), "text/plain;charset=UTF-8");
  // hono/logger prints "--> GET /hono 200 <time>" through console.log.
  EXPECT_TRUE(server_->WaitForLog("--> GET /hono \x1b[32m200\x1b[0m", std::chrono::seconds(5)) ||
              server_->WaitForLog("--> GET /hono 200", std::chrono::seconds(1)))
      << server_->log();
}

TEST_F(FrameworksTest, HonoJsonCrudWithParams) {
  HttpClient c(server_->port());
  auto list = c.Get("/hono/api/books");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);
  EXPECT_EQ(list->header("content-type"), "application/json");
  EXPECT_NE(list->body.find(R"({"id":"1","title":"The Pragmatic Programmer"})"), std::string::npos)
      << list->body;

  auto created = c.Request("POST", "/hono/api/books", R"({"title":"SICP"})",
                           {{"content-type", "application/json"}});
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  const std::string id = created->body.substr(created->body.find("\"id\":\"") + 6, 1);
  EXPECT_EQ(created->header("location"), "/hono/api/books/" + id);
  auto one = c.Get("/hono/api/books/" + id);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->body, R"({"id":")" + id + R"(","title":"SICP"})");

  auto bad =
      c.Request("POST", "/hono/api/books", "not json", {{"content-type", "application/json"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);

  auto gone = c.Request("DELETE", "/hono/api/books/" + id);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 204);
  auto missing = c.Get("/hono/api/books/" + id);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, R"({"error":"not found"})");
}

TEST_F(FrameworksTest, HonoRegexParamsAndQuery) {
  auto r = Fetch(server_->port(), "GET", "/hono/users/ada/posts/42?sort=old");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"user":"ada","post":42,"sort":"old"})");
  auto not_numeric = Fetch(server_->port(), "GET", "/hono/users/ada/posts/abc");
  ASSERT_TRUE(not_numeric);
  EXPECT_EQ(not_numeric->status, 404);
}

TEST_F(FrameworksTest, HonoCors) {
  auto preflight =
      Fetch(server_->port(), "OPTIONS", "/hono/api/books", "",
            {{"origin", "https://app.example"}, {"access-control-request-method", "POST"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_EQ(preflight->header("access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(preflight->header("access-control-allow-methods"), "GET,POST,DELETE");
  auto simple =
      Fetch(server_->port(), "GET", "/hono/api/books", "", {{"origin", "https://evil.example"}});
  ASSERT_TRUE(simple);
  EXPECT_FALSE(simple->has_header("access-control-allow-origin"));
}

TEST_F(FrameworksTest, HonoEtagGivesNotModified) {
  auto first = Fetch(server_->port(), "GET", "/hono/etag/doc");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200) << first->body;
  const std::string tag = first->header("etag");
  ASSERT_EQ(tag.size(), 42u) << tag;  // a quoted SHA-1 in hex
  auto again = Fetch(server_->port(), "GET", "/hono/etag/doc", "", {{"if-none-match", tag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_EQ(again->body, "");
}

TEST_F(FrameworksTest, HonoBasicAuth) {
  auto anonymous = Fetch(server_->port(), "GET", "/hono/admin/stats");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->header("www-authenticate"), "Basic realm=\"Secure Area\"");
  auto wrong = Fetch(server_->port(), "GET", "/hono/admin/stats", "",
                     {{"authorization", "Basic YWRtaW46d3Jvbmc="}});  // admin:wrong
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto right = Fetch(server_->port(), "GET", "/hono/admin/stats", "",
                     {{"authorization", "Basic YWRtaW46c2VjcmV0"}});  // admin:secret
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200);
  EXPECT_NE(right->body.find("\"books\":"), std::string::npos);
}

TEST_F(FrameworksTest, HonoCookies) {
  auto set = Fetch(server_->port(), "GET", "/hono/cookies/set");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->header("set-cookie"), "session=abc123; Path=/; HttpOnly; SameSite=Lax");
  auto get = Fetch(server_->port(), "GET", "/hono/cookies/get", "",
                   {{"cookie", "theme=dark; session=abc123"}});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->body, "session=abc123");
  auto none = Fetch(server_->port(), "GET", "/hono/cookies/get");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->body, "session=(none)");
  auto clear =
      Fetch(server_->port(), "GET", "/hono/cookies/clear", "", {{"cookie", "session=abc123"}});
  ASSERT_TRUE(clear);
  EXPECT_NE(clear->header("set-cookie").find("Max-Age=0"), std::string::npos)
      << clear->header("set-cookie");
}

TEST_F(FrameworksTest, HonoNotFoundAndErrors) {
  auto missing = Fetch(server_->port(), "GET", "/hono/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, R"({"error":"no such route","path":"/hono/nope"})");
  auto teapot = Fetch(server_->port(), "GET", "/hono/teapot");
  ASSERT_TRUE(teapot);
  EXPECT_EQ(teapot->status, 418);
  EXPECT_EQ(teapot->body, "I am a teapot");
  auto boom = Fetch(server_->port(), "GET", "/hono/boom");
  ASSERT_TRUE(boom);
  EXPECT_EQ(boom->status, 500);
  EXPECT_EQ(boom->body, R"({"error":"internal error","message":"something broke"})");
  EXPECT_TRUE(server_->WaitForLog("[hono] hono: something broke", std::chrono::seconds(5)));
}

// ---- itty-router ----

TEST_F(FrameworksTest, IttyRootAndTodos) {
  HttpClient c(server_->port());
  auto root = c.Get("/itty");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 200) << root->body;
  EXPECT_EQ(root->body, R"("Hello from itty-router on edgerun!")");  // AutoRouter formats JSON

  auto created = c.Request("POST", "/itty/todos", R"({"text":"ship it"})",
                           {{"content-type", "application/json"}});
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(created->header("content-type"), "application/json; charset=utf-8");
  const std::string id = created->body.substr(created->body.find("\"id\":\"") + 6, 1);
  auto one = c.Get("/itty/todos/" + id);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->body, R"({"id":")" + id + R"(","text":"ship it","done":false})");
  auto all = c.Get("/itty/todos");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->body.front(), '[');
  auto bad = c.Request("POST", "/itty/todos", "{}", {{"content-type", "application/json"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(bad->body, R"({"status":400,"error":"expected {\"text\": string}"})");
  auto deleted = c.Request("DELETE", "/itty/todos/" + id);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
  auto missing = c.Get("/itty/todos/" + id);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, R"({"status":404,"error":"todo not found"})");
}

TEST_F(FrameworksTest, IttyQueryWildcardNotFoundAndErrors) {
  auto search = Fetch(server_->port(), "GET", "/itty/search?q=edge%20runtime&page=3");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->body, R"({"q":"edge runtime","page":3})");
  auto files = Fetch(server_->port(), "GET", "/itty/files/docs/readme.md");
  ASSERT_TRUE(files);
  EXPECT_EQ(files->body, R"({"path":"docs/readme.md"})");
  auto missing = Fetch(server_->port(), "GET", "/itty/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, R"({"status":404,"error":"Not Found"})");
  auto thrown = Fetch(server_->port(), "GET", "/itty/throw");
  ASSERT_TRUE(thrown);
  EXPECT_EQ(thrown->status, 500);
  EXPECT_EQ(thrown->body, R"({"status":500,"error":"itty handler failed"})");
}

}  // namespace
}  // namespace edgerun::testing
