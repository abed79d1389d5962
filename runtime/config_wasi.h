// A worker's "wasi" key (what WASI programs run by the worker may see of the host) and its
// "type" (a JavaScript worker or a WAGI command).
#pragma once

#include <simdjson.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bindings/wasi_host.h"
#include "isolates/worker_spec.h"
#include "runtime/config_diagnostics.h"
#include "runtime/config_object.h"

namespace edgerun::runtime {

// "wasi": {"preopens": {"/data": "assets"}}: each guest path (absolute, as the program sees it)
// maps to a directory relative to the config file, which must exist; read-only.
void ReadWasi(simdjson::dom::element value, const std::string& path,
              const std::filesystem::path& config_dir, ConfigDiagnostics& diag,
              std::vector<bindings::wasi::Preopen>* preopens);

// "type": "javascript" (the default) or "wagi" (`main` is a WASI command served as CGI). For
// wagi, `main` must be a .wasm file and "format" is refused (it only means something for JS).
void ReadWorkerType(const ConfigObject& worker, ConfigDiagnostics& diag,
                    isolates::WorkerSpec* spec);

}  // namespace edgerun::runtime
