#include "isolates/isolate_pool.h"

#include <chrono>
#include <cmath>

namespace edgerun::isolates {
namespace {

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <typename T>
void CloseAndDelete(T* handle) {
  uv_close(reinterpret_cast<uv_handle_t*>(handle),
           [](uv_handle_t* h) { delete reinterpret_cast<T*>(h); });
}

}  // namespace

IsolatePool::IsolatePool(uv_loop_t* loop, LogSink& log, TenantLimits limits)
    : loop_(loop), log_(log), limits_(limits) {
  wake_async_ = new uv_async_t;
  uv_async_init(loop_, wake_async_,
                [](uv_async_t* h) { static_cast<IsolatePool*>(h->data)->OnWake(); });
  wake_async_->data = this;
  // Waking for V8 tasks must not keep the loop alive on its own.
  uv_unref(reinterpret_cast<uv_handle_t*>(wake_async_));
  delay_timer_ = new uv_timer_t;
  uv_timer_init(loop_, delay_timer_);
  delay_timer_->data = this;
  uv_unref(reinterpret_cast<uv_handle_t*>(delay_timer_));
}

IsolatePool::~IsolatePool() {
  Close();
}

void IsolatePool::Close() {
  tenants_.clear();
  retired_.clear();
  if (wake_async_) CloseAndDelete(wake_async_);
  if (delay_timer_) CloseAndDelete(delay_timer_);
  wake_async_ = nullptr;
  delay_timer_ = nullptr;
}

Tenant* IsolatePool::GetOrStart(const WorkerSpec& spec) {
  auto it = tenants_.find(&spec);
  if (it != tenants_.end()) return it->second.get();
  auto tenant = std::make_unique<Tenant>(spec, loop_, log_, this, limits_);
  std::string error;
  auto started = std::chrono::steady_clock::now();
  if (!tenant->Start(&error)) {
    log_.Log(bindings::LogLevel::kError, spec.name, "failed to start: " + error);
  } else {
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    char text[64];
    std::snprintf(text, sizeof text, "isolate started in %.2f ms", ms);
    log_.Log(bindings::LogLevel::kDebug, spec.name, text);
  }
  Tenant* raw = tenant.get();
  tenants_.emplace(&spec, std::move(tenant));
  return raw;
}

void IsolatePool::Dispatch(const WorkerSpec& spec, HttpRequest request, std::string url,
                           RespondFn respond) {
  GetOrStart(spec)->Dispatch(std::move(request), std::move(url), std::move(respond));
}

size_t IsolatePool::busy() const {
  size_t n = 0;
  for (const auto& [spec, tenant] : tenants_) {
    n += tenant->in_flight() + static_cast<size_t>(std::max(0, tenant->wait_until_pending()));
  }
  return n;
}

void IsolatePool::WakeTenant(Tenant* tenant, double delay_s) {
  {
    std::lock_guard lock(wake_mutex_);
    if (delay_s <= 0) {
      wake_now_.insert(tenant);
    } else {
      wake_later_.insert(tenant);
      double deadline = NowSeconds() + delay_s;
      if (next_deadline_s_ == 0 || deadline < next_deadline_s_) next_deadline_s_ = deadline;
    }
  }
  if (wake_async_) uv_async_send(wake_async_);
}

void IsolatePool::RetireTenant(Tenant* tenant) {
  auto it = tenants_.find(&tenant->spec());
  if (it == tenants_.end() || it->second.get() != tenant) return;
  retired_.push_back(std::move(it->second));
  tenants_.erase(it);
  // Dispose it from a fresh loop callback: we are inside one of its calls right now.
  if (wake_async_) uv_async_send(wake_async_);
}

void IsolatePool::OnWake() {
  if (!retired_.empty()) {
    for (const auto& tenant : retired_) {
      std::lock_guard lock(wake_mutex_);
      wake_now_.erase(tenant.get());
      wake_later_.erase(tenant.get());
    }
    retired_.clear();
  }
  std::unordered_set<Tenant*> now;
  double deadline;
  {
    std::lock_guard lock(wake_mutex_);
    now.swap(wake_now_);
    deadline = next_deadline_s_;
  }
  for (Tenant* tenant : now) {
    if (tenants_.count(&tenant->spec()) && tenants_[&tenant->spec()].get() == tenant) {
      tenant->PumpTasks();
    }
  }
  if (deadline != 0 && delay_timer_) {
    // +1 ms: the platform only releases a delayed task once its time has fully passed.
    double ms = std::max(0.0, (deadline - NowSeconds()) * 1000.0) + 1;
    uv_timer_start(
        delay_timer_, [](uv_timer_t* h) { static_cast<IsolatePool*>(h->data)->RunDelayed(); },
        static_cast<uint64_t>(std::ceil(ms)), 0);
  }
}

void IsolatePool::RunDelayed() {
  std::unordered_set<Tenant*> later;
  {
    std::lock_guard lock(wake_mutex_);
    later.swap(wake_later_);
    next_deadline_s_ = 0;
  }
  for (Tenant* tenant : later) {
    auto it = tenants_.find(&tenant->spec());
    if (it != tenants_.end() && it->second.get() == tenant) tenant->PumpTasks();
  }
}

}  // namespace edgerun::isolates
