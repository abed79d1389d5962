#include "isolates/tenant.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "bindings/http_conversion.h"
#include "bindings/v8_util.h"
#include "isolates/js_error.h"
#include "isolates/tenant_guard.h"
#include "isolates/wasm_module_cache.h"

namespace edgerun::isolates {
namespace {

using bindings::LogLevel;

constexpr uint32_t kTenantSlot = 0;  // isolate data slot: the Tenant
constexpr uint64_t kMemorySampleMs = 100;

Tenant* TenantOf(v8::Isolate* isolate) {
  return static_cast<Tenant*>(isolate->GetData(kTenantSlot));
}

std::string FirstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

Tenant::Tenant(WorkerSpec spec, uv_loop_t* loop, LogSink& log, TenantOwner* owner,
               const TenantLimits& limits)
    : spec_(std::move(spec)), loop_(loop), log_(log), owner_(owner), limits_(limits) {}

Tenant::~Tenant() {
  *alive_ = nullptr;  // response bodies still held by connections now fail their reads
  if (OutboundHttp* outbound = owner_ != nullptr ? owner_->outbound() : nullptr) {
    for (auto& [id, fetch] : fetches_)
      outbound->Cancel(fetch.client_id);
  }
  fetches_.clear();
  for (auto& [id, body] : incoming_bodies_)
    body.stream->Cancel();
  incoming_bodies_.clear();
  std::unordered_map<uint32_t, OutgoingBody> outgoing = std::move(outgoing_bodies_);
  outgoing_bodies_.clear();
  for (auto& [id, body] : outgoing) {
    if (body.pending) body.pending(BodyChunk{BodyChunk::Kind::kError, "the worker was stopped"});
  }
  for (auto& [id, timer] : timers_)
    ForgetTimer(id);
  timers_.clear();
  for (uv_timer_t* timer : {deadline_timer_, pull_timer_}) {
    if (timer == nullptr) continue;
    uv_close(reinterpret_cast<uv_handle_t*>(timer),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  }
  for (uint64_t id : requests_.Ids()) {
    RequestContext* rc = requests_.Find(id);
    if (!rc->answered()) {
      RespondFn respond = std::move(rc->respond);
      rc->respond = nullptr;
      respond(TextResponse(503, "The worker was stopped before it responded.\n"));
    }
  }
  OrphanOffThreadWork();
  if (isolate_ == nullptr) return;
  {
    v8::Isolate::Scope isolate_scope(isolate_);
    unhandled_.clear();
    handler_.Reset();
    receiver_.Reset();
    env_.Reset();
    if (loader_) loader_->Clear();
  }
  worker_isolate_.reset();  // disposes the isolate
}

bool Tenant::AllowWasmCodeGeneration(v8::Local<v8::Context> context, v8::Local<v8::String>) {
  // The cache's own compile of bound and imported modules is always allowed.
  if (WasmModuleCache::CompilingOnThisThread()) return true;
  Tenant* tenant = TenantOf(context->GetIsolate());
  if (tenant == nullptr || tenant->spec_.wasm_runtime_compile) return true;
  // V8's CompileError only says "Wasm code generation disallowed by embedder"; say which
  // setting refused it.
  tenant->Log(LogLevel::kWarn,
              "WebAssembly compile from bytes refused: the worker's config has "
              "\"wasm_runtime_compile\": false (modules bound in \"wasm_modules\" or imported "
              "from .wasm files still work)");
  return false;
}

void Tenant::WakeForTasks(double delay_s) {
  owner_->WakeTenant(this, delay_s);
}

bool Tenant::Start(std::unique_ptr<WorkerIsolate> isolate, std::string* error) {
  if (isolate == nullptr) isolate = WorkerIsolate::Create(limits_.heap_limit_mb, &start_error_);
  if (isolate == nullptr) {
    start_error_ = "internal error: " + start_error_;
    *error = start_error_;
    return false;
  }
  worker_isolate_ = std::move(isolate);
  worker_isolate_->Adopt();
  isolate_ = worker_isolate_->isolate();
  isolate_->SetData(kTenantSlot, this);
  isolate_->SetPromiseRejectCallback(OnPromiseReject);
  isolate_->AddNearHeapLimitCallback(OnNearHeapLimit, this);
  isolate_->SetCaptureStackTraceForUncaughtExceptions(true, 20);
  isolate_->SetAllowWasmCodeGenerationCallback(AllowWasmCodeGeneration);
  V8Platform::SetWaker(isolate_, this);
  loader_ = std::make_unique<ModuleLoader>(spec_.main.parent_path(), spec_.name);
  loader_->Attach(isolate_);
  deadline_timer_ = new uv_timer_t;
  uv_timer_init(loop_, deadline_timer_);
  deadline_timer_->data = this;
  pull_timer_ = new uv_timer_t;
  uv_timer_init(loop_, pull_timer_);
  pull_timer_->data = this;

  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = worker_isolate_->context();
  bindings::AttachHost(context, this);
  v8::Context::Scope context_scope(context);
  // WebAssembly modules are compiled (once per process) outside the startup CPU budget: the
  // compile is shared by every tenant that binds the same bytes.
  v8::Local<v8::Object> env;
  bool ok = BuildEnv(context, &env, &start_error_);
  if (ok) {
    env_.Reset(isolate_, env);
    Guard guard(this, 0, limits_.startup_cpu_ms);
    ok = LoadWorker(context, &start_error_);
    AfterJs(context);
  }
  if (stopped_ == StopReason::kMemory) {
    ok = false;
    start_error_ = spec_.main.string() + ": the worker ran out of memory while loading (" +
                   std::to_string(limits_.heap_limit_mb) + " MB of V8 heap)";
  } else if (stopped_ == StopReason::kCpu) {
    ok = false;
    start_error_ = spec_.main.string() + ": the worker's top-level code used more than " +
                   std::to_string(limits_.startup_cpu_ms) + " ms of CPU time while loading";
  }
  started_ = ok;
  if (!ok) *error = start_error_;
  SampleMemory();
  return ok;
}

void Tenant::Dispatch(HttpRequest request, std::string url, RespondFn respond) {
  if (!started_ || stopped_ != StopReason::kNone) {
    log_.Log(LogLevel::kError, spec_.name,
             "request failed: the worker could not be started: " + FirstLine(start_error_));
    respond(TextResponse(500, "The worker could not be started.\n"));
    return;
  }
  uint64_t id = next_request_id_++;
  // The loop's cached time can be behind by however long this iteration has run so far.
  uv_update_time(loop_);
  requests_.Add(id, std::move(respond), uv_now(loop_) + limits_.wall_ms);
  ArmDeadlines();
  const uint32_t body_id =
      request.body_stream ? AdoptRequestBody(std::move(request.body_stream), id) : 0;

  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = worker_isolate_->context();
  v8::Context::Scope context_scope(context);
  {
    Guard guard(this, id, limits_.cpu_ms);
    v8::TryCatch try_catch(isolate_);
    v8::Local<v8::Value> args[8];
    args[0] = handler_.Get(isolate_);
    args[1] = receiver_.Get(isolate_);
    bindings::MakeDispatchArgs(isolate_, request, url, body_id, args + 2);
    args[6] = env_.Get(isolate_);
    args[7] = v8::Number::New(isolate_, static_cast<double>(id));
    v8::Local<v8::Value> result;
    if (!worker_isolate_->handles()
             .dispatch.Get(isolate_)
             ->Call(context, v8::Undefined(isolate_), 8, args)
             .ToLocal(&result)) {
      if (try_catch.HasTerminated() || stopped_ != StopReason::kNone) {
        FailTerminated(id);
      } else {
        Fail(id, context, try_catch.Exception(), try_catch.Message());
      }
    } else if (!result->IsPromise()) {
      Finish(id, context, result);
    } else {
      v8::Local<v8::Promise> promise = result.As<v8::Promise>();
      isolate_->PerformMicrotaskCheckpoint();
      if (stopped_ != StopReason::kNone || isolate_->IsExecutionTerminating()) {
        FailTerminated(id);
      } else if (promise->State() == v8::Promise::kFulfilled) {
        Finish(id, context, promise->Result());
      } else if (promise->State() == v8::Promise::kRejected) {
        promise->MarkAsHandled();
        ForgetUnhandled(promise);
        Fail(id, context, promise->Result(), {});
      } else {
        v8::Local<v8::Value> data = v8::Number::New(isolate_, static_cast<double>(id));
        v8::Local<v8::Function> on_fulfilled, on_rejected;
        if (!v8::Function::New(context, OnFulfilled, data).ToLocal(&on_fulfilled) ||
            !v8::Function::New(context, OnRejected, data).ToLocal(&on_rejected) ||
            promise->Then(context, on_fulfilled, on_rejected).IsEmpty()) {
          FailTerminated(id);
        }
      }
    }
    AfterJs(context);
  }
  if (stopped_ != StopReason::kNone) {
    Poison();
    return;
  }
  SampleMemory();
}

void Tenant::OnFulfilled(const v8::FunctionCallbackInfo<v8::Value>& args) {
  Tenant* tenant = TenantOf(args.GetIsolate());
  auto id = static_cast<uint64_t>(args.Data().As<v8::Number>()->Value());
  tenant->Finish(id, args.GetIsolate()->GetCurrentContext(), args[0]);
}

void Tenant::OnRejected(const v8::FunctionCallbackInfo<v8::Value>& args) {
  Tenant* tenant = TenantOf(args.GetIsolate());
  auto id = static_cast<uint64_t>(args.Data().As<v8::Number>()->Value());
  tenant->Fail(id, args.GetIsolate()->GetCurrentContext(), args[0], {});
}

void Tenant::Finish(uint64_t id, v8::Local<v8::Context> context, v8::Local<v8::Value> parts) {
  RequestContext* rc = requests_.Find(id);
  if (rc == nullptr || rc->answered()) return;  // answered already (a limit, the wall clock)
  HttpResponse response;
  std::string error;
  uint32_t stream_id = 0;
  if (!bindings::ReadResponseParts(isolate_, context, parts, &response, &stream_id, &error)) {
    log_.Log(LogLevel::kError, spec_.name, error);
    Respond(id, TextResponse(500, "The worker returned an invalid response.\n"));
    return;
  }
  if (stream_id != 0) response.body_stream = AdoptResponseBody(stream_id, id);
  Respond(id, std::move(response));
}

void Tenant::Fail(uint64_t id, v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                  v8::Local<v8::Message> message) {
  RequestContext* rc = requests_.Find(id);
  if (rc == nullptr || rc->answered()) return;
  log_.Log(LogLevel::kError, spec_.name,
           "Uncaught exception in fetch handler: " +
               FormatException(isolate_, context, exception, message));
  Respond(id, TextResponse(500, "The worker threw an exception.\n"));
}

void Tenant::FailTerminated(uint64_t id) {
  // The watchdog may have fired without the guard noticing yet.
  if (guard_ != nullptr) guard_->NoteIfFired();
  switch (stopped_) {
    case StopReason::kMemory:
      ++limit_counts_.memory;
      Respond(id, TextResponse(503, "The worker exceeded its memory limit (limits.memory_mb = " +
                                        std::to_string(limits_.heap_limit_mb) + ").\n"));
      break;
    case StopReason::kCpu:
      ++limit_counts_.cpu;
      Respond(id, CpuLimitResponse());
      break;
    case StopReason::kNone:
      Respond(id, TextResponse(500, "The worker's execution was terminated.\n"));
      break;
  }
}

HttpResponse Tenant::CpuLimitResponse() const {
  return TextResponse(503, "The worker exceeded its CPU time limit (limits.cpu_ms = " +
                               std::to_string(limits_.cpu_ms) + ").\n");
}

// One line per CPU-limit stop with the CPU the request really used (bench/limits reads it).
void Tenant::LogCpuStop(uint64_t used_ns, uint64_t budget_ms) {
  char text[128];
  std::snprintf(text, sizeof text,
                "CPU limit: the request used %.1f ms of CPU time (limits.cpu_ms = %llu)",
                static_cast<double>(used_ns) / 1e6, static_cast<unsigned long long>(budget_ms));
  log_.Log(LogLevel::kWarn, spec_.name, text);
}

void Tenant::OverBudget(uint64_t id, uint64_t budget_ms) {
  log_.Log(LogLevel::kError, spec_.name,
           "a request used more than " + std::to_string(budget_ms) +
               " ms of CPU time (limits.cpu_ms) over its runs: answered 503, its timers and "
               "waitUntil() work stopped");
  if (RequestContext* rc = requests_.Find(id)) rc->wait_until = 0;
  ++limit_counts_.cpu;
  Respond(id, CpuLimitResponse());
  End(id);
}

void Tenant::Respond(uint64_t id, HttpResponse response) {
  RequestContext* rc = requests_.Find(id);
  if (rc == nullptr || rc->answered()) return;
  RespondFn respond = std::move(rc->respond);
  rc->respond = nullptr;
  if (rc->streams > 0) {
    requests_.MoveToStreaming(id);  // until the body is written (FinishResponseBody)
  } else if (rc->wait_until > 0) {
    requests_.MoveToLingering(id, uv_now(loop_) + limits_.wait_until_ms);
    ArmDeadlines();
  } else {
    End(id);
  }
  respond(std::move(response));
}

void Tenant::MaybeEnd(uint64_t id) {
  RequestContext* rc = requests_.Find(id);
  if (rc != nullptr && rc->answered() && rc->wait_until <= 0 && rc->streams <= 0) End(id);
}

void Tenant::End(uint64_t id) {
  RequestContext* rc = requests_.Find(id);
  if (rc == nullptr) return;
  // Timers a request started die with it (as on Workers: work after the answer needs
  // ctx.waitUntil()).
  if (!rc->timers.empty()) CancelTimersOf(*rc);
  requests_.Remove(id);
  DropBodiesOf(id);
  CancelFetchesOf(id);
}

void Tenant::ArmDeadlines() {
  uint64_t next = requests_.NextDeadline();
  // An armed timer that fires before the next deadline re-arms itself; only an earlier
  // deadline needs a restart. On a busy tenant this keeps the timer off the per-request path.
  if (next == 0 || (deadline_armed_ms_ != 0 && deadline_armed_ms_ <= next)) return;
  uint64_t now = uv_now(loop_);
  deadline_armed_ms_ = next;
  uv_timer_start(
      deadline_timer_, [](uv_timer_t* t) { static_cast<Tenant*>(t->data)->OnDeadline(); },
      next > now ? next - now : 0, 0);
}

void Tenant::OnDeadline() {
  deadline_armed_ms_ = 0;
  for (uint64_t id : requests_.Due(uv_now(loop_))) {
    RequestContext* rc = requests_.Find(id);
    if (rc == nullptr) continue;
    if (!rc->answered()) {
      log_.Log(LogLevel::kError, spec_.name,
               "a request got no answer within limits.wall_ms (" + std::to_string(limits_.wall_ms) +
                   " ms): answered 504");
      rc->wait_until = 0;  // the request is over: its waitUntil() work is abandoned too
      ++limit_counts_.wall;
      Respond(id, TextResponse(504, "The worker did not answer in time (limits.wall_ms = " +
                                        std::to_string(limits_.wall_ms) + ").\n"));
    } else {
      log_.Log(LogLevel::kWarn, spec_.name,
               "ctx.waitUntil() work still pending " + std::to_string(limits_.wait_until_ms) +
                   " ms after the answer (limits.wait_until_ms): abandoned");
      End(id);
    }
  }
  ArmDeadlines();
}

void Tenant::AfterJs(v8::Local<v8::Context> context) {
  if (stopped_ == StopReason::kNone) isolate_->PerformMicrotaskCheckpoint();
  if (!unhandled_.empty()) {
    std::vector<Unhandled> unhandled = std::move(unhandled_);
    unhandled_.clear();
    for (Unhandled& u : unhandled) {
      log_.Log(LogLevel::kError, spec_.name,
               "Uncaught (in promise) " +
                   FormatException(isolate_, context, u.reason.Get(isolate_), {}));
    }
  }
}

void Tenant::ForgetUnhandled(v8::Local<v8::Promise> promise) {
  std::erase_if(unhandled_, [&](const Unhandled& u) { return u.promise == promise; });
}

void Tenant::NoteStopped(StopReason why, uint64_t budget_ms) {
  if (stopped_ != StopReason::kNone) return;
  stopped_ = why;
  if (why == StopReason::kCpu) {
    log_.Log(LogLevel::kError, spec_.name,
             "the worker used more than " + std::to_string(budget_ms) +
                 " ms of CPU time (limits.cpu_ms): terminated; its isolate will be re-created");
  } else {
    log_.Log(LogLevel::kError, spec_.name,
             "the worker exceeded its memory limit (" + std::to_string(limits_.heap_limit_mb) +
                 " MB of V8 heap, limits.memory_mb): terminated; its isolate will be re-created");
  }
}

void Tenant::Poison() {
  // JS was cut off mid-way, so the worker's state may be half-updated: no more JS in this
  // isolate. Everything still open gets the limit's answer; the pool disposes the tenant.
  for (uint64_t id : requests_.Ids()) {
    FailTerminated(id);
    End(id);
  }
  owner_->RetireTenant(this);
}

void Tenant::SampleMemory() {
  uint64_t now = uv_now(loop_);
  if (memory_sampled_ms_ != 0 && now - memory_sampled_ms_ < kMemorySampleMs) return;
  memory_sampled_ms_ = now;
  size_t before = memory_bytes_;
  memory_bytes_ = worker_isolate_->MemoryBytes();
  if (memory_bytes_ != before) owner_->MemorySampled(this, before);
}

void Tenant::OnPromiseReject(v8::PromiseRejectMessage message) {
  v8::Local<v8::Promise> promise = message.GetPromise();
  v8::Isolate* isolate = promise->GetIsolate();
  Tenant* tenant = TenantOf(isolate);
  if (message.GetEvent() == v8::kPromiseRejectWithNoHandler) {
    tenant->unhandled_.push_back({v8::Global<v8::Promise>(isolate, promise),
                                  v8::Global<v8::Value>(isolate, message.GetValue())});
  } else if (message.GetEvent() == v8::kPromiseHandlerAddedAfterReject) {
    tenant->ForgetUnhandled(promise);
  }
}

size_t Tenant::OnNearHeapLimit(void* data, size_t current, size_t initial) {
  auto* tenant = static_cast<Tenant*>(data);
  tenant->NoteStopped(StopReason::kMemory, 0);
  tenant->isolate_->TerminateExecution();
  // Headroom so the termination can unwind; the isolate is disposed right after.
  return current + (64u << 20);
}

void Tenant::PumpTasks() {
  if (isolate_ == nullptr || stopped_ != StopReason::kNone) return;
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = worker_isolate_->context();
  v8::Context::Scope context_scope(context);
  {
    Guard guard(this, 0, limits_.cpu_ms);
    V8Platform::PumpTasks(isolate_);
    AfterJs(context);
  }
  if (stopped_ != StopReason::kNone) Poison();
}

void Tenant::Log(LogLevel level, std::string_view message) {
  log_.Log(level, spec_.name, message);
}

void Tenant::WaitUntilDelta(uint64_t request_id, int delta) {
  RequestContext* rc = requests_.Find(request_id);
  if (rc == nullptr) return;
  rc->wait_until += delta;
  MaybeEnd(request_id);
}

}  // namespace edgerun::isolates
