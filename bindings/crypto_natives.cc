#include "bindings/crypto_natives.h"

namespace edgerun::bindings {

void AppendCryptoNatives(std::vector<NativeFunction>* out) {
  crypto::AppendRandomNatives(out);
  crypto::AppendDigestNatives(out);
  crypto::AppendKeyNatives(out);
  crypto::AppendCipherNatives(out);
  crypto::AppendSignatureNatives(out);
  crypto::AppendKdfNatives(out);
  crypto::AppendRsaOaepNatives(out);
}

}  // namespace edgerun::bindings
