#include "isolates/tenant.h"

#include <algorithm>
#include <cmath>

#include "bindings/http_conversion.h"
#include "bindings/v8_util.h"
#include "isolates/cpu_watchdog.h"
#include "isolates/js_error.h"
#include "isolates/snapshot.h"

namespace edgerun::isolates {
namespace {

using bindings::LogLevel;
using bindings::OneByteString;
using bindings::ToUtf8;
using bindings::Utf8String;

constexpr uint32_t kTenantSlot = 0;  // isolate data slot: the Tenant

Tenant* TenantOf(v8::Isolate* isolate) {
  return static_cast<Tenant*>(isolate->GetData(kTenantSlot));
}

}  // namespace

struct Tenant::Timer {
  uv_timer_t handle;
  Tenant* tenant;  // null once the tenant is gone (the handle is closing)
  uint32_t id;
  bool repeat;
};

// One entry into the worker's JS under a CPU budget. If the watchdog fired, the tenant is marked
// stopped before the watchdog's scope clears the termination.
class Tenant::Guard {
 public:
  Guard(Tenant* tenant, uint64_t budget_ms)
      : tenant_(tenant), budget_ms_(budget_ms), watch_(tenant->isolate_, budget_ms) {
    // A termination requested for an earlier run must not hit this one.
    tenant_->isolate_->CancelTerminateExecution();
    previous_ = tenant_->guard_;
    tenant_->guard_ = this;
  }
  ~Guard() {
    NoteIfFired();
    tenant_->guard_ = previous_;
  }
  void NoteIfFired() {
    if (watch_.fired()) tenant_->NoteStopped(Stopped::kCpu, budget_ms_);
  }

 private:
  Tenant* tenant_;
  uint64_t budget_ms_;
  CpuWatchdog::Scope watch_;
  Guard* previous_ = nullptr;
};

Tenant::Tenant(const WorkerSpec& spec, uv_loop_t* loop, LogSink& log, TenantOwner* owner,
               const TenantLimits& limits)
    : spec_(spec), loop_(loop), log_(log), owner_(owner), limits_(limits) {}

Tenant::~Tenant() {
  for (auto& [id, timer] : timers_) {
    timer->tenant = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(&timer->handle),
             [](uv_handle_t* h) { delete reinterpret_cast<Timer*>(h); });
  }
  timers_.clear();
  auto pending = std::move(pending_);
  for (auto& [id, p] : pending) {
    p.respond(TextResponse(503, "The worker was stopped before it responded.\n"));
  }
  if (isolate_ == nullptr) return;
  {
    v8::Isolate::Scope isolate_scope(isolate_);
    unhandled_.clear();
    handles_.dispatch.Reset();
    handles_.fire_timer.Reset();
    handles_.has_fetch_listener.Reset();
    handler_.Reset();
    receiver_.Reset();
    env_.Reset();
    context_.Reset();
    if (loader_) loader_->Clear();
  }
  V8Platform::NotifyIsolateShutdown(isolate_);
  isolate_->Dispose();
}

void Tenant::WakeForTasks(double delay_s) {
  owner_->WakeTenant(this, delay_s);
}

bool Tenant::Start(std::string* error) {
  allocator_.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator_.get();
  params.constraints.ConfigureDefaultsFromHeapSize(0, limits_.heap_limit_mb << 20);
  UseStartupSnapshot(&params);
  isolate_ = v8::Isolate::New(params);
  isolate_->SetData(kTenantSlot, this);
  isolate_->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate_->SetPromiseRejectCallback(OnPromiseReject);
  isolate_->AddNearHeapLimitCallback(OnNearHeapLimit, this);
  isolate_->SetCaptureStackTraceForUncaughtExceptions(true, 20);
  V8Platform::SetWaker(isolate_, this);
  loader_ = std::make_unique<ModuleLoader>(spec_.main.parent_path());
  loader_->Attach(isolate_);

  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context;
  if (!bindings::NewWorkerContext(isolate_, &handles_, &start_error_).ToLocal(&context)) {
    start_error_ = "internal error: " + start_error_;
    *error = start_error_;
    return false;
  }
  bindings::AttachHost(context, this);
  context_.Reset(isolate_, context);
  v8::Context::Scope context_scope(context);
  env_.Reset(isolate_, BuildEnv(context));
  bool ok;
  {
    Guard guard(this, limits_.startup_cpu_ms);
    ok = LoadWorker(context, &start_error_);
    AfterJs(context);
  }
  if (stopped_ == Stopped::kMemory) {
    ok = false;
    start_error_ = spec_.main.string() + ": the worker ran out of memory while loading (" +
                   std::to_string(limits_.heap_limit_mb) + " MB of V8 heap)";
  } else if (stopped_ == Stopped::kCpu) {
    ok = false;
    start_error_ = spec_.main.string() + ": the worker's top-level code used more than " +
                   std::to_string(limits_.startup_cpu_ms) + " ms of CPU time while loading";
  }
  started_ = ok;
  if (!ok) *error = start_error_;
  return ok;
}

v8::Local<v8::Object> Tenant::BuildEnv(v8::Local<v8::Context> context) {
  v8::Local<v8::Object> env = v8::Object::New(isolate_);
  for (const auto* list : {&spec_.vars, &spec_.secrets}) {
    for (const EnvBinding& binding : *list) {
      v8::Local<v8::Value> value = Utf8String(isolate_, binding.value);
      if (binding.kind == EnvBinding::Kind::kJson) {
        v8::Local<v8::Value> parsed;
        if (v8::JSON::Parse(context, value.As<v8::String>()).ToLocal(&parsed)) value = parsed;
      }
      env->CreateDataProperty(context, Utf8String(isolate_, binding.name), value).Check();
    }
  }
  return env;
}

bool Tenant::LoadWorker(v8::Local<v8::Context> context, std::string* error) {
  v8::TryCatch try_catch(isolate_);
  if (spec_.format == ScriptFormat::kServiceWorker) {
    std::string source;
    if (!ModuleLoader::ReadFile(spec_.main, &source, error)) return false;
    return LoadServiceWorker(context, source, error);
  }
  v8::Local<v8::Module> module;
  if (loader_->Load(context, spec_.main).ToLocal(&module)) {
    // "auto": a file without imports or exports is a service-worker script.
    if (spec_.format == ScriptFormat::kAuto && module->GetModuleRequests()->Length() == 0) {
      v8::Local<v8::Array> exports;
      if (module->GetModuleNamespace().As<v8::Object>()->GetOwnPropertyNames(context).ToLocal(
              &exports) &&
          exports->Length() == 0) {
        std::string source;
        if (!ModuleLoader::ReadFile(spec_.main, &source, error)) return false;
        return LoadServiceWorker(context, source, error);
      }
    }
    return LoadModule(context, module, error);
  }
  std::string module_error = FormatCompileError(isolate_, context, try_catch);
  if (spec_.format == ScriptFormat::kAuto && !try_catch.HasTerminated()) {
    // Sloppy-mode scripts can be invalid as modules but fine as classic scripts.
    std::string source;
    v8::TryCatch classic_try(isolate_);
    v8::ScriptOrigin origin(isolate_, Utf8String(isolate_, spec_.main.string()));
    if (ModuleLoader::ReadFile(spec_.main, &source, error) &&
        !v8::Script::Compile(context, Utf8String(isolate_, source), &origin).IsEmpty()) {
      return LoadServiceWorker(context, source, error);
    }
  }
  *error = module_error;
  return false;
}

bool Tenant::LoadModule(v8::Local<v8::Context> context, v8::Local<v8::Module> module,
                        std::string* error) {
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Value> result;
  if (!module->Evaluate(context).ToLocal(&result)) {
    *error = FormatCompileError(isolate_, context, try_catch);
    return false;
  }
  isolate_->PerformMicrotaskCheckpoint();
  v8::Local<v8::Promise> promise = result.As<v8::Promise>();
  if (promise->State() == v8::Promise::kRejected) {
    promise->MarkAsHandled();
    ForgetUnhandled(promise);
    *error = spec_.main.string() + ": uncaught exception while loading: " +
             FormatException(isolate_, context, promise->Result(), {});
    return false;
  }
  if (promise->State() == v8::Promise::kPending) {
    *error = spec_.main.string() +
             ": top-level await did not finish while loading (module loading can't wait for "
             "timers or I/O)";
    return false;
  }
  v8::Local<v8::Value> default_export;
  v8::Local<v8::Value> fetch;
  v8::Local<v8::Object> ns = module->GetModuleNamespace().As<v8::Object>();
  if (!ns->Get(context, OneByteString(isolate_, "default")).ToLocal(&default_export) ||
      !default_export->IsObject() ||
      !default_export.As<v8::Object>()
           ->Get(context, OneByteString(isolate_, "fetch"))
           .ToLocal(&fetch) ||
      !fetch->IsFunction()) {
    *error = spec_.main.string() +
             ": the module's default export has no fetch() handler (expected `export default "
             "{ async fetch(request, env, ctx) { ... } }`)";
    return false;
  }
  handler_.Reset(isolate_, fetch);
  receiver_.Reset(isolate_, default_export);
  return true;
}

bool Tenant::LoadServiceWorker(v8::Local<v8::Context> context, const std::string& source,
                               std::string* error) {
  v8::TryCatch try_catch(isolate_);
  v8::ScriptOrigin origin(isolate_, Utf8String(isolate_, spec_.main.string()));
  v8::Local<v8::Script> script;
  if (!v8::Script::Compile(context, Utf8String(isolate_, source), &origin).ToLocal(&script) ||
      script->Run(context).IsEmpty()) {
    *error = FormatCompileError(isolate_, context, try_catch);
    return false;
  }
  v8::Local<v8::Value> has_listener;
  if (!handles_.has_fetch_listener.Get(isolate_)
           ->Call(context, v8::Undefined(isolate_), 0, nullptr)
           .ToLocal(&has_listener) ||
      !has_listener->IsTrue()) {
    *error = spec_.main.string() +
             ": no fetch handler: the script neither has `export default { fetch() {...} }` nor "
             "calls addEventListener('fetch', event => event.respondWith(...))";
    return false;
  }
  handler_.Reset(isolate_, v8::Undefined(isolate_));
  receiver_.Reset(isolate_, v8::Undefined(isolate_));
  return true;
}

void Tenant::Dispatch(HttpRequest request, std::string url, RespondFn respond) {
  if (!started_ || stopped_ != Stopped::kNone) {
    log_.Log(LogLevel::kError, spec_.name,
             "request failed: the worker could not be started: " +
                 start_error_.substr(0, start_error_.find('\n')));
    respond(TextResponse(500, "The worker could not be started.\n"));
    return;
  }
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::Context::Scope context_scope(context);
  {
    Guard guard(this, limits_.cpu_ms);
    dispatching_ = true;
    v8::TryCatch try_catch(isolate_);
    v8::Local<v8::Value> args[7];
    args[0] = handler_.Get(isolate_);
    args[1] = receiver_.Get(isolate_);
    bindings::MakeDispatchArgs(isolate_, request, url, args + 2);
    args[6] = env_.Get(isolate_);
    v8::Local<v8::Value> result;
    if (!handles_.dispatch.Get(isolate_)
             ->Call(context, v8::Undefined(isolate_), 7, args)
             .ToLocal(&result)) {
      if (try_catch.HasTerminated() || stopped_ != Stopped::kNone) {
        FailTerminated(respond);
      } else {
        Fail(context, try_catch.Exception(), try_catch.Message(), respond);
      }
    } else if (!result->IsPromise()) {
      Finish(context, result, respond);
    } else {
      v8::Local<v8::Promise> promise = result.As<v8::Promise>();
      isolate_->PerformMicrotaskCheckpoint();
      if (stopped_ != Stopped::kNone || isolate_->IsExecutionTerminating()) {
        FailTerminated(respond);
      } else if (promise->State() == v8::Promise::kFulfilled) {
        Finish(context, promise->Result(), respond);
      } else if (promise->State() == v8::Promise::kRejected) {
        promise->MarkAsHandled();
        ForgetUnhandled(promise);
        Fail(context, promise->Result(), {}, respond);
      } else {
        uint64_t id = next_pending_id_++;
        pending_.emplace(id, Pending{std::move(respond)});
        v8::Local<v8::Value> data = v8::Number::New(isolate_, static_cast<double>(id));
        v8::Local<v8::Function> on_fulfilled, on_rejected;
        if (!v8::Function::New(context, OnFulfilled, data).ToLocal(&on_fulfilled) ||
            !v8::Function::New(context, OnRejected, data).ToLocal(&on_rejected) ||
            promise->Then(context, on_fulfilled, on_rejected).IsEmpty()) {
          RespondFn r = std::move(pending_[id].respond);
          pending_.erase(id);
          FailTerminated(r);
        }
      }
    }
    dispatching_ = false;
    AfterJs(context);
  }
  if (stopped_ != Stopped::kNone) Poison();
}

RespondFn Tenant::TakePending(const v8::FunctionCallbackInfo<v8::Value>& args) {
  auto id = static_cast<uint64_t>(args.Data().As<v8::Number>()->Value());
  auto it = pending_.find(id);
  if (it == pending_.end()) return nullptr;  // answered already (the tenant was poisoned)
  RespondFn respond = std::move(it->second.respond);
  pending_.erase(it);
  return respond;
}

void Tenant::OnFulfilled(const v8::FunctionCallbackInfo<v8::Value>& args) {
  Tenant* tenant = TenantOf(args.GetIsolate());
  if (RespondFn respond = tenant->TakePending(args)) {
    tenant->Finish(args.GetIsolate()->GetCurrentContext(), args[0], respond);
  }
}

void Tenant::OnRejected(const v8::FunctionCallbackInfo<v8::Value>& args) {
  Tenant* tenant = TenantOf(args.GetIsolate());
  if (RespondFn respond = tenant->TakePending(args)) {
    tenant->Fail(args.GetIsolate()->GetCurrentContext(), args[0], {}, respond);
  }
}

void Tenant::Finish(v8::Local<v8::Context> context, v8::Local<v8::Value> parts,
                    RespondFn& respond) {
  HttpResponse response;
  std::string error;
  if (!bindings::ReadResponseParts(isolate_, context, parts, &response, &error)) {
    log_.Log(LogLevel::kError, spec_.name, error);
    respond(TextResponse(500, "The worker returned an invalid response.\n"));
    return;
  }
  respond(std::move(response));
}

void Tenant::Fail(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                  v8::Local<v8::Message> message, RespondFn& respond) {
  log_.Log(LogLevel::kError, spec_.name,
           "Uncaught exception in fetch handler: " +
               FormatException(isolate_, context, exception, message));
  respond(TextResponse(500, "The worker threw an exception.\n"));
}

void Tenant::FailTerminated(RespondFn& respond) {
  // The watchdog may have fired without the guard noticing yet.
  if (guard_ != nullptr) guard_->NoteIfFired();
  switch (stopped_) {
    case Stopped::kMemory:
      respond(TextResponse(503, "The worker exceeded its memory limit.\n"));
      break;
    case Stopped::kCpu:
      respond(TextResponse(503, "The worker exceeded its CPU time limit.\n"));
      break;
    case Stopped::kNone:
      respond(TextResponse(500, "The worker's execution was terminated.\n"));
      break;
  }
}

void Tenant::NoteStopped(Stopped why, uint64_t budget_ms) {
  if (stopped_ != Stopped::kNone) return;
  stopped_ = why;
  if (why == Stopped::kCpu) {
    log_.Log(LogLevel::kError, spec_.name,
             "the worker used more than " + std::to_string(budget_ms) +
                 " ms of CPU time in one run of its JS (limits.cpu_ms): terminated; its isolate "
                 "will be re-created");
  } else {
    log_.Log(LogLevel::kError, spec_.name,
             "the worker exceeded its memory limit (" + std::to_string(limits_.heap_limit_mb) +
                 " MB of V8 heap, limits.memory_mb): terminated; its isolate will be re-created");
  }
}

void Tenant::AfterJs(v8::Local<v8::Context> context) {
  if (stopped_ == Stopped::kNone) isolate_->PerformMicrotaskCheckpoint();
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

void Tenant::Poison() {
  // The heap is exhausted or JS was cut off mid-way, so JS state may be half-updated: no more JS
  // in this isolate.
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [id, p] : pending)
    FailTerminated(p.respond);
  owner_->RetireTenant(this);
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
  tenant->NoteStopped(Stopped::kMemory, 0);
  tenant->isolate_->TerminateExecution();
  // Headroom so the termination can unwind; the isolate is disposed right after.
  return current + (64u << 20);
}

void Tenant::PumpTasks() {
  if (isolate_ == nullptr || stopped_ != Stopped::kNone || context_.IsEmpty()) return;
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::Context::Scope context_scope(context);
  {
    Guard guard(this, limits_.cpu_ms);
    V8Platform::PumpTasks(isolate_);
    AfterJs(context);
  }
  if (stopped_ != Stopped::kNone) Poison();
}

void Tenant::Log(LogLevel level, std::string_view message) {
  log_.Log(level, spec_.name, message);
}

void Tenant::StartTimer(uint32_t id, double delay_ms, bool repeat) {
  StopTimer(id);
  auto* timer = new Timer{{}, this, id, repeat};
  uv_timer_init(loop_, &timer->handle);
  timer->handle.data = timer;
  auto delay = static_cast<uint64_t>(std::ceil(delay_ms));
  uv_timer_start(&timer->handle, OnTimer, delay, repeat ? std::max<uint64_t>(delay, 1) : 0);
  timers_[id] = timer;
}

void Tenant::StopTimer(uint32_t id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  Timer* timer = it->second;
  timers_.erase(it);
  timer->tenant = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&timer->handle),
           [](uv_handle_t* h) { delete reinterpret_cast<Timer*>(h); });
}

void Tenant::OnTimer(uv_timer_t* handle) {
  auto* timer = static_cast<Timer*>(handle->data);
  Tenant* tenant = timer->tenant;
  if (tenant == nullptr) return;
  uint32_t id = timer->id;
  if (!timer->repeat) tenant->StopTimer(id);
  tenant->FireTimer(id);
}

void Tenant::FireTimer(uint32_t id) {
  if (stopped_ != Stopped::kNone) return;
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::Context::Scope context_scope(context);
  {
    Guard guard(this, limits_.cpu_ms);
    v8::TryCatch try_catch(isolate_);
    v8::Local<v8::Value> arg = v8::Integer::NewFromUnsigned(isolate_, id);
    if (handles_.fire_timer.Get(isolate_)
            ->Call(context, v8::Undefined(isolate_), 1, &arg)
            .IsEmpty() &&
        try_catch.HasCaught() && !try_catch.HasTerminated()) {
      log_.Log(LogLevel::kError, spec_.name,
               "Uncaught exception in timer callback: " +
                   FormatException(isolate_, context, try_catch.Exception(), try_catch.Message()));
    }
    AfterJs(context);
  }
  if (stopped_ != Stopped::kNone) Poison();
}

void Tenant::WaitUntilDelta(int delta) {
  wait_until_pending_ += delta;
}

}  // namespace edgerun::isolates
