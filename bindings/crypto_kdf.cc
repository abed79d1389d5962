// deriveBits: HKDF, PBKDF2 (EVP_KDF) and the ECDH / X25519 shared secret (EVP_PKEY_derive).
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>

#include "bindings/crypto_natives.h"
#include "bindings/crypto_util.h"

namespace edgerun::bindings::crypto {
namespace {

// PBKDF2 at or past this many iterations runs on the thread pool (600,000 iterations of
// SHA-256, OWASP's current advice, take ~100 ms).
constexpr unsigned kOffThreadIterations = 10000;

struct KdfJob {
  bool hkdf = false;
  const EVP_MD* md = nullptr;
  std::string secret, salt, info;
  unsigned iterations = 0;
  std::string out;  // sized to the wanted length; emptied on failure
  bool ok = false;
};

void RunKdf(KdfJob* job) {
  if (job->out.empty()) {
    job->ok = true;
    return;
  }
  KdfPtr kdf(EVP_KDF_fetch(nullptr, job->hkdf ? "HKDF" : "PBKDF2", nullptr));
  KdfCtxPtr ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  if (!ctx) return;
  char* digest = const_cast<char*>(EVP_MD_get0_name(job->md));
  // OSSL_PARAM wants non-null buffers even for empty octet strings.
  static char kEmpty[1] = {0};
  auto bytes = [](std::string& s) { return s.empty() ? kEmpty : s.data(); };
  int pkcs5 = 1;  // no SP 800-132 lower bounds: WebCrypto allows short salts and keys
  OSSL_PARAM params[6];
  int n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] =
      OSSL_PARAM_construct_octet_string(job->hkdf ? OSSL_KDF_PARAM_KEY : OSSL_KDF_PARAM_PASSWORD,
                                        bytes(job->secret), job->secret.size());
  params[n++] =
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, bytes(job->salt), job->salt.size());
  if (job->hkdf) {
    params[n++] =
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, bytes(job->info), job->info.size());
  } else {
    params[n++] = OSSL_PARAM_construct_uint(OSSL_KDF_PARAM_ITER, &job->iterations);
    params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5);
  }
  params[n] = OSSL_PARAM_construct_end();
  job->ok = EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(job->out.data()),
                           job->out.size(), params) == 1;
  OPENSSL_cleanse(job->secret.data(), job->secret.size());
}

v8::MaybeLocal<v8::Value> KdfResult(v8::Isolate* isolate, const KdfJob& job) {
  if (!job.ok) {
    ThrowCryptoError(isolate, "OperationError", "key derivation failed");
    return {};
  }
  v8::Local<v8::ArrayBuffer> buffer;
  if (!ToArrayBuffer(isolate, job.out).ToLocal(&buffer)) return {};
  return buffer;
}

// cryptoKdf('HKDF' | 'PBKDF2', hash, key, salt, infoOrIterations, lengthBytes) -> ArrayBuffer,
// or a promise of it for long PBKDF2 runs
void Kdf(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  auto job = std::make_shared<KdfJob>();
  job->hkdf = ToString(isolate, args[0]) == "HKDF";
  job->md = DigestByName(isolate, args[1]);
  if (job->md == nullptr) return;
  KeyData* key = KeyOf(isolate, args[2]);
  Bytes salt, info;
  if (key == nullptr || !GetBytes(isolate, args[3], &salt) ||
      (job->hkdf && !GetBytes(isolate, args[4], &info))) {
    return;
  }
  job->secret = key->secret;
  job->salt.assign(salt.view());
  job->info.assign(info.view());
  job->iterations = job->hkdf ? 0 : args[4]->Uint32Value(context).FromMaybe(0);
  job->out.assign(static_cast<size_t>(args[5]->NumberValue(context).FromMaybe(0)), '\0');
  if (!job->hkdf && job->iterations >= kOffThreadIterations) {
    ReturnPromiseOffThread(
        args, [job] { RunKdf(job.get()); },
        [job](v8::Isolate* isolate) { return KdfResult(isolate, *job); });
    return;
  }
  RunKdf(job.get());
  v8::Local<v8::Value> result;
  if (KdfResult(isolate, *job).ToLocal(&result)) args.GetReturnValue().Set(result);
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
