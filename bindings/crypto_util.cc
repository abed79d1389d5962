#include "bindings/crypto_util.h"

#include <openssl/crypto.h>

#include "bindings/array_buffer_alloc.h"
#include "bindings/native_registry.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings::crypto {
namespace {

void DeleteKey(void*, size_t, void* key) {
  delete static_cast<KeyData*>(key);
}

}  // namespace

KeyData::~KeyData() {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
}

v8::Local<v8::Value> NewKeyHandle(v8::Isolate* isolate, std::unique_ptr<KeyData> key) {
  KeyData* raw = key.release();
  // Zero-length, so the handle exposes no bytes; the deleter owns the key.
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(raw, 0, &DeleteKey, raw);
  return v8::ArrayBuffer::New(isolate, std::move(store));
}

KeyData* KeyOf(v8::Isolate* isolate, v8::Local<v8::Value> handle) {
  if (handle->IsArrayBuffer()) {
    void* data = handle.As<v8::ArrayBuffer>()->GetBackingStore()->Data();
    if (data != nullptr) return static_cast<KeyData*>(data);
  }
  ThrowTypeError(isolate, "not a CryptoKey handle");
  return nullptr;
}

bool GetBytes(v8::Isolate* isolate, v8::Local<v8::Value> value, Bytes* out) {
  if (value->IsUndefined()) {
    *out = {};
    return true;
  }
  if (value->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = value.As<v8::ArrayBufferView>();
    out->data =
        static_cast<const uint8_t*>(view->Buffer()->GetBackingStore()->Data()) + view->ByteOffset();
    out->size = view->ByteLength();
    return true;
  }
  if (value->IsArrayBuffer()) {
    std::shared_ptr<v8::BackingStore> store = value.As<v8::ArrayBuffer>()->GetBackingStore();
    out->data = static_cast<const uint8_t*>(store->Data());
    out->size = store->ByteLength();
    return true;
  }
  ThrowTypeError(isolate, "expected an ArrayBuffer or ArrayBufferView");
  return false;
}

v8::MaybeLocal<v8::ArrayBuffer> ToArrayBuffer(v8::Isolate* isolate, const uint8_t* data,
                                              size_t size) {
  v8::Local<v8::ArrayBuffer> buffer;
  if (!NewArrayBufferUninitialized(isolate, size).ToLocal(&buffer)) return {};
  if (size > 0) memcpy(buffer->GetBackingStore()->Data(), data, size);
  return buffer;
}

void ReturnBytes(const v8::FunctionCallbackInfo<v8::Value>& args, std::string_view s) {
  v8::Local<v8::ArrayBuffer> buffer;
  if (ToArrayBuffer(args.GetIsolate(), s).ToLocal(&buffer)) args.GetReturnValue().Set(buffer);
}

void ThrowCryptoError(v8::Isolate* isolate, const char* name, std::string_view message) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> error = v8::Exception::Error(Utf8String(isolate, message));
  error.As<v8::Object>()
      ->Set(context, OneByteString(isolate, "name"), OneByteString(isolate, name))
      .Check();
  isolate->ThrowException(error);
}

std::string ToString(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  return ToUtf8(isolate, value);
}

const EVP_MD* DigestByName(v8::Isolate* isolate, v8::Local<v8::Value> name) {
  std::string n = ToString(isolate, name);
  if (n == "SHA-1") return EVP_sha1();
  if (n == "SHA-256") return EVP_sha256();
  if (n == "SHA-384") return EVP_sha384();
  if (n == "SHA-512") return EVP_sha512();
  ThrowCryptoError(isolate, "NotSupportedError", "Unrecognized hash algorithm: " + n);
  return nullptr;
}

namespace {

void Settle(v8::Isolate* isolate, v8::Local<v8::Promise::Resolver> resolver, const Finish& finish) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> value;
  if (finish(isolate).ToLocal(&value)) {
    resolver->Resolve(context, value).FromMaybe(false);
  } else if (try_catch.HasCaught() && !try_catch.HasTerminated()) {
    v8::Local<v8::Value> error = try_catch.Exception();
    try_catch.Reset();
    resolver->Reject(context, error).FromMaybe(false);
  }
}

}  // namespace

void ReturnPromiseOffThread(const v8::FunctionCallbackInfo<v8::Value>& args,
                            std::function<void()> work, Finish finish) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(isolate->GetCurrentContext()).ToLocal(&resolver)) return;
  args.GetReturnValue().Set(resolver->GetPromise());
  Host* host = HostOf(args);
  if (host == nullptr) {  // no event loop (building the snapshot): do it here
    work();
    Settle(isolate, resolver, finish);
    return;
  }
  // std::function needs a copyable callable; v8::Global is move-only.
  auto pending = std::make_shared<v8::Global<v8::Promise::Resolver>>(isolate, resolver);
  host->RunOffThread(std::move(work), [pending, finish = std::move(finish)] {
    v8::Isolate* isolate = v8::Isolate::GetCurrent();
    v8::HandleScope scope(isolate);
    Settle(isolate, pending->Get(isolate), finish);
    pending->Reset();
  });
}

}  // namespace edgerun::bindings::crypto
