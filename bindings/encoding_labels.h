// The Encoding Standard's encodings and their labels
// (https://encoding.spec.whatwg.org/#names-and-labels).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace edgerun::bindings::encoding {

// In the spec's order; the single-byte ones are contiguous (kIbm866..kXMacCyrillic).
enum class Encoding : uint8_t {
  kUtf8,
  kIbm866,
  kIso88592,
  kIso88593,
  kIso88594,
  kIso88595,
  kIso88596,
  kIso88597,
  kIso88598,
  kIso88598I,
  kIso885910,
  kIso885913,
  kIso885914,
  kIso885915,
  kIso885916,
  kKoi8R,
  kKoi8U,
  kMacintosh,
  kWindows874,
  kWindows1250,
  kWindows1251,
  kWindows1252,
  kWindows1253,
  kWindows1254,
  kWindows1255,
  kWindows1256,
  kWindows1257,
  kWindows1258,
  kXMacCyrillic,
  kGbk,
  kGb18030,
  kBig5,
  kEucJp,
  kIso2022Jp,
  kShiftJis,
  kEucKr,
  kReplacement,
  kUtf16Be,
  kUtf16Le,
  kXUserDefined,
};
inline constexpr int kEncodingCount = static_cast<int>(Encoding::kXUserDefined) + 1;

// "get an encoding": strips leading and trailing ASCII whitespace, matches ASCII
// case-insensitively. No value for an unknown label.
std::optional<Encoding> EncodingForLabel(std::string_view label);

// The encoding's name, ASCII lowercase (what TextDecoder's `encoding` attribute returns).
std::string_view LowercaseName(Encoding encoding);

inline bool IsSingleByte(Encoding e) {
  return e >= Encoding::kIbm866 && e <= Encoding::kXMacCyrillic;
}

}  // namespace edgerun::bindings::encoding
