#include "isolates/isolate_pool.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace edgerun::isolates {
namespace {

using bindings::LogLevel;

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <typename T>
void CloseAndDelete(T* handle) {
  uv_close(reinterpret_cast<uv_handle_t*>(handle),
           [](uv_handle_t* h) { delete reinterpret_cast<T*>(h); });
}

}  // namespace

IsolatePool::IsolatePool(uv_loop_t* loop, LogSink& log, PoolOptions options)
    : loop_(loop), log_(log), options_(options) {
  wake_async_ = new uv_async_t;
  uv_async_init(loop_, wake_async_,
                [](uv_async_t* h) { static_cast<IsolatePool*>(h->data)->OnWake(); });
  wake_async_->data = this;
  // Wake-ups and sweeps don't keep the loop alive on their own.
  uv_unref(reinterpret_cast<uv_handle_t*>(wake_async_));
  delay_timer_ = new uv_timer_t;
  uv_timer_init(loop_, delay_timer_);
  delay_timer_->data = this;
  uv_unref(reinterpret_cast<uv_handle_t*>(delay_timer_));
  sweep_check_ = new uv_check_t;
  uv_check_init(loop_, sweep_check_);
  sweep_check_->data = this;
  uv_unref(reinterpret_cast<uv_handle_t*>(sweep_check_));
  spares_ = std::make_unique<SpareMaker>(options_.spares, options_.limits.heap_limit_mb);
}

IsolatePool::~IsolatePool() {
  Close();
}

void IsolatePool::Close() {
  if (closed_) return;
  closed_ = true;
  for (auto& [name, entry] : tenants_)
    Account(*entry.tenant);
  tenants_.clear();
  lru_.clear();
  lru_memory_ = 0;
  retiring_.clear();
  spares_.reset();
  live_.clear();
  CloseAndDelete(wake_async_);
  CloseAndDelete(delay_timer_);
  CloseAndDelete(sweep_check_);
}

Tenant* IsolatePool::StartTenant(const WorkerSpec& spec) {
  auto started = std::chrono::steady_clock::now();
  std::unique_ptr<WorkerIsolate> spare = spares_->Take();
  bool from_spare = spare != nullptr;
  auto tenant = std::make_unique<Tenant>(spec, loop_, log_, this, options_.limits);
  std::string error;
  if (!tenant->Start(std::move(spare), &error)) {
    log_.Log(LogLevel::kError, spec.name, "failed to start: " + error);
  } else {
    char text[96];
    std::snprintf(
        text, sizeof text, "isolate ready in %.2f ms (%s)",
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count(),
        from_spare ? "warm spare" : "new isolate");
    log_.Log(LogLevel::kDebug, spec.name, text);
  }
  ++stats_.created;
  Tenant* raw = tenant.get();
  live_.insert(raw);
  lru_.push_front(raw);
  lru_memory_ += raw->memory_bytes();
  tenants_.emplace(spec.name, Entry{std::move(tenant), lru_.begin()});
  EnforceBudget();
  return raw;
}

void IsolatePool::Dispatch(const WorkerSpec& spec, HttpRequest request, std::string url,
                           RespondFn respond) {
  Tenant* tenant;
  auto it = tenants_.find(spec.name);
  if (it == tenants_.end()) {
    tenant = StartTenant(spec);
  } else {
    tenant = it->second.tenant.get();
    if (it->second.lru != lru_.begin()) lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  tenant->Dispatch(std::move(request), std::move(url), std::move(respond));
}

void IsolatePool::Remove(std::unordered_map<std::string, Entry>::iterator it, bool dispose_now) {
  lru_.erase(it->second.lru);
  std::unique_ptr<Tenant> tenant = std::move(it->second.tenant);
  lru_memory_ -= std::min(lru_memory_, tenant->memory_bytes());
  tenants_.erase(it);
  if (dispose_now) {
    Account(*tenant);
    live_.erase(tenant.get());
    return;  // destroyed here
  }
  retiring_.push_back(std::move(tenant));
  uv_check_start(sweep_check_,
                 [](uv_check_t* h) { static_cast<IsolatePool*>(h->data)->SweepRetiring(); });
}

void IsolatePool::MemorySampled(Tenant* tenant, size_t before) {
  auto it = tenants_.find(tenant->spec().name);
  if (it == tenants_.end() || it->second.tenant.get() != tenant) return;  // retiring: not in lru_
  lru_memory_ = lru_memory_ - std::min(lru_memory_, before) + tenant->memory_bytes();
}

void IsolatePool::EnforceBudget() {
  // A running sum, not a walk over lru_: this runs on every cold start, and with thousands of
  // tenants the walk's cache misses showed in bench/coldstart's profile.
  size_t memory = lru_memory_;
  const size_t memory_limit = options_.max_memory_mb << 20;
  // Least recently used first; busy tenants are skipped (their requests must finish).
  auto it = lru_.end();
  while ((lru_.size() > options_.max_isolates || memory > memory_limit) && it != lru_.begin()) {
    --it;
    Tenant* victim = *it;
    if (victim->busy() > 0 || it == lru_.begin()) continue;
    memory -= std::min(memory, victim->memory_bytes());
    auto next = std::next(it);
    ++stats_.evicted;
    log_.Log(LogLevel::kDebug, victim->spec().name, "evicted (least recently used)");
    // Disposed from the sweep, not here: eviction runs on a request's path.
    Remove(tenants_.find(victim->spec().name), /*dispose_now=*/false);
    it = next;
  }
  if ((lru_.size() > options_.max_isolates || memory > memory_limit) && !budget_warned_) {
    budget_warned_ = true;
    log_.Log(LogLevel::kWarn, "pool",
             "isolate budget exceeded but every tenant is busy: " + std::to_string(lru_.size()) +
                 " tenants, " + std::to_string(memory >> 20) + " MB");
  }
}

void IsolatePool::Replace(const std::vector<std::string>& worker_names) {
  for (const std::string& name : worker_names) {
    auto it = tenants_.find(name);
    if (it == tenants_.end()) continue;
    ++stats_.replaced;
    Remove(it, /*dispose_now=*/false);
  }
}

void IsolatePool::RetireTenant(Tenant* tenant) {
  if (tenant->stopped() == StopReason::kCpu) ++stats_.stopped_cpu;
  if (tenant->stopped() == StopReason::kMemory) ++stats_.stopped_memory;
  auto it = tenants_.find(tenant->spec().name);
  // Called from inside the tenant: it goes to the sweep, which runs after the stack unwinds.
  if (it != tenants_.end() && it->second.tenant.get() == tenant) Remove(it, false);
}

void IsolatePool::SweepRetiring() {
  std::erase_if(retiring_, [&](std::unique_ptr<Tenant>& tenant) {
    if (tenant->busy() > 0 && tenant->stopped() == StopReason::kNone) return false;
    Account(*tenant);
    live_.erase(tenant.get());
    {
      std::lock_guard lock(wake_mutex_);
      wake_now_.erase(tenant.get());
      wake_later_.erase(tenant.get());
    }
    return true;
  });
  if (retiring_.empty()) uv_check_stop(sweep_check_);
}

// Folds a tenant that is going away into the totals.
void IsolatePool::Account(const Tenant& tenant) {
  stats_.cpu_ns += tenant.cpu_ns();
  stats_.cpu_ns_by_worker[tenant.spec().name] += tenant.cpu_ns();
  stats_.limits.cpu += tenant.limit_counts().cpu;
  stats_.limits.memory += tenant.limit_counts().memory;
  stats_.limits.wall += tenant.limit_counts().wall;
}

void IsolatePool::SetOptions(const PoolOptions& options) {
  options_ = options;
  spares_->Configure(options_.spares, options_.limits.heap_limit_mb);
  budget_warned_ = false;
  EnforceBudget();
}

size_t IsolatePool::busy() const {
  size_t n = 0;
  for (const auto& [name, entry] : tenants_)
    n += entry.tenant->busy();
  for (const auto& tenant : retiring_)
    n += tenant->busy();
  return n;
}

PoolStats IsolatePool::stats() const {
  PoolStats s = stats_;
  s.live = tenants_.size();
  s.spares = spares_ ? spares_->ready() : 0;
  s.retiring = retiring_.size();
  auto add = [&s](const Tenant& tenant) {
    s.cpu_ns += tenant.cpu_ns();
    s.cpu_ns_by_worker[tenant.spec().name] += tenant.cpu_ns();
    s.limits.cpu += tenant.limit_counts().cpu;
    s.limits.memory += tenant.limit_counts().memory;
    s.limits.wall += tenant.limit_counts().wall;
  };
  for (const auto& [name, entry] : tenants_) {
    add(*entry.tenant);
    s.memory_bytes += entry.tenant->memory_bytes();
  }
  for (const auto& tenant : retiring_)
    add(*tenant);
  return s;
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
  uv_async_send(wake_async_);
}

void IsolatePool::OnWake() {
  std::unordered_set<Tenant*> now;
  double deadline;
  {
    std::lock_guard lock(wake_mutex_);
    now.swap(wake_now_);
    deadline = next_deadline_s_;
  }
  for (Tenant* tenant : now) {
    if (live_.count(tenant)) tenant->PumpTasks();
  }
  if (deadline != 0) {
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
    if (live_.count(tenant)) tenant->PumpTasks();
  }
}

}  // namespace edgerun::isolates
