// The WebCrypto natives, one group per file (bindings/crypto_*.cc).
#pragma once

#include <vector>

#include "bindings/native_registry.h"

namespace edgerun::bindings::crypto {

void AppendRandomNatives(std::vector<NativeFunction>* out);
void AppendDigestNatives(std::vector<NativeFunction>* out);
void AppendKeyNatives(std::vector<NativeFunction>* out);
void AppendCipherNatives(std::vector<NativeFunction>* out);
void AppendSignatureNatives(std::vector<NativeFunction>* out);
void AppendKdfNatives(std::vector<NativeFunction>* out);
void AppendRsaOaepNatives(std::vector<NativeFunction>* out);

}  // namespace edgerun::bindings::crypto
