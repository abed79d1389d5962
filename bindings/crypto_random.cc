// crypto.getRandomValues: fills an integer typed array from OpenSSL's CSPRNG.
#include <openssl/rand.h>

#include "bindings/crypto_natives.h"
#include "bindings/crypto_util.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings::crypto {
namespace {

// cryptoRandomFill(view): the JS side has checked the type and the 65536-byte quota.
void RandomFill(const v8::FunctionCallbackInfo<v8::Value>& args) {
  Bytes bytes;
  if (!GetBytes(args.GetIsolate(), args[0], &bytes)) return;
  if (bytes.size > 0 &&
      RAND_bytes(const_cast<uint8_t*>(bytes.data), static_cast<int>(bytes.size)) != 1) {
    ThrowCryptoError(args.GetIsolate(), "OperationError", "random number generator failed");
  }
}

// cryptoCopyBytes(bufferSource) -> Uint8Array: WebIDL's "a copy of the bytes held by" a
// BufferSource, so later changes to the caller's buffer don't reach an operation in flight.
void CopyBytes(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  Bytes bytes;
  if (args[0]->IsUndefined()) {
    ThrowTypeError(isolate, "expected an ArrayBuffer or ArrayBufferView");
    return;
  }
  if (!GetBytes(isolate, args[0], &bytes)) return;
  v8::Local<v8::ArrayBuffer> buffer;
  if (!ToArrayBuffer(isolate, bytes.data, bytes.size).ToLocal(&buffer)) return;
  args.GetReturnValue().Set(v8::Uint8Array::New(buffer, 0, bytes.size));
}

}  // namespace

void AppendRandomNatives(std::vector<NativeFunction>* out) {
  out->push_back({"cryptoRandomFill", RandomFill, 1});
  out->push_back({"cryptoCopyBytes", CopyBytes, 1});
}

}  // namespace edgerun::bindings::crypto
