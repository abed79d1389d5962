// The real server with test workers: isolation between workers, errors, concurrency, keep-alive,
// protocol errors and limits over real sockets, graceful shutdown.
#include <gtest/gtest.h>
#include <signal.h>

#include <future>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kConfig = R"({
  "listen": ["127.0.0.1:0", {"address": "127.0.0.1:0", "worker": "counter"}],
  "threads": 1,
  "limits": {"max_header_bytes": 4096, "max_body_bytes": 1024, "header_timeout_ms": 1000,
             "shutdown_timeout_ms": 5000, "cpu_ms": 300, "memory_mb": 48},
  "workers": [
    {"name": "counter", "main": "counter.js", "routes": ["*/counter*"]},
    {"name": "spy", "main": "spy.js", "routes": ["*/spy*"]},
    {"name": "thrower", "main": "thrower.js", "routes": ["*/throw*"]},
    {"name": "slow", "main": "slow.js", "routes": ["*/slow*"]},
    {"name": "echo", "main": "echo.js", "routes": ["*/echo*"]},
    {"name": "hog", "main": "hog.js", "routes": ["*/hog*"]},
    {"name": "broken", "main": "broken.js", "routes": ["*/broken*"]},
    {"name": "spinner", "main": "spinner.js", "routes": ["*/spin*"]},
    {"name": "wasm", "main": "wasm.js", "routes": ["*/wasm*"]}
  ]
})";

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("counter.js",
               "let count = 0;\n"
               "export default { fetch() { globalThis.secret = 'counter-only'; count++;"
               " return new Response(String(count)); } };");
    dir_.Write("spy.js",
               "export default { fetch() { return new Response(typeof globalThis.secret + ' ' +"
               " typeof globalThis.count); } };");
    dir_.Write("thrower.js", "export default { fetch() { throw new Error('kaboom'); } };");
    dir_.Write("slow.js",
               "export default { async fetch(req) {\n"
               "  const m = /ms=(\\d+)/.exec(req.url);\n"
               "  await new Promise(r => setTimeout(r, m ? Number(m[1]) : 500));\n"
               "  return new Response('slow done');\n"
               "} };\n");
    dir_.Write("echo.js",
               "export default { async fetch(req) {\n"
               "  const body = await req.text();\n"
               "  return new Response(req.method + ' ' + body.length + ' ' + body, "
               "{headers: {'x-seen-type': req.headers.get('content-type') || ''}});\n"
               "} };");
    dir_.Write("hog.js",
               "const keep = [];\n"
               "export default { fetch() { for (;;) keep.push(new Array(1e5).fill(7)); } };");
    dir_.Write("broken.js", "export default {\n  fetch( {\n};\n");
    // (module (memory (export "mem") 1)
    //   (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))
    dir_.Write(
        "wasm.js",
        "const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,6,1,96,1,127,1,127,3,2,1,0,"
        "5,3,1,0,1,7,14,2,3,109,101,109,2,0,4,103,114,111,119,0,0,10,8,1,6,0,32,0,64,0,11]);\n"
        "const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));\n"
        "export default { fetch() { return new Response(exports.grow(15) + ' ' +"
        " exports.grow(48 * 16)); } };");
    dir_.Write("spinner.js",
               "export default { fetch(req) { if (req.url.endsWith('/spin/ok'))"
               " return new Response('fine'); for (;;) {} } };");
    config_ = dir_.Write("edgerun.json", kConfig);
  }

  std::unique_ptr<EdgerunProcess> StartServer() {
    auto server = EdgerunProcess::Start(config_, {});
    EXPECT_TRUE(server->started()) << server->log();
    return server;
  }

  TempDir dir_;
  std::filesystem::path config_;
};

TEST_F(ServerTest, GlobalsPersistWithinAWorkerAndAreInvisibleToOthers) {
  auto server = StartServer();
  ASSERT_TRUE(server->started());
  HttpClient c(server->port());
  EXPECT_EQ(c.Get("/counter")->body, "1");
  EXPECT_EQ(c.Get("/counter")->body, "2");
  EXPECT_EQ(c.Get("/spy")->body, "undefined undefined");
}

TEST_F(ServerTest, KeepAliveReusesOneConnection) {
  auto server = StartServer();
  HttpClient c(server->port());
  for (int i = 1; i <= 5; ++i) {
    auto r = c.Get("/counter");
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_FALSE(r->header("connection") == "close");
  }
}

TEST_F(ServerTest, PipelinedRequestsAnswerInOrder) {
  auto server = StartServer();
  HttpClient c(server->port());
  ASSERT_TRUE(
      c.Send("GET /slow?ms=200 HTTP/1.1\r\nHost: a\r\n\r\n"
             "GET /counter HTTP/1.1\r\nHost: a\r\n\r\n"));
  auto first = c.Read();
  auto second = c.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "slow done");
  EXPECT_EQ(second->body, "1");
}

TEST_F(ServerTest, ThrownExceptionIs500WhileOtherWorkersAnswer) {
  auto server = StartServer();
  auto thrown = Fetch(server->port(), "GET", "/throw");
  ASSERT_TRUE(thrown);
  EXPECT_EQ(thrown->status, 500);
  EXPECT_EQ(thrown->body.find("kaboom"), std::string::npos) << "no error details to clients";
  auto ok = Fetch(server->port(), "GET", "/counter");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_TRUE(
      server->WaitForLog("error [thrower] Uncaught exception in fetch handler: Error: kaboom", 5s))
      << server->log();
}

TEST_F(ServerTest, SyntaxErrorWorkerAnswers500AndOthersKeepWorking) {
  auto server = StartServer();
  auto r = Fetch(server->port(), "GET", "/broken");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_TRUE(server->WaitForLog("broken.js:3:2: SyntaxError", 5s)) << server->log();
  EXPECT_EQ(Fetch(server->port(), "GET", "/counter")->status, 200);
}

TEST_F(ServerTest, MemoryHogIsStoppedAndTheProcessLives) {
  auto server = StartServer();
  auto r = Fetch(server->port(), "GET", "/hog");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_TRUE(server->WaitForLog("[hog] the worker exceeded its memory limit", 5s))
      << server->log();
  EXPECT_EQ(Fetch(server->port(), "GET", "/counter")->status, 200);
  // A fresh isolate serves the next request.
  auto again = Fetch(server->port(), "GET", "/hog");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 503);
}

TEST_F(ServerTest, EndlessLoopIsStoppedAndTheThreadServesOthers) {
  auto server = StartServer();  // "threads": 1, "cpu_ms": 300
  auto spin = std::async(std::launch::async, [&] {
    auto start = std::chrono::steady_clock::now();
    auto r = Fetch(server->port(), "GET", "/spin");
    return std::make_pair(r, std::chrono::steady_clock::now() - start);
  });
  std::this_thread::sleep_for(100ms);
  // Queued behind the spinning worker on the only thread, answered once the limit stops it.
  auto other = Fetch(server->port(), "GET", "/counter");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  auto [spun, took] = spin.get();
  ASSERT_TRUE(spun);
  EXPECT_EQ(spun->status, 503);
  EXPECT_EQ(spun->body, "The worker exceeded its CPU time limit (limits.cpu_ms = 300).\n");
  // CPU time is what counts; on a loaded machine (CI runs tests in parallel) wall time can be
  // several times it, so this only checks that the loop was stopped well before the 30 s wall
  // limit would have answered (bench/limits measures the precision: about +1 ms at p99).
  EXPECT_LT(took, std::chrono::milliseconds(5000));
  // The worker's next request is served normally (by a fresh isolate).
  auto next = Fetch(server->port(), "GET", "/spin/ok");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "fine");
  EXPECT_TRUE(server->WaitForLog("[spinner] the worker used more than 300 ms of CPU time", 5s))
      << server->log();
}

TEST_F(ServerTest, WasmMemoryCannotGrowPastTheWorkerBudget) {
  auto server = StartServer();  // "memory_mb": 48
  auto r = Fetch(server->port(), "GET", "/wasm");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "1 -1");  // to 1 MiB: fine; +48 MiB: refused, and the worker carries on
}

TEST_F(ServerTest, SlowHandlerDoesNotBlockAFastOneOnTheSameThread) {
  auto server = StartServer();  // "threads": 1
  auto slow = std::async(std::launch::async, [&] {
    auto start = std::chrono::steady_clock::now();
    auto r = Fetch(server->port(), "GET", "/slow?ms=1500");
    return std::make_pair(r, std::chrono::steady_clock::now() - start);
  });
  std::this_thread::sleep_for(200ms);
  auto start = std::chrono::steady_clock::now();
  auto fast = Fetch(server->port(), "GET", "/counter");
  auto fast_took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->status, 200);
  auto [slow_result, slow_took] = slow.get();
  ASSERT_TRUE(slow_result);
  EXPECT_EQ(slow_result->body, "slow done");
  // The fast request finished while the slow one was still waiting on its timer.
  EXPECT_LT(fast_took, slow_took - 500ms);
}

TEST_F(ServerTest, UnroutedPathIs404) {
  auto server = StartServer();
  auto r = Fetch(server->port(), "GET", "/nothing-here");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->header("content-type"), "text/plain; charset=utf-8");
}

TEST_F(ServerTest, ListenerBoundToAWorkerIgnoresRoutes) {
  auto server = StartServer();
  ASSERT_EQ(server->port(1) != 0, true);
  auto r = Fetch(server->port(1), "GET", "/spy");  // routed to spy elsewhere, counter here
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "1");
}

TEST_F(ServerTest, RequestBodiesContentLengthAndChunked) {
  auto server = StartServer();
  auto sized = Fetch(server->port(), "POST", "/echo", "hello", {{"content-type", "text/x-a"}});
  ASSERT_TRUE(sized);
  EXPECT_EQ(sized->body, "POST 5 hello");
  EXPECT_EQ(sized->header("x-seen-type"), "text/x-a");
  HttpClient c(server->port());
  ASSERT_TRUE(
      c.Send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
             "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"));
  auto chunked = c.Read();
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->body, "POST 7 abcdefg");
}

TEST_F(ServerTest, HeadHasLengthButNoBody) {
  auto server = StartServer();
  HttpClient c(server->port());
  auto r = c.Request("HEAD", "/counter");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-length"), "1");
  // The next response on the connection parses cleanly: no stray body bytes were sent.
  auto next = c.Get("/counter");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "2");
}

TEST_F(ServerTest, MalformedRequestIs400AndCloses) {
  auto server = StartServer();
  HttpClient c(server->port());
  ASSERT_TRUE(c.Send(
      "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(c.ServerClosed());
  HttpClient garbage(server->port());
  ASSERT_TRUE(garbage.Send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)));
  auto r2 = garbage.Read();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 400);
  // Still serving.
  EXPECT_EQ(Fetch(server->port(), "GET", "/counter")->status, 200);
}

TEST_F(ServerTest, OversizedBodyIs413AndHugeHeadersAre431) {
  auto server = StartServer();
  auto big = Fetch(server->port(), "POST", "/echo", std::string(2000, 'x'));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  auto huge = Fetch(server->port(), "GET", "/counter", "", {{"x-big", std::string(8000, 'h')}});
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 431);
}

TEST_F(ServerTest, IncompleteHeadersTimeOutWith408) {
  auto server = StartServer();  // header_timeout_ms: 1000
  HttpClient c(server->port());
  ASSERT_TRUE(c.Send("GET /counter HTTP/1.1\r\nHost: a\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_TRUE(c.ServerClosed());
}

TEST_F(ServerTest, GracefulShutdownFinishesInFlightRequests) {
  auto server = StartServer();
  HttpClient c(server->port());
  ASSERT_TRUE(c.Send("GET /slow?ms=800 HTTP/1.1\r\nHost: a\r\n\r\n"));
  std::this_thread::sleep_for(200ms);
  server->Signal(SIGTERM);
  auto r = c.Read();
  ASSERT_TRUE(r) << server->log();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "slow done");
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_EQ(server->WaitExit(10s), 0) << server->log();
  EXPECT_NE(server->log().find("received SIGTERM"), std::string::npos);
}

TEST_F(ServerTest, SecondSignalStopsAtOnce) {
  auto server = StartServer();
  HttpClient c(server->port());
  ASSERT_TRUE(c.Send("GET /slow?ms=20000 HTTP/1.1\r\nHost: a\r\n\r\n"));
  std::this_thread::sleep_for(200ms);
  server->Signal(SIGINT);
  std::this_thread::sleep_for(100ms);
  server->Signal(SIGINT);
  EXPECT_EQ(server->WaitExit(5s), 0) << server->log();
}

TEST_F(ServerTest, PortInUseIsAClearError) {
  auto first = StartServer();
  std::string taken = "127.0.0.1:" + std::to_string(first->port());
  auto second = EdgerunProcess::Start(config_, {"--listen", taken});
  EXPECT_FALSE(second->started());
  EXPECT_EQ(second->WaitExit(5s), 1);
  EXPECT_NE(second->log().find(taken + ": cannot listen: Address already in use"),
            std::string::npos)
      << second->log();
}

}  // namespace
}  // namespace edgerun::testing

namespace edgerun::testing {
namespace {

TEST(ServerLimits, ConnectionsPastMaxConnectionsGet503) {
  TempDir dir;
  dir.Write("w.js", "export default { fetch() { return new Response('ok'); } };");
  auto config = dir.Write("c.json", R"({"threads": 1, "limits": {"max_connections": 2},
      "workers": [{"name": "w", "main": "w.js", "routes": ["*/*"]}]})");
  auto server = EdgerunProcess::Start(config);
  ASSERT_TRUE(server->started()) << server->log();
  auto first = std::make_unique<HttpClient>(server->port());
  HttpClient second(server->port());
  ASSERT_EQ(first->Get("/")->status, 200);
  ASSERT_EQ(second.Get("/")->status, 200);
  auto third = std::make_unique<HttpClient>(server->port());
  auto rejected = third->Read();
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 503);
  EXPECT_TRUE(third->ServerClosed());
  EXPECT_TRUE(server->WaitForLog("connection limit reached", std::chrono::seconds(5)));
  // Once clients hang up, their places are free again.
  third.reset();
  first.reset();
  std::optional<HttpResult> again;
  for (int i = 0; i < 100; ++i) {
    again = Fetch(server->port(), "GET", "/");
    if (again && again->status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

}  // namespace
}  // namespace edgerun::testing
