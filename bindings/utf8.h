// UTF-8 decoding exactly as the WHATWG Encoding Standard specifies (maximal-subpart replacement
// with U+FFFD), with streaming: a valid but incomplete sequence at the end can be left unconsumed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace edgerun::bindings {

struct Utf8DecodeResult {
  bool ok = true;       // false: invalid input and `fatal` was set (output is unspecified)
  bool ascii = true;    // every decoded code unit is < 0x80 (output holds Latin-1 in low bytes)
  size_t consumed = 0;  // bytes consumed (< size only when `stream` left a partial sequence)
};

// Decodes `data` into UTF-16 code units appended to `out`.
Utf8DecodeResult DecodeUtf8(const uint8_t* data, size_t size, bool fatal, bool stream,
                            std::u16string* out);

}  // namespace edgerun::bindings
