// sign/verify for ECDSA (raw r|s signatures, as WebCrypto specifies), Ed25519,
// RSASSA-PKCS1-v1_5 and RSA-PSS. HMAC is in crypto_digest.cc.
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include <cstring>

#include "bindings/crypto_natives.h"
#include "bindings/crypto_util.h"

namespace edgerun::bindings::crypto {
namespace {

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

struct Operation {
  std::string alg;
  KeyData* key = nullptr;
  const EVP_MD* md = nullptr;
  Bytes data;
  int salt_length = 0;
};

// args: alg, key, hash, data, ..., with the salt length at `salt_index`.
bool Parse(const v8::FunctionCallbackInfo<v8::Value>& args, int salt_index, Operation* op) {
  v8::Isolate* isolate = args.GetIsolate();
  op->alg = ToString(isolate, args[0]);
  op->key = KeyOf(isolate, args[1]);
  if (op->key == nullptr) return false;
  if (op->alg != "Ed25519") {
    op->md = DigestByName(isolate, args[2]);
    if (op->md == nullptr) return false;
  }
  op->salt_length = args[salt_index]->Int32Value(isolate->GetCurrentContext()).FromMaybe(0);
  return GetBytes(isolate, args[3], &op->data);
}

MdCtxPtr Begin(const Operation& op, bool sign) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx) return nullptr;
  int ok = sign ? EVP_DigestSignInit(ctx.get(), &pctx, op.md, nullptr, op.key->pkey.get())
                : EVP_DigestVerifyInit(ctx.get(), &pctx, op.md, nullptr, op.key->pkey.get());
  if (ok != 1) return nullptr;
  if (op.alg == "RSASSA-PKCS1-v1_5") {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) return nullptr;
  } else if (op.alg == "RSA-PSS") {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, op.salt_length) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, op.md) != 1) {
      return nullptr;
    }
  }
  return ctx;
}

// Encodings of the Ed25519 points of small order (canonical and non-canonical; Chalkias et al.,
// "Taming the many EdDSAs", 2020). OpenSSL accepts signatures whose public key A or commitment R
// is one of them; WebCrypto (and RFC 8032's intent) rejects them.
constexpr const char* kSmallOrderPoints[] = {
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "0100000000000000000000000000000000000000000000000000000000000080",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};

bool IsSmallOrderPoint(const uint8_t* point) {
  static const char kDigits[] = "0123456789abcdef";
  char hex[65] = {0};
  for (int i = 0; i < 32; ++i) {
    hex[2 * i] = kDigits[point[i] >> 4];
    hex[2 * i + 1] = kDigits[point[i] & 15];
  }
  for (const char* candidate : kSmallOrderPoints) {
    if (memcmp(candidate, hex, 64) == 0) return true;
  }
  return false;
}

size_t EcFieldBytes(const EVP_PKEY* pkey) {
  return (EVP_PKEY_get_bits(pkey) + 7) / 8;
}

// cryptoSign(alg, key, hash, data, saltLength) -> ArrayBuffer
void Sign(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  Operation op;
  if (!Parse(args, 4, &op)) return;
  MdCtxPtr ctx = Begin(op, true);
  size_t size = 0;
  std::string sig;
  bool ok = ctx && EVP_DigestSign(ctx.get(), nullptr, &size, op.data.data, op.data.size) == 1;
  if (ok) {
    sig.resize(size);
    ok = EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size,
                        op.data.data, op.data.size) == 1;
    sig.resize(size);
  }
  if (ok && op.alg == "ECDSA") {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    EcdsaSigPtr der(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())));
    size_t n = EcFieldBytes(op.key->pkey.get());
    std::string raw(2 * n, '\0');
    ok = der != nullptr &&
         BN_bn2binpad(ECDSA_SIG_get0_r(der.get()), reinterpret_cast<unsigned char*>(raw.data()),
                      static_cast<int>(n)) >= 0 &&
         BN_bn2binpad(ECDSA_SIG_get0_s(der.get()), reinterpret_cast<unsigned char*>(raw.data() + n),
                      static_cast<int>(n)) >= 0;
    sig = std::move(raw);
  }
  if (!ok) {
    ThrowCryptoError(isolate, "OperationError", "Signing failed");
    return;
  }
  ReturnBytes(args, sig);
}

// cryptoVerify(alg, key, hash, data, signature, saltLength) -> boolean
void Verify(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  Operation op;
  Bytes signature;
  if (!Parse(args, 5, &op) || !GetBytes(isolate, args[4], &signature)) return;
  std::string der;
  if (op.alg == "ECDSA") {
    // A raw signature of the wrong size is invalid, not an error.
    size_t n = EcFieldBytes(op.key->pkey.get());
    if (signature.size != 2 * n) {
      args.GetReturnValue().Set(false);
      return;
    }
    EcdsaSigPtr sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(signature.data, static_cast<int>(n), nullptr);
    BIGNUM* s = BN_bin2bn(signature.data + n, static_cast<int>(n), nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
      BN_free(r);
      BN_free(s);
      ThrowCryptoError(isolate, "OperationError", "Verification failed");
      return;
    }
    unsigned char* out = nullptr;
    int size = i2d_ECDSA_SIG(sig.get(), &out);
    if (size > 0) der.assign(reinterpret_cast<char*>(out), size);
    OPENSSL_free(out);
    signature.data = reinterpret_cast<const uint8_t*>(der.data());
    signature.size = der.size();
  }
  if (op.alg == "Ed25519") {
    unsigned char pub[32];
    size_t size = sizeof(pub);
    if (signature.size != 64 || EVP_PKEY_get_raw_public_key(op.key->pkey.get(), pub, &size) != 1 ||
        size != 32 || IsSmallOrderPoint(pub) || IsSmallOrderPoint(signature.data)) {
      args.GetReturnValue().Set(false);
      return;
    }
  }
  MdCtxPtr ctx = Begin(op, false);
  if (!ctx) {
    ThrowCryptoError(isolate, "OperationError", "Verification failed");
    return;
  }
  bool ok =
      EVP_DigestVerify(ctx.get(), signature.data, signature.size, op.data.data, op.data.size) == 1;
  args.GetReturnValue().Set(ok);
}

}  // namespace

void AppendSignatureNatives(std::vector<NativeFunction>* out) {
  out->push_back({"cryptoSign", Sign, 5});
  out->push_back({"cryptoVerify", Verify, 6});
}

}  // namespace edgerun::bindings::crypto
