// WebAssembly modules bound to workers, end to end: the real binary, real HTTP, the test
// fixture tests/wasm/math.wasm (add, fib), `edgerun check`, /metrics and the process-wide cache.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

using namespace std::chrono_literals;

std::string MathWasm() {
  std::ifstream in(EDGERUN_TEST_WASM_DIR "/math.wasm", std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

uint16_t AdminPort(const std::string& log) {
  std::smatch m;
  std::regex admin(R"(admin: http://127\.0\.0\.1:(\d+)/metrics)");
  return std::regex_search(log, m, admin) ? static_cast<uint16_t>(std::stoi(m[1])) : 0;
}

uint64_t Counter(const std::string& metrics, const std::string& name) {
  std::smatch m;
  std::regex line("(^|\\n)" + name + " (\\d+)");
  return std::regex_search(metrics, m, line) ? std::stoull(m[2]) : ~uint64_t{0};
}

constexpr const char* kModuleWorker = R"(
export default {
  fetch(request, env) {
    const { exports } = new WebAssembly.Instance(env.MATH, {});
    const n = Number(new URL(request.url).searchParams.get('n') ?? 10);
    return new Response(`${exports.add(n, 1)} ${exports.fib(n)}`);
  }
};
)";

TEST(WasmModules, EnvBindingImportAndServiceWorkerGlobalOverHttp) {
  TempDir dir;
  dir.Write("wasm/math.wasm", MathWasm());
  dir.Write("env.js", kModuleWorker);
  dir.Write("imp.js", R"(
import math from './wasm/math.wasm';
export default {
  async fetch() {
    const instance = await WebAssembly.instantiate(math);
    return new Response(String(instance.exports.fib(90)));
  }
};
)");
  dir.Write("sw.js", R"(
addEventListener('fetch', event => {
  event.respondWith(new Response(String(new WebAssembly.Instance(MATH).exports.add(40, 2))));
});
)");
  auto config = dir.Write("c.json", R"({"threads": 1, "workers": [
      {"name": "env", "main": "env.js", "routes": ["*/env*"],
       "wasm_modules": {"MATH": "wasm/math.wasm"}},
      {"name": "imp", "main": "imp.js", "routes": ["*/imp*"]},
      {"name": "sw", "main": "sw.js", "routes": ["*/sw*"], "format": "service-worker",
       "wasm_modules": {"MATH": "wasm/math.wasm"}}]})");
  auto server = EdgerunProcess::Start(config);
  ASSERT_TRUE(server->started()) << server->log();
  auto env = Fetch(server->port(), "GET", "/env?n=50");
  ASSERT_TRUE(env);
  EXPECT_EQ(env->status, 200) << server->log();
  EXPECT_EQ(env->body, "51 12586269025");
  auto imp = Fetch(server->port(), "GET", "/imp");
  ASSERT_TRUE(imp);
  EXPECT_EQ(imp->body, "2880067194370816120");
  auto sw = Fetch(server->port(), "GET", "/sw");
  ASSERT_TRUE(sw);
  EXPECT_EQ(sw->body, "42");
}

TEST(WasmModules, RuntimeCompileCanBeTurnedOffPerWorker) {
  TempDir dir;
  dir.Write("math.wasm", MathWasm());
  std::string bytes = MathWasm();
  std::string list;
  for (unsigned char c : bytes)
    list += std::to_string(c) + ",";
  dir.Write("w.js", "const bytes = new Uint8Array([" + list + R"(]);
export default {
  async fetch(request, env) {
    let runtime;
    try { await WebAssembly.instantiate(bytes); runtime = 'compiled'; }
    catch (e) { runtime = e.name; }
    const bound = new WebAssembly.Instance(env.MATH).exports.add(2, 2);
    return new Response(`${runtime} ${bound}`);
  }
};
)");
  auto config = dir.Write("c.json", R"({"threads": 1, "workers": [
      {"name": "open", "main": "w.js", "routes": ["*/open*"], "wasm_modules": {"MATH": "math.wasm"}},
      {"name": "closed", "main": "w.js", "routes": ["*/closed*"],
       "wasm_modules": {"MATH": "math.wasm"}, "wasm_runtime_compile": false}]})");
  auto server = EdgerunProcess::Start(config);
  ASSERT_TRUE(server->started()) << server->log();
  EXPECT_EQ(Fetch(server->port(), "GET", "/open")->body, "compiled 4");
  EXPECT_EQ(Fetch(server->port(), "GET", "/closed")->body, "CompileError 4");
  EXPECT_TRUE(server->WaitForLog("[closed] WebAssembly compile from bytes refused", 5s))
      << server->log();
}

TEST(WasmModules, CheckReportsAnInvalidModuleWithFileAndReason) {
  TempDir dir;
  dir.Write("good.wasm", MathWasm());
  dir.Write("bad.wasm",
            "\x7f"
            "ELF not wasm");
  dir.Write("w.js", kModuleWorker);
  auto config = dir.Write("c.json", R"({"workers": [
      {"name": "good", "main": "w.js", "routes": ["*/good*"],
       "wasm_modules": {"MATH": "good.wasm"}},
      {"name": "bad", "main": "w.js", "routes": ["*/bad*"],
       "wasm_modules": {"MATH": "bad.wasm"}}]})");
  CommandResult r = RunEdgerun({"check", "--config", config.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("worker \"bad\": " + (dir.path() / "bad.wasm").string() +
                       ": invalid WebAssembly module: expected magic word 00 61 73 6d"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("worker \"good\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 of 2 workers failed"), std::string::npos) << r.err;

  dir.Write("bad.wasm", MathWasm());
  CommandResult fixed = RunEdgerun({"check", "--config", config.string()});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
}

TEST(WasmModules, CheckReportsAMissingModuleAsAConfigError) {
  TempDir dir;
  dir.Write("w.js", kModuleWorker);
  auto config = dir.Write("c.json", R"({"workers": [{"name": "w", "main": "w.js",
      "routes": ["*/*"], "wasm_modules": {"MATH": "gone.wasm"}}]})");
  CommandResult r = RunEdgerun({"check", "--config", config.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("$.workers[0].wasm_modules.MATH: WebAssembly module not found: "
                       "\"gone.wasm\""),
            std::string::npos)
      << r.err;
}

TEST(WasmModules, AnInvalidModuleAtServeTimeIsThatWorkers500) {
  TempDir dir;
  dir.Write("good.wasm", MathWasm());
  std::string truncated = MathWasm();
  truncated.resize(truncated.size() / 2);
  dir.Write("bad.wasm", truncated);
  dir.Write("w.js", kModuleWorker);
  auto config = dir.Write("c.json", R"({"threads": 1, "workers": [
      {"name": "good", "main": "w.js", "routes": ["*/good*"],
       "wasm_modules": {"MATH": "good.wasm"}},
      {"name": "broken", "main": "w.js", "routes": ["*/bad*"],
       "wasm_modules": {"MATH": "bad.wasm"}}]})");
  auto server = EdgerunProcess::Start(config);
  ASSERT_TRUE(server->started()) << server->log();
  auto bad = Fetch(server->port(), "GET", "/bad");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 500);
  ASSERT_TRUE(server->WaitForLog("bad.wasm: invalid WebAssembly module", 5s)) << server->log();
  EXPECT_NE(server->log().find("broken"), std::string::npos) << server->log();
  auto good = Fetch(server->port(), "GET", "/good?n=3");
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200);
  EXPECT_EQ(good->body, "4 2");
  EXPECT_EQ(Fetch(server->port(), "GET", "/bad")->status, 500);
}

TEST(WasmModules, ReloadReplacesAWorkerWhoseWasmBytesChanged) {
  TempDir dir;
  dir.Write("math.wasm", MathWasm());
  dir.Write("w.js", R"(
let n = 0;
export default {
  fetch(request, env) { n++; return new Response(`${n} ${env.MATH instanceof WebAssembly.Module}`); }
};
)");
  auto config = dir.Write("c.json", R"({"threads": 1, "workers": [
      {"name": "w", "main": "w.js", "routes": ["*/*"], "wasm_modules": {"MATH": "math.wasm"}}]})");
  auto server = EdgerunProcess::Start(config);
  ASSERT_TRUE(server->started()) << server->log();
  EXPECT_EQ(Fetch(server->port(), "GET", "/")->body, "1 true");
  EXPECT_EQ(Fetch(server->port(), "GET", "/")->body, "2 true");
  // The same code with a custom section appended: different bytes.
  dir.Write("math.wasm", MathWasm() + std::string("\0\2\1x", 4));
  server->Signal(SIGHUP);
  ASSERT_TRUE(server->WaitForLog("replaced: w;", 10s)) << server->log();
  EXPECT_EQ(Fetch(server->port(), "GET", "/")->body, "1 true");  // a new isolate
}

// The issue's "two tenants and two threads instantiating the same module compile it once".
TEST(WasmModules, TwoWorkersOnTwoThreadsCompileTheSameBytesOnce) {
  TempDir dir;
  dir.Write("a/math.wasm", MathWasm());
  dir.Write("b/copy.wasm", MathWasm());  // another file, the same bytes
  const char* worker = R"(
const isolate = crypto.randomUUID();  // one per isolate
export default {
  fetch(request, env) {
    const { exports } = new WebAssembly.Instance(env.MATH);
    return new Response(`${isolate} ${exports.add(1, 2)}`);
  }
};
)";
  dir.Write("a/w.js", worker);
  dir.Write("b/w.js", worker);
  auto config = dir.Write("c.json", R"({"threads": 2, "admin": {"listen": "127.0.0.1:0"},
      "workers": [
      {"name": "a", "main": "a/w.js", "routes": ["*/a*"], "wasm_modules": {"MATH": "a/math.wasm"}},
      {"name": "b", "main": "b/w.js", "routes": ["*/b*"],
       "wasm_modules": {"MATH": "b/copy.wasm"}}]})");
  auto server = EdgerunProcess::Start(config);
  ASSERT_TRUE(server->started()) << server->log();
  uint16_t admin = AdminPort(server->log());
  ASSERT_NE(admin, 0) << server->log();

  // Fresh connections from several client threads: SO_REUSEPORT spreads them over both loops.
  std::mutex mutex;
  std::map<std::string, std::set<std::string>> isolates;  // worker -> isolate ids
  int failures = 0;
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        for (std::string worker : {"a", "b"}) {
          auto r = Fetch(server->port(), "GET", "/" + worker);
          std::lock_guard lock(mutex);
          if (!r || r->status != 200 || r->body.size() < 3 ||
              r->body.substr(r->body.size() - 2) != " 3") {
            ++failures;
            continue;
          }
          isolates[worker].insert(r->body.substr(0, r->body.size() - 2));
        }
      }
    });
  }
  for (std::thread& t : clients)
    t.join();
  EXPECT_EQ(failures, 0) << server->log();
  // Both workers were served by both threads: an isolate each per thread.
  ASSERT_EQ(isolates["a"].size(), 2u);
  ASSERT_EQ(isolates["b"].size(), 2u);

  auto metrics = Fetch(admin, "GET", "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(Counter(metrics->body, "edgerun_wasm_modules_compiled_total"), 1u) << metrics->body;
  EXPECT_EQ(Counter(metrics->body, "edgerun_wasm_module_cache_hits_total"), 3u) << metrics->body;
  EXPECT_EQ(Counter(metrics->body, "edgerun_wasm_modules"), 1u) << metrics->body;
}

}  // namespace
}  // namespace edgerun::testing
