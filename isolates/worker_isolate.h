// A V8 isolate with a worker context deserialized from the startup snapshot, not yet bound to a
// worker. The isolate pool keeps a few of these per thread as warm spares, so a worker's first
// request only has to load the worker's own code; a Tenant adopts one to run its worker in.
#pragma once

#include <v8-locker.h>
#include <v8.h>

#include <memory>
#include <string>

#include "bindings/worker_context.h"
#include "isolates/counting_allocator.h"

namespace edgerun::isolates {

//
// Threads: an isolate may be made on one thread (the spare maker) and used on another. Every
// use happens under a v8::Locker, which is what lets V8 move an isolate between threads (it
// re-initializes the stack guard for the new thread): Create() locks while it builds, Adopt()
// takes the lock for good on the thread that will run the worker.
class WorkerIsolate {
 public:
  // `heap_limit_mb` bounds the V8 heap; ArrayBuffer memory gets the same budget again.
  static std::unique_ptr<WorkerIsolate> Create(size_t heap_limit_mb, std::string* error);
  ~WorkerIsolate();  // drops the handles and disposes the isolate

  // Makes the calling thread the isolate's thread: locks it until destruction.
  void Adopt();
  // A full, memory-reducing GC (~1.5-2 ms). Deserializing the snapshot leaves most of map space
  // garbage: collected, V8's count of the isolate falls from 1,536 to 1,032 KiB and its RSS by
  // ~40 KiB. For spares, on the spare maker's thread; not after Adopt() (no lock taken here).
  void CollectStartupGarbage();
  bool startup_garbage_collected() const { return startup_garbage_collected_; }
  WorkerIsolate(const WorkerIsolate&) = delete;
  WorkerIsolate& operator=(const WorkerIsolate&) = delete;

  v8::Isolate* isolate() const { return isolate_; }
  v8::Local<v8::Context> context() const { return context_.Get(isolate_); }
  bindings::WorkerContextHandles& handles() { return handles_; }
  CountingAllocator& allocator() { return *allocator_; }
  // V8 heap (physical) plus ArrayBuffer memory, in bytes.
  size_t MemoryBytes() const;

 private:
  WorkerIsolate() = default;
  std::unique_ptr<CountingAllocator> allocator_;
  v8::Isolate* isolate_ = nullptr;
  std::unique_ptr<v8::Locker> locker_;  // held by the adopting thread
  v8::Global<v8::Context> context_;
  bindings::WorkerContextHandles handles_;
  bool startup_garbage_collected_ = false;
};

}  // namespace edgerun::isolates
