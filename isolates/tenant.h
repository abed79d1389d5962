// One worker (tenant) on one event-loop thread: its own V8 isolate and context, created on the
// first request and reused for every later one, so globals persist between requests of the same
// worker and nothing is shared with other workers. Every entry into the worker's JS (a request,
// a timer, a promise reaction, a platform task) goes through this class, which drives
// microtasks, charges the CPU time to the request it ran for, enforces the limits, and turns
// failures into that request's error response and a log line naming the worker.
#pragma once

#include <uv.h>
#include <v8.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bindings/host.h"
#include "bindings/http_types.h"
#include "isolates/log_sink.h"
#include "isolates/module_loader.h"
#include "isolates/request_context.h"
#include "isolates/v8_platform.h"
#include "isolates/worker_isolate.h"
#include "isolates/worker_spec.h"

namespace edgerun::isolates {

struct TenantLimits {
  size_t heap_limit_mb = 128;       // V8 heap (and again ArrayBuffer memory); past it: 503
  uint64_t cpu_ms = 50;             // CPU time of a request's JS, over all its entries: 503
  uint64_t startup_cpu_ms = 1000;   // CPU time for loading the worker (its top-level code)
  uint64_t wall_ms = 30'000;        // time to answer a request: 504
  uint64_t wait_until_ms = 30'000;  // time ctx.waitUntil() work may run after the answer
  uint64_t subrequests = 50;        // fetch() calls per request; past it fetch() rejects
  bool operator==(const TenantLimits&) const = default;
};

// Why a tenant stopped running JS for good.
enum class StopReason { kNone, kMemory, kCpu };

// Requests a limit ended, by kind.
struct LimitCounts {
  uint64_t cpu = 0;     // limits.cpu_ms: 503
  uint64_t memory = 0;  // limits.memory_mb: 503
  uint64_t wall = 0;    // limits.wall_ms: 504
};

class Tenant;

// The owner of tenants (the isolate pool).
class TenantOwner {
 public:
  virtual ~TenantOwner() = default;
  // Called from V8's threads: a platform task for the tenant is due in `delay_s`.
  virtual void WakeTenant(Tenant* tenant, double delay_s) = 0;
  // The tenant is unusable (a limit stopped it mid-run): dispose it once the stack has unwound.
  virtual void RetireTenant(Tenant* tenant) = 0;
  // The tenant's sampled memory (Tenant::memory_bytes) changed from `before`.
  virtual void MemorySampled(Tenant* /*tenant*/, size_t /*before*/) {}
  // The HTTP client for the tenants' fetch() (null: fetch() is not available).
  virtual OutboundHttp* outbound() { return nullptr; }
};

class Tenant final : public bindings::Host, public IsolateWaker {
 public:
  Tenant(WorkerSpec spec, uv_loop_t* loop, LogSink& log, TenantOwner* owner,
         const TenantLimits& limits);
  ~Tenant() override;  // answers still-pending requests with 503
  Tenant(const Tenant&) = delete;
  Tenant& operator=(const Tenant&) = delete;

  // Loads the worker into `isolate` (a warm spare, or null to create one) and runs its top-level
  // code. On failure returns false with a message (file:line:column for syntax errors); the
  // tenant then answers 500 to everything.
  bool Start(std::unique_ptr<WorkerIsolate> isolate, std::string* error);

  // Runs the worker's fetch handler; `respond` is called exactly once, possibly later.
  void Dispatch(HttpRequest request, std::string url, RespondFn respond);

  // Runs V8 foreground tasks that became due (the platform woke the loop for them).
  void PumpTasks();

  const WorkerSpec& spec() const { return spec_; }
  bool started() const { return started_; }
  StopReason stopped() const { return stopped_; }
  // Requests not answered yet.
  size_t in_flight() const { return requests_.unanswered(); }
  // Requests whose context is still open: unanswered, or answered with waitUntil() work left.
  size_t busy() const { return requests_.size(); }
  // V8 heap plus ArrayBuffer memory (sampled after requests, at most every 100 ms).
  size_t memory_bytes() const { return memory_bytes_; }
  // CPU time charged to requests since the tenant started, in nanoseconds.
  uint64_t cpu_ns() const { return cpu_ns_; }
  const LimitCounts& limit_counts() const { return limit_counts_; }

  // bindings::Host
  void Log(bindings::LogLevel level, std::string_view message) override;
  void StartTimer(uint32_t id, double delay_ms, bool repeat) override;
  void StopTimer(uint32_t id) override;
  void WaitUntilDelta(uint64_t request_id, int delta) override;
  void RunOffThread(std::function<void()> work, std::function<void()> done) override;
  void ReadBody(uint32_t id) override;
  void CancelBody(uint32_t id) override;
  void BodyChunkOut(uint32_t id, BodyChunk chunk) override;
  std::string StartFetch(uint32_t id, OutboundRequest request, uint32_t body_stream_id) override;
  void CancelFetch(uint32_t id) override;
  std::vector<bindings::wasi::Preopen> WasiPreopens() override { return spec_.wasi_preopens; }

 private:
  class ResponseBody;
  class Guard;
  struct Timer;
  struct OffThreadWork;
  struct Unhandled {
    v8::Global<v8::Promise> promise;
    v8::Global<v8::Value> reason;
  };

  void WakeForTasks(double delay_s) override;  // IsolateWaker, any thread

  // tenant_load.cc
  bool LoadWorker(v8::Local<v8::Context> context, std::string* error);
  bool LoadWagi(v8::Local<v8::Context> context, std::string* error);  // tenant_wagi.cc
  bool LoadModule(v8::Local<v8::Context> context, v8::Local<v8::Module> module, std::string* error);
  bool LoadServiceWorker(v8::Local<v8::Context> context, const std::string& source,
                         std::string* error);
  bool BuildEnv(v8::Local<v8::Context> context, v8::Local<v8::Object>* env, std::string* error);
  // A WebAssembly.Module for `file` from the process-wide compiled-module cache.
  bool LoadWasmFile(const std::filesystem::path& file, v8::Local<v8::WasmModuleObject>* module,
                    std::string* error);
  static bool AllowWasmCodeGeneration(v8::Local<v8::Context> context, v8::Local<v8::String> source);

  // Answering and ending requests.
  void Respond(uint64_t id, HttpResponse response);
  void Finish(uint64_t id, v8::Local<v8::Context> context, v8::Local<v8::Value> parts);
  void Fail(uint64_t id, v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
            v8::Local<v8::Message> message);
  void FailTerminated(uint64_t id);
  void OverBudget(uint64_t id, uint64_t budget_ms);
  void LogCpuStop(uint64_t used_ns, uint64_t budget_ms);
  HttpResponse CpuLimitResponse() const;
  void MaybeEnd(uint64_t id);
  void End(uint64_t id);
  void ArmDeadlines();
  void OnDeadline();

  // After every entry into JS: microtasks, unhandled rejections.
  void AfterJs(v8::Local<v8::Context> context);
  void ForgetUnhandled(v8::Local<v8::Promise> promise);
  void NoteStopped(StopReason why, uint64_t budget_ms);
  void Poison();
  void SampleMemory();

  // tenant_bodies.cc: streamed request and response bodies.
  uint32_t AdoptRequestBody(std::shared_ptr<BodyStream> body, uint64_t request);
  void DeliverBodyChunk(uint32_t id, BodyChunk chunk);
  std::shared_ptr<BodyStream> AdoptResponseBody(uint32_t id, uint64_t request);
  void PullResponseBody(uint32_t id, BodyStream::ReadFn done);
  void StartPull(uint32_t id);
  void RunDeferredPulls();
  void CancelResponseBody(uint32_t id);
  void FinishResponseBody(uint32_t id);
  void DropBodiesOf(uint64_t request);
  // Runs `body` as an entry into the worker's JS for `request` (scopes, CPU guard, microtasks,
  // limits), or nested in the entry running now.
  void RunJs(uint64_t request, const std::function<void(v8::Local<v8::Context>)>& body);

  // tenant_fetch.cc
  void FetchDone(uint32_t id, OutboundResult result);
  void CancelFetchesOf(uint64_t request);

  // tenant_timers.cc
  void FireTimer(uint32_t id, uint64_t owner);
  void CancelTimersOf(RequestContext& rc);
  void ForgetTimer(uint32_t id);

  static void OnFulfilled(const v8::FunctionCallbackInfo<v8::Value>& args);
  static void OnRejected(const v8::FunctionCallbackInfo<v8::Value>& args);
  static void OnPromiseReject(v8::PromiseRejectMessage message);
  static size_t OnNearHeapLimit(void* data, size_t current, size_t initial);
  static void OnTimer(uv_timer_t* handle);

  // tenant_off_thread.cc
  static void OnOffThreadDone(uv_work_t* req, int status);
  void OrphanOffThreadWork();

  const WorkerSpec spec_;  // a copy: a config reload can't pull it from under the tenant
  uv_loop_t* loop_;
  LogSink& log_;
  TenantOwner* owner_;
  TenantLimits limits_;

  std::unique_ptr<WorkerIsolate> worker_isolate_;
  v8::Isolate* isolate_ = nullptr;
  std::unique_ptr<ModuleLoader> loader_;
  v8::Global<v8::Value> handler_;   // default export's fetch, or undefined (service worker)
  v8::Global<v8::Value> receiver_;  // the default export object
  v8::Global<v8::Object> env_;
  std::string start_error_;
  bool started_ = false;
  StopReason stopped_ = StopReason::kNone;
  Guard* guard_ = nullptr;        // the entry into JS running now
  uint64_t current_request_ = 0;  // the request that entry runs for (0: none)

  uint64_t next_request_id_ = 1;
  RequestTable requests_;
  uv_timer_t* deadline_timer_ = nullptr;  // closed (and freed) by the destructor
  uint64_t deadline_armed_ms_ = 0;

  std::vector<Unhandled> unhandled_;
  std::unordered_map<uint32_t, Timer*> timers_;
  std::unordered_set<OffThreadWork*> off_thread_;  // queued on the thread pool, not done yet
  struct IncomingBody {
    std::shared_ptr<BodyStream> stream;
    uint64_t request;
  };
  struct OutgoingBody {
    uint64_t request;
    BodyStream::ReadFn pending;  // the connection's read waiting for JS
  };
  std::unordered_map<uint32_t, IncomingBody> incoming_bodies_;
  std::unordered_map<uint32_t, OutgoingBody> outgoing_bodies_;
  uint32_t next_body_id_ = 1;
  std::vector<uint32_t> deferred_pulls_;  // response body pulls waiting for the next loop turn
  uv_timer_t* pull_timer_ = nullptr;      // closed (and freed) by the destructor
  struct PendingFetch {
    uint64_t client_id;  // the OutboundHttp's id
    uint64_t request;    // the request whose handler called fetch()
  };
  std::unordered_map<uint32_t, PendingFetch> fetches_;  // by the JS side's id
  // Shared with the response bodies handed to connections, which may outlive the tenant.
  std::shared_ptr<Tenant*> alive_ = std::make_shared<Tenant*>(this);
  size_t memory_bytes_ = 0;
  uint64_t memory_sampled_ms_ = 0;
  uint64_t cpu_ns_ = 0;
  LimitCounts limit_counts_;
};

}  // namespace edgerun::isolates
