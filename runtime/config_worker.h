// One entry of "workers": name, main, format, routes, vars, secrets, compatibility_date.
#pragma once

#include <simdjson.h>

#include <filesystem>
#include <string>
#include <vector>

#include "runtime/config.h"
#include "runtime/config_diagnostics.h"

namespace edgerun::runtime {

// A route as written, kept beside the normalized pattern for messages about duplicates.
struct RouteEntry {
  std::string written;
  std::string json_path;
};

struct ParsedWorker {
  // spec.name holds the name even when it is invalid, so that cross-checks (listen entries,
  // duplicate routes) name the worker the user meant instead of piling up follow-on errors.
  WorkerConfig config;
  std::string json_path;
  std::vector<RouteEntry> routes;  // parallel to config.routes
  // Whether "routes" lists anything, valid or not: a worker whose routes are all invalid already
  // has errors and should not also be warned about as having none.
  bool routes_written = false;
};

// Reads what it can and reports the rest; the result is complete only if nothing was reported.
ParsedWorker ReadWorker(simdjson::dom::element value, std::string json_path,
                        const std::filesystem::path& config_dir, const EnvLookup& env,
                        ConfigDiagnostics& diag);

// ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$
bool IsValidWorkerName(std::string_view name);

}  // namespace edgerun::runtime
