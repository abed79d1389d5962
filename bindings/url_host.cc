#include "bindings/url_host.h"

#include <unicode/uidna.h>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "bindings/url_percent_encode.h"

namespace edgerun::bindings::url {
namespace {

bool IsForbiddenHostCodePoint(uint8_t c) {
  switch (c) {
    case 0x00:
    case '\t':
    case '\n':
    case '\r':
    case ' ':
    case '#':
    case '/':
    case ':':
    case '<':
    case '>':
    case '?':
    case '@':
    case '[':
    case '\\':
    case ']':
    case '^':
    case '|':
      return true;
    default:
      return false;
  }
}

bool IsForbiddenDomainCodePoint(uint8_t c) {
  return IsForbiddenHostCodePoint(c) || c <= 0x1F || c == '%' || c == 0x7F;
}

bool IsAsciiDigit(char c) {
  return c >= '0' && c <= '9';
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// IPv4 number parser; values past 2^32 are clamped (they fail the range checks anyway).
std::optional<uint64_t> ParseIpv4Number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int radix = 10;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    radix = 16;
    s.remove_prefix(2);
  } else if (s.size() >= 2 && s[0] == '0') {
    radix = 8;
    s.remove_prefix(1);
  }
  if (s.empty()) return 0;
  uint64_t value = 0;
  for (char c : s) {
    int d = HexDigit(c);
    if (d < 0 || d >= radix) return std::nullopt;
    value = value * radix + d;
    if (value > (uint64_t{1} << 33)) value = uint64_t{1} << 33;
  }
  return value;
}

bool EndsInANumber(std::string_view input) {
  if (input.empty()) return false;
  if (input.back() == '.') {
    input.remove_suffix(1);
    if (input.empty()) return false;  // only "." was there: one empty part
  }
  size_t dot = input.rfind('.');
  std::string_view last = dot == std::string_view::npos ? input : input.substr(dot + 1);
  if (last.empty()) return false;
  bool all_digits = true;
  for (char c : last)
    all_digits = all_digits && IsAsciiDigit(c);
  if (all_digits) return true;
  return ParseIpv4Number(last).has_value();
}

std::optional<std::string> ParseIpv4(std::string_view input) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = input.find('.', start);
    parts.push_back(input.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.back().empty() && parts.size() > 1) parts.pop_back();
  if (parts.size() > 4) return std::nullopt;
  std::vector<uint64_t> numbers;
  for (std::string_view part : parts) {
    std::optional<uint64_t> n = ParseIpv4Number(part);
    if (!n) return std::nullopt;
    numbers.push_back(*n);
  }
  for (size_t i = 0; i + 1 < numbers.size(); ++i) {
    if (numbers[i] > 255) return std::nullopt;
  }
  if (numbers.back() >= (uint64_t{1} << (8 * (5 - numbers.size())))) return std::nullopt;
  uint64_t ipv4 = numbers.back();
  for (size_t i = 0; i + 1 < numbers.size(); ++i)
    ipv4 += numbers[i] << (8 * (3 - i));
  std::string out;
  for (int i = 3; i >= 0; --i) {
    out += std::to_string((ipv4 >> (8 * i)) & 255);
    if (i) out.push_back('.');
  }
  return out;
}

std::optional<std::array<uint16_t, 8>> ParseIpv6(std::string_view input) {
  std::array<uint16_t, 8> address{};
  int piece_index = 0;
  int compress = -1;
  size_t pointer = 0;
  auto c = [&](size_t i) -> int { return i < input.size() ? static_cast<uint8_t>(input[i]) : -1; };
  if (c(pointer) == ':') {
    if (c(pointer + 1) != ':') return std::nullopt;
    pointer += 2;
    ++piece_index;
    compress = piece_index;
  }
  while (c(pointer) != -1) {
    if (piece_index == 8) return std::nullopt;
    if (c(pointer) == ':') {
      if (compress != -1) return std::nullopt;
      ++pointer;
      ++piece_index;
      compress = piece_index;
      continue;
    }
    int value = 0, length = 0;
    while (length < 4 && c(pointer) != -1 && HexDigit(static_cast<char>(c(pointer))) >= 0) {
      value = value * 16 + HexDigit(static_cast<char>(c(pointer)));
      ++pointer;
      ++length;
    }
    if (c(pointer) == '.') {
      if (length == 0) return std::nullopt;
      pointer -= length;
      if (piece_index > 6) return std::nullopt;
      int numbers_seen = 0;
      while (c(pointer) != -1) {
        int ipv4_piece = -1;
        if (numbers_seen > 0) {
          if (c(pointer) == '.' && numbers_seen < 4) {
            ++pointer;
          } else {
            return std::nullopt;
          }
        }
        if (c(pointer) == -1 || !IsAsciiDigit(static_cast<char>(c(pointer)))) return std::nullopt;
        while (c(pointer) != -1 && IsAsciiDigit(static_cast<char>(c(pointer)))) {
          int number = c(pointer) - '0';
          if (ipv4_piece == -1) {
            ipv4_piece = number;
          } else if (ipv4_piece == 0) {
            return std::nullopt;
          } else {
            ipv4_piece = ipv4_piece * 10 + number;
          }
          if (ipv4_piece > 255) return std::nullopt;
          ++pointer;
        }
        address[piece_index] = static_cast<uint16_t>(address[piece_index] * 0x100 + ipv4_piece);
        ++numbers_seen;
        if (numbers_seen == 2 || numbers_seen == 4) ++piece_index;
      }
      if (numbers_seen != 4) return std::nullopt;
      break;
    } else if (c(pointer) == ':') {
      ++pointer;
      if (c(pointer) == -1) return std::nullopt;
    } else if (c(pointer) != -1) {
      return std::nullopt;
    }
    address[piece_index] = static_cast<uint16_t>(value);
    ++piece_index;
  }
  if (compress != -1) {
    int swaps = piece_index - compress;
    piece_index = 7;
    while (piece_index != 0 && swaps > 0) {
      std::swap(address[piece_index], address[compress + swaps - 1]);
      --piece_index;
      --swaps;
    }
  } else if (piece_index != 8) {
    return std::nullopt;
  }
  return address;
}

std::string SerializeIpv6(const std::array<uint16_t, 8>& address) {
  // Compress the first longest run of two or more zero pieces.
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    if (address[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && address[j] == 0)
      ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out = "[";
  static constexpr char kHex[] = "0123456789abcdef";
  bool ignore0 = false;
  for (int i = 0; i < 8; ++i) {
    if (ignore0 && address[i] == 0) continue;
    ignore0 = false;
    if (best == i) {
      out += i == 0 ? "::" : ":";
      ignore0 = true;
      continue;
    }
    uint16_t v = address[i];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int d = (v >> shift) & 15;
      if (d || started || shift == 0) {
        out.push_back(kHex[d]);
        started = true;
      }
    }
    if (i != 7) out.push_back(':');
  }
  out.push_back(']');
  return out;
}

struct UidnaCloser {
  void operator()(UIDNA* p) const { uidna_close(p); }
};

const UIDNA* Uts46() {
  static const std::unique_ptr<UIDNA, UidnaCloser> idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA* p =
        uidna_openUTS46(UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ | UIDNA_NONTRANSITIONAL_TO_ASCII |
                            UIDNA_NONTRANSITIONAL_TO_UNICODE,
                        &status);
    return std::unique_ptr<UIDNA, UidnaCloser>(U_SUCCESS(status) ? p : nullptr);
  }();
  return idna.get();
}

}  // namespace

std::optional<std::string> DomainToAscii(std::string_view domain) {
  // An ASCII domain is only lowercased, "xn--" labels included: the WPT data this parser is
  // held to (urltestdata, toascii, IdnaTestV2) accepts "xn--", "xn--a" or "xn--1ug" as they are,
  // which UTS #46 processing (ICU) would reject. Only non-ASCII input goes through IDNA.
  uint8_t any = 0;
  for (char c : domain)
    any |= static_cast<uint8_t>(c);
  if (any < 0x80) {
    std::string out(domain);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (out.empty()) return std::nullopt;
    return out;
  }
  const UIDNA* idna = Uts46();
  if (idna == nullptr) return std::nullopt;
  std::string out(domain.size() * 4 + 64, '\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    UErrorCode status = U_ZERO_ERROR;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    int32_t length =
        uidna_nameToASCII_UTF8(idna, domain.data(), static_cast<int32_t>(domain.size()), out.data(),
                               static_cast<int32_t>(out.size()), &info, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      out.resize(length + 1);
      continue;
    }
    if (U_FAILURE(status)) return std::nullopt;
    // CheckHyphens=false and VerifyDnsLength=false: those errors are not failures for URLs.
    constexpr uint32_t kIgnored = UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LABEL_TOO_LONG |
                                  UIDNA_ERROR_DOMAIN_NAME_TOO_LONG | UIDNA_ERROR_LEADING_HYPHEN |
                                  UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_HYPHEN_3_4;
    if ((info.errors & ~kIgnored) != 0) return std::nullopt;
    out.resize(length);
    if (out.empty()) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

std::optional<std::string> ParseHost(std::string_view input, bool is_opaque) {
  if (!input.empty() && input[0] == '[') {
    if (input.back() != ']') return std::nullopt;
    std::optional<std::array<uint16_t, 8>> address = ParseIpv6(input.substr(1, input.size() - 2));
    if (!address) return std::nullopt;
    return SerializeIpv6(*address);
  }
  if (is_opaque) {
    for (char c : input) {
      if (IsForbiddenHostCodePoint(static_cast<uint8_t>(c))) return std::nullopt;
    }
    std::string out;
    AppendPercentEncoded(EncodeSet::kC0Control, input, &out);
    return out;
  }
  // UTF-8 decode without BOM: invalid sequences become U+FFFD, which IDNA then rejects. ICU's
  // UTF-8 entry point does the same replacement, so the bytes go to it as they are.
  std::optional<std::string> ascii = input.find('%') == std::string_view::npos
                                         ? DomainToAscii(input)
                                         : DomainToAscii(PercentDecode(input));
  if (!ascii) return std::nullopt;
  for (char c : *ascii) {
    if (IsForbiddenDomainCodePoint(static_cast<uint8_t>(c))) return std::nullopt;
  }
  if (EndsInANumber(*ascii)) return ParseIpv4(*ascii);
  return ascii;
}

}  // namespace edgerun::bindings::url
