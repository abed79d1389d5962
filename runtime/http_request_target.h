// Request-target and Host checks for the server side of HTTP/1.1 (RFC 9112 3.2, RFC 9110 7.2).
#pragma once

#include <string>
#include <string_view>

namespace edgerun::runtime {

// Validates a request-target and brings it to origin-form. Accepted:
//   origin-form   "/path?query"           kept as is
//   absolute-form "http://host:1/p?q"     becomes "/p?q"; *authority is set to "host:1"
//   asterisk-form "*"                     only when `is_options`
// Fragments ('#'), userinfo, schemes other than http/https and an empty authority are rejected.
// Returns false if the target is not acceptable (the caller answers 400).
bool NormalizeRequestTarget(std::string& target, bool is_options, std::string* authority);

// True if `host` is a plausible uri-host[:port] (RFC 3986 reg-name / IPv4 / IP-literal characters).
// An empty value is valid (RFC 9112 3.2: a target without authority is sent with an empty Host).
bool IsValidHostValue(std::string_view host);

}  // namespace edgerun::runtime
