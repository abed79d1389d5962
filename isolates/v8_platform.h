// The one process-wide V8 platform. V8's default platform queues foreground tasks (GC steps,
// finalization, async WASM compilation results) per isolate but never runs them by itself: the
// thread owning the isolate must pump them. We wrap it so that posting a task wakes the libuv
// loop that owns the isolate (through an IsolateWaker), which then calls PumpTasks().
#pragma once

#include <v8.h>

#include <cstdint>
#include <memory>

namespace edgerun::isolates {

// Implemented by whoever runs an isolate's thread (the isolate pool). Thread-safe.
class IsolateWaker {
 public:
  virtual ~IsolateWaker() = default;
  // A foreground task for the isolate is due now (delay 0) or in `delay_s` seconds.
  virtual void WakeForTasks(double delay_s) = 0;
};

class V8Platform {
 public:
  // Initializes V8 once per process (idempotent, thread-safe). `extra_flags` as for V8 flags.
  static void Initialize(const char* extra_flags = nullptr);
  // Tears V8 down at process exit; no isolate may be alive.
  static void Shutdown();
  static v8::Platform* Get();

  // Routes task wake-ups for `isolate` to `waker` (nullptr: stop before disposing the isolate).
  static void SetWaker(v8::Isolate* isolate, IsolateWaker* waker);
  // Runs the isolate's due foreground tasks. Call on the isolate's thread, isolate entered.
  static void PumpTasks(v8::Isolate* isolate);
  // Caps every WebAssembly memory at `mb` (the worker memory budget). WASM memories live outside
  // the V8 heap and the ArrayBuffer allocator, and V8 10.2 has no per-isolate hook for them; its
  // process-wide page limit is the one control, and it matches limits.memory_mb, which is
  // process-wide too. Beyond it memory.grow returns -1 and WebAssembly.Memory throws RangeError.
  static void SetWasmMemoryLimit(size_t mb);

  // Must be called right before isolate->Dispose(): frees the platform's per-isolate queues.
  static void NotifyIsolateShutdown(v8::Isolate* isolate);
};

}  // namespace edgerun::isolates
