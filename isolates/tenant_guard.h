// Tenant::Guard: one entry into a worker's JS, under the CPU budget of the request it runs for.
// Internal to the tenant's .cc files.
#pragma once

#include <optional>

#include "isolates/cpu_watchdog.h"
#include "isolates/tenant.h"

namespace edgerun::isolates {

// One entry into the worker's JS, made for request `request` (0: for none, e.g. loading the
// worker), under what is left of that request's CPU budget. On exit the CPU used is charged to
// the request; if the watchdog fired, the tenant is marked stopped before the watchdog's scope
// clears the termination. Nested entries (none are expected) are charged to the outer one.
class Tenant::Guard {
 public:
  Guard(Tenant* tenant, uint64_t request, uint64_t budget_ms)
      : tenant_(tenant), request_(request), budget_ms_(budget_ms) {
    if (tenant_->guard_ != nullptr) return;
    watch_.emplace(tenant_->isolate_, Remaining());
    // A termination requested for an earlier run must not hit this one.
    tenant_->isolate_->CancelTerminateExecution();
    tenant_->guard_ = this;
    tenant_->current_request_ = request_;
  }
  ~Guard() {
    if (!watch_) return;
    NoteIfFired();
    uint64_t used = watch_->ElapsedCpuNs();
    tenant_->cpu_ns_ += used;
    bool over_budget = false;
    uint64_t total = used;
    if (RequestContext* rc = tenant_->requests_.Find(request_)) {
      rc->cpu_used_ns += used;
      total = rc->cpu_used_ns;
      // The watchdog only sees runs it samples; a request made of many short runs is caught
      // here, where its total is known. Its JS finished normally: the isolate stays.
      over_budget = !watch_->fired() && total >= budget_ms_ * 1'000'000;
    }
    if (watch_->fired() || over_budget) tenant_->LogCpuStop(total, budget_ms_);
    tenant_->guard_ = nullptr;
    tenant_->current_request_ = 0;
    if (over_budget) tenant_->OverBudget(request_, budget_ms_);
  }
  void NoteIfFired() {
    if (watch_ && watch_->fired()) tenant_->NoteStopped(StopReason::kCpu, budget_ms_);
  }

 private:
  uint64_t Remaining() const {
    uint64_t budget = budget_ms_ * 1'000'000;
    RequestContext* rc = tenant_->requests_.Find(request_);
    if (rc == nullptr) return budget;
    // A request that already spent its budget is stopped at the watchdog's next sample.
    return rc->cpu_used_ns >= budget ? 1 : budget - rc->cpu_used_ns;
  }

  Tenant* tenant_;
  uint64_t request_;
  uint64_t budget_ms_;
  std::optional<CpuWatchdog::Scope> watch_;
};

}  // namespace edgerun::isolates
