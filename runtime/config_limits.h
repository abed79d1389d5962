// "limits": HTTP size and time limits, connection cap, shutdown grace period, the limits of a
// worker's runs (CPU, memory, wall clock, waitUntil grace); "isolates": the per-thread pool.
#pragma once

#include <simdjson.h>

#include <string>

#include "runtime/config.h"
#include "runtime/config_diagnostics.h"

namespace edgerun::runtime {

// Overwrites the defaults in *config with the keys present; reports the wrong ones.
void ReadLimits(simdjson::dom::element value, const std::string& json_path, ConfigDiagnostics& diag,
                Config* config);
void ReadIsolates(simdjson::dom::element value, const std::string& json_path,
                  ConfigDiagnostics& diag, Config* config);

}  // namespace edgerun::runtime
