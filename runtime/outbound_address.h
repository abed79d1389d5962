// The SSRF guard of outbound fetch(): which addresses a worker may not reach unless its config
// allows private networks. Checked on the addresses DNS returned (not on the name), so a public
// name that resolves to 127.0.0.1 is refused too.
#pragma once

#include <sys/socket.h>

#include <string>
#include <string_view>

namespace edgerun::runtime {

// Loopback, RFC 1918, CGNAT, link-local, unique-local IPv6, unspecified, multicast, broadcast,
// IPv4-mapped forms of those, and the documentation/benchmark ranges.
bool IsPrivateAddress(const sockaddr* address);

// "203.0.113.7" / "2001:db8::1", for messages.
std::string AddressToString(const sockaddr* address);

// Splits an absolute http(s) URL (as serialized by the URL parser) into its parts. False if it is
// not http: or https: or has no host.
struct UrlParts {
  bool tls = false;
  std::string host;       // without brackets for IPv6
  std::string port;       // "80"/"443" if absent
  std::string authority;  // host[:port] as written in the URL (for the Host header)
  std::string target;     // path + query ("/" at least); the fragment is dropped
};
bool SplitHttpUrl(std::string_view url, UrlParts* out);

}  // namespace edgerun::runtime
