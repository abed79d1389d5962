#include "runtime/config_limits.h"

#include "runtime/config_object.h"
#include "runtime/config_values.h"

namespace edgerun::runtime {
namespace {

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kGiB = 1024 * kMiB;
constexpr uint64_t kDayMs = 24 * 60 * 60 * 1000;

constexpr std::string_view kLimitKeys[] = {
    "max_header_bytes", "max_body_bytes",  "header_timeout_ms",   "idle_timeout_ms",
    "max_pipelined",    "max_connections", "shutdown_timeout_ms", "cpu_ms",
    "memory_mb",        "wall_ms",         "wait_until_ms",       "subrequests"};
constexpr std::string_view kIsolateKeys[] = {"spares", "max_per_thread", "max_memory_mb_per_thread",
                                             "code_cache_dir"};

}  // namespace

void ReadLimits(simdjson::dom::element value, const std::string& json_path, ConfigDiagnostics& diag,
                Config* config) {
  std::optional<ConfigObject> limits = ConfigObject::Read(value, json_path, kLimitKeys, diag);
  if (!limits) return;
  auto read = [&](std::string_view key, uint64_t min, uint64_t max) -> std::optional<uint64_t> {
    std::optional<simdjson::dom::element> field = limits->Get(key);
    return field ? ReadInteger(*field, limits->PathOf(key), min, max, diag) : std::nullopt;
  };
  // The ranges keep typos from becoming outages (a 0 ms timeout or a 10-byte header cap rejects
  // every request); past the maxima no deployment gains anything.
  HttpLimits& http = config->http;
  if (auto v = read("max_header_bytes", kKiB, kMiB)) http.max_header_bytes = *v;
  if (auto v = read("max_body_bytes", 0, 4 * kGiB)) http.max_body_bytes = *v;
  if (auto v = read("header_timeout_ms", 1, kDayMs)) http.header_timeout_ms = *v;
  if (auto v = read("idle_timeout_ms", 1, kDayMs)) http.idle_timeout_ms = *v;
  if (auto v = read("max_pipelined", 1, 1024)) http.max_pipelined = *v;
  if (auto v = read("max_connections", 1, 10'000'000)) config->max_connections = *v;
  if (auto v = read("shutdown_timeout_ms", 0, kDayMs)) config->shutdown_timeout_ms = *v;
  if (auto v = read("cpu_ms", 1, 10 * 60 * 1000)) config->cpu_ms = *v;
  if (auto v = read("memory_mb", 16, 16 * 1024)) config->memory_mb = *v;
  if (auto v = read("wall_ms", 1, kDayMs)) config->wall_ms = *v;
  if (auto v = read("wait_until_ms", 0, kDayMs)) config->wait_until_ms = *v;
  if (auto v = read("subrequests", 0, 100'000)) config->subrequests = *v;
}

void ReadIsolates(simdjson::dom::element value, const std::string& json_path,
                  ConfigDiagnostics& diag, Config* config) {
  std::optional<ConfigObject> isolates = ConfigObject::Read(value, json_path, kIsolateKeys, diag);
  if (!isolates) return;
  auto read = [&](std::string_view key, uint64_t min, uint64_t max) -> std::optional<uint64_t> {
    std::optional<simdjson::dom::element> field = isolates->Get(key);
    return field ? ReadInteger(*field, isolates->PathOf(key), min, max, diag) : std::nullopt;
  };
  if (auto v = read("spares", 0, 64)) config->spare_isolates = *v;
  if (auto v = read("max_per_thread", 1, 1'000'000)) config->max_isolates = *v;
  if (auto v = read("max_memory_mb_per_thread", 64, 1024 * 1024))
    config->max_isolate_memory_mb = *v;
  if (auto dir = isolates->Get("code_cache_dir")) {
    std::string path = isolates->PathOf("code_cache_dir");
    if (auto text = ReadString(*dir, path, diag, "a directory path")) {
      if (text->empty()) {
        diag.Error(path, "code_cache_dir is empty; leave it out to keep the cache in memory only");
      } else {
        config->code_cache_dir = (config->path.parent_path() / *text).lexically_normal();
      }
    }
  }
}

}  // namespace edgerun::runtime
