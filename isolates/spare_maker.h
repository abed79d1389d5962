// Builds warm spare isolates on a background thread at low priority (nice 10), so that the
// cost of creating one never lands on an event loop: ~1 ms for the first isolates of a process,
// and more as the process holds more of them, because for every new isolate V8 10.2 scans
// /proc/self/maps to place its code range near the embedded builtins (~9 ms with 1,000 live
// isolates here). Once all spares are ready, each gets a full GC
// (WorkerIsolate::CollectStartupGarbage), which drops the garbage the snapshot's deserialization
// leaves; making the next spare always comes first. The loop thread takes finished spares
// and adopts them (WorkerIsolate::Adopt).
#pragma once

#include <uv.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "isolates/worker_isolate.h"

namespace edgerun::isolates {

class SpareMaker {
 public:
  // Keeps `target` spares with a `heap_limit_mb` heap ready. `loop`'s uv_async is signalled
  // when one is ready (the loop need not do anything: Take() finds it).
  SpareMaker(size_t target, size_t heap_limit_mb);
  ~SpareMaker();  // stops the thread and disposes the spares not taken
  SpareMaker(const SpareMaker&) = delete;
  SpareMaker& operator=(const SpareMaker&) = delete;

  // A ready spare, or null if none is (the caller then makes one itself).
  std::unique_ptr<WorkerIsolate> Take();
  // New target and heap limit; spares made for another limit are dropped.
  void Configure(size_t target, size_t heap_limit_mb);
  size_t ready() const;
  size_t ready_collected() const;  // of those, how many have had their startup GC

 private:
  void Run();
  bool UncollectedSpare() const;  // with mutex_ held

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<WorkerIsolate>> ready_;
  size_t target_;
  size_t heap_limit_mb_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace edgerun::isolates
