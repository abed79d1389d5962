#include "runtime/http_request_target.h"

namespace edgerun::runtime {
namespace {

// unreserved / sub-delims / ":" (port) / "[" "]" (IP-literal) / "%" (pct-encoded)
bool IsHostChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~!$&'()*+,;=:[]%").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

bool IsValidHostValue(std::string_view host) {
  for (unsigned char c : host) {
    if (!IsHostChar(c)) return false;
  }
  return true;
}

bool NormalizeRequestTarget(std::string& target, bool is_options, std::string* authority) {
  if (target.empty() || target.find('#') != std::string::npos) return false;
  if (target[0] == '/') return true;
  if (target == "*") return is_options;

  std::string_view view(target);
  size_t scheme_end;
  if (StartsWithIgnoreCase(view, "http://")) {
    scheme_end = 7;
  } else if (StartsWithIgnoreCase(view, "https://")) {
    scheme_end = 8;
  } else {
    return false;
  }
  const size_t path_start = view.find_first_of("/?", scheme_end);
  const std::string_view host =
      view.substr(scheme_end, path_start == std::string_view::npos ? std::string_view::npos
                                                                   : path_start - scheme_end);
  // '@' is not a host character, so userinfo ("user@host") fails here as RFC 9110 4.2.4 wants.
  if (host.empty() || !IsValidHostValue(host)) return false;
  authority->assign(host);

  if (path_start == std::string_view::npos) {
    target.assign("/");
  } else if (view[path_start] == '?') {
    target.replace(0, path_start, "/");
  } else {
    target.erase(0, path_start);
  }
  return true;
}

}  // namespace edgerun::runtime
