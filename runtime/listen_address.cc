#include "runtime/listen_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace edgerun::runtime {
namespace {

constexpr std::string_view kExpected = "expected ADDR:PORT such as 127.0.0.1:8080";

bool Fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return false;
}

bool ParsePort(std::string_view text, uint16_t* port, std::string* error) {
  if (text.empty()) return Fail(error, std::string(kExpected) + " (the port is missing)");
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Fail(error,
                "the port must be a number from 0 to 65535, got '" + std::string(text) + "'");
  }
  // Any run of digits longer than 5 is out of range; checking the length first keeps
  // from_chars away from overflow on absurd inputs.
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.size() > 5 || ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    return Fail(error, "port out of range (0..65535): " + std::string(text));
  }
  *port = static_cast<uint16_t>(value);
  return true;
}

// Canonical text of a numeric address, so that "::0001" and "::1" compare equal when the
// config checks for duplicate listen addresses.
std::optional<std::string> CanonicalAddress(int family, const std::string& host) {
  unsigned char bytes[16];
  if (inet_pton(family, host.c_str(), bytes) != 1) return std::nullopt;
  char text[INET6_ADDRSTRLEN];
  if (inet_ntop(family, bytes, text, sizeof text) == nullptr) return std::nullopt;
  return std::string(text);
}

bool IsAsciiCaseEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

bool LooksLikeIpv4(std::string_view host) {
  return std::all_of(host.begin(), host.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

std::optional<ListenAddress> ParseBracketed(std::string_view text, std::string* error) {
  size_t close = text.find(']');
  if (close == std::string_view::npos) {
    Fail(error, "missing ']' after the IPv6 address; expected [IPV6]:PORT such as [::1]:8080");
    return std::nullopt;
  }
  std::string host(text.substr(1, close - 1));
  std::string_view rest = text.substr(close + 1);
  if (rest.empty() || rest[0] != ':') {
    Fail(error, "expected ':PORT' after ']', such as [::1]:8080");
    return std::nullopt;
  }
  ListenAddress address;
  address.ipv6 = true;
  if (!ParsePort(rest.substr(1), &address.port, error)) return std::nullopt;
  if (host.find('%') != std::string::npos) {
    Fail(error, "IPv6 zone ids ('%') are not supported: '" + host + "'");
    return std::nullopt;
  }
  std::optional<std::string> canonical = CanonicalAddress(AF_INET6, host);
  if (!canonical) {
    Fail(error, "'" + host + "' is not a valid IPv6 address");
    return std::nullopt;
  }
  address.host = std::move(*canonical);
  return address;
}

}  // namespace

std::string ListenAddress::ToString() const {
  std::string port_text = std::to_string(port);
  return ipv6 ? "[" + host + "]:" + port_text : host + ":" + port_text;
}

std::optional<ListenAddress> ParseListenAddress(std::string_view text, std::string* error) {
  if (text.empty()) {
    Fail(error, std::string(kExpected) + ", got an empty string");
    return std::nullopt;
  }
  if (text.front() == '[') return ParseBracketed(text, error);

  size_t colon = text.rfind(':');
  if (colon != std::string_view::npos && text.find(':') != colon) {
    Fail(error, "IPv6 addresses need brackets: [::1]:8080");
    return std::nullopt;
  }
  if (colon == std::string_view::npos || colon == 0) {
    Fail(error, std::string(kExpected));
    return std::nullopt;
  }
  ListenAddress address;
  if (!ParsePort(text.substr(colon + 1), &address.port, error)) return std::nullopt;

  std::string host(text.substr(0, colon));
  // Only "localhost" is resolved: looking up other names would make startup depend on DNS,
  // and a name can map to several addresses of which we would silently pick one.
  if (IsAsciiCaseEqual(host, "localhost")) {
    address.host = "127.0.0.1";
    return address;
  }
  if (std::optional<std::string> canonical = CanonicalAddress(AF_INET, host)) {
    address.host = std::move(*canonical);
    return address;
  }
  if (LooksLikeIpv4(host)) {
    Fail(error, "'" + host + "' is not a valid IPv4 address");
  } else {
    Fail(error, "'" + host +
                    "' is a hostname; use a numeric address such as 127.0.0.1 or 0.0.0.0 "
                    "(only 'localhost' is accepted as a name)");
  }
  return std::nullopt;
}

bool ListenAddress::IsLoopback() const {
  return ipv6 ? host == "::1" : host.rfind("127.", 0) == 0;
}

}  // namespace edgerun::runtime
