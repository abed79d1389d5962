// The loaded, validated configuration. See config/README.md for the file format.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "isolates/tenant.h"
#include "isolates/worker_spec.h"
#include "runtime/http_connection.h"
#include "runtime/listen_address.h"

namespace edgerun::runtime {

struct ListenConfig {
  ListenAddress address;
  std::string worker;  // empty: the router picks the worker; else every request goes to it
};

struct WorkerConfig {
  isolates::WorkerSpec spec;
  std::vector<std::string> routes;  // validated route patterns, see router.h
};

struct Config {
  std::filesystem::path path;  // the config file (absolute)
  std::vector<ListenConfig> listen;
  unsigned threads = 0;  // 0: one per available core
  HttpLimits http;
  size_t max_connections = 10'000;         // process-wide; past it new connections get 503
  uint64_t shutdown_timeout_ms = 10'000;   // SIGTERM: how long in-flight requests may take
  uint64_t cpu_ms = 50;                    // CPU time of a request's JS
  size_t memory_mb = 128;                  // V8 heap per isolate (and ArrayBuffers again)
  uint64_t wall_ms = 30'000;               // time to answer a request
  uint64_t wait_until_ms = 30'000;         // time waitUntil() work may run after the answer
  uint64_t subrequests = 50;               // fetch() calls per request
  std::filesystem::path outbound_ca_file;  // fetch() https: trust these CAs (empty: the system's)
  size_t outbound_max_idle_per_origin = 256;  // fetch() keep-alive connections kept, per thread
  size_t spare_isolates = 2;                  // per thread, warm and ready for a first request
  size_t max_isolates = 1000;                 // per thread; past it idle tenants are evicted (LRU)
  size_t max_isolate_memory_mb = 4096;        // per thread, of all its tenants
  std::filesystem::path code_cache_dir;  // compiled worker code kept here too ("": memory only)
  bool access_log = true;
  std::optional<ListenAddress> admin_listen;  // /metrics and /healthz; off when unset
  std::vector<WorkerConfig> workers;

  const WorkerConfig* FindWorker(std::string_view name) const;
};

// The limits of worker runs this config asks for.
isolates::TenantLimits TenantLimitsOf(const Config& config);

// Errors name the file, the JSON path and what was expected, one per line, e.g.
//   config.json: $.workers[0].routes[1]: expected a string, got number
//   config.json:3:14: invalid JSON: expected ',' or '}' after an object member, got '"'
struct ConfigError {
  std::string message;
};

struct ConfigResult {
  std::shared_ptr<const Config> config;  // null on error
  std::vector<ConfigError> errors;
  // Lines in the same form as errors, for things that load but are probably mistakes (a worker
  // no request can reach). Present whether or not there are errors.
  std::vector<std::string> warnings;
  bool ok() const { return config != nullptr; }
  std::string ErrorText() const;  // all errors, one per line
};

// Reads and validates a config file. Paths inside it are relative to the file's directory.
// `env` looks up environment variables for secrets (injectable for tests).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
ConfigResult LoadConfig(const std::filesystem::path& file, const EnvLookup& env);
ConfigResult ParseConfig(std::string_view json, const std::filesystem::path& file,
                         const EnvLookup& env);
EnvLookup ProcessEnv();  // getenv

}  // namespace edgerun::runtime
