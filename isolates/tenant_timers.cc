// setTimeout/setInterval for a worker: libuv timers on the tenant's loop. A timer belongs to
// the request whose JS started it; its callbacks are charged to that request's CPU budget and
// it is cancelled when the request ends.
#include <algorithm>
#include <cmath>

#include "bindings/v8_util.h"
#include "isolates/js_error.h"
#include "isolates/tenant.h"
#include "isolates/tenant_guard.h"

namespace edgerun::isolates {

using bindings::LogLevel;

struct Tenant::Timer {
  uv_timer_t handle;
  Tenant* tenant;  // null once the handle is closing
  uint32_t id;
  bool repeat;
  uint64_t owner;  // request id, 0 for timers started outside a request (top-level code)
};

void Tenant::StartTimer(uint32_t id, double delay_ms, bool repeat) {
  StopTimer(id);
  auto* timer = new Timer{{}, this, id, repeat, current_request_};
  uv_timer_init(loop_, &timer->handle);
  timer->handle.data = timer;
  auto delay = static_cast<uint64_t>(std::ceil(delay_ms));
  // libuv measures from the time cached at the start of this loop iteration; JS may have run
  // for a while since, and HTML wants at least `delay` ms from the setTimeout() call.
  uv_update_time(loop_);
  uv_timer_start(&timer->handle, OnTimer, delay, repeat ? std::max<uint64_t>(delay, 1) : 0);
  timers_[id] = timer;
  if (RequestContext* rc = requests_.Find(timer->owner)) rc->timers.push_back(id);
}

void Tenant::StopTimer(uint32_t id) {
  if (!timers_.count(id)) return;
  ForgetTimer(id);
  timers_.erase(id);
}

// Closes timer `id`'s handle and drops it from its request; the caller erases it from timers_.
void Tenant::ForgetTimer(uint32_t id) {
  Timer* timer = timers_.at(id);
  if (RequestContext* rc = requests_.Find(timer->owner)) std::erase(rc->timers, id);
  timer->tenant = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&timer->handle),
           [](uv_handle_t* h) { delete reinterpret_cast<Timer*>(h); });
}

void Tenant::CancelTimersOf(RequestContext& rc) {
  std::vector<uint32_t> ids = std::move(rc.timers);
  rc.timers.clear();
  for (uint32_t id : ids)
    StopTimer(id);
  // Let the JS side drop the callbacks too.
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = worker_isolate_->context();
  v8::Context::Scope context_scope(context);
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Function> fire = worker_isolate_->handles().fire_timer.Get(isolate_);
  for (uint32_t id : ids) {
    v8::Local<v8::Value> args[] = {v8::Integer::NewFromUnsigned(isolate_, id), v8::True(isolate_)};
    if (fire->Call(context, v8::Undefined(isolate_), 2, args).IsEmpty()) break;
  }
}

void Tenant::OnTimer(uv_timer_t* handle) {
  auto* timer = static_cast<Timer*>(handle->data);
  Tenant* tenant = timer->tenant;
  if (tenant == nullptr) return;
  uint32_t id = timer->id;
  uint64_t owner = timer->owner;
  if (!timer->repeat) tenant->StopTimer(id);
  tenant->FireTimer(id, owner);
}

void Tenant::FireTimer(uint32_t id, uint64_t owner) {
  if (stopped_ != StopReason::kNone) return;
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = worker_isolate_->context();
  v8::Context::Scope context_scope(context);
  {
    Guard guard(this, owner, limits_.cpu_ms);
    v8::TryCatch try_catch(isolate_);
    v8::Local<v8::Value> args[] = {v8::Integer::NewFromUnsigned(isolate_, id), v8::False(isolate_)};
    if (worker_isolate_->handles()
            .fire_timer.Get(isolate_)
            ->Call(context, v8::Undefined(isolate_), 2, args)
            .IsEmpty() &&
        try_catch.HasCaught() && !try_catch.HasTerminated()) {
      log_.Log(LogLevel::kError, spec_.name,
               "Uncaught exception in timer callback: " +
                   FormatException(isolate_, context, try_catch.Exception(), try_catch.Message()));
    }
    if (try_catch.HasTerminated() || stopped_ != StopReason::kNone) {
      if (RequestContext* rc = requests_.Find(owner)) {
        if (!rc->answered()) FailTerminated(owner);
      }
    }
    AfterJs(context);
  }
  if (stopped_ != StopReason::kNone) Poison();
}

}  // namespace edgerun::isolates
