// "secrets": {"NAME": {"env": "VAR"} | {"file": "path"}}. Values are resolved at load time and
// never appear in a message: errors name the secret, the variable or the file, not the content.
#pragma once

#include <simdjson.h>

#include <filesystem>
#include <string_view>
#include <vector>

#include "isolates/worker_spec.h"
#include "runtime/config.h"
#include "runtime/config_diagnostics.h"

namespace edgerun::runtime {

// Appends each resolved secret to *secrets; reports what cannot be resolved. File paths are
// relative to `config_dir`.
void ReadSecrets(simdjson::dom::element value, std::string_view path,
                 const std::filesystem::path& config_dir, const EnvLookup& env,
                 ConfigDiagnostics& diag, std::vector<isolates::EnvBinding>* secrets);

}  // namespace edgerun::runtime
