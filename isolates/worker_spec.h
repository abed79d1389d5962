// What the isolates need to know about one configured worker (tenant). Built by the runtime's
// config loader; immutable and shared between threads once loaded.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "bindings/wasi_host.h"

namespace edgerun::isolates {

enum class ScriptFormat {
  kAuto,           // ES module if `main` has import/export, else a service-worker script
  kModules,        // export default { fetch(request, env, ctx) {...} }
  kServiceWorker,  // addEventListener("fetch", e => e.respondWith(...))
};

// What `main` is: JavaScript, or a WASI command served as WAGI (config "type": "wagi").
enum class WorkerType { kJavaScript, kWagi };

struct EnvBinding {
  enum class Kind { kString, kJson };
  std::string name;
  Kind kind = Kind::kString;
  std::string value;  // the string itself, or minified JSON text for kJson
  bool operator==(const EnvBinding&) const = default;
};

// env.NAME (a global NAME in service-worker scripts) = a WebAssembly.Module, from "wasm_modules".
struct WasmModuleBinding {
  std::string name;
  std::filesystem::path path;  // absolute, normalized
  bool operator==(const WasmModuleBinding&) const = default;
};

struct WorkerSpec {
  std::string name;
  std::filesystem::path main;  // absolute, normalized
  ScriptFormat format = ScriptFormat::kAuto;
  WorkerType type = WorkerType::kJavaScript;
  std::vector<EnvBinding> vars;         // env.NAME from "vars"
  std::vector<EnvBinding> secrets;      // env.NAME from "secrets" (values resolved; never logged)
  std::string compatibility_date;       // "YYYY-MM-DD" or empty
  bool outbound_allow_private = false;  // fetch() may reach loopback and private addresses
  std::vector<WasmModuleBinding> wasm_modules;
  // WebAssembly.compile/instantiate/new Module from bytes at run time; bound and imported
  // modules work either way.
  bool wasm_runtime_compile = true;
  std::vector<bindings::wasi::Preopen> wasi_preopens;  // "wasi": {"preopens": {...}}, read-only
  bool operator==(const WorkerSpec&) const = default;
};

}  // namespace edgerun::isolates
