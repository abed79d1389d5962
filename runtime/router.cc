#include "runtime/router.h"

#include <algorithm>

namespace edgerun::runtime {
namespace {

constexpr std::string_view kStarRule =
    "'*' is only allowed at the start of the host and the end of the path";

char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (AsciiLower(text[i]) != prefix[i]) return false;
  }
  return true;
}

// `suffix` is lower case already; `host` is whatever the client sent.
bool EndsWithIgnoringCase(std::string_view host, std::string_view suffix) {
  if (host.size() < suffix.size()) return false;
  size_t offset = host.size() - suffix.size();
  for (size_t i = 0; i < suffix.size(); ++i) {
    if (AsciiLower(host[offset + i]) != suffix[i]) return false;
  }
  return true;
}

std::string_view StripScheme(std::string_view pattern) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (StartsWithIgnoringCase(pattern, scheme)) return pattern.substr(scheme.size());
  }
  return pattern;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

std::string Quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::optional<std::string> ValidateHost(std::string_view host) {
  if (host.empty()) return "a route needs a host; use '*' for any host: */path";
  if (host.find('*', 1) != std::string_view::npos) return std::string(kStarRule);
  if (host.find('[') != std::string_view::npos) {
    return "IPv6 address hosts are not supported in routes; use * for any host: */path";
  }
  size_t colon = host.find(':');
  if (colon != std::string_view::npos) {
    return "routes match the host without its port; remove " + Quoted(host.substr(colon));
  }
  std::string_view name = host[0] == '*' ? host.substr(1) : host;
  for (char c : name) {
    if (!IsHostChar(c)) {
      return "invalid character " + Quoted(std::string_view(&c, 1)) + " in host " + Quoted(host);
    }
  }
  if (name.empty()) return std::nullopt;  // "*": any host
  if (host[0] == '*' && name[0] == '.') name.remove_prefix(1);
  if (name.empty()) return "'*.' needs a domain after it, such as *.example.com";
  if (name.front() == '.' && host[0] != '*') {
    return "a host cannot start with '.'; for subdomains write *" + std::string(host);
  }
  if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos) {
    return "empty label in host " + Quoted(host);
  }
  return std::nullopt;
}

std::optional<std::string> ValidatePath(std::string_view path) {
  size_t star = path.find('*');
  if (star != std::string_view::npos && star + 1 != path.size()) return std::string(kStarRule);
  size_t query = path.find_first_of("?#");
  if (query != std::string_view::npos) {
    return "routes match the path without the query string or fragment; remove " +
           Quoted(path.substr(query));
  }
  return std::nullopt;
}

// Orders routes most specific first: exact host, then longer host suffix, then exact path,
// then longer path prefix. Equal ranks keep the order in which they were added.
struct Rank {
  bool host_exact;
  size_t host_length;
  bool path_exact;
  size_t path_length;

  // True if `a` is strictly more specific than `b`.
  static bool MoreSpecific(const Rank& a, const Rank& b) {
    if (a.host_exact != b.host_exact) return a.host_exact;
    if (a.host_length != b.host_length) return a.host_length > b.host_length;
    if (a.path_exact != b.path_exact) return a.path_exact;
    return a.path_length > b.path_length;
  }
};

template <typename R>
Rank RankOf(const R& route) {
  return {!route.host_wildcard, route.host.size(), !route.path_prefix, route.path.size()};
}

std::string_view HostWithoutPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    host = close == std::string_view::npos ? host : host.substr(0, close + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  // "example.com." names the same host as "example.com".
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return host;
}

std::string_view PathOf(std::string_view target) {
  if (!target.empty() && target.front() != '/') {
    // Absolute-form ("http://host/path?q", as sent to proxies): the path starts after the
    // authority.
    size_t scheme_end = target.find("://");
    if (scheme_end != std::string_view::npos) {
      size_t slash = target.find('/', scheme_end + 3);
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
  }
  target = target.substr(0, target.find_first_of("?#"));
  return target.empty() ? std::string_view("/") : target;
}

bool HostMatches(std::string_view host, std::string_view pattern_host, bool wildcard) {
  if (!wildcard) {
    return host.size() == pattern_host.size() && EndsWithIgnoringCase(host, pattern_host);
  }
  if (pattern_host.empty()) return true;
  if (!EndsWithIgnoringCase(host, pattern_host)) return false;
  // "*.example.com" needs a subdomain; "*example.com" is example.com or a subdomain of it, never
  // "badexample.com": one tenant's wildcard must not capture another tenant's domain.
  if (pattern_host.front() == '.') return host.size() > pattern_host.size();
  return host.size() == pattern_host.size() || host[host.size() - pattern_host.size() - 1] == '.';
}

}  // namespace

std::optional<std::string> Router::ValidatePattern(std::string_view pattern) {
  if (pattern.empty()) return "a route pattern cannot be empty; for example \"example.com/*\"";
  for (char c : pattern) {
    auto byte = static_cast<unsigned char>(c);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return "a route pattern cannot contain whitespace";
    }
    if (byte < 0x20 || byte == 0x7f) return "a route pattern cannot contain control characters";
    if (byte >= 0x80) {
      return "a route pattern must be ASCII: write the host in punycode (xn--...) and "
             "percent-encode the path";
    }
  }
  std::string_view rest = StripScheme(pattern);
  size_t scheme_end = rest.find("://");
  if (scheme_end != std::string_view::npos) {
    return "only http:// or https:// may prefix a route pattern, got " +
           Quoted(rest.substr(0, scheme_end + 3));
  }
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    std::string_view host = rest;
    while (host.size() > 1 && host.back() == '*')
      host.remove_suffix(1);
    return "a route needs a path: " + std::string(host) + "/*";
  }
  if (auto error = ValidateHost(rest.substr(0, slash))) return error;
  return ValidatePath(rest.substr(slash));
}

std::string Router::NormalizePattern(std::string_view pattern) {
  std::string normalized(StripScheme(pattern));
  size_t slash = normalized.find('/');
  std::transform(normalized.begin(), normalized.begin() + std::min(slash, normalized.size()),
                 normalized.begin(), AsciiLower);
  return normalized;
}

bool Router::Add(std::string_view pattern, size_t worker) {
  if (ValidatePattern(pattern)) return false;
  Route route;
  route.pattern = NormalizePattern(pattern);
  if (!patterns_.insert(route.pattern).second) return false;
  std::string_view text = route.pattern;
  size_t slash = text.find('/');
  std::string_view host = text.substr(0, slash);
  std::string_view path = text.substr(slash);
  route.host_wildcard = host.front() == '*';
  route.host = route.host_wildcard ? host.substr(1) : host;
  route.path_prefix = path.back() == '*';
  route.path = route.path_prefix ? path.substr(0, path.size() - 1) : path;
  route.worker = worker;

  std::vector<Route>& routes =
      route.host_wildcard ? wildcard_hosts_ : exact_hosts_[std::string(route.host)];
  Rank rank = RankOf(route);
  auto position = std::find_if(routes.begin(), routes.end(), [&](const Route& existing) {
    return Rank::MoreSpecific(rank, RankOf(existing));
  });
  routes.insert(position, std::move(route));
  return true;
}

std::optional<size_t> Router::MatchPath(const std::vector<Route>& routes, std::string_view host,
                                        std::string_view path) {
  for (const Route& route : routes) {
    if (!HostMatches(host, route.host, route.host_wildcard)) continue;
    bool path_matches = route.path_prefix ? path.starts_with(route.path) : path == route.path;
    if (path_matches) return route.worker;
  }
  return std::nullopt;
}

std::optional<size_t> Router::Match(std::string_view host, std::string_view target) const {
  host = HostWithoutPort(host);
  std::string_view path = PathOf(target);
  if (!exact_hosts_.empty() && host.size() <= 255) {
    char lower[256];
    for (size_t i = 0; i < host.size(); ++i) {
      char c = host[i];
      lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    auto it = exact_hosts_.find(std::string_view(lower, host.size()));
    if (it != exact_hosts_.end()) {
      if (std::optional<size_t> worker = MatchPath(it->second, host, path)) return worker;
    }
  }
  return MatchPath(wildcard_hosts_, host, path);
}

}  // namespace edgerun::runtime
