// deriveBits: HKDF, PBKDF2 (EVP_KDF) and the ECDH / X25519 shared secret (EVP_PKEY_derive).
#include <openssl/core_names.h>
#include <openssl/kdf.h>

#include "bindings/crypto_natives.h"
#include "bindings/crypto_util.h"

namespace edgerun::bindings::crypto {
namespace {

// cryptoKdf('HKDF' | 'PBKDF2', hash, key, salt, infoOrIterations, lengthBytes) -> ArrayBuffer
void Kdf(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  bool hkdf = ToString(isolate, args[0]) == "HKDF";
  const EVP_MD* md = DigestByName(isolate, args[1]);
  if (md == nullptr) return;
  KeyData* key = KeyOf(isolate, args[2]);
  Bytes salt, info;
  if (key == nullptr || !GetBytes(isolate, args[3], &salt) ||
      (hkdf && !GetBytes(isolate, args[4], &info))) {
    return;
  }
  unsigned iterations = hkdf ? 0 : args[4]->Uint32Value(context).FromMaybe(0);
  size_t length = static_cast<size_t>(args[5]->NumberValue(context).FromMaybe(0));
  std::string out(length, '\0');
  if (length == 0) {
    ReturnBytes(args, out);
    return;
  }
  KdfPtr kdf(EVP_KDF_fetch(nullptr, hkdf ? "HKDF" : "PBKDF2", nullptr));
  KdfCtxPtr ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  char* digest = const_cast<char*>(EVP_MD_get0_name(md));
  static char kEmpty[1] = {0};
  char* secret = key->secret.empty() ? kEmpty : key->secret.data();
  char* salt_bytes =
      salt.size ? const_cast<char*>(reinterpret_cast<const char*>(salt.data)) : kEmpty;
  OSSL_PARAM params[6];
  int n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(
      hkdf ? OSSL_KDF_PARAM_KEY : OSSL_KDF_PARAM_PASSWORD, secret, key->secret.size());
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt_bytes, salt.size);
  int pkcs5 = 1;  // no SP 800-132 lower bounds: WebCrypto allows short salts and keys
  if (hkdf) {
    params[n++] = OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_INFO,
        info.size ? const_cast<char*>(reinterpret_cast<const char*>(info.data)) : kEmpty,
        info.size);
  } else {
    params[n++] = OSSL_PARAM_construct_uint(OSSL_KDF_PARAM_ITER, &iterations);
    params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5);
  }
  params[n] = OSSL_PARAM_construct_end();
  if (!ctx || EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), length,
                             params) != 1) {
    ThrowCryptoError(isolate, "OperationError", "key derivation failed");
    return;
  }
  ReturnBytes(args, out);
}

// cryptoDeriveShared(privateKey, publicKey) -> ArrayBuffer (the whole ECDH / X25519 secret)
void DeriveShared(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  KeyData* priv = KeyOf(isolate, args[0]);
  KeyData* pub = priv ? KeyOf(isolate, args[1]) : nullptr;
  if (pub == nullptr) return;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, priv->pkey.get(), nullptr));
  size_t size = 0;
  std::string out;
  bool ok = ctx && EVP_PKEY_derive_init(ctx.get()) == 1 &&
            EVP_PKEY_derive_set_peer(ctx.get(), pub->pkey.get()) == 1 &&
            EVP_PKEY_derive(ctx.get(), nullptr, &size) == 1;
  if (ok) {
    out.resize(size);
    ok = EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &size) == 1;
    out.resize(size);
  }
  if (!ok) {
    ThrowCryptoError(isolate, "OperationError", "key agreement failed");
    return;
  }
  ReturnBytes(args, out);
}

}  // namespace

void AppendKdfNatives(std::vector<NativeFunction>* out) {
  out->push_back({"cryptoKdf", Kdf, 6});
  out->push_back({"cryptoDeriveShared", DeriveShared, 2});
}

}  // namespace edgerun::bindings::crypto
