// RSA-OAEP encrypt/decrypt.
#include <openssl/rsa.h>

#include <cstring>

#include "bindings/crypto_natives.h"
#include "bindings/crypto_util.h"

namespace edgerun::bindings::crypto {
namespace {

// cryptoRsaOaep(encrypt, key, hash, data, label) -> ArrayBuffer
void RsaOaep(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  bool encrypt = args[0]->BooleanValue(isolate);
  KeyData* key = KeyOf(isolate, args[1]);
  const EVP_MD* md = key ? DigestByName(isolate, args[2]) : nullptr;
  Bytes data, label;
  if (md == nullptr || !GetBytes(isolate, args[3], &data) || !GetBytes(isolate, args[4], &label))
    return;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key->pkey.get(), nullptr));
  bool ok = ctx &&
            (encrypt ? EVP_PKEY_encrypt_init(ctx.get()) : EVP_PKEY_decrypt_init(ctx.get())) == 1 &&
            EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) == 1 &&
            EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md) == 1 &&
            EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) == 1;
  if (ok && label.size > 0) {
    // The context takes ownership of the label.
    void* copy = OPENSSL_memdup(label.data, label.size);
    ok = copy != nullptr &&
         EVP_PKEY_CTX_set0_rsa_oaep_label(ctx.get(), copy, static_cast<int>(label.size)) == 1;
    if (!ok) OPENSSL_free(copy);
  }
  size_t size = 0;
  std::string out;
  auto run = [&](unsigned char* dst, size_t* len) {
    return encrypt ? EVP_PKEY_encrypt(ctx.get(), dst, len, data.data, data.size)
                   : EVP_PKEY_decrypt(ctx.get(), dst, len, data.data, data.size);
  };
  if (ok) ok = run(nullptr, &size) == 1;
  if (ok) {
    out.resize(size);
    ok = run(reinterpret_cast<unsigned char*>(out.data()), &size) == 1;
    out.resize(size);
  }
  if (!ok) {
    ThrowCryptoError(isolate, "OperationError",
                     encrypt ? "RSA-OAEP encryption failed" : "RSA-OAEP decryption failed");
    return;
  }
  ReturnBytes(args, out);
}

}  // namespace

void AppendRsaOaepNatives(std::vector<NativeFunction>* out) {
  out->push_back({"cryptoRsaOaep", RsaOaep, 5});
}

}  // namespace edgerun::bindings::crypto
