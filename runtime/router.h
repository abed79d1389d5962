// Maps (host, path) to a worker, wrangler style. A pattern is "[*]host-suffix/path[*]":
//   "api.example.com/*"    host api.example.com, any path
//   "*.example.com/v1/*"   any subdomain of example.com, paths under /v1/
//   "*example.com/*"       example.com and all its subdomains
//   "*/hello*"             any host, paths starting with /hello
//   "example.com/exact"    that host, exactly that path
// An optional "http://" or "https://" prefix is ignored. Hosts compare case-insensitively and
// without the port; paths compare case-sensitively without the query string.
// Most specific wins: the host first (exact > longer wildcard suffix > shorter > "*"), then the
// path (exact > longer prefix > shorter). Equal patterns in two workers are a config error.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "runtime/string_hash.h"

namespace edgerun::runtime {

class Router {
 public:
  // Returns an error message if `pattern` is not a valid route pattern, else nullopt.
  static std::optional<std::string> ValidatePattern(std::string_view pattern);

  // The form two patterns are compared in (scheme dropped, host lower-cased), so the config can
  // report a pattern routed to two workers. `pattern` must be valid.
  static std::string NormalizePattern(std::string_view pattern);

  // Adds a validated pattern for the worker with index `worker`. Returns false if the same
  // normalized pattern is already routed (or if `pattern` is invalid).
  bool Add(std::string_view pattern, size_t worker);

  // `host` as in the Host header (may carry ":port"); `target` the request-target ("/a?b").
  std::optional<size_t> Match(std::string_view host, std::string_view target) const;

  bool empty() const { return patterns_.empty(); }

 private:
  struct Route {
    std::string pattern;  // normalized, as added
    std::string host;     // lower case; without leading '*' if wildcard
    bool host_wildcard = false;
    std::string path;  // without trailing '*' if prefix
    bool path_prefix = false;
    size_t worker = 0;
  };
  static std::optional<size_t> MatchPath(const std::vector<Route>& routes, std::string_view host,
                                         std::string_view path);

  // Routes with an exact host, by host: a hash lookup however many tenants there are. An exact
  // host outranks every wildcard host, so these are tried first.
  std::unordered_map<std::string, std::vector<Route>, StringHash, std::equal_to<>> exact_hosts_;
  std::vector<Route> wildcard_hosts_;  // sorted most specific first
  std::unordered_set<std::string> patterns_;
};

}  // namespace edgerun::runtime
