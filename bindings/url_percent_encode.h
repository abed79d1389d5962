// The URL Standard's percent-encode sets, percent-encoding and percent-decoding, on UTF-8 bytes
// (every byte >= 0x80 is in every set, so encoding bytes equals encoding code points).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace edgerun::bindings::url {

enum class EncodeSet : uint8_t {
  kC0Control,
  kFragment,
  kQuery,
  kSpecialQuery,
  kPath,
  kUserinfo,
  kComponent,
  kFormUrlencoded,
};

bool InEncodeSet(EncodeSet set, uint8_t c);

// Appends `c` to `out`, as %XX when it is in `set`.
void AppendPercentEncoded(EncodeSet set, uint8_t c, std::string* out);
void AppendPercentEncoded(EncodeSet set, std::string_view input, std::string* out);

// Replaces each %XX (two hex digits) with its byte; other bytes are copied as they are.
std::string PercentDecode(std::string_view input);

// application/x-www-form-urlencoded byte serializer (space becomes '+').
void AppendFormUrlencoded(std::string_view input, std::string* out);

}  // namespace edgerun::bindings::url
