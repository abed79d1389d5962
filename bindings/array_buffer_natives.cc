// ArrayBuffer.prototype.transfer / transferToFixedLength / detached (ES2024; V8 10.2 lacks them):
// they must detach a buffer, which only the embedder API can do here.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "bindings/array_buffer_alloc.h"
#include "bindings/native_registry.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

// isArrayBuffer(value) -> bool (false for SharedArrayBuffer)
void IsArrayBuffer(const v8::FunctionCallbackInfo<v8::Value>& args) {
  args.GetReturnValue().Set(args[0]->IsArrayBuffer());
}

// arrayBufferWasDetached(buffer) -> bool
void WasDetached(const v8::FunctionCallbackInfo<v8::Value>& args) {
  args.GetReturnValue().Set(args[0]->IsArrayBuffer() &&
                            args[0].As<v8::ArrayBuffer>()->WasDetached());
}

// arrayBufferTransfer(buffer, newLength | undefined, method) -> ArrayBuffer
// `buffer` is an ArrayBuffer and newLength a valid index (the JS side checked both, in the spec's
// order). Same length: the memory moves to the new buffer without a copy.
void Transfer(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::ArrayBuffer> source = args[0].As<v8::ArrayBuffer>();
  std::string method = ToUtf8(isolate, args[2]);
  if (source->WasDetached()) {
    ThrowTypeError(isolate,
                   "Cannot perform ArrayBuffer.prototype." + method + " on a detached ArrayBuffer");
    return;
  }
  if (!source->IsDetachable()) {
    ThrowTypeError(isolate, "ArrayBuffer.prototype." + method +
                                ": this ArrayBuffer cannot be detached (a WebAssembly memory?)");
    return;
  }
  size_t old_length = source->ByteLength();
  size_t new_length = old_length;
  if (!args[1]->IsUndefined()) {
    double n = args[1].As<v8::Number>()->Value();
    if (!(n >= 0) || n > static_cast<double>(SIZE_MAX)) {
      ThrowRangeError(isolate, "Array buffer allocation failed");
      return;
    }
    new_length = static_cast<size_t>(n);
  }
  std::shared_ptr<v8::BackingStore> store = source->GetBackingStore();
  if (new_length == old_length) {
    source->Detach();
    args.GetReturnValue().Set(v8::ArrayBuffer::New(isolate, std::move(store)));
    return;
  }
  v8::Local<v8::ArrayBuffer> result;
  if (!NewArrayBufferZeroed(isolate, new_length).ToLocal(&result)) return;
  size_t copy = std::min(old_length, new_length);
  if (copy > 0) std::memcpy(result->GetBackingStore()->Data(), store->Data(), copy);
  source->Detach();
  args.GetReturnValue().Set(result);
}

}  // namespace

void AppendArrayBufferNatives(std::vector<NativeFunction>* out) {
  out->push_back({"isArrayBuffer", IsArrayBuffer, 1});
  out->push_back({"arrayBufferWasDetached", WasDetached, 1});
  out->push_back({"arrayBufferTransfer", Transfer, 3});
}

}  // namespace edgerun::bindings
