// The Encoding Standard's decoders for every encoding but UTF-8 (which has its own fast path in
// utf8.h) and replacement (TextDecoder refuses it): the spec's algorithms byte by byte, with
// their state kept in DecoderState between calls so `decode(chunk, {stream: true})` continues
// where the previous chunk ended.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "bindings/encoding_labels.h"

namespace edgerun::bindings::encoding {

// A decoder's state between chunks. All zero is every decoder's initial state; the fields'
// meaning depends on the encoding (see text_decoder.cc).
struct DecoderState {
  uint32_t a = 0;
  uint32_t b = 0;
  uint32_t c = 0;
  uint32_t d = 0;
};

inline bool IsInitial(const DecoderState& s) {
  return (s.a | s.b | s.c | s.d) == 0;
}

// Bytes 0x00-0x7F decode to themselves when the decoder is in its initial state.
inline bool IsAsciiCompatible(Encoding e) {
  return e != Encoding::kUtf16Be && e != Encoding::kUtf16Le && e != Encoding::kIso2022Jp &&
         e != Encoding::kReplacement;
}

// Decodes `size` bytes, appending UTF-16 code units to `out`. `flush`: the input ends here (the
// decoder handles end-of-queue and `state` returns to the initial state). Returns false on the
// first error when `fatal` is set (the output is then unspecified); otherwise errors become
// U+FFFD and it returns true.
bool Decode(Encoding encoding, DecoderState* state, const uint8_t* data, size_t size, bool flush,
            bool fatal, std::u16string* out);

}  // namespace edgerun::bindings::encoding
