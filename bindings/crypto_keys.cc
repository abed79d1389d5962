// CryptoKey material in and out: secret bytes, SPKI / PKCS#8 DER, raw public keys, JWK
// components (the JSON and base64url side of JWK is in JS), key generation and key details.
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/x509.h>

#include <cstring>
#include <vector>

#include "bindings/crypto_natives.h"
#include "bindings/crypto_util.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings::crypto {
namespace {

struct Curve {
  const char* web;
  const char* openssl;
};
constexpr Curve kCurves[] = {
    {"P-256", "prime256v1"}, {"P-384", "secp384r1"}, {"P-521", "secp521r1"}};

const char* OpensslCurve(const std::string& web) {
  for (const Curve& c : kCurves) {
    if (web == c.web) return c.openssl;
  }
  return nullptr;
}

std::string WebCurve(const EVP_PKEY* pkey) {
  char name[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name), &len) !=
      1) {
    return "";
  }
  for (const Curve& c : kCurves) {
    if (strcmp(name, c.openssl) == 0) return c.web;
  }
  return name;
}

const char* KindOf(const EVP_PKEY* pkey) {
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
      return "RSA";
    case EVP_PKEY_RSA_PSS:
      return "RSA-PSS";
    case EVP_PKEY_EC:
      return "EC";
    case EVP_PKEY_ED25519:
      return "Ed25519";
    case EVP_PKEY_X25519:
      return "X25519";
    default:
      return "unknown";
  }
}

v8::Local<v8::Value> WrapPkey(v8::Isolate* isolate, PkeyPtr pkey, bool is_private) {
  // An EC key imported from a compressed point exports (SPKI) uncompressed, as WebCrypto wants.
  if (EVP_PKEY_get_base_id(pkey.get()) == EVP_PKEY_EC) {
    EVP_PKEY_set_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                   "uncompressed");
  }
  auto key = std::make_unique<KeyData>();
  key->pkey = std::move(pkey);
  key->is_private = is_private;
  return NewKeyHandle(isolate, std::move(key));
}

// Big-endian bytes of a BIGNUM parameter, left-padded to `width` (0: minimal length).
bool BnParam(const EVP_PKEY* pkey, const char* name, size_t width, std::string* out) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) return false;
  BignumPtr bn(raw);
  size_t size = width ? width : static_cast<size_t>(BN_num_bytes(bn.get()));
  out->assign(size, '\0');
  return BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out->data()),
                      static_cast<int>(size)) >= 0;
}

PkeyPtr FromData(const char* type, int selection, OSSL_PARAM_BLD* bld) {
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, selection, params.get()) != 1) {
    return nullptr;
  }
  return PkeyPtr(pkey);
}

bool CheckKey(EVP_PKEY* pkey, bool is_private) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx) return false;
  return (is_private ? EVP_PKEY_pairwise_check(ctx.get()) : EVP_PKEY_public_check(ctx.get())) == 1;
}

bool PushBn(OSSL_PARAM_BLD* bld, const char* name, const Bytes& bytes,
            std::vector<BignumPtr>* keep) {
  BignumPtr bn(BN_bin2bn(bytes.data, static_cast<int>(bytes.size), nullptr));
  if (!bn || OSSL_PARAM_BLD_push_BN(bld, name, bn.get()) != 1) return false;
  keep->push_back(std::move(bn));
  return true;
}

void DataError(v8::Isolate* isolate, std::string_view message) {
  ThrowCryptoError(isolate, "DataError", message);
}

// cryptoImportSecret(bytes) -> handle
void ImportSecret(const v8::FunctionCallbackInfo<v8::Value>& args) {
  Bytes bytes;
  if (!GetBytes(args.GetIsolate(), args[0], &bytes)) return;
  auto key = std::make_unique<KeyData>();
  key->secret.assign(bytes.view());
  args.GetReturnValue().Set(NewKeyHandle(args.GetIsolate(), std::move(key)));
}

// cryptoExportSecret(handle) -> ArrayBuffer
void ExportSecret(const v8::FunctionCallbackInfo<v8::Value>& args) {
  KeyData* key = KeyOf(args.GetIsolate(), args[0]);
  if (key != nullptr) ReturnBytes(args, key->secret);
}

// cryptoImportDer('spki' | 'pkcs8', bytes) -> handle
void ImportDer(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  bool spki = ToString(isolate, args[0]) == "spki";
  Bytes bytes;
  if (!GetBytes(isolate, args[1], &bytes)) return;
  const unsigned char* p = bytes.data;
  PkeyPtr pkey;
  if (spki) {
    pkey.reset(d2i_PUBKEY(nullptr, &p, static_cast<long>(bytes.size)));
  } else {
    PKCS8_PRIV_KEY_INFO* p8 = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(bytes.size));
    if (p8 != nullptr) {
      pkey.reset(EVP_PKCS82PKEY(p8));
      PKCS8_PRIV_KEY_INFO_free(p8);
    }
  }
  if (!pkey || p != bytes.data + bytes.size) {
    DataError(isolate, spki ? "Invalid SPKI key data" : "Invalid PKCS#8 key data");
    return;
  }
  args.GetReturnValue().Set(WrapPkey(isolate, std::move(pkey), !spki));
}

// cryptoExportDer('spki' | 'pkcs8', handle) -> ArrayBuffer
void ExportDer(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  bool spki = ToString(isolate, args[0]) == "spki";
  KeyData* key = KeyOf(isolate, args[1]);
  if (key == nullptr) return;
  unsigned char* der = nullptr;
  int size = -1;
  if (spki) {
    size = i2d_PUBKEY(key->pkey.get(), &der);
  } else {
    PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(key->pkey.get());
    if (p8 != nullptr) {
      size = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
      PKCS8_PRIV_KEY_INFO_free(p8);
    }
  }
  if (size < 0) {
    ThrowCryptoError(isolate, "OperationError", "key export failed");
    return;
  }
  ReturnBytes(args, {reinterpret_cast<char*>(der), static_cast<size_t>(size)});
  OPENSSL_free(der);
}

// cryptoImportEc(curve, publicPointOrUndefined, x, y, d) -> handle. Either the SEC1 point
// (raw import) or the JWK coordinates x, y (and d for a private key).
void ImportEc(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  const char* group = OpensslCurve(ToString(isolate, args[0]));
  Bytes point, x, y, d;
  if (!GetBytes(isolate, args[1], &point) || !GetBytes(isolate, args[2], &x) ||
      !GetBytes(isolate, args[3], &y) || !GetBytes(isolate, args[4], &d)) {
    return;
  }
  if (group == nullptr) {
    ThrowCryptoError(isolate, "NotSupportedError", "Unsupported named curve");
    return;
  }
  std::string encoded;
  if (args[1]->IsUndefined()) {
    encoded = "\x04";
    encoded.append(x.view()).append(y.view());
  } else {
    encoded.assign(point.view());
  }
  bool is_private = !args[4]->IsUndefined();
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  std::vector<BignumPtr> keep;
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, encoded.data(),
                                       encoded.size()) != 1 ||
      (is_private && !PushBn(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d, &keep))) {
    ThrowCryptoError(isolate, "OperationError", "EC key import failed");
    return;
  }
  PkeyPtr pkey = FromData("EC", is_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld.get());
  if (!pkey || !CheckKey(pkey.get(), is_private)) {
    DataError(isolate, "Invalid EC key data");
    return;
  }
  args.GetReturnValue().Set(WrapPkey(isolate, std::move(pkey), is_private));
}

int OkpType(const std::string& name) {
  if (name == "Ed25519") return EVP_PKEY_ED25519;
  if (name == "X25519") return EVP_PKEY_X25519;
  return EVP_PKEY_NONE;
}

// cryptoImportOkp('Ed25519' | 'X25519', publicBytes, privateBytesOrUndefined) -> handle.
// With both, the public key must be the private key's.
void ImportOkp(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  int type = OkpType(ToString(isolate, args[0]));
  Bytes pub, priv;
  if (!GetBytes(isolate, args[1], &pub) || !GetBytes(isolate, args[2], &priv)) return;
  bool is_private = !args[2]->IsUndefined();
  PkeyPtr pkey(is_private ? EVP_PKEY_new_raw_private_key(type, nullptr, priv.data, priv.size)
                          : EVP_PKEY_new_raw_public_key(type, nullptr, pub.data, pub.size));
  if (!pkey) {
    DataError(isolate, "Invalid key data");
    return;
  }
  if (is_private && !args[1]->IsUndefined()) {
    unsigned char derived[64];
    size_t size = sizeof(derived);
    if (EVP_PKEY_get_raw_public_key(pkey.get(), derived, &size) != 1 || size != pub.size ||
        memcmp(derived, pub.data, size) != 0) {
      DataError(isolate, "The public key does not match the private key");
      return;
    }
  }
  args.GetReturnValue().Set(WrapPkey(isolate, std::move(pkey), is_private));
}

// cryptoImportRsa(n, e, d, p, q, dp, dq, qi) -> handle (public when d is undefined)
void ImportRsa(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  static const char* const kNames[] = {
      OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,           OSSL_PKEY_PARAM_RSA_D,
      OSSL_PKEY_PARAM_RSA_FACTOR1,   OSSL_PKEY_PARAM_RSA_FACTOR2,     OSSL_PKEY_PARAM_RSA_EXPONENT1,
      OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
  bool is_private = !args[2]->IsUndefined();
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  std::vector<BignumPtr> keep;
  for (int i = 0; i < (is_private ? 8 : 2); ++i) {
    Bytes b;
    if (!GetBytes(isolate, args[i], &b)) return;
    if (args[i]->IsUndefined()) continue;
    if (!PushBn(bld.get(), kNames[i], b, &keep)) {
      ThrowCryptoError(isolate, "OperationError", "RSA key import failed");
      return;
    }
  }
  PkeyPtr pkey = FromData("RSA", is_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld.get());
  if (!pkey || (is_private && !CheckKey(pkey.get(), true))) {
    DataError(isolate, "Invalid RSA key data");
    return;
  }
  args.GetReturnValue().Set(WrapPkey(isolate, std::move(pkey), is_private));
}

// cryptoExportRawPublic(handle) -> ArrayBuffer: the uncompressed SEC1 point of an EC key, or the
// raw public key of an OKP key.
void ExportRawPublic(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  KeyData* key = KeyOf(isolate, args[0]);
  if (key == nullptr) return;
  EVP_PKEY* pkey = key->pkey.get();
  if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC) {
    size_t width = (EVP_PKEY_get_bits(pkey) + 7) / 8;
    std::string x, y;
    if (!BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X, width, &x) ||
        !BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, width, &y)) {
      ThrowCryptoError(isolate, "OperationError", "key export failed");
      return;
    }
    ReturnBytes(args, "\x04" + x + y);
    return;
  }
  unsigned char out[64];
  size_t size = sizeof(out);
  if (EVP_PKEY_get_raw_public_key(pkey, out, &size) != 1) {
    ThrowCryptoError(isolate, "OperationError", "key export failed");
    return;
  }
  ReturnBytes(args, {reinterpret_cast<char*>(out), size});
}

// cryptoExportJwk(handle) -> [ArrayBuffer...]: RSA n, e (, d, p, q, dp, dq, qi); EC x, y (, d)
// padded to the field size; OKP x (, d).
void ExportJwk(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  KeyData* key = KeyOf(isolate, args[0]);
  if (key == nullptr) return;
  EVP_PKEY* pkey = key->pkey.get();
  std::vector<std::string> parts;
  bool ok = true;
  int id = EVP_PKEY_get_base_id(pkey);
  if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) {
    static const char* const kNames[] = {
        OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
        OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
        OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
        OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
    for (int i = 0; ok && i < (key->is_private ? 8 : 2); ++i) {
      parts.emplace_back();
      ok = BnParam(pkey, kNames[i], 0, &parts.back());
    }
  } else if (id == EVP_PKEY_EC) {
    size_t width = (EVP_PKEY_get_bits(pkey) + 7) / 8;
    parts.resize(key->is_private ? 3 : 2);
    ok = BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X, width, &parts[0]) &&
         BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, width, &parts[1]) &&
         (!key->is_private || BnParam(pkey, OSSL_PKEY_PARAM_PRIV_KEY, width, &parts[2]));
  } else {
    unsigned char out[64];
    size_t size = sizeof(out);
    ok = EVP_PKEY_get_raw_public_key(pkey, out, &size) == 1;
    parts.emplace_back(reinterpret_cast<char*>(out), size);
    if (ok && key->is_private) {
      size = sizeof(out);
      ok = EVP_PKEY_get_raw_private_key(pkey, out, &size) == 1;
      parts.emplace_back(reinterpret_cast<char*>(out), size);
      OPENSSL_cleanse(out, sizeof(out));
    }
  }
  if (!ok) {
    ThrowCryptoError(isolate, "OperationError", "key export failed");
    return;
  }
  std::vector<v8::Local<v8::Value>> values;
  for (std::string& part : parts) {
    v8::Local<v8::ArrayBuffer> buffer;
    if (!ToArrayBuffer(isolate, part).ToLocal(&buffer)) return;
    OPENSSL_cleanse(part.data(), part.size());
    values.push_back(buffer);
  }
  args.GetReturnValue().Set(v8::Array::New(isolate, values.data(), values.size()));
}

// cryptoKeyDetails(handle) -> [kind, namedCurve, modulusLength, publicExponent, isPrivate]
void KeyDetails(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  KeyData* key = KeyOf(isolate, args[0]);
  if (key == nullptr) return;
  EVP_PKEY* pkey = key->pkey.get();
  const char* kind = KindOf(pkey);
  v8::Local<v8::Value> curve = v8::Undefined(isolate);
  v8::Local<v8::Value> bits = v8::Undefined(isolate);
  v8::Local<v8::Value> exponent = v8::Undefined(isolate);
  int id = EVP_PKEY_get_base_id(pkey);
  if (id == EVP_PKEY_EC) curve = Utf8String(isolate, WebCurve(pkey));
  if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) {
    bits = v8::Integer::New(isolate, EVP_PKEY_get_bits(pkey));
    std::string e;
    v8::Local<v8::ArrayBuffer> buffer;
    if (!BnParam(pkey, OSSL_PKEY_PARAM_RSA_E, 0, &e) || !ToArrayBuffer(isolate, e).ToLocal(&buffer))
      return;
    exponent = v8::Uint8Array::New(buffer, 0, e.size());
  }
  v8::Local<v8::Value> result[] = {OneByteString(isolate, kind), curve, bits, exponent,
                                   v8::Boolean::New(isolate, key->is_private)};
  args.GetReturnValue().Set(v8::Array::New(isolate, result, 5));
}

// cryptoGenerateKeyPair(kind, curveOrModulusLength, publicExponent) -> [public, private], or a
// promise of it for RSA
void GenerateKeyPair(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::string kind = ToString(isolate, args[0]);
  PkeyCtxPtr ctx;
  bool ok = false;
  if (kind == "RSA") {
    Bytes e;
    if (!GetBytes(isolate, args[2], &e)) return;
    BignumPtr exponent(BN_bin2bn(e.data, static_cast<int>(e.size), nullptr));
    unsigned bits = args[1]->Uint32Value(context).FromMaybe(0);
    ctx.reset(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    // OpenSSL accepts even exponents > 1 at keygen and then loops; WebCrypto wants an odd one.
    ok = ctx && exponent && BN_is_odd(exponent.get()) && !BN_is_one(exponent.get()) &&
         EVP_PKEY_keygen_init(ctx.get()) == 1 &&
         EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), static_cast<int>(bits)) == 1 &&
         EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), exponent.get()) == 1;
  } else if (kind == "EC") {
    const char* group = OpensslCurve(ToString(isolate, args[1]));
    ctx.reset(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    ok = group != nullptr && ctx && EVP_PKEY_keygen_init(ctx.get()) == 1 &&
         EVP_PKEY_CTX_set_group_name(ctx.get(), group) == 1;
  } else if (kind == "Ed25519" || kind == "X25519") {
    ctx.reset(
        EVP_PKEY_CTX_new_from_name(nullptr, kind == "Ed25519" ? "ED25519" : "X25519", nullptr));
    ok = ctx && EVP_PKEY_keygen_init(ctx.get()) == 1;
  }
  if (!ok) {
    ThrowCryptoError(isolate, "OperationError", "key generation failed");
    return;
  }
  struct State {
    PkeyCtxPtr ctx;
    PkeyPtr pkey;
  };
  auto state = std::make_shared<State>();
  state->ctx = std::move(ctx);
  auto work = [state] {
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_generate(state->ctx.get(), &raw) == 1) state->pkey.reset(raw);
  };
  auto finish = [state](v8::Isolate* isolate) -> v8::MaybeLocal<v8::Value> {
    if (!state->pkey) {
      ThrowCryptoError(isolate, "OperationError", "key generation failed");
      return {};
    }
    EVP_PKEY* raw = state->pkey.get();
    EVP_PKEY_up_ref(raw);
    PkeyPtr pub(raw);
    v8::Local<v8::Value> result[] = {WrapPkey(isolate, std::move(pub), false),
                                     WrapPkey(isolate, std::move(state->pkey), true)};
    return v8::Array::New(isolate, result, 2);
  };
  // RSA key generation takes from milliseconds to seconds: off the loop, answered by a promise.
  if (kind == "RSA") {
    ReturnPromiseOffThread(args, std::move(work), std::move(finish));
    return;
  }
  work();
  v8::Local<v8::Value> result;
  if (finish(isolate).ToLocal(&result)) args.GetReturnValue().Set(result);
}

}  // namespace

void AppendKeyNatives(std::vector<NativeFunction>* out) {
  out->push_back({"cryptoImportSecret", ImportSecret, 1});
  out->push_back({"cryptoExportSecret", ExportSecret, 1});
  out->push_back({"cryptoImportDer", ImportDer, 2});
  out->push_back({"cryptoExportDer", ExportDer, 2});
  out->push_back({"cryptoImportEc", ImportEc, 5});
  out->push_back({"cryptoImportOkp", ImportOkp, 3});
  out->push_back({"cryptoImportRsa", ImportRsa, 8});
  out->push_back({"cryptoExportRawPublic", ExportRawPublic, 1});
  out->push_back({"cryptoExportJwk", ExportJwk, 1});
  out->push_back({"cryptoKeyDetails", KeyDetails, 1});
  out->push_back({"cryptoGenerateKeyPair", GenerateKeyPair, 3});
}

}  // namespace edgerun::bindings::crypto
