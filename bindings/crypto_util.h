// Shared pieces of the WebCrypto natives: RAII for OpenSSL objects, the native key handle, byte
// access to BufferSources, and errors the JS side turns into the DOMExceptions the spec names.
#pragma once

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <v8.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace edgerun::bindings::crypto {

template <auto Fn>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Fn(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, Deleter<EVP_CIPHER_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_clear_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using KdfPtr = std::unique_ptr<EVP_KDF, Deleter<EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, Deleter<EVP_KDF_CTX_free>>;

// Key material behind a CryptoKey. Secret keys keep their bytes; asymmetric keys an EVP_PKEY
// (a key pair's public half shares the pair's EVP_PKEY and is marked public).
struct KeyData {
  std::string secret;
  PkeyPtr pkey;
  bool is_private = false;
  ~KeyData();
};

// A handle JS can hold: an ArrayBuffer whose backing store owns the KeyData, so V8 frees the key
// when the handle is collected or the isolate goes away, and counts it as external memory. Only
// builtin JS ever sees the handle (it sits in a private field of CryptoKey).
v8::Local<v8::Value> NewKeyHandle(v8::Isolate* isolate, std::unique_ptr<KeyData> key);
// The key behind a handle, or nullptr with a TypeError pending.
KeyData* KeyOf(v8::Isolate* isolate, v8::Local<v8::Value> handle);

// The bytes of an ArrayBuffer or view (a view into V8's memory: use before calling back into JS).
struct Bytes {
  const uint8_t* data = nullptr;
  size_t size = 0;
  std::string_view view() const { return {reinterpret_cast<const char*>(data), size}; }
};
// false (TypeError pending) when `value` is not a BufferSource; undefined gives empty bytes.
bool GetBytes(v8::Isolate* isolate, v8::Local<v8::Value> value, Bytes* out);

// A new ArrayBuffer holding `data` (empty, with a RangeError pending, when refused).
v8::MaybeLocal<v8::ArrayBuffer> ToArrayBuffer(v8::Isolate* isolate, const uint8_t* data,
                                              size_t size);
inline v8::MaybeLocal<v8::ArrayBuffer> ToArrayBuffer(v8::Isolate* isolate, std::string_view s) {
  return ToArrayBuffer(isolate, reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
// Sets the return value to an ArrayBuffer with `s`'s bytes.
void ReturnBytes(const v8::FunctionCallbackInfo<v8::Value>& args, std::string_view s);

// Throws an Error whose name is a WebCrypto DOMException name ("OperationError", "DataError",
// ...); the JS side rethrows it as that DOMException.
void ThrowCryptoError(v8::Isolate* isolate, const char* name, std::string_view message);

// "SHA-1", "SHA-256", "SHA-384", "SHA-512" -> digest, or nullptr (NotSupportedError pending).
const EVP_MD* DigestByName(v8::Isolate* isolate, v8::Local<v8::Value> name);

std::string ToString(v8::Isolate* isolate, v8::Local<v8::Value> value);

// Returns a promise settled off the event loop: `work` runs on the thread pool (no V8 there),
// then `finish` on the loop makes the value (or throws, which rejects the promise).
using Finish = std::function<v8::MaybeLocal<v8::Value>(v8::Isolate*)>;
void ReturnPromiseOffThread(const v8::FunctionCallbackInfo<v8::Value>& args,
                            std::function<void()> work, Finish finish);

}  // namespace edgerun::bindings::crypto
