// Stops worker JS that keeps the CPU too long. One process-wide watchdog thread samples, every
// few milliseconds, the CPU clock of each event-loop thread that is inside a worker's JS, and
// calls TerminateExecution once that entry's budget is spent. CPU time, not wall time: a handler
// waiting on a timer or a slow client uses none.
//
// Budgets are per entry into JS (one request's handler call and its microtasks, one timer
// callback, a worker's top-level code), precise to about one sampling period.
#pragma once

#include <v8.h>

#include <cstdint>

namespace edgerun::isolates {

class CpuWatchdog {
 public:
  // Arms the watchdog for the calling thread while it runs JS in `isolate`. Scopes don't nest
  // (an inner one is a no-op): the outermost entry owns the budget.
  class Scope {
   public:
    Scope(v8::Isolate* isolate, uint64_t budget_ms);
    ~Scope();  // disarms; clears a termination that fired but did not land
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    // True once the budget was exceeded and termination was requested.
    bool fired() const;

   private:
    struct Slot* slot_ = nullptr;
  };

  static constexpr uint64_t kSampleMs = 2;
};

}  // namespace edgerun::isolates
