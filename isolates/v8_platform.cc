#include "isolates/v8_platform.h"

#include <libplatform/libplatform.h>

#include <mutex>
#include <string>
#include <unordered_map>

namespace edgerun::isolates {
namespace {

std::mutex g_wakers_mutex;
std::unordered_map<v8::Isolate*, IsolateWaker*>* g_wakers = nullptr;

void Wake(v8::Isolate* isolate, double delay_s) {
  std::lock_guard lock(g_wakers_mutex);
  if (!g_wakers) return;
  auto it = g_wakers->find(isolate);
  if (it != g_wakers->end()) it->second->WakeForTasks(delay_s);
}

// Forwards to the default platform's runner, then wakes the isolate's loop.
class WakingTaskRunner final : public v8::TaskRunner {
 public:
  WakingTaskRunner(std::shared_ptr<v8::TaskRunner> inner, v8::Isolate* isolate)
      : inner_(std::move(inner)), isolate_(isolate) {}

  void PostTask(std::unique_ptr<v8::Task> task) override {
    inner_->PostTask(std::move(task));
    Wake(isolate_, 0);
  }
  void PostNonNestableTask(std::unique_ptr<v8::Task> task) override {
    inner_->PostNonNestableTask(std::move(task));
    Wake(isolate_, 0);
  }
  void PostDelayedTask(std::unique_ptr<v8::Task> task, double delay_s) override {
    inner_->PostDelayedTask(std::move(task), delay_s);
    Wake(isolate_, delay_s);
  }
  void PostNonNestableDelayedTask(std::unique_ptr<v8::Task> task, double delay_s) override {
    inner_->PostNonNestableDelayedTask(std::move(task), delay_s);
    Wake(isolate_, delay_s);
  }
  void PostIdleTask(std::unique_ptr<v8::IdleTask> task) override {
    inner_->PostIdleTask(std::move(task));
  }
  bool IdleTasksEnabled() override { return inner_->IdleTasksEnabled(); }
  bool NonNestableTasksEnabled() const override { return inner_->NonNestableTasksEnabled(); }
  bool NonNestableDelayedTasksEnabled() const override {
    return inner_->NonNestableDelayedTasksEnabled();
  }

 private:
  std::shared_ptr<v8::TaskRunner> inner_;
  v8::Isolate* isolate_;
};

class WakingPlatform final : public v8::Platform {
 public:
  explicit WakingPlatform(std::unique_ptr<v8::Platform> inner) : inner_(std::move(inner)) {}
  v8::Platform* inner() { return inner_.get(); }

  v8::PageAllocator* GetPageAllocator() override { return inner_->GetPageAllocator(); }
  void OnCriticalMemoryPressure() override { inner_->OnCriticalMemoryPressure(); }
  bool OnCriticalMemoryPressure(size_t length) override {
    return inner_->OnCriticalMemoryPressure(length);
  }
  int NumberOfWorkerThreads() override { return inner_->NumberOfWorkerThreads(); }
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* isolate) override {
    // V8 asks for the runner often; the wrapper is cheap and keeps no per-isolate state of its own.
    return std::make_shared<WakingTaskRunner>(inner_->GetForegroundTaskRunner(isolate), isolate);
  }
  void CallOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner_->CallOnWorkerThread(std::move(task));
  }
  void CallBlockingTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner_->CallBlockingTaskOnWorkerThread(std::move(task));
  }
  void CallLowPriorityTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    inner_->CallLowPriorityTaskOnWorkerThread(std::move(task));
  }
  void CallDelayedOnWorkerThread(std::unique_ptr<v8::Task> task, double delay_s) override {
    inner_->CallDelayedOnWorkerThread(std::move(task), delay_s);
  }
  bool IdleTasksEnabled(v8::Isolate* isolate) override { return inner_->IdleTasksEnabled(isolate); }
  std::unique_ptr<v8::JobHandle> PostJob(v8::TaskPriority priority,
                                         std::unique_ptr<v8::JobTask> job_task) override {
    return inner_->PostJob(priority, std::move(job_task));
  }
  double MonotonicallyIncreasingTime() override { return inner_->MonotonicallyIncreasingTime(); }
  double CurrentClockTimeMillis() override { return inner_->CurrentClockTimeMillis(); }
  StackTracePrinter GetStackTracePrinter() override { return inner_->GetStackTracePrinter(); }
  v8::TracingController* GetTracingController() override { return inner_->GetTracingController(); }

 private:
  std::unique_ptr<v8::Platform> inner_;
};

std::once_flag g_init_once;
WakingPlatform* g_platform = nullptr;

}  // namespace

void LinkCodeRangeHint();  // v8_code_range_hint.cc

void V8Platform::Initialize(const char* extra_flags) {
  LinkCodeRangeHint();
  std::call_once(g_init_once, [extra_flags] {
    g_wakers = new std::unordered_map<v8::Isolate*, IsolateWaker*>();
    // One background thread: the other core serves requests on its own loop thread.
    g_platform = new WakingPlatform(
        v8::platform::NewDefaultPlatform(1, v8::platform::IdleTaskSupport::kDisabled,
                                         v8::platform::InProcessStackDumping::kDisabled));
    // The startup snapshot is embedded read-only in our own binary: re-checksumming it for every
    // new isolate was 10% of creating one.
    v8::V8::SetFlagsFromString("--no-verify-snapshot-checksum");
    if (extra_flags && *extra_flags) v8::V8::SetFlagsFromString(extra_flags);
    // With the trap handler WASM memory accesses need no explicit bounds checks (TOOLCHAINS §2).
    v8::V8::EnableWebAssemblyTrapHandler(true);
    v8::V8::InitializePlatform(g_platform);
    v8::V8::Initialize();
  });
}

void V8Platform::Shutdown() {
  if (!g_platform) return;
  v8::V8::Dispose();
  v8::V8::DisposePlatform();
}

v8::Platform* V8Platform::Get() {
  return g_platform;
}

void V8Platform::SetWasmMemoryLimit(size_t mb) {
  std::string flag = "--wasm-max-mem-pages=" + std::to_string(mb * 16);  // 64 KiB pages
  v8::V8::SetFlagsFromString(flag.c_str(), flag.size());
}

void V8Platform::SetWaker(v8::Isolate* isolate, IsolateWaker* waker) {
  std::lock_guard lock(g_wakers_mutex);
  if (waker) {
    (*g_wakers)[isolate] = waker;
  } else {
    g_wakers->erase(isolate);
  }
}

void V8Platform::PumpTasks(v8::Isolate* isolate) {
  while (v8::platform::PumpMessageLoop(g_platform->inner(), isolate,
                                       v8::platform::MessageLoopBehavior::kDoNotWait)) {
  }
}

void V8Platform::NotifyIsolateShutdown(v8::Isolate* isolate) {
  SetWaker(isolate, nullptr);
  v8::platform::NotifyIsolateShutdown(g_platform->inner(), isolate);
}

}  // namespace edgerun::isolates
