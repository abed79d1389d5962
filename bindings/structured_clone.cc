// structuredClone(): HTML's StructuredSerializeWithTransfer + StructuredDeserializeWithTransfer
// in one step, on V8's ValueSerializer/ValueDeserializer. V8 handles the JavaScript types
// (primitives, wrappers, Date, RegExp, Map, Set, Array, ArrayBuffer and views, Error); platform
// objects (internal.PlatformObject instances) come to the delegates here, which ask the builtin
// JS for the object's registered serializer (23_structured_clone.js) or refuse with a
// DataCloneError DOMException.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bindings/native_registry.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

// The JS side's helpers, passed on each call (natives keep no per-context state).
struct CloneHooks {
  v8::Local<v8::Function> dom_exception;     // DOMException constructor
  v8::Local<v8::Function> serialize_host;    // (object) -> [tag, data] | undefined
  v8::Local<v8::Function> deserialize_host;  // (tag, data, placeholder) -> placeholder, adopted
  v8::Local<v8::Object> seed;                // a PlatformObject instance: placeholders clone it
};

void ThrowDataCloneError(v8::Isolate* isolate, const CloneHooks& hooks,
                         v8::Local<v8::String> message) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> argv[] = {message, OneByteString(isolate, "DataCloneError")};
  v8::Local<v8::Object> error;
  // If constructing fails, its exception is already pending, which is as good.
  if (hooks.dom_exception->NewInstance(context, 2, argv).ToLocal(&error)) {
    isolate->ThrowException(error);
  }
}

class Serializer final : public v8::ValueSerializer::Delegate {
 public:
  Serializer(v8::Isolate* isolate, const CloneHooks& hooks)
      : isolate_(isolate), hooks_(hooks), serializer_(isolate, this) {}

  v8::ValueSerializer& serializer() { return serializer_; }

  void ThrowDataCloneError(v8::Local<v8::String> message) override {
    bindings::ThrowDataCloneError(isolate_, hooks_, message);
  }

  v8::Maybe<bool> WriteHostObject(v8::Isolate* isolate, v8::Local<v8::Object> object) override {
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Value> argv[] = {object};
    v8::Local<v8::Value> result;
    if (!hooks_.serialize_host->Call(context, v8::Undefined(isolate), 1, argv).ToLocal(&result)) {
      return v8::Nothing<bool>();
    }
    if (!result->IsArray() || result.As<v8::Array>()->Length() != 2) {
      std::string name = ToUtf8(isolate, object->GetConstructorName());
      ThrowDataCloneError(Utf8String(isolate, name + " object could not be cloned."));
      return v8::Nothing<bool>();
    }
    v8::Local<v8::Array> pair = result.As<v8::Array>();
    v8::Local<v8::Value> tag;
    v8::Local<v8::Value> data;
    if (!pair->Get(context, 0).ToLocal(&tag) || !pair->Get(context, 1).ToLocal(&data)) {
      return v8::Nothing<bool>();
    }
    serializer_.WriteUint32(tag->Uint32Value(context).FromMaybe(0));
    return serializer_.WriteValue(context, data);
  }

  v8::Maybe<uint32_t> GetSharedArrayBufferId(v8::Isolate* isolate,
                                             v8::Local<v8::SharedArrayBuffer>) override {
    ThrowDataCloneError(OneByteString(isolate, "SharedArrayBuffer cannot be cloned here."));
    return v8::Nothing<uint32_t>();
  }

  v8::Maybe<uint32_t> GetWasmModuleTransferId(v8::Isolate* isolate,
                                              v8::Local<v8::WasmModuleObject>) override {
    ThrowDataCloneError(OneByteString(isolate, "WebAssembly.Module object could not be cloned."));
    return v8::Nothing<uint32_t>();
  }

 private:
  v8::Isolate* isolate_;
  const CloneHooks& hooks_;
  v8::ValueSerializer serializer_;
};

class Deserializer final : public v8::ValueDeserializer::Delegate {
 public:
  Deserializer(v8::Isolate* isolate, const CloneHooks& hooks, const uint8_t* data, size_t size)
      : hooks_(hooks), deserializer_(isolate, data, size, this) {}

  v8::ValueDeserializer& deserializer() { return deserializer_; }

  // V8 allows no JS here: return a placeholder and build the real object after ReadValue.
  v8::MaybeLocal<v8::Object> ReadHostObject(v8::Isolate* isolate) override {
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    uint32_t tag = 0;
    v8::Local<v8::Value> data;
    if (!deserializer_.ReadUint32(&tag) || !deserializer_.ReadValue(context).ToLocal(&data)) {
      return {};
    }
    v8::Local<v8::Object> placeholder = hooks_.seed->Clone();
    // V8 calls this inside a HandleScope of its own: keep the handles as Globals.
    pending_.push_back(
        {tag, v8::Global<v8::Value>(isolate, data), v8::Global<v8::Object>(isolate, placeholder)});
    return placeholder;
  }

  // Turns each placeholder into the platform object it stands for; false if JS threw.
  bool Finish(v8::Isolate* isolate) {
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    for (const Pending& p : pending_) {
      v8::Local<v8::Value> argv[] = {v8::Integer::NewFromUnsigned(isolate, p.tag),
                                     p.data.Get(isolate), p.placeholder.Get(isolate)};
      if (hooks_.deserialize_host->Call(context, v8::Undefined(isolate), 3, argv).IsEmpty()) {
        return false;
      }
    }
    return true;
  }

 private:
  struct Pending {
    uint32_t tag;
    v8::Global<v8::Value> data;
    v8::Global<v8::Object> placeholder;
  };
  const CloneHooks& hooks_;
  std::vector<Pending> pending_;
  v8::ValueDeserializer deserializer_;
};

struct FreeDeleter {
  void operator()(uint8_t* p) const { std::free(p); }
};

// structuredClone(value, transfer: object[], DOMException, serializeHost, deserializeHost, seed)
void StructuredClone(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  if (!args[1]->IsArray() || !args[2]->IsFunction() || !args[3]->IsFunction() ||
      !args[4]->IsFunction() || !args[5]->IsObject()) {
    ThrowTypeError(isolate, "structuredClone: bad internal call");
    return;
  }
  CloneHooks hooks{args[2].As<v8::Function>(), args[3].As<v8::Function>(),
                   args[4].As<v8::Function>(), args[5].As<v8::Object>()};

  // The transfer list: ArrayBuffers only (no other transferable platform objects exist here).
  v8::Local<v8::Array> list = args[1].As<v8::Array>();
  std::vector<v8::Local<v8::ArrayBuffer>> transfer;
  for (uint32_t i = 0; i < list->Length(); ++i) {
    v8::Local<v8::Value> item;
    if (!list->Get(context, i).ToLocal(&item)) return;
    if (!item->IsArrayBuffer()) {
      std::string name = item->IsObject()
                             ? ToUtf8(isolate, item.As<v8::Object>()->GetConstructorName())
                             : std::string("value");
      ThrowDataCloneError(isolate, hooks,
                          Utf8String(isolate, "Value at index " + std::to_string(i) + " (" + name +
                                                  ") is not a transferable type."));
      return;
    }
    v8::Local<v8::ArrayBuffer> buffer = item.As<v8::ArrayBuffer>();
    for (const auto& seen : transfer) {
      if (seen == buffer) {
        ThrowDataCloneError(isolate, hooks,
                            Utf8String(isolate, "ArrayBuffer at index " + std::to_string(i) +
                                                    " is a duplicate of an earlier ArrayBuffer."));
        return;
      }
    }
    transfer.push_back(buffer);
  }

  Serializer serializer(isolate, hooks);
  for (size_t i = 0; i < transfer.size(); ++i) {
    serializer.serializer().TransferArrayBuffer(static_cast<uint32_t>(i), transfer[i]);
  }
  serializer.serializer().WriteHeader();
  if (serializer.serializer().WriteValue(context, args[0]).IsNothing()) return;

  // Transfer: detach each buffer, handing its memory to the clone's new ArrayBuffer.
  std::vector<v8::Local<v8::ArrayBuffer>> received;
  for (size_t i = 0; i < transfer.size(); ++i) {
    v8::Local<v8::ArrayBuffer> buffer = transfer[i];
    if (buffer->WasDetached() || !buffer->IsDetachable()) {
      ThrowDataCloneError(
          isolate, hooks,
          Utf8String(isolate, "ArrayBuffer at index " + std::to_string(i) +
                                  (buffer->WasDetached() ? " is already detached."
                                                         : " cannot be detached.")));
      return;
    }
  }
  for (v8::Local<v8::ArrayBuffer> buffer : transfer) {
    std::shared_ptr<v8::BackingStore> store = buffer->GetBackingStore();
    buffer->Detach();
    received.push_back(v8::ArrayBuffer::New(isolate, std::move(store)));
  }

  std::pair<uint8_t*, size_t> bytes = serializer.serializer().Release();
  std::unique_ptr<uint8_t, FreeDeleter> owned(bytes.first);
  Deserializer deserializer(isolate, hooks, bytes.first, bytes.second);
  for (size_t i = 0; i < received.size(); ++i) {
    deserializer.deserializer().TransferArrayBuffer(static_cast<uint32_t>(i), received[i]);
  }
  v8::TryCatch try_catch(isolate);
  bool header_ok = false;
  v8::Local<v8::Value> result;
  if (!deserializer.deserializer().ReadHeader(context).To(&header_ok) || !header_ok ||
      !deserializer.deserializer().ReadValue(context).ToLocal(&result)) {
    if (try_catch.HasCaught() || try_catch.HasTerminated()) {
      try_catch.ReThrow();
    } else {
      // V8 can fail without an exception on data it cannot read back.
      ThrowDataCloneError(isolate, hooks,
                          OneByteString(isolate, "The value could not be deserialized."));
      try_catch.ReThrow();
    }
    return;
  }
  if (!deserializer.Finish(isolate)) {
    try_catch.ReThrow();
    return;
  }
  args.GetReturnValue().Set(result);
}

}  // namespace

void AppendStructuredCloneNatives(std::vector<NativeFunction>* out) {
  out->push_back({"structuredClone", StructuredClone, 6});
}

}  // namespace edgerun::bindings
