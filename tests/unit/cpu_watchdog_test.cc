// The watchdog fires only for the run it was armed for, and reports the CPU a run used.
#include "isolates/cpu_watchdog.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "isolates/v8_platform.h"
#include "isolates/worker_isolate.h"

namespace edgerun::isolates {
namespace {

void Spin(std::chrono::milliseconds how_long) {
  auto end = std::chrono::steady_clock::now() + how_long;
  volatile uint64_t x = 0;
  while (std::chrono::steady_clock::now() < end)
    x = x + 1;
}

class CpuWatchdogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    V8Platform::Initialize();
    std::string error;
    worker_ = WorkerIsolate::Create(64, &error);
    ASSERT_NE(worker_, nullptr) << error;
    worker_->Adopt();
  }
  std::unique_ptr<WorkerIsolate> worker_;
};

TEST_F(CpuWatchdogTest, FiresPastTheBudgetAndNotBefore) {
  {
    CpuWatchdog::Scope scope(worker_->isolate(), 200'000'000);  // 200 ms
    // Spin until 20 ms of CPU are counted (wall time depends on how loaded the machine is).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (scope.ElapsedCpuNs() < 20'000'000u && std::chrono::steady_clock::now() < deadline) {
      Spin(std::chrono::milliseconds(1));
    }
    EXPECT_GE(scope.ElapsedCpuNs(), 20'000'000u);
    EXPECT_FALSE(scope.fired());
  }
  {
    CpuWatchdog::Scope scope(worker_->isolate(), 10'000'000);  // 10 ms
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!scope.fired() && std::chrono::steady_clock::now() < deadline)
      Spin(std::chrono::milliseconds(1));
    EXPECT_TRUE(scope.fired());
  }
}

TEST_F(CpuWatchdogTest, AFiredScopeLeavesNoTerminationBehind) {
  {
    CpuWatchdog::Scope scope(worker_->isolate(), 1'000'000);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!scope.fired() && std::chrono::steady_clock::now() < deadline)
      Spin(std::chrono::milliseconds(1));
    ASSERT_TRUE(scope.fired());
  }
  // The next script in the isolate runs to completion.
  v8::Isolate* isolate = worker_->isolate();
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope handle_scope(isolate);
  v8::Local<v8::Context> context = worker_->context();
  v8::Context::Scope context_scope(context);
  v8::Local<v8::Value> result;
  ASSERT_TRUE(v8::Script::Compile(context, v8::String::NewFromUtf8Literal(isolate, "6 * 7"))
                  .ToLocalChecked()
                  ->Run(context)
                  .ToLocal(&result));
  EXPECT_EQ(result->Int32Value(context).FromJust(), 42);
}

TEST_F(CpuWatchdogTest, StillFiresAfterGoingIdle) {
  // Nothing armed for 300 ms: the watchdog has gone to sleep (after 100 empty samples); the
  // next entry must wake it and be stopped all the same.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CpuWatchdog::Scope scope(worker_->isolate(), 5'000'000);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!scope.fired() && std::chrono::steady_clock::now() < deadline)
    Spin(std::chrono::milliseconds(1));
  EXPECT_TRUE(scope.fired());
}

TEST_F(CpuWatchdogTest, InnerScopesAreNoOps) {
  CpuWatchdog::Scope outer(worker_->isolate(), 500'000'000);
  {
    CpuWatchdog::Scope inner(worker_->isolate(), 1'000'000);  // would fire at once if armed
    Spin(std::chrono::milliseconds(10));
    EXPECT_FALSE(inner.fired());
  }
  EXPECT_FALSE(outer.fired());
}

}  // namespace
}  // namespace edgerun::isolates
