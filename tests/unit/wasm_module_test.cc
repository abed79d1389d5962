// WebAssembly modules in workers: the process-wide compiled-module cache, env / global bindings,
// `import mod from "./x.wasm"`, and the per-worker runtime-compile flag.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "isolates/wasm_module_cache.h"
#include "isolates/worker_isolate.h"
#include "tests/unit/test_worker.h"

namespace edgerun {
namespace {

using testing::Files;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TestWorker;

std::string MathWasm() {
  std::ifstream in(EDGERUN_TEST_WASM_DIR "/math.wasm", std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The module with a custom section appended: same code, different bytes, so each test starts
// from content the process-wide cache has not seen.
std::string Distinct(std::string bytes) {
  static std::mt19937_64 random(std::random_device{}());
  std::string payload = std::to_string(random());
  std::string name = "t";
  bytes += '\0';                                                 // custom section id
  bytes += static_cast<char>(1 + name.size() + payload.size());  // size (< 128: one LEB byte)
  bytes += static_cast<char>(name.size());
  bytes += name + payload;
  return bytes;
}

std::function<void(isolates::WorkerSpec&)> Bind(std::string name, std::string file,
                                                bool runtime_compile = true) {
  return [=](isolates::WorkerSpec& spec) {
    spec.wasm_modules.push_back({name, spec.main.parent_path() / file});
    spec.wasm_runtime_compile = runtime_compile;
  };
}

TEST(WasmModuleTest, FixtureIsAWasmModule) {
  std::string bytes = MathWasm();
  ASSERT_GT(bytes.size(), 8u) << "build tests/wasm first";
  EXPECT_EQ(bytes.substr(0, 4), std::string("\0asm", 4));
}

TEST(WasmModuleTest, EnvBindingIsAModuleThatInstantiates) {
  TestWorker worker(
      Files{{"math.wasm", Distinct(MathWasm())},
            {"index.js",
             "export default { fetch(request, env) {\n"
             "  const ok = env.MATH instanceof WebAssembly.Module;\n"
             "  const { exports } = new WebAssembly.Instance(env.MATH, {});\n"
             "  return new Response(`${ok} ${exports.add(2, 40)} ${exports.fib(50)}`);\n"
             "} };\n"}},
      "index.js", isolates::ScriptFormat::kAuto, {}, {}, Bind("MATH", "math.wasm"));
  ASSERT_TRUE(worker.started()) << worker.start_error();
  auto response = worker.Get("/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "true 42 12586269025");
}

TEST(WasmModuleTest, ServiceWorkerScriptSeesTheModuleAsAGlobal) {
  TestWorker worker(Files{{"math.wasm", Distinct(MathWasm())},
                          {"sw.js",
                           "addEventListener('fetch', event => {\n"
                           "  const { exports } = new WebAssembly.Instance(MATH);\n"
                           "  event.respondWith(new Response(String(exports.add(1, 2))));\n"
                           "});\n"}},
                    "sw.js", isolates::ScriptFormat::kServiceWorker, {}, {},
                    Bind("MATH", "math.wasm"));
  ASSERT_TRUE(worker.started()) << worker.start_error();
  auto response = worker.Get("/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "3");
}

TEST(WasmModuleTest, EsModuleImportOfAWasmFile) {
  TestWorker worker(Files{{"lib/math.wasm", Distinct(MathWasm())},
                          {"index.js",
                           "import math from './lib/math.wasm';\n"
                           "export default { async fetch() {\n"
                           "  const instance = await WebAssembly.instantiate(math);\n"
                           "  const again = (await import('./lib/math.wasm')).default;\n"
                           "  return new Response(`${instance.exports.add(20, 22)} "
                           "${again === math}`);\n"
                           "} };\n"}});
  ASSERT_TRUE(worker.started()) << worker.start_error();
  auto response = worker.Get("/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "42 true") << worker.log().All();
}

TEST(WasmModuleTest, InvalidBoundModuleFailsTheStartNamingFileAndReason) {
  TestWorker worker(
      Files{{"bad.wasm", "not wasm at all"},
            {"index.js", "export default { fetch() { return new Response('x'); } };"}},
      "index.js", isolates::ScriptFormat::kAuto, {}, {}, Bind("BAD", "bad.wasm"));
  EXPECT_FALSE(worker.started());
  EXPECT_THAT(worker.start_error(), HasSubstr("bad.wasm: invalid WebAssembly module: "));
  EXPECT_THAT(worker.start_error(), HasSubstr("expected magic word 00 61 73 6d"));
  EXPECT_THAT(worker.start_error(), HasSubstr("wasm_modules.BAD"));
  auto response = worker.Get("/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  ASSERT_FALSE(worker.log().lines.empty());
  EXPECT_EQ(worker.log().lines.back().worker, "test");
  EXPECT_THAT(worker.log().lines.back().message, HasSubstr("bad.wasm"));
}

TEST(WasmModuleTest, TruncatedImportFailsTheStartAtTheImport) {
  std::string bytes = MathWasm();
  TestWorker worker(Files{{"cut.wasm", bytes.substr(0, bytes.size() / 2)},
                          {"index.js",
                           "import m from './cut.wasm';\n"
                           "export default { fetch() { return new Response('x'); } };\n"}});
  EXPECT_FALSE(worker.started());
  EXPECT_THAT(worker.start_error(), HasSubstr("cut.wasm: invalid WebAssembly module: "));
}

// Compiles the bound module's bytes (handed in as a JSON var) at run time in three ways.
std::string RuntimeCompile(bool allowed) {
  std::string bytes = Distinct(MathWasm());
  std::string json = "[";
  for (unsigned char c : bytes)
    json += std::to_string(c) + ",";
  json.back() = ']';
  TestWorker worker(
      Files{{"math.wasm", bytes},
            {"index.js",
             "export default { async fetch(request, env) {\n"
             "  const bytes = new Uint8Array(env.BYTES);\n"
             "  const out = [];\n"
             "  const attempt = async (what, f) => {\n"
             "    try { await f(); out.push(what + ' ok'); }\n"
             "    catch (e) { out.push(what + ' ' + e.name + ': ' + e.message); }\n"
             "  };\n"
             "  await attempt('new Module', () => new WebAssembly.Module(bytes));\n"
             "  await attempt('compile', () => WebAssembly.compile(bytes));\n"
             "  await attempt('instantiate', () => WebAssembly.instantiate(bytes));\n"
             "  const wasm = () => new Response(bytes, {headers: {'content-type': "
             "'application/wasm'}});\n"
             "  await attempt('compileStreaming', () => WebAssembly.compileStreaming(wasm()));\n"
             "  await attempt('instantiateStreaming', async () => {\n"
             "    const {instance} = await "
             "WebAssembly.instantiateStreaming(Promise.resolve(wasm()));\n"
             "    if (instance.exports.add(2, 3) !== 5) throw new Error('wrong sum');\n"
             "  });\n"
             "  await attempt('bound', () => WebAssembly.instantiate(env.MATH));\n"
             "  return new Response(out.join('\\n'));\n"
             "} };\n"}},
      "index.js", isolates::ScriptFormat::kAuto,
      {{"BYTES", isolates::EnvBinding::Kind::kJson, json}}, {}, Bind("MATH", "math.wasm", allowed));
  if (!worker.started()) return "START FAILED: " + worker.start_error();
  auto response = worker.Get("/");
  if (!response) return "NO RESPONSE";
  std::string out = response->body;
  for (const auto& line : worker.log().lines)
    out += "\nlog: " + line.message;
  return out;
}

TEST(WasmModuleTest, RuntimeCompileIsAllowedByDefault) {
  EXPECT_EQ(RuntimeCompile(true),
            "new Module ok\ncompile ok\ninstantiate ok\ncompileStreaming ok\n"
            "instantiateStreaming ok\nbound ok");
}

TEST(WasmModuleTest, RuntimeCompileOffRefusesBytesButNotTheBoundModule) {
  std::string out = RuntimeCompile(false);
  EXPECT_THAT(out, HasSubstr("new Module CompileError: "));
  EXPECT_THAT(out, HasSubstr("compile CompileError: "));
  EXPECT_THAT(out, HasSubstr("instantiate CompileError: "));
  EXPECT_THAT(out, HasSubstr("compileStreaming CompileError: "));
  EXPECT_THAT(out, HasSubstr("instantiateStreaming CompileError: "));
  EXPECT_THAT(out, HasSubstr("disallowed by embedder"));
  EXPECT_THAT(out, HasSubstr("bound ok"));
  EXPECT_THAT(out, HasSubstr("log: WebAssembly compile from bytes refused: the worker's config has "
                             "\"wasm_runtime_compile\": false"));
}

TEST(WasmModuleTest, StreamingChecksTheResponseAsTheSpecSays) {
  EXPECT_EQ(testing::EvalJs(R"(
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    const out = [];
    const attempt = async (what, source) => {
      try { const m = await WebAssembly.compileStreaming(source); out.push(what + ' ok ' + (m instanceof WebAssembly.Module)); }
      catch (e) { out.push(what + ' ' + e.name + ': ' + e.message); }
    };
    await attempt('wasm', new Response(bytes, {headers: {'content-type': ' Application/WASM	'}}));
    await attempt('type', new Response(bytes, {headers: {'content-type': 'application/wasm; x=y'}}));
    await attempt('none', new Response(bytes));
    await attempt('status', new Response(bytes, {status: 404, headers: {'content-type': 'application/wasm'}}));
    await attempt('object', {headers: {get: () => 'application/wasm'}, ok: true});
    const used = new Response(bytes, {headers: {'content-type': 'application/wasm'}});
    await used.arrayBuffer();
    await attempt('used', used);
    await attempt('rejected', Promise.reject(new RangeError('no')));
    return out.join('\n') + '\n' + WebAssembly.compileStreaming.length + ' ' +
           WebAssembly.instantiateStreaming.name + ' ' +
           Object.keys(WebAssembly).includes('compileStreaming');
  )"),
            "wasm ok true\n"
            "type TypeError: WebAssembly.compileStreaming(): Incorrect response MIME type "
            "'application/wasm; x=y'. Expected 'application/wasm'.\n"
            "none TypeError: WebAssembly.compileStreaming(): Incorrect response MIME type (none). "
            "Expected 'application/wasm'.\n"
            "status TypeError: WebAssembly.compileStreaming(): HTTP status code is not ok\n"
            "object TypeError: WebAssembly.compileStreaming(): Argument 0 must be a Response or a "
            "Promise for one\n"
            "used TypeError: Body has already been used. It can only be used once. Use clone() "
            "first if you need to read it twice.\n"
            "rejected RangeError: no\n"
            "1 instantiateStreaming false");
}

// A worker isolate made and entered for the test's scope (isolate, handle scope and context).
struct EnteredIsolate {
  EnteredIsolate()
      : worker(Make()),
        isolate(worker->isolate()),
        isolate_scope(isolate),
        handle_scope(isolate),
        context(worker->context()),
        context_scope(context) {}
  static std::unique_ptr<isolates::WorkerIsolate> Make() {
    isolates::V8Platform::Initialize();
    std::string error;
    auto made = isolates::WorkerIsolate::Create(64, &error);
    if (made == nullptr) ADD_FAILURE() << error;
    made->Adopt();
    return made;
  }
  std::unique_ptr<isolates::WorkerIsolate> worker;
  v8::Isolate* isolate;
  v8::Isolate::Scope isolate_scope;
  v8::HandleScope handle_scope;
  v8::Local<v8::Context> context;
  v8::Context::Scope context_scope;
};

TEST(WasmModuleTest, CacheCompilesOnceAndReportsErrorsWithTheLabel) {
  EnteredIsolate entered;
  auto& cache = isolates::WasmModuleCache::Get();
  std::string error;
  auto* isolate = entered.worker.get();
  std::string bytes = Distinct(MathWasm());
  auto before = cache.stats();
  EXPECT_FALSE(cache.Load(isolate->isolate(), bytes, "a.wasm", &error).IsEmpty()) << error;
  EXPECT_FALSE(cache.Load(isolate->isolate(), bytes, "b.wasm", &error).IsEmpty()) << error;
  auto after = cache.stats();
  EXPECT_EQ(after.compiled - before.compiled, 1u);
  EXPECT_EQ(after.reused - before.reused, 1u);
  EXPECT_EQ(after.modules - before.modules, 1u);

  EXPECT_TRUE(
      cache.Load(isolate->isolate(), std::string_view("\0asm\2\0\0\0", 8), "odd.wasm", &error)
          .IsEmpty());
  EXPECT_THAT(error, StartsWith("odd.wasm: invalid WebAssembly module: "));
  EXPECT_THAT(error, HasSubstr("version"));
}

TEST(WasmModuleTest, CacheDropsTheLeastRecentlyLoadedModulePastItsCapacity) {
  EnteredIsolate entered;
  auto& cache = isolates::WasmModuleCache::Get();
  std::string error;
  v8::Isolate* v8_isolate = entered.isolate;
  v8::Local<v8::Context> context = entered.context;
  cache.Clear();
  cache.SetCapacity(2);
  const std::string a = Distinct(MathWasm()), b = Distinct(MathWasm()), c = Distinct(MathWasm());
  v8::Local<v8::WasmModuleObject> module_a;
  ASSERT_TRUE(cache.Load(v8_isolate, a, "a.wasm", &error).ToLocal(&module_a)) << error;
  ASSERT_FALSE(cache.Load(v8_isolate, b, "b.wasm", &error).IsEmpty()) << error;
  ASSERT_FALSE(cache.Load(v8_isolate, b, "b.wasm", &error).IsEmpty()) << error;  // b: recent
  ASSERT_FALSE(cache.Load(v8_isolate, c, "c.wasm", &error).IsEmpty()) << error;  // drops a
  auto stats = cache.stats();
  EXPECT_EQ(stats.modules, 2u);
  EXPECT_EQ(stats.evicted, 1u);
  EXPECT_EQ(stats.compiled, 3u);
  ASSERT_FALSE(cache.Load(v8_isolate, b, "b.wasm", &error).IsEmpty()) << error;  // still held
  EXPECT_EQ(cache.stats().compiled, 3u);

  // The dropped module's WebAssembly.Module still works, and loading it again works too.
  v8::Local<v8::Object> global = context->Global();
  global->Set(context, v8::String::NewFromUtf8Literal(v8_isolate, "moduleA"), module_a).Check();
  v8::Local<v8::Value> sum;
  ASSERT_TRUE(v8::Script::Compile(
                  context, v8::String::NewFromUtf8Literal(
                               v8_isolate, "new WebAssembly.Instance(moduleA).exports.add(2, 3)"))
                  .ToLocalChecked()
                  ->Run(context)
                  .ToLocal(&sum));
  EXPECT_EQ(sum->Int32Value(context).FromJust(), 5);
  ASSERT_FALSE(cache.Load(v8_isolate, a, "a.wasm", &error).IsEmpty()) << error;
  EXPECT_EQ(cache.stats().compiled, 4u);
  EXPECT_EQ(cache.stats().modules, 2u);
  cache.SetCapacity(isolates::WasmModuleCache::kDefaultCapacity);
}

TEST(WasmModuleTest, TwoIsolatesOnTwoThreadsCompileOnce) {
  isolates::V8Platform::Initialize();
  auto& cache = isolates::WasmModuleCache::Get();
  const std::string bytes = Distinct(MathWasm());
  auto before = cache.stats();
  std::atomic<int> ready = 0;
  std::string results[2];
  auto run = [&](int index) {
    std::string error;
    auto isolate = isolates::WorkerIsolate::Create(64, &error);
    if (!isolate) {
      results[index] = "no isolate: " + error;
      return;
    }
    isolate->Adopt();
    v8::Isolate* v8_isolate = isolate->isolate();
    v8::Isolate::Scope isolate_scope(v8_isolate);
    v8::HandleScope handle_scope(v8_isolate);
    v8::Local<v8::Context> context = isolate->context();
    v8::Context::Scope context_scope(context);
    // Both threads ask at (nearly) the same moment.
    ++ready;
    while (ready.load() < 2)
      std::this_thread::yield();
    v8::Local<v8::WasmModuleObject> module;
    if (!cache.Load(v8_isolate, bytes, "math.wasm", &error).ToLocal(&module)) {
      results[index] = error;
      return;
    }
    v8::Local<v8::Value> argv[] = {module};
    v8::Local<v8::Object> wasm =
        context->Global()
            ->Get(context, v8::String::NewFromUtf8Literal(v8_isolate, "WebAssembly"))
            .ToLocalChecked()
            .As<v8::Object>();
    v8::Local<v8::Function> instance_ctor =
        wasm->Get(context, v8::String::NewFromUtf8Literal(v8_isolate, "Instance"))
            .ToLocalChecked()
            .As<v8::Function>();
    v8::Local<v8::Object> instance = instance_ctor->NewInstance(context, 1, argv).ToLocalChecked();
    v8::Local<v8::Object> exports =
        instance->Get(context, v8::String::NewFromUtf8Literal(v8_isolate, "exports"))
            .ToLocalChecked()
            .As<v8::Object>();
    v8::Local<v8::Function> add =
        exports->Get(context, v8::String::NewFromUtf8Literal(v8_isolate, "add"))
            .ToLocalChecked()
            .As<v8::Function>();
    v8::Local<v8::Value> args[] = {v8::Integer::New(v8_isolate, index),
                                   v8::Integer::New(v8_isolate, 10)};
    results[index] = std::to_string(add->Call(context, v8::Undefined(v8_isolate), 2, args)
                                        .ToLocalChecked()
                                        ->Int32Value(context)
                                        .FromJust());
  };
  std::thread a(run, 0), b(run, 1);
  a.join();
  b.join();
  EXPECT_EQ(results[0], "10");
  EXPECT_EQ(results[1], "11");
  auto after = cache.stats();
  EXPECT_EQ(after.compiled - before.compiled, 1u);
  EXPECT_EQ(after.reused - before.reused, 1u);
}

}  // namespace
}  // namespace edgerun
