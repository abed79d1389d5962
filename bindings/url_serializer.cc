// URL serializer (URL Standard §4.5), recording where each component lands in the href.
#include "bindings/url_record.h"

namespace edgerun::bindings::url {

int DefaultPort(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  if (scheme == "ftp") return 21;
  return -1;
}

bool IsSpecialScheme(std::string_view scheme) {
  return scheme == "http" || scheme == "https" || scheme == "ws" || scheme == "wss" ||
         scheme == "ftp" || scheme == "file";
}

bool UrlRecord::IsSpecial() const {
  return IsSpecialScheme(scheme);
}

std::string SerializePath(const UrlRecord& url) {
  if (url.opaque_path) return url.opaque;
  std::string out;
  for (const std::string& segment : url.path) {
    out.push_back('/');
    out += segment;
  }
  return out;
}

SerializedUrl Serialize(const UrlRecord& url) {
  SerializedUrl s;
  std::string& h = s.href;
  auto& o = s.offsets;
  auto pos = [&h] { return static_cast<int32_t>(h.size()); };
  h.reserve(url.scheme.size() + 16 + (url.host ? url.host->size() : 0) + url.opaque.size() +
            (url.query ? url.query->size() : 0) + (url.fragment ? url.fragment->size() : 0));
  h += url.scheme;
  h.push_back(':');
  o[kProtocolEnd] = pos();
  if (url.host) {
    h += "//";
    o[kUsernameStart] = pos();
    if (url.IncludesCredentials()) {
      h += url.username;
      o[kUsernameEnd] = pos();
      if (!url.password.empty()) {
        h.push_back(':');
        o[kPasswordStart] = pos();
        h += url.password;
        o[kPasswordEnd] = pos();
      } else {
        o[kPasswordStart] = o[kPasswordEnd] = pos();
      }
      h.push_back('@');
    } else {
      o[kUsernameEnd] = o[kPasswordStart] = o[kPasswordEnd] = pos();
    }
    o[kHostStart] = pos();
    h += *url.host;
    o[kHostEnd] = pos();
    if (url.port) {
      h.push_back(':');
      o[kPortStart] = pos();
      h += std::to_string(*url.port);
      o[kPortEnd] = pos();
    } else {
      o[kPortStart] = o[kPortEnd] = pos();
    }
  } else {
    for (int i = kUsernameStart; i <= kPortEnd; ++i)
      o[i] = pos();
    if (!url.opaque_path && url.path.size() > 1 && url.path[0].empty()) h += "/.";
  }
  o[kPathStart] = pos();
  if (url.opaque_path) {
    h += url.opaque;
  } else {
    for (const std::string& segment : url.path) {
      h.push_back('/');
      h += segment;
    }
  }
  o[kPathEnd] = pos();
  o[kQueryStart] = -1;
  o[kFragmentStart] = -1;
  if (url.query) {
    o[kQueryStart] = pos();
    h.push_back('?');
    h += *url.query;
  }
  if (url.fragment) {
    o[kFragmentStart] = pos();
    h.push_back('#');
    h += *url.fragment;
  }
  return s;
}

}  // namespace edgerun::bindings::url
