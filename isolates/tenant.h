// One worker (tenant) on one event-loop thread: its own V8 isolate and context, created on the
// first request and reused for every later one, so globals persist between requests of the same
// worker and nothing is shared with other workers. Every entry into the worker's JS (a request,
// a timer, a promise reaction, a platform task) goes through this class, which drives microtasks
// and turns failures into that request's 500 and a log line naming the worker.
#pragma once

#include <uv.h>
#include <v8.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "bindings/host.h"
#include "bindings/http_types.h"
#include "bindings/worker_context.h"
#include "isolates/log_sink.h"
#include "isolates/module_loader.h"
#include "isolates/v8_platform.h"
#include "isolates/worker_spec.h"

namespace edgerun::isolates {

using RespondFn = std::function<void(HttpResponse)>;

struct TenantLimits {
  size_t heap_limit_mb = 128;      // V8 heap; past it the worker's JS is terminated (503)
  uint64_t cpu_ms = 50;            // CPU time per entry into JS (handler call, timer, ...): 503
  uint64_t startup_cpu_ms = 1000;  // CPU time for loading the worker (top-level code)
};

class Tenant;

// The owner of tenants (the isolate pool). WakeTenant is called from V8's threads.
class TenantOwner {
 public:
  virtual ~TenantOwner() = default;
  virtual void WakeTenant(Tenant* tenant, double delay_s) = 0;
  // The tenant is unusable (ran out of memory): dispose it once the stack has unwound.
  virtual void RetireTenant(Tenant* tenant) = 0;
};

class Tenant final : public bindings::Host, public IsolateWaker {
 public:
  Tenant(const WorkerSpec& spec, uv_loop_t* loop, LogSink& log, TenantOwner* owner,
         const TenantLimits& limits);
  ~Tenant() override;  // answers still-pending requests with 503
  Tenant(const Tenant&) = delete;
  Tenant& operator=(const Tenant&) = delete;

  // Creates the isolate and runs the worker's top-level code. On failure returns false with a
  // message (file:line:column for syntax errors); the tenant then answers 500 to everything.
  bool Start(std::string* error);

  // Runs the worker's fetch handler; `respond` is called exactly once, possibly later.
  void Dispatch(HttpRequest request, std::string url, RespondFn respond);

  // Runs V8 foreground tasks that became due (the platform woke the loop for them).
  void PumpTasks();

  const WorkerSpec& spec() const { return spec_; }
  bool started() const { return started_; }
  bool poisoned() const { return stopped_ != Stopped::kNone; }
  size_t in_flight() const { return pending_.size() + (dispatching_ ? 1 : 0); }
  int wait_until_pending() const { return wait_until_pending_; }

  // bindings::Host
  void Log(bindings::LogLevel level, std::string_view message) override;
  void StartTimer(uint32_t id, double delay_ms, bool repeat) override;
  void StopTimer(uint32_t id) override;
  void WaitUntilDelta(int delta) override;

 private:
  struct Timer;
  class Guard;
  enum class Stopped { kNone, kMemory, kCpu };
  struct Pending {
    RespondFn respond;
  };
  struct Unhandled {
    v8::Global<v8::Promise> promise;
    v8::Global<v8::Value> reason;
  };

  void WakeForTasks(double delay_s) override;  // IsolateWaker, any thread

  bool LoadWorker(v8::Local<v8::Context> context, std::string* error);
  bool LoadModule(v8::Local<v8::Context> context, v8::Local<v8::Module> module, std::string* error);
  bool LoadServiceWorker(v8::Local<v8::Context> context, const std::string& source,
                         std::string* error);
  v8::Local<v8::Object> BuildEnv(v8::Local<v8::Context> context);

  void Finish(v8::Local<v8::Context> context, v8::Local<v8::Value> parts, RespondFn& respond);
  void Fail(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
            v8::Local<v8::Message> message, RespondFn& respond);
  void FailTerminated(RespondFn& respond);
  // After every entry into JS: microtasks, unhandled rejections, out-of-memory handling.
  void AfterJs(v8::Local<v8::Context> context);
  void ForgetUnhandled(v8::Local<v8::Promise> promise);
  void NoteStopped(Stopped why, uint64_t budget_ms);
  void Poison();
  void FireTimer(uint32_t id);

  RespondFn TakePending(const v8::FunctionCallbackInfo<v8::Value>& args);
  static void OnFulfilled(const v8::FunctionCallbackInfo<v8::Value>& args);
  static void OnRejected(const v8::FunctionCallbackInfo<v8::Value>& args);
  static void OnPromiseReject(v8::PromiseRejectMessage message);
  static size_t OnNearHeapLimit(void* data, size_t current, size_t initial);
  static void OnTimer(uv_timer_t* handle);

  const WorkerSpec& spec_;
  uv_loop_t* loop_;
  LogSink& log_;
  TenantOwner* owner_;
  TenantLimits limits_;

  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  v8::Isolate* isolate_ = nullptr;
  std::unique_ptr<ModuleLoader> loader_;
  v8::Global<v8::Context> context_;
  bindings::WorkerContextHandles handles_;
  v8::Global<v8::Value> handler_;   // default export's fetch, or undefined (service worker)
  v8::Global<v8::Value> receiver_;  // the default export object
  v8::Global<v8::Object> env_;
  std::string start_error_;
  bool started_ = false;
  Stopped stopped_ = Stopped::kNone;  // terminated for a limit: answers 503, then is replaced
  Guard* guard_ = nullptr;            // the entry into JS running now
  bool dispatching_ = false;

  uint64_t next_pending_id_ = 1;
  std::unordered_map<uint64_t, Pending> pending_;
  std::vector<Unhandled> unhandled_;
  std::unordered_map<uint32_t, Timer*> timers_;
  int wait_until_pending_ = 0;
};

}  // namespace edgerun::isolates
