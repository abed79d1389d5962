// A URL record (URL Standard §4.1) and its serialization with component offsets.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace edgerun::bindings::url {

struct UrlRecord {
  std::string scheme;
  std::string username;
  std::string password;
  std::optional<std::string> host;  // serialized (IPv6 in brackets); "" is the empty host
  std::optional<uint16_t> port;
  bool opaque_path = false;
  std::string opaque;             // the path when opaque_path
  std::vector<std::string> path;  // segments otherwise
  std::optional<std::string> query;
  std::optional<std::string> fragment;

  bool IsSpecial() const;
  bool IncludesCredentials() const { return !username.empty() || !password.empty(); }
  bool CannotHaveUsernamePasswordPort() const {
    return !host.has_value() || host->empty() || scheme == "file";
  }
};

// Where each component sits in the serialized href (see 32_url.js for their use).
enum Offset : int {
  kProtocolEnd,
  kUsernameStart,
  kUsernameEnd,
  kPasswordStart,
  kPasswordEnd,
  kHostStart,
  kHostEnd,
  kPortStart,
  kPortEnd,
  kPathStart,
  kPathEnd,
  kQueryStart,     // index of '?', or -1
  kFragmentStart,  // index of '#', or -1
  kOffsetCount,
};

struct SerializedUrl {
  std::string href;
  std::array<int32_t, kOffsetCount> offsets{};
};

SerializedUrl Serialize(const UrlRecord& url);
std::string SerializePath(const UrlRecord& url);

// Default port of a special scheme, or -1.
int DefaultPort(std::string_view scheme);
bool IsSpecialScheme(std::string_view scheme);

}  // namespace edgerun::bindings::url
