// "listen": the sockets to serve on, each routed or bound to one worker.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

#include "runtime/config.h"
#include "runtime/config_diagnostics.h"

namespace edgerun::runtime {

struct ListenEntry {
  ListenConfig config;
  std::string json_path;    // of the entry
  std::string worker_path;  // of its "worker" key, for the check that the worker exists
};

// An absent "listen" (nullopt) means the default, 127.0.0.1:8080. Whether bound workers exist is
// checked by the caller, once all workers are read.
std::vector<ListenEntry> ReadListen(std::optional<simdjson::dom::element> value,
                                    const std::string& json_path, ConfigDiagnostics& diag);

}  // namespace edgerun::runtime
