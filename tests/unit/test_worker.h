// Runs a worker written inline in a test: files go to a temp dir, the tenant runs on a private
// libuv loop, requests are dispatched directly (no network) and the loop runs until the response.
#pragma once

#include <uv.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "isolates/tenant.h"
#include "isolates/v8_platform.h"

namespace edgerun::testing {

struct LogLine {
  bindings::LogLevel level;
  std::string worker;
  std::string message;
};

class CapturingLog final : public isolates::LogSink {
 public:
  void Log(bindings::LogLevel level, std::string_view worker, std::string_view message) override {
    lines.push_back({level, std::string(worker), std::string(message)});
  }
  std::string All() const {
    std::string out;
    for (const auto& l : lines)
      out += l.message + "\n";
    return out;
  }
  std::vector<LogLine> lines;
};

using Files = std::map<std::string, std::string>;

class TestWorker final : public isolates::TenantOwner {
 public:
  // `files`: path relative to the worker directory -> content.
  explicit TestWorker(Files files, std::string main = "index.js",
                      isolates::ScriptFormat format = isolates::ScriptFormat::kAuto,
                      std::vector<isolates::EnvBinding> vars = {},
                      isolates::TenantLimits limits = {},
                      const std::function<void(isolates::WorkerSpec&)>& customize = {}) {
    isolates::V8Platform::Initialize();
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("edgerun-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    for (const auto& [name, content] : files) {
      std::filesystem::create_directories((dir_ / name).parent_path());
      std::ofstream(dir_ / name) << content;
    }
    spec_.name = "test";
    spec_.main = dir_ / main;
    spec_.format = format;
    spec_.vars = std::move(vars);
    if (customize) customize(spec_);
    uv_loop_init(&loop_);
    tenant_ = std::make_unique<isolates::Tenant>(spec_, &loop_, log_, this, limits);
    started_ = tenant_->Start(nullptr, &start_error_);
  }

  TestWorker(const TestWorker&) = delete;
  ~TestWorker() override {
    tenant_.reset();
    uv_run(&loop_, UV_RUN_NOWAIT);
    uv_loop_close(&loop_);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  bool started() const { return started_; }
  const std::string& start_error() const { return start_error_; }
  CapturingLog& log() { return log_; }
  isolates::Tenant& tenant() { return *tenant_; }

  // Dispatches and runs the loop until the response arrives (or `timeout_ms` passes).
  std::optional<HttpResponse> Fetch(HttpRequest request, std::string url = "",
                                    uint64_t timeout_ms = 5000) {
    if (url.empty()) url = "http://example.com" + request.target;
    std::optional<HttpResponse> response;
    tenant_->Dispatch(std::move(request), url, [&](HttpResponse r) { response = std::move(r); });
    RunUntil([&] { return response.has_value(); }, timeout_ms);
    return response;
  }

  std::optional<HttpResponse> Get(const std::string& target) {
    HttpRequest request;
    request.method = "GET";
    request.target = target;
    request.host = "example.com";
    request.headers = {{"Host", "example.com"}};
    return Fetch(std::move(request));
  }

  template <typename Pred>
  void RunUntil(Pred done, uint64_t timeout_ms) {
    uv_timer_t guard;
    uv_timer_init(&loop_, &guard);
    bool timed_out = false;
    guard.data = &timed_out;
    uv_timer_start(
        &guard, [](uv_timer_t* t) { *static_cast<bool*>(t->data) = true; }, timeout_ms, 0);
    // V8's platform tasks (async WebAssembly compiles, for one) are posted from its threads;
    // a 1 ms tick runs them for the tenant, as the pool's wake-up does.
    uv_timer_t pump;
    uv_timer_init(&loop_, &pump);
    pump.data = this;
    uv_timer_start(
        &pump,
        [](uv_timer_t* t) {
          auto* self = static_cast<TestWorker*>(t->data);
          if (self->wake_.exchange(false)) self->tenant_->PumpTasks();
        },
        1, 1);
    while (!done() && !timed_out) {
      if (retired_) break;
      uv_run(&loop_, UV_RUN_ONCE);
    }
    uv_close(reinterpret_cast<uv_handle_t*>(&pump), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&guard), nullptr);
    uv_run(&loop_, UV_RUN_NOWAIT);
  }

  bool retired() const { return retired_; }

  void WakeTenant(isolates::Tenant* tenant, double) override { wake_ = true; }
  void RetireTenant(isolates::Tenant*) override { retired_ = true; }

 private:
  std::filesystem::path dir_;
  isolates::WorkerSpec spec_;
  uv_loop_t loop_;
  CapturingLog log_;
  std::unique_ptr<isolates::Tenant> tenant_;
  bool started_ = false;
  bool retired_ = false;
  std::atomic<bool> wake_ = false;
  std::string start_error_;
};

// Evaluates `body` (the body of an async function) in a fresh worker and returns String(result).
// `limits`: the default CPU budget (50 ms) is for tests of small things; work on megabytes
// needs more on a loaded test machine.
inline std::string EvalJs(const std::string& body, isolates::TenantLimits limits = {}) {
  TestWorker worker(Files{{"index.js",
                           "export default { async fetch() {\n"
                           "  try { const v = await (async () => {\n" +
                               body +
                               "\n})(); return new Response(String(v)); }\n"
                               "  catch (e) { return new Response('THREW ' + e.name + ': ' + "
                               "e.message); } } };\n"}},
                    "index.js", isolates::ScriptFormat::kAuto, {}, limits);
  if (!worker.started()) return "START FAILED: " + worker.start_error();
  auto response = worker.Get("/");
  if (!response) return "NO RESPONSE";
  return response->body;
}

}  // namespace edgerun::testing
