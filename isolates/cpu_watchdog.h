// Stops worker JS that keeps the CPU too long. One process-wide watchdog thread samples, every
// millisecond, the CPU clock of each event-loop thread that is inside a worker's JS, and calls
// TerminateExecution once that entry's budget is spent. CPU time, not wall time: a handler
// waiting on a timer or a slow client uses none.
//
// Reading a thread's CPU clock is a system call (~0.4 us here), too slow for every entry on the
// hot path. So an entry only records a monotonic timestamp; the watchdog reads the CPU clock of
// entries that last longer than a sampling period. An entry's cost (ElapsedCpuNs) is thus
// precise for long entries and its wall time for sub-millisecond ones, where the two differ
// only by scheduler preemption.
//
// After 100 samples in a row with nothing armed the watchdog sleeps until an entry arms it
// again, so an idle process has no timer wake-ups.
#pragma once

#include <v8.h>

#include <cstdint>

namespace edgerun::isolates {

class CpuWatchdog {
 public:
  static constexpr uint64_t kSampleNs = 1'000'000;

  // Arms the watchdog for the calling thread while it runs JS in `isolate`. Scopes don't nest
  // (an inner one is a no-op): the outermost entry owns the budget.
  class Scope {
   public:
    Scope(v8::Isolate* isolate, uint64_t budget_ns);
    ~Scope();  // disarms; clears a termination that fired but did not land
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    // True once the budget was spent and termination was requested.
    bool fired() const;
    // CPU time used since the scope began.
    uint64_t ElapsedCpuNs() const;

   private:
    struct Slot* slot_ = nullptr;
    uint64_t start_wall_ns_ = 0;
  };
};

}  // namespace edgerun::isolates
