// A worker's "wasi" key: what WASI programs run by the worker may see of the host.
#pragma once

#include <simdjson.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bindings/wasi_host.h"
#include "runtime/config_diagnostics.h"

namespace edgerun::runtime {

// "wasi": {"preopens": {"/data": "assets"}}: each guest path (absolute, as the program sees it)
// maps to a directory relative to the config file, which must exist; read-only.
void ReadWasi(simdjson::dom::element value, const std::string& path,
              const std::filesystem::path& config_dir, ConfigDiagnostics& diag,
              std::vector<bindings::wasi::Preopen>* preopens);

}  // namespace edgerun::runtime
