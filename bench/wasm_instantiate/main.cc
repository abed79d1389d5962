// bench/wasm-instantiate: how fast an isolate gets a WebAssembly module from the process-wide
// compiled-module cache, and how fast a worker instantiates it. Timed inside the process with
// steady_clock around exactly the operation named; isolate creation is never inside a timing.
//   edgerun_bench_wasm_instantiate MODULE.wasm [ITERATIONS]
#include <v8.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "isolates/v8_platform.h"
#include "isolates/wasm_module_cache.h"
#include "isolates/worker_isolate.h"

namespace {

using edgerun::isolates::WasmModuleCache;
using edgerun::isolates::WorkerIsolate;
using Clock = std::chrono::steady_clock;

double Micros(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

void Report(const char* what, std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto at = [&](double q) {
    return us[std::min(us.size() - 1, static_cast<size_t>(q * us.size()))];
  };
  std::printf("%-68s p50 %7.1f us  p99 %7.1f us  min %6.1f us  (n=%zu)\n", what, at(0.5), at(0.99),
              us.front(), us.size());
}

// A fresh worker isolate (from the startup snapshot, as serving makes them), adopted by the
// calling thread; `body` runs inside its context.
template <typename Body>
bool InFreshIsolate(Body body) {
  std::string error;
  std::unique_ptr<WorkerIsolate> worker = WorkerIsolate::Create(128, &error);
  if (!worker) {
    std::fprintf(stderr, "cannot create an isolate: %s\n", error.c_str());
    return false;
  }
  worker->Adopt();
  v8::Isolate* isolate = worker->isolate();
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope handle_scope(isolate);
  v8::Local<v8::Context> context = worker->context();
  v8::Context::Scope context_scope(context);
  return body(isolate, context);
}

v8::Local<v8::Value> Run(v8::Isolate* isolate, v8::Local<v8::Context> context, const char* js) {
  v8::Local<v8::String> source = v8::String::NewFromUtf8(isolate, js).ToLocalChecked();
  return v8::Script::Compile(context, source).ToLocalChecked()->Run(context).ToLocalChecked();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MODULE.wasm [ITERATIONS]\n", argv[0]);
    return 2;
  }
  const int iterations = argc > 2 ? std::max(10, std::atoi(argv[2])) : 1000;
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string bytes = std::move(buffer).str();
  if (bytes.empty()) {
    std::fprintf(stderr, "%s: cannot read or empty\n", argv[1]);
    return 1;
  }
  edgerun::isolates::V8Platform::Initialize(std::getenv("EDGERUN_V8_FLAGS"));
  WasmModuleCache& cache = WasmModuleCache::Get();
  std::printf("module %s: %zu bytes; V8 %s; %d iterations\n", argv[1], bytes.size(),
              v8::V8::GetVersion(), iterations);

  // The one compile, in a first isolate (which is then disposed: the compiled code outlives it).
  std::optional<v8::CompiledWasmModule> compiled;
  bool ok = InFreshIsolate([&](v8::Isolate* isolate, v8::Local<v8::Context>) {
    std::string error;
    Clock::time_point start = Clock::now();
    v8::Local<v8::WasmModuleObject> module;
    if (!cache.Load(isolate, bytes, argv[1], &error).ToLocal(&module)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return false;
    }
    std::printf("first load (compile, cache miss): %.2f ms\n", Micros(Clock::now() - start) / 1000);
    compiled.emplace(module->GetCompiledModule());
    return true;
  });
  if (!ok) return 1;

  // (a) Into fresh isolates on another thread than the one that compiled.
  std::vector<double> from_compiled, cache_load;
  std::thread other([&] {
    for (int i = 0; i < iterations && ok; ++i) {
      ok = InFreshIsolate([&](v8::Isolate* isolate, v8::Local<v8::Context>) {
        Clock::time_point start = Clock::now();
        bool made = !v8::WasmModuleObject::FromCompiledModule(isolate, *compiled).IsEmpty();
        from_compiled.push_back(Micros(Clock::now() - start));
        return made;
      });
      ok = ok && InFreshIsolate([&](v8::Isolate* isolate, v8::Local<v8::Context>) {
             std::string error;
             Clock::time_point start = Clock::now();
             bool made = !cache.Load(isolate, bytes, argv[1], &error).IsEmpty();
             cache_load.push_back(Micros(Clock::now() - start));
             return made;
           });
    }
  });
  other.join();
  if (!ok) return 1;
  Report("(a) FromCompiledModule into a fresh isolate, another thread", from_compiled);
  Report("(a) WasmModuleCache::Load(bytes): SHA-256 + lookup + the above", cache_load);

  // (b) Inside one worker isolate, as a worker's fetch handler would: new WebAssembly.Instance.
  ok = InFreshIsolate([&](v8::Isolate* isolate, v8::Local<v8::Context> context) {
    std::string error;
    v8::Local<v8::WasmModuleObject> module;
    if (!cache.Load(isolate, bytes, argv[1], &error).ToLocal(&module)) return false;
    v8::Local<v8::Value> factory = Run(isolate, context, R"((function () {
      const stub = () => 0;
      const imports = {wasi_snapshot_preview1: new Proxy({}, {get: () => stub})};
      return [
        (m) => new WebAssembly.Instance(m, imports),
        (m) => { const i = new WebAssembly.Instance(m, imports);
                 if (i.exports._initialize) i.exports._initialize(); return i; },
      ];
    })())");
    v8::Local<v8::Object> pair = factory.As<v8::Object>();
    const char* names[] = {"(b) new WebAssembly.Instance(env.MOD, imports) in a worker",
                           "(b) the same + exports._initialize() (C++ constructors)"};
    for (uint32_t which = 0; which < 2; ++which) {
      v8::Local<v8::Function> make = pair->Get(context, which).ToLocalChecked().As<v8::Function>();
      v8::Local<v8::Value> args[] = {module};
      std::vector<double> us;
      for (int i = 0; i < iterations + 50; ++i) {
        v8::HandleScope scope(isolate);
        Clock::time_point start = Clock::now();
        v8::Local<v8::Value> instance;
        if (!make->Call(context, v8::Undefined(isolate), 1, args).ToLocal(&instance)) return false;
        if (i >= 50) us.push_back(Micros(Clock::now() - start));  // 50 warm-up rounds
      }
      Report(names[which], us);
    }
    return true;
  });
  if (!ok) {
    std::fprintf(stderr, "instantiation failed\n");
    return 1;
  }
  WasmModuleCache::Stats stats = cache.stats();
  std::printf("cache: %llu compiled, %llu reused\n",
              static_cast<unsigned long long>(stats.compiled),
              static_cast<unsigned long long>(stats.reused));

  // (c) After the cache dropped its entry (capacity) while the module is still in use (here
  // `compiled` holds it, as a live isolate's WebAssembly.Module would): V8 finds its NativeModule
  // by the bytes, so the "compile" is a lookup. Without a live user it would be a full compile.
  cache.Clear();
  ok = InFreshIsolate([&](v8::Isolate* isolate, v8::Local<v8::Context>) {
    std::string error;
    Clock::time_point start = Clock::now();
    bool made = !cache.Load(isolate, bytes, argv[1], &error).IsEmpty();
    std::printf("(c) load after the cache dropped the module, still in use: %.2f ms\n",
                Micros(Clock::now() - start) / 1000);
    return made;
  });
  return ok ? 0 : 1;
}
