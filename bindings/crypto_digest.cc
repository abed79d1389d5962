// SubtleCrypto.digest and HMAC sign/verify.
#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include "bindings/crypto_natives.h"
#include "bindings/crypto_util.h"

namespace edgerun::bindings::crypto {
namespace {

// cryptoDigest(hashName, data) -> ArrayBuffer
void Digest(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  const EVP_MD* md = DigestByName(isolate, args[0]);
  Bytes data;
  if (md == nullptr || !GetBytes(isolate, args[1], &data)) return;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data, data.size, out, &size, md, nullptr) != 1) {
    ThrowCryptoError(isolate, "OperationError", "digest failed");
    return;
  }
  ReturnBytes(args, {reinterpret_cast<char*>(out), size});
}

bool Mac(v8::Isolate* isolate, const v8::FunctionCallbackInfo<v8::Value>& args, unsigned char* out,
         unsigned int* size) {
  const EVP_MD* md = DigestByName(isolate, args[0]);
  if (md == nullptr) return false;
  KeyData* key = KeyOf(isolate, args[1]);
  Bytes data;
  if (key == nullptr || !GetBytes(isolate, args[2], &data)) return false;
  static const char kEmpty = 0;
  const void* key_bytes = key->secret.empty() ? &kEmpty : key->secret.data();
  if (HMAC(md, key_bytes, static_cast<int>(key->secret.size()), data.data, data.size, out, size) ==
      nullptr) {
    ThrowCryptoError(isolate, "OperationError", "HMAC failed");
    return false;
  }
  return true;
}

// cryptoHmacSign(hashName, key, data) -> ArrayBuffer
void HmacSign(const v8::FunctionCallbackInfo<v8::Value>& args) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (Mac(args.GetIsolate(), args, out, &size)) {
    ReturnBytes(args, {reinterpret_cast<char*>(out), size});
  }
}

// cryptoHmacVerify(hashName, key, data, signature) -> boolean (constant-time compare)
void HmacVerify(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  Bytes signature;
  if (!GetBytes(isolate, args[3], &signature) || !Mac(isolate, args, out, &size)) return;
  bool ok = signature.size == size && CRYPTO_memcmp(out, signature.data, size) == 0;
  args.GetReturnValue().Set(ok);
}

}  // namespace

void AppendDigestNatives(std::vector<NativeFunction>* out) {
  out->push_back({"cryptoDigest", Digest, 2});
  out->push_back({"cryptoHmacSign", HmacSign, 3});
  out->push_back({"cryptoHmacVerify", HmacVerify, 4});
}

}  // namespace edgerun::bindings::crypto
