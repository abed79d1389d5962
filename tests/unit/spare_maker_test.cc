// Spares made off the loop: ready without asking, and already rid of the snapshot's garbage.
#include "isolates/spare_maker.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "isolates/v8_platform.h"

namespace edgerun::testing {
namespace {

// Waits until the maker has a spare that has had its startup GC (done once all spares are
// ready), and takes it.
std::unique_ptr<isolates::WorkerIsolate> TakeCollectedSpare(isolates::SpareMaker& maker) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (maker.ready_collected() == maker.ready() && maker.ready() > 0) return maker.Take();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return nullptr;
}

size_t MemoryOf(isolates::WorkerIsolate& isolate) {
  isolate.Adopt();
  v8::Isolate::Scope scope(isolate.isolate());
  return isolate.MemoryBytes();
}

TEST(SpareMaker, ASpareWeighsLessThanAFreshlyDeserializedIsolate) {
  isolates::V8Platform::Initialize();
  isolates::SpareMaker maker(1, 128);
  std::unique_ptr<isolates::WorkerIsolate> spare = TakeCollectedSpare(maker);
  ASSERT_NE(spare, nullptr);
  std::string error;
  std::unique_ptr<isolates::WorkerIsolate> fresh = isolates::WorkerIsolate::Create(128, &error);
  ASSERT_NE(fresh, nullptr) << error;
  // What the pool's memory budget counts per tenant: the spare's full GC freed whole heap pages.
  size_t spare_bytes = MemoryOf(*spare);
  size_t fresh_bytes = MemoryOf(*fresh);
  EXPECT_LT(spare_bytes + (256 << 10), fresh_bytes)
      << "spare " << (spare_bytes >> 10) << " KiB, fresh " << (fresh_bytes >> 10) << " KiB";
}

}  // namespace
}  // namespace edgerun::testing
