#include "bindings/utf8.h"

namespace edgerun::bindings {

Utf8DecodeResult DecodeUtf8(const uint8_t* data, size_t size, bool fatal, bool stream,
                            std::u16string* out) {
  Utf8DecodeResult result;
  out->reserve(out->size() + size);
  uint32_t code_point = 0;
  int needed = 0, seen = 0;
  uint8_t lower = 0x80, upper = 0xBF;
  size_t sequence_start = 0;
  auto error = [&]() {
    result.ascii = false;
    if (fatal) result.ok = false;
    out->push_back(0xFFFD);
  };
  size_t i = 0;
  while (i < size) {
    uint8_t byte = data[i];
    if (needed == 0) {
      sequence_start = i;
      ++i;
      if (byte < 0x80) {
        out->push_back(byte);
      } else if (byte >= 0xC2 && byte <= 0xDF) {
        needed = 1;
        code_point = byte & 0x1F;
      } else if (byte >= 0xE0 && byte <= 0xEF) {
        if (byte == 0xE0) lower = 0xA0;
        if (byte == 0xED) upper = 0x9F;
        needed = 2;
        code_point = byte & 0x0F;
      } else if (byte >= 0xF0 && byte <= 0xF4) {
        if (byte == 0xF0) lower = 0x90;
        if (byte == 0xF4) upper = 0x8F;
        needed = 3;
        code_point = byte & 0x07;
      } else {
        error();
      }
      if (!result.ok) return result;
      continue;
    }
    if (byte < lower || byte > upper) {
      // The byte is not consumed: it starts the next sequence.
      code_point = 0;
      needed = seen = 0;
      lower = 0x80;
      upper = 0xBF;
      error();
      if (!result.ok) return result;
      continue;
    }
    ++i;
    lower = 0x80;
    upper = 0xBF;
    code_point = (code_point << 6) | (byte & 0x3F);
    if (++seen == needed) {
      result.ascii = false;
      if (code_point >= 0x10000) {
        code_point -= 0x10000;
        out->push_back(static_cast<char16_t>(0xD800 + (code_point >> 10)));
        out->push_back(static_cast<char16_t>(0xDC00 + (code_point & 0x3FF)));
      } else {
        out->push_back(static_cast<char16_t>(code_point));
      }
      code_point = 0;
      needed = seen = 0;
    }
  }
  if (needed != 0) {
    if (stream) {
      result.consumed = sequence_start;
      return result;
    }
    error();
  }
  result.consumed = size;
  return result;
}

}  // namespace edgerun::bindings
