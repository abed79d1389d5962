#include "bindings/array_buffer_alloc.h"

#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

void FreeWithAllocator(void* data, size_t length, void* allocator) {
  static_cast<v8::ArrayBuffer::Allocator*>(allocator)->Free(data, length);
}

v8::MaybeLocal<v8::ArrayBuffer> NewArrayBuffer(v8::Isolate* isolate, size_t length, bool zero) {
  if (length == 0) return v8::ArrayBuffer::New(isolate, 0);
  v8::ArrayBuffer::Allocator* allocator = isolate->GetArrayBufferAllocator();
  auto allocate = [&] {
    return zero ? allocator->Allocate(length) : allocator->AllocateUninitialized(length);
  };
  void* data = allocate();
  if (data == nullptr) {
    // The budget may be held by ArrayBuffers that are already garbage: V8 schedules GCs by its
    // own external-memory limit (tens of MiB), not by a tenant budget below it. Collect and try
    // once more, as V8 does before refusing `new ArrayBuffer(n)`.
    isolate->LowMemoryNotification();
    data = allocate();
  }
  if (data == nullptr) {
    ThrowRangeError(isolate, "Array buffer allocation failed");
    return {};
  }
  // The allocator outlives every backing store of its isolate (it is freed after the isolate).
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(data, length, &FreeWithAllocator, allocator);
  return v8::ArrayBuffer::New(isolate, std::move(store));
}

}  // namespace

v8::MaybeLocal<v8::ArrayBuffer> NewArrayBufferUninitialized(v8::Isolate* isolate, size_t length) {
  return NewArrayBuffer(isolate, length, false);
}

v8::MaybeLocal<v8::ArrayBuffer> NewArrayBufferZeroed(v8::Isolate* isolate, size_t length) {
  return NewArrayBuffer(isolate, length, true);
}

}  // namespace edgerun::bindings
