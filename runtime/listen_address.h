// "ADDR:PORT" listen addresses: "127.0.0.1:8080", "0.0.0.0:80", "[::1]:8080", "[::]:0".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgerun::runtime {

struct ListenAddress {
  std::string host;  // numeric IPv4 or IPv6 (without brackets)
  uint16_t port = 0;
  bool ipv6 = false;
  std::string ToString() const;  // "127.0.0.1:8080" / "[::1]:8080"
  bool IsLoopback() const;       // 127.0.0.0/8 or ::1
};

// Parses a numeric address. Returns nullopt and sets *error to a message on failure.
std::optional<ListenAddress> ParseListenAddress(std::string_view text, std::string* error);

}  // namespace edgerun::runtime
