// A worker's life in one isolate: loading (modules, service worker, errors), dispatch, async
// handlers, globals across requests, errors becoming 500s with a log line.
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& h : r.headers) {
    if (h.name == name) return h.value;
  }
  return "<none>";
}

isolates::TenantLimits Limits(size_t heap_mb, uint64_t cpu_ms, uint64_t startup_cpu_ms = 1000) {
  isolates::TenantLimits limits;
  limits.heap_limit_mb = heap_mb;
  limits.cpu_ms = cpu_ms;
  limits.startup_cpu_ms = startup_cpu_ms;
  return limits;
}

TEST(Tenant, ModuleWorkerAnswers) {
  TestWorker w(Files{{"index.js",
                      "export default { fetch(request, env, ctx) {\n"
                      "  return new Response('hello ' + request.method + ' ' + request.url);\n"
                      "} };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/x?y=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello GET http://example.com/x?y=1");
  EXPECT_EQ(HeaderOf(*r, "content-type"), "text/plain;charset=UTF-8");
}

TEST(Tenant, AsyncHandlerWaitingOnTimerCompletes) {
  TestWorker w(Files{{"index.js",
                      "export default { async fetch() {\n"
                      "  await new Promise(r => setTimeout(r, 20));\n"
                      "  return Response.json({ok: true}, {status: 201});\n"
                      "} };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "{\"ok\":true}");
  EXPECT_EQ(HeaderOf(*r, "content-type"), "application/json");
}

TEST(Tenant, GlobalsPersistAcrossRequests) {
  TestWorker w(Files{{"index.js",
                      "let n = 0;\n"
                      "export default { fetch() { n++; globalThis.g = (globalThis.g || 0) + 1;"
                      " return new Response(n + ',' + g); } };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "1,1");
  EXPECT_EQ(w.Get("/")->body, "2,2");
}

TEST(Tenant, ServiceWorkerScript) {
  TestWorker w(Files{{"sw.js",
                      "addEventListener('fetch', event => {\n"
                      "  event.respondWith(new Response('sw ' + event.request.method));\n"
                      "});"}},
               "sw.js");
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "sw GET");
}

TEST(Tenant, RelativeImportsAndDynamicImport) {
  TestWorker w(Files{
      {"index.js",
       "import { greet } from './lib/greet.js';\n"
       "export default { async fetch() {\n"
       "  const m = await import('./lib/late.js');\n"
       "  return new Response(greet('x') + m.value + ' ' + import.meta.url.endsWith('index.js'));\n"
       "} };"},
      {"lib/greet.js", "export function greet(n) { return 'hi ' + n; }"},
      {"lib/late.js", "export const value = '!';"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "hi x! true");
}

TEST(Tenant, SyntaxErrorReportsFileLineColumn) {
  TestWorker w(Files{{"index.js", "export default {\n  fetch() { return 1 +; }\n};\n"}});
  EXPECT_FALSE(w.started());
  EXPECT_NE(w.start_error().find("index.js:2:"), std::string::npos) << w.start_error();
  EXPECT_NE(w.start_error().find("SyntaxError"), std::string::npos) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
}

TEST(Tenant, SyntaxErrorInImportedFileNamesThatFile) {
  TestWorker w(Files{{"index.js", "import './b.js';\nexport default { fetch() {} };"},
                     {"b.js", "\n\nlet = = 2;"}});
  EXPECT_FALSE(w.started());
  EXPECT_NE(w.start_error().find("b.js:3:"), std::string::npos) << w.start_error();
}

TEST(Tenant, ImportOutsideWorkerDirectoryIsRefused) {
  TestWorker w(Files{{"index.js", "import '../../etc/passwd';\nexport default { fetch() {} };"}});
  EXPECT_FALSE(w.started());
  EXPECT_NE(w.start_error().find("outside the worker's directory"), std::string::npos)
      << w.start_error();
}

TEST(Tenant, BareSpecifierExplainsBundling) {
  TestWorker w(Files{{"index.js", "import { Hono } from 'hono';\nexport default { fetch() {} };"}});
  EXPECT_FALSE(w.started());
  EXPECT_NE(w.start_error().find("bundler"), std::string::npos) << w.start_error();
}

TEST(Tenant, MissingFetchHandlerIsAStartError) {
  TestWorker w(Files{{"index.js", "export default { hello() {} };"}});
  EXPECT_FALSE(w.started());
  EXPECT_NE(w.start_error().find("fetch"), std::string::npos) << w.start_error();
}

TEST(Tenant, ThrowingHandlerGives500AndLogsStack) {
  TestWorker w(Files{{"index.js", "export default { fetch() { throw new Error('boom'); } };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  std::string log = w.log().All();
  EXPECT_NE(log.find("Error: boom"), std::string::npos) << log;
  EXPECT_NE(log.find("index.js:1:"), std::string::npos) << log;
  // The isolate keeps serving.
  EXPECT_EQ(w.Get("/")->status, 500);
}

TEST(Tenant, RejectedPromiseGives500) {
  TestWorker w(
      Files{{"index.js",
             "export default { async fetch() { await null; throw new TypeError('late'); } };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->status, 500);
  EXPECT_NE(w.log().All().find("TypeError: late"), std::string::npos) << w.log().All();
  // Not also reported as an unhandled rejection.
  EXPECT_EQ(w.log().All().find("Uncaught (in promise)"), std::string::npos) << w.log().All();
}

TEST(Tenant, NonResponseReturnGives500WithExplanation) {
  TestWorker w(Files{{"index.js", "export default { fetch() { return 'text'; } };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->status, 500);
  EXPECT_NE(w.log().All().find("must return a Response"), std::string::npos) << w.log().All();
}

TEST(Tenant, UnhandledRejectionIsLogged) {
  TestWorker w(Files{{"index.js",
                      "export default { fetch() { Promise.reject(new Error('lost')); "
                      "return new Response('ok'); } };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->status, 200);
  EXPECT_NE(w.log().All().find("Uncaught (in promise) Error: lost"), std::string::npos)
      << w.log().All();
}

TEST(Tenant, ConsoleGoesToLogWithFormatting) {
  TestWorker w(Files{{"index.js",
                      "export default { fetch() { console.log('n=%d', 42, {a: [1, 'x']});"
                      " console.error(new Error('e1')); return new Response(''); } };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  w.Get("/");
  ASSERT_GE(w.log().lines.size(), 2u);
  EXPECT_EQ(w.log().lines[0].message, "n=42 { a: [ 1, 'x' ] }");
  EXPECT_EQ(w.log().lines[0].level, bindings::LogLevel::kInfo);
  EXPECT_EQ(w.log().lines[0].worker, "test");
  EXPECT_EQ(w.log().lines[1].level, bindings::LogLevel::kError);
  EXPECT_NE(w.log().lines[1].message.find("Error: e1"), std::string::npos);
}

TEST(Tenant, WaitUntilRunsAfterResponse) {
  TestWorker w(Files{{"index.js",
                      "let done = 0;\n"
                      "export default { fetch(req, env, ctx) {\n"
                      "  if (req.url.endsWith('/check')) return new Response(String(done));\n"
                      "  ctx.waitUntil(new Promise(r => setTimeout(() => { done++; r(); }, 30)));\n"
                      "  return new Response('sent');\n"
                      "} };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "sent");
  EXPECT_EQ(w.tenant().busy(), 1u);
  w.RunUntil([&] { return w.tenant().busy() == 0; }, 2000);
  EXPECT_EQ(w.Get("/check")->body, "1");
}

TEST(Tenant, EnvVarsStringsAndJson) {
  TestWorker w(Files{{"index.js",
                      "export default { fetch(req, env) { return new Response(env.NAME + ' ' + "
                      "env.CONF.n + ' ' + typeof env.CONF); } };"}},
               "index.js", isolates::ScriptFormat::kAuto,
               {{"NAME", isolates::EnvBinding::Kind::kString, "edge"},
                {"CONF", isolates::EnvBinding::Kind::kJson, "{\"n\":5}"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "edge 5 object");
}

TEST(Tenant, RequestBodyReaders) {
  TestWorker w(Files{{"index.js",
                      "export default { async fetch(req) {\n"
                      "  const c = req.clone();\n"
                      "  const j = await req.json();\n"
                      "  const b = new Uint8Array(await c.arrayBuffer());\n"
                      "  return new Response(j.a + ' ' + b.length + ' ' + req.bodyUsed);\n"
                      "} };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  HttpRequest request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = "{\"a\":\"\xc3\xa9\"}";
  auto r = w.Fetch(std::move(request));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "\xc3\xa9 10 true");
}

TEST(Tenant, OutOfMemoryIsContained) {
  TestWorker w(
      Files{{"index.js",
             "const keep = [];\n"
             "export default { fetch() { for (;;) keep.push(new Array(1e5).fill(1)); } };"}},
      "index.js", isolates::ScriptFormat::kAuto, {}, Limits(32, 30000));
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_TRUE(w.retired());
  EXPECT_NE(w.log().All().find("memory limit"), std::string::npos) << w.log().All();
}

TEST(Tenant, EndlessLoopInHandlerIsStoppedByTheCpuLimit) {
  TestWorker w(Files{{"index.js",
                      "export default { fetch(req) { if (req.url.endsWith('/ok')) return new "
                      "Response('ok'); for (;;) {} } };"}},
               "index.js", isolates::ScriptFormat::kAuto, {}, Limits(128, 30));
  ASSERT_TRUE(w.started()) << w.start_error();
  auto start = std::chrono::steady_clock::now();
  auto r = w.Get("/loop");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->body, "The worker exceeded its CPU time limit (limits.cpu_ms = 30).\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(w.retired());
  EXPECT_NE(w.log().All().find("more than 30 ms of CPU time"), std::string::npos) << w.log().All();
}

TEST(Tenant, EndlessLoopInTimerIsStoppedAndPendingRequestsAnswered) {
  TestWorker w(Files{{"index.js",
                      "export default { fetch() {\n"
                      "  setTimeout(() => { for (;;) {} }, 1);\n"
                      "  return new Promise(() => {});\n"  // never answers by itself
                      "} };"}},
               "index.js", isolates::ScriptFormat::kAuto, {}, Limits(128, 30));
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_TRUE(w.retired());
}

TEST(Tenant, EndlessLoopAtTopLevelFailsTheStart) {
  TestWorker w(Files{{"index.js", "for (;;) {}\nexport default { fetch() {} };"}}, "index.js",
               isolates::ScriptFormat::kAuto, {}, Limits(128, 30, 100));
  EXPECT_FALSE(w.started());
  EXPECT_NE(w.start_error().find("more than 100 ms of CPU time while loading"), std::string::npos)
      << w.start_error();
}

TEST(Tenant, WaitingOnTimersUsesNoCpuBudget) {
  TestWorker w(Files{{"index.js",
                      "export default { async fetch() {\n"
                      "  await new Promise(r => setTimeout(r, 200));\n"
                      "  return new Response('patient');\n"
                      "} };"}},
               "index.js", isolates::ScriptFormat::kAuto, {}, Limits(128, 30));
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "patient");
}

isolates::TenantLimits LimitsWithTimes(uint64_t cpu_ms, uint64_t wall_ms, uint64_t wait_until_ms) {
  isolates::TenantLimits limits;
  limits.cpu_ms = cpu_ms;
  limits.wall_ms = wall_ms;
  limits.wait_until_ms = wait_until_ms;
  return limits;
}

TEST(Tenant, CpuIsChargedAcrossEveryRunOfARequest) {
  // Each run of JS stays under the 60 ms budget; together they exceed it. The runs are a fixed
  // amount of work (about 20-30 ms of CPU each before the loop is optimized, ~8 ms after), not
  // wall-clock spins: on a loaded machine a wall-clock spin gets only a fraction of a core and
  // may never add up to the budget. 20 runs exceed it even once optimized.
  TestWorker w(Files{{"index.js",
                      "let sink = 0;\n"
                      "function work() { let x = 0; for (let i = 0; i < 3e7; i++) x = (x + i) | 0; "
                      "sink = x; }\n"
                      "export default { async fetch() {\n"
                      "  for (let i = 0; i < 20; i++) {\n"
                      "    work();\n"
                      "    await new Promise(r => setTimeout(r, 5));\n"
                      "  }\n"
                      "  return new Response('finished');\n"
                      "} };"}},
               "index.js", isolates::ScriptFormat::kAuto, {}, LimitsWithTimes(60, 30000, 30000));
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503) << r->body;
  EXPECT_NE(r->body.find("limits.cpu_ms = 60"), std::string::npos) << r->body;
}

TEST(Tenant, RequestsDoNotShareACpuBudget) {
  // 20 ms per request, many requests: each has its own 60 ms.
  TestWorker w(
      Files{{"index.js",
             "function spin(ms) { const end = Date.now() + ms; while (Date.now() < end) {} }\n"
             "export default { fetch() { spin(20); return new Response('ok'); } };"}},
      "index.js", isolates::ScriptFormat::kAuto, {}, LimitsWithTimes(60, 30000, 30000));
  ASSERT_TRUE(w.started()) << w.start_error();
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(w.Get("/")->status, 200) << i;
  // Charged, though how much CPU a 20 ms wall-clock spin gets depends on the machine's load.
  EXPECT_GT(w.tenant().cpu_ns(), 0u);
}

TEST(Tenant, NoAnswerWithinWallLimitIs504) {
  TestWorker w(Files{{"index.js", "export default { fetch() { return new Promise(() => {}); } };"}},
               "index.js", isolates::ScriptFormat::kAuto, {}, LimitsWithTimes(50, 150, 30000));
  ASSERT_TRUE(w.started()) << w.start_error();
  auto start = std::chrono::steady_clock::now();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 504);
  EXPECT_NE(r->body.find("limits.wall_ms = 150"), std::string::npos) << r->body;
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(140));
  EXPECT_EQ(w.tenant().busy(), 0u);
  // The isolate is fine: nothing was running.
  EXPECT_FALSE(w.retired());
}

TEST(Tenant, WaitUntilWorkIsAbandonedAfterTheGracePeriod) {
  TestWorker w(Files{{"index.js",
                      "export default { fetch(req, env, ctx) {\n"
                      "  ctx.waitUntil(new Promise(() => {}));\n"
                      "  return new Response('sent');\n"
                      "} };"}},
               "index.js", isolates::ScriptFormat::kAuto, {}, LimitsWithTimes(50, 30000, 100));
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "sent");
  EXPECT_EQ(w.tenant().busy(), 1u);
  w.RunUntil([&] { return w.tenant().busy() == 0; }, 2000);
  EXPECT_EQ(w.tenant().busy(), 0u);
  EXPECT_NE(w.log().All().find("waitUntil() work still pending 100 ms after the answer"),
            std::string::npos)
      << w.log().All();
}

TEST(Tenant, TimersEndWithTheirRequest) {
  TestWorker w(Files{{"index.js",
                      "export default { fetch(req) {\n"
                      "  setTimeout(() => console.log('too late'), 30);\n"
                      "  return new Response('done');\n"
                      "} };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "done");
  bool never = false;
  w.RunUntil([&] { return never; }, 100);
  EXPECT_EQ(w.log().All().find("too late"), std::string::npos) << w.log().All();
}

TEST(Tenant, ArrayBufferMemoryHasABudget) {
  TestWorker w(
      Files{{"index.js",
             "export default { fetch() {\n"
             "  try { new ArrayBuffer(64 * 1024 * 1024); return new Response('allocated'); }\n"
             "  catch (e) { return new Response(e.name); }\n"
             "} };"}},
      "index.js", isolates::ScriptFormat::kAuto, {}, Limits(32, 1000));
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "RangeError");
}

TEST(Tenant, WasmMemoryCannotGrowPastTheBudget) {
  isolates::V8Platform::Initialize();
  isolates::V8Platform::SetWasmMemoryLimit(32);
  // (module (memory (export "mem") 1)
  //   (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))
  TestWorker w(
      Files{{"index.js",
             "const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,6,1,96,1,127,1,127,3,2,"
             "1,0,5,3,1,0,1,7,14,2,3,109,101,109,2,0,4,103,114,111,119,0,0,10,8,1,6,0,32,0,"
             "64,0,11]);\n"
             "export default { fetch() {\n"
             "  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));\n"
             "  const small = exports.grow(15);\n"     // to 1 MiB: fine
             "  const big = exports.grow(16 * 64);\n"  // +64 MiB: past 32 MiB
             "  let js;\n"
             "  try { new WebAssembly.Memory({initial: 1024}); js = 'allocated'; }\n"
             "  catch (e) { js = e.name; }\n"
             "  return new Response(small + ' ' + big + ' ' + js);\n"
             "} };"}},
      "index.js", isolates::ScriptFormat::kAuto, {}, Limits(32, 1000));
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "1 -1 RangeError");
  isolates::V8Platform::SetWasmMemoryLimit(128);
}

}  // namespace
}  // namespace edgerun::testing
