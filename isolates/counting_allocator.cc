#include "isolates/counting_allocator.h"

#include <cstdlib>

namespace edgerun::isolates {

bool CountingAllocator::Reserve(size_t length) {
  size_t used = used_.load(std::memory_order_relaxed);
  do {
    if (length > limit_ || used > limit_ - length) {
      refused_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
  } while (!used_.compare_exchange_weak(used, used + length, std::memory_order_relaxed));
  return true;
}

void* CountingAllocator::Allocate(size_t length) {
  if (!Reserve(length)) return nullptr;
  void* data = std::calloc(length == 0 ? 1 : length, 1);
  if (data == nullptr) used_.fetch_sub(length, std::memory_order_relaxed);
  return data;
}

void* CountingAllocator::AllocateUninitialized(size_t length) {
  if (!Reserve(length)) return nullptr;
  void* data = std::malloc(length == 0 ? 1 : length);
  if (data == nullptr) used_.fetch_sub(length, std::memory_order_relaxed);
  return data;
}

void CountingAllocator::Free(void* data, size_t length) {
  if (data == nullptr) return;
  std::free(data);
  used_.fetch_sub(length, std::memory_order_relaxed);
}

}  // namespace edgerun::isolates
