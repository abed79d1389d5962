// ArrayBuffers made by natives. Never use v8::ArrayBuffer::NewBackingStore(isolate, n) in a
// native: when the tenant's ArrayBuffer budget (isolates/counting_allocator) refuses, V8 aborts
// the whole process ("Fatal process OOM in NewBackingStore"). These go to the isolate's
// allocator directly and throw a RangeError into the worker instead, as `new ArrayBuffer(n)` does.
#pragma once

#include <v8.h>

#include <cstddef>

namespace edgerun::bindings {

// A new ArrayBuffer of `length` bytes, uninitialized (the caller fills every byte). On refusal,
// a RangeError is pending in the isolate and the result is empty.
v8::MaybeLocal<v8::ArrayBuffer> NewArrayBufferUninitialized(v8::Isolate* isolate, size_t length);

// The same, zero-filled.
v8::MaybeLocal<v8::ArrayBuffer> NewArrayBufferZeroed(v8::Isolate* isolate, size_t length);

}  // namespace edgerun::bindings
