// ArrayBuffer memory of one isolate, counted against a budget. ArrayBuffers live outside the V8
// heap, so the heap limit alone would let a worker allocate without bound through them. Past
// the budget an allocation fails, which JS sees as a RangeError ("Array buffer allocation
// failed") that it can catch.
#pragma once

#include <v8.h>

#include <atomic>
#include <cstddef>

namespace edgerun::isolates {

class CountingAllocator final : public v8::ArrayBuffer::Allocator {
 public:
  explicit CountingAllocator(size_t limit_bytes) : limit_(limit_bytes) {}

  void* Allocate(size_t length) override;
  void* AllocateUninitialized(size_t length) override;
  void Free(void* data, size_t length) override;

  size_t used() const { return used_.load(std::memory_order_relaxed); }
  size_t limit() const { return limit_; }
  // Allocations refused because of the budget, since creation.
  size_t refused() const { return refused_.load(std::memory_order_relaxed); }

 private:
  bool Reserve(size_t length);

  const size_t limit_;
  // Backing stores can be freed on V8's background threads, hence atomics.
  std::atomic<size_t> used_{0};
  std::atomic<size_t> refused_{0};
};

}  // namespace edgerun::isolates
