// AES-CBC, AES-CTR, AES-GCM encrypt/decrypt and AES-KW wrap/unwrap. The JS side has checked the
// parameters the spec names (IV/counter sizes, tag length); failures here are OperationErrors.
#include <openssl/core_names.h>

#include <cstring>

#include "bindings/crypto_natives.h"
#include "bindings/crypto_util.h"

namespace edgerun::bindings::crypto {
namespace {

const EVP_CIPHER* AesCipher(const std::string& mode, size_t key_size) {
  if (mode == "AES-CBC") {
    return key_size == 16   ? EVP_aes_128_cbc()
           : key_size == 24 ? EVP_aes_192_cbc()
                            : EVP_aes_256_cbc();
  }
  if (mode == "AES-CTR") {
    return key_size == 16   ? EVP_aes_128_ctr()
           : key_size == 24 ? EVP_aes_192_ctr()
                            : EVP_aes_256_ctr();
  }
  return key_size == 16   ? EVP_aes_128_gcm()
         : key_size == 24 ? EVP_aes_192_gcm()
                          : EVP_aes_256_gcm();
}

bool Update(EVP_CIPHER_CTX* ctx, const uint8_t* in, size_t size, std::string* out) {
  size_t old = out->size();
  out->resize(old + size + EVP_MAX_BLOCK_LENGTH);
  int written = 0;
  if (size > 0 && EVP_CipherUpdate(ctx, reinterpret_cast<unsigned char*>(out->data() + old),
                                   &written, in, static_cast<int>(size)) != 1) {
    return false;
  }
  out->resize(old + written);
  return true;
}

bool Final(EVP_CIPHER_CTX* ctx, std::string* out) {
  size_t old = out->size();
  out->resize(old + EVP_MAX_BLOCK_LENGTH);
  int written = 0;
  if (EVP_CipherFinal_ex(ctx, reinterpret_cast<unsigned char*>(out->data() + old), &written) != 1)
    return false;
  out->resize(old + written);
  return true;
}

bool Init(EVP_CIPHER_CTX* ctx, const EVP_CIPHER* cipher, const KeyData& key, const uint8_t* iv,
          bool encrypt) {
  return EVP_CipherInit_ex(ctx, cipher, nullptr,
                           reinterpret_cast<const unsigned char*>(key.secret.data()), iv,
                           encrypt ? 1 : 0) == 1;
}

// CTR where only the low `bits` bits of the counter block count (they wrap, the rest stays).
bool Ctr(const KeyData& key, const Bytes& data, const Bytes& counter, unsigned bits,
         std::string* out) {
  const EVP_CIPHER* cipher = AesCipher("AES-CTR", key.secret.size());
  uint8_t block[16];
  memcpy(block, counter.data, 16);
  // Blocks left before the counter wraps: 2^bits - (counter mod 2^bits).
  unsigned __int128 value = 0;
  for (int i = 0; i < 16; ++i)
    value = (value << 8) | block[i];
  unsigned __int128 mask = bits >= 128 ? ~static_cast<unsigned __int128>(0)
                                       : (static_cast<unsigned __int128>(1) << bits) - 1;
  unsigned __int128 left = (mask - (value & mask)) + 1;  // 0 means 2^128
  size_t blocks = (data.size + 15) / 16;
  size_t first = data.size;
  if (left != 0 && blocks > left) {
    if (bits < 128 && blocks - left > static_cast<unsigned __int128>(mask)) return false;
    first = static_cast<size_t>(left) * 16;
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || !Init(ctx.get(), cipher, key, block, true) ||
      !Update(ctx.get(), data.data, first, out)) {
    return false;
  }
  if (first < data.size) {
    value &= ~mask;  // the counter bits restart at zero
    for (int i = 15; i >= 0; --i) {
      block[i] = static_cast<uint8_t>(value);
      value >>= 8;
    }
    if (!Init(ctx.get(), cipher, key, block, true) ||
        !Update(ctx.get(), data.data + first, data.size - first, out)) {
      return false;
    }
  }
  return true;
}

bool Gcm(bool encrypt, const KeyData& key, const Bytes& data, const Bytes& iv, size_t tag_size,
         const Bytes& aad, std::string* out) {
  if (!encrypt && data.size < tag_size) return false;
  size_t body = encrypt ? data.size : data.size - tag_size;
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_CipherInit_ex(ctx.get(), AesCipher("AES-GCM", key.secret.size()), nullptr, nullptr,
                        nullptr, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size), nullptr) !=
          1 ||
      EVP_CipherInit_ex(ctx.get(), nullptr, nullptr,
                        reinterpret_cast<const unsigned char*>(key.secret.data()), iv.data,
                        -1) != 1) {
    return false;
  }
  int ignored = 0;
  if (aad.size > 0 &&
      EVP_CipherUpdate(ctx.get(), nullptr, &ignored, aad.data, static_cast<int>(aad.size)) != 1) {
    return false;
  }
  if (!encrypt && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size),
                                      const_cast<uint8_t*>(data.data + body)) != 1) {
    return false;
  }
  if (!Update(ctx.get(), data.data, body, out) || !Final(ctx.get(), out)) return false;
  if (encrypt) {
    unsigned char tag[16];
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size), tag) != 1)
      return false;
    out->append(reinterpret_cast<char*>(tag), tag_size);
  }
  return true;
}

// cryptoAes(mode, encrypt, key, data, ivOrCounter, tagLengthOrCounterBits, additionalData)
void Aes(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::string mode = ToString(isolate, args[0]);
  bool encrypt = args[1]->BooleanValue(isolate);
  KeyData* key = KeyOf(isolate, args[2]);
  Bytes data, iv, aad;
  if (key == nullptr || !GetBytes(isolate, args[3], &data) || !GetBytes(isolate, args[4], &iv) ||
      !GetBytes(isolate, args[6], &aad)) {
    return;
  }
  unsigned param = args[5]->Uint32Value(context).FromMaybe(0);
  std::string out;
  bool ok = false;
  if (mode == "AES-CTR") {
    ok = Ctr(*key, data, iv, param, &out);
  } else if (mode == "AES-GCM") {
    ok = Gcm(encrypt, *key, data, iv, param / 8, aad, &out);
  } else {
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    ok = ctx && Init(ctx.get(), AesCipher(mode, key->secret.size()), *key, iv.data, encrypt) &&
         Update(ctx.get(), data.data, data.size, &out) && Final(ctx.get(), &out);
  }
  if (!ok) {
    ThrowCryptoError(
        isolate, "OperationError",
        encrypt ? "The operation failed for an operation-specific reason" : "Decryption failed");
    return;
  }
  ReturnBytes(args, out);
}

// cryptoAesKw(wrap, key, data) -> ArrayBuffer (RFC 3394)
void AesKw(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  bool wrap = args[0]->BooleanValue(isolate);
  KeyData* key = KeyOf(isolate, args[1]);
  Bytes data;
  if (key == nullptr || !GetBytes(isolate, args[2], &data)) return;
  size_t ks = key->secret.size();
  CipherPtr cipher(EVP_CIPHER_fetch(nullptr,
                                    ks == 16   ? "AES-128-WRAP"
                                    : ks == 24 ? "AES-192-WRAP"
                                               : "AES-256-WRAP",
                                    nullptr));
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string out;
  if (!cipher || !ctx || !Init(ctx.get(), cipher.get(), *key, nullptr, wrap) ||
      !Update(ctx.get(), data.data, data.size, &out) || !Final(ctx.get(), &out)) {
    ThrowCryptoError(isolate, "OperationError",
                     wrap ? "AES-KW wrap failed" : "AES-KW unwrap failed");
    return;
  }
  ReturnBytes(args, out);
}

}  // namespace

void AppendCipherNatives(std::vector<NativeFunction>* out) {
  out->push_back({"cryptoAes", Aes, 7});
  out->push_back({"cryptoAesKw", AesKw, 3});
}

}  // namespace edgerun::bindings::crypto
