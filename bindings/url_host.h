// The URL Standard's host parser: IPv6 ("[...]"), opaque hosts (non-special schemes), domains
// through IDNA (UTS #46 via ICU) and IPv4 in all its number forms. Returns the serialized host.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace edgerun::bindings::url {

// `input` is UTF-8 (possibly with percent-escapes). std::nullopt is failure.
std::optional<std::string> ParseHost(std::string_view input, bool is_opaque);

// The URL Standard's domain to ASCII (beStrict = false): ASCII is lowercased, anything else goes
// through UTS #46 ToASCII (ICU) with the URL Standard's flags.
std::optional<std::string> DomainToAscii(std::string_view domain);

}  // namespace edgerun::bindings::url
