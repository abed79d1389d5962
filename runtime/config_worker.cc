#include "runtime/config_worker.h"

#include <algorithm>
#include <system_error>

#include "runtime/calendar_date.h"
#include "runtime/config_object.h"
#include "runtime/config_secrets.h"
#include "runtime/config_values.h"
#include "runtime/config_wasi.h"
#include "runtime/did_you_mean.h"
#include "runtime/router.h"

namespace edgerun::runtime {
namespace {

namespace fs = std::filesystem;
using simdjson::dom::element;

constexpr std::string_view kWorkerKeys[] = {"name",
                                            "main",
                                            "format",
                                            "routes",
                                            "vars",
                                            "secrets",
                                            "compatibility_date",
                                            "outbound",
                                            "wasm_modules",
                                            "wasm_runtime_compile",
                                            "wasi",
                                            "type"};
constexpr std::string_view kOutboundKeys[] = {"allow_private"};
constexpr std::string_view kRouteKeys[] = {"pattern"};
constexpr std::string_view kFormats[] = {"auto", "modules", "service-worker"};
constexpr std::string_view kRouteExpected = "a route pattern string like \"example.com/*\"";

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void ReadName(const ConfigObject& worker, ConfigDiagnostics& diag, std::string* name) {
  std::optional<element> value = worker.Require("name", diag);
  if (!value) return;
  std::optional<std::string_view> text = ReadString(*value, worker.PathOf("name"), diag);
  if (!text) return;
  *name = std::string(*text);
  if (!IsValidWorkerName(*text)) {
    diag.Error(worker.PathOf("name"),
               "invalid worker name " + JsonQuote(*text) +
                   ": use 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or "
                   "digit");
  }
}

void ReadMain(const ConfigObject& worker, const fs::path& config_dir, ConfigDiagnostics& diag,
              fs::path* main) {
  std::optional<element> value = worker.Require("main", diag);
  if (!value) return;
  std::string path = worker.PathOf("main");
  std::optional<std::string_view> text =
      ReadString(*value, path, diag, "the path of the worker's script");
  if (!text) return;
  if (text->empty()) {
    diag.Error(path, "main is empty; give the path of the worker's script, such as \"index.js\"");
    return;
  }
  *main = (config_dir / *text).lexically_normal();
  std::string where = JsonQuote(*text) + " (resolved to " + main->string() + ")";
  std::error_code ec;
  fs::file_status status = fs::status(*main, ec);
  if (status.type() == fs::file_type::not_found) {
    bool relative = fs::path(*text).is_relative();
    diag.Error(path, "script not found: " + where +
                         (relative ? "; main is relative to the config file" : ""));
  } else if (ec) {
    diag.Error(path, "cannot access " + where + ": " + ec.message());
  } else if (status.type() == fs::file_type::directory) {
    diag.Error(path, where + " is a directory; main must be the worker's script file");
  } else if (status.type() != fs::file_type::regular) {
    diag.Error(path, where + " is not a regular file");
  }
}

void ReadFormat(element value, const std::string& path, ConfigDiagnostics& diag,
                isolates::ScriptFormat* format) {
  std::optional<std::string_view> text =
      ReadString(value, path, diag, "\"auto\", \"modules\" or \"service-worker\"");
  if (!text) return;
  if (*text == "auto") {
    *format = isolates::ScriptFormat::kAuto;
  } else if (*text == "modules") {
    *format = isolates::ScriptFormat::kModules;
  } else if (*text == "service-worker") {
    *format = isolates::ScriptFormat::kServiceWorker;
  } else {
    std::string message =
        "expected \"auto\", \"modules\" or \"service-worker\", got " + JsonQuote(*text);
    if (std::optional<std::string_view> close = ClosestMatch(*text, kFormats)) {
      message += "; did you mean \"" + std::string(*close) + "\"?";
    }
    diag.Error(path, message);
  }
}

void ReadRoute(element value, const std::string& path, ConfigDiagnostics& diag,
               ParsedWorker* worker) {
  std::optional<std::string_view> pattern;
  std::string pattern_path = path;
  if (value.is_object()) {
    std::optional<ConfigObject> route = ConfigObject::Read(value, path, kRouteKeys, diag);
    std::optional<element> inner = route->Require("pattern", diag);
    if (!inner) return;
    pattern_path = route->PathOf("pattern");
    pattern = ReadString(*inner, pattern_path, diag, kRouteExpected);
  } else {
    pattern = ReadString(value, path, diag, kRouteExpected);
  }
  if (!pattern) return;
  if (std::optional<std::string> error = Router::ValidatePattern(*pattern)) {
    diag.Error(pattern_path, "invalid route pattern " + JsonQuote(*pattern) + ": " + *error);
    return;
  }
  std::string normalized = Router::NormalizePattern(*pattern);
  const std::vector<std::string>& routes = worker->config.routes;
  auto same = std::find(routes.begin(), routes.end(), normalized);
  if (same != routes.end()) {
    diag.Error(pattern_path, "route " + JsonQuote(*pattern) + " is listed twice (also at " +
                                 worker->routes[same - routes.begin()].json_path + ")");
    return;
  }
  worker->config.routes.push_back(std::move(normalized));
  worker->routes.push_back({std::string(*pattern), pattern_path});
}

void ReadRoutes(element value, const std::string& path, ConfigDiagnostics& diag,
                ParsedWorker* worker) {
  if (value.is_string()) {
    diag.Error(path, "expected an array of route patterns, got string; write [" +
                         simdjson::minify(value) + "]");
    return;
  }
  std::optional<simdjson::dom::array> routes =
      ReadArray(value, path, diag, "an array of route patterns");
  if (!routes) return;
  worker->routes_written = routes->size() > 0;
  size_t index = 0;
  for (element route : *routes)
    ReadRoute(route, JsonIndex(path, index++), diag, worker);
}

void ReadVars(element value, const std::string& path, ConfigDiagnostics& diag,
              std::vector<isolates::EnvBinding>* vars) {
  std::optional<ConfigObject> object = ConfigObject::Read(value, path, {}, diag);
  if (!object) return;
  for (const auto& [name, var] : object->fields()) {
    if (name.empty()) {
      diag.Error(object->PathOf(name), "a var needs a non-empty name");
      continue;
    }
    std::string_view text;
    if (var.get_string().get(text) == simdjson::SUCCESS) {
      vars->push_back({std::string(name), isolates::EnvBinding::Kind::kString, std::string(text)});
    } else {
      vars->push_back(
          {std::string(name), isolates::EnvBinding::Kind::kJson, simdjson::minify(var)});
    }
  }
}

void ReadCompatibilityDate(element value, const std::string& path, ConfigDiagnostics& diag,
                           std::string* date) {
  std::optional<std::string_view> text = ReadString(value, path, diag, "a date as \"YYYY-MM-DD\"");
  if (!text) return;
  if (!HasDateShape(*text)) {
    diag.Error(path,
               "expected a date as \"YYYY-MM-DD\" such as \"2024-09-23\", got " + JsonQuote(*text));
  } else if (!IsCalendarDate(*text)) {
    diag.Error(path, JsonQuote(*text) + " is not a calendar date");
  } else {
    *date = std::string(*text);
  }
}

bool IsJsIdentifier(std::string_view name) {
  auto start = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
  };
  if (name.empty() || !start(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return start(c) || (c >= '0' && c <= '9'); });
}

// Whether the bytes are valid WebAssembly is found when a worker loads them (edgerun check
// reports it); here only that the file is there.
void ReadWasmModule(std::string_view name, element value, const std::string& path,
                    const fs::path& config_dir, ConfigDiagnostics& diag,
                    std::vector<isolates::WasmModuleBinding>* modules) {
  if (!IsJsIdentifier(name)) {
    diag.Error(path, "invalid WebAssembly module name " + JsonQuote(name) + ": it becomes env." +
                         std::string(name) +
                         " (a global in service-worker scripts), so use a JavaScript identifier "
                         "(letters, digits, '_' or '$', not starting with a digit)");
    return;
  }
  std::optional<std::string_view> text = ReadString(value, path, diag, "the path of a .wasm file");
  if (!text) return;
  if (text->empty()) {
    diag.Error(path, "the path is empty; give the path of a .wasm file, such as \"add.wasm\"");
    return;
  }
  fs::path file = (config_dir / *text).lexically_normal();
  std::string where = JsonQuote(*text) + " (resolved to " + file.string() + ")";
  std::error_code ec;
  fs::file_status status = fs::status(file, ec);
  if (status.type() == fs::file_type::not_found) {
    bool relative = fs::path(*text).is_relative();
    diag.Error(path, "WebAssembly module not found: " + where +
                         (relative ? "; the path is relative to the config file" : ""));
  } else if (ec) {
    diag.Error(path, "cannot access " + where + ": " + ec.message());
  } else if (status.type() != fs::file_type::regular) {
    diag.Error(path, where + " is not a regular file; give the path of a .wasm file");
  } else {
    modules->push_back({std::string(name), std::move(file)});
  }
}

void ReadWasmModules(element value, const std::string& path, const fs::path& config_dir,
                     ConfigDiagnostics& diag, std::vector<isolates::WasmModuleBinding>* modules) {
  std::optional<ConfigObject> object = ConfigObject::Read(value, path, {}, diag);
  if (!object) return;
  for (const auto& [name, module] : object->fields()) {
    ReadWasmModule(name, module, object->PathOf(name), config_dir, diag, modules);
  }
}

// A WebAssembly module binding shares env with vars and secrets.
void CheckWasmModuleNames(const ConfigObject& worker, ConfigDiagnostics& diag) {
  std::optional<element> modules = worker.Get("wasm_modules");
  simdjson::dom::object object;
  if (!modules || modules->get_object().get(object) != simdjson::SUCCESS) return;
  for (simdjson::dom::key_value_pair module : object) {
    for (std::string_view other : {"vars", "secrets"}) {
      std::optional<element> list = worker.Get(other);
      simdjson::dom::object names;
      if (!list || list->get_object().get(names) != simdjson::SUCCESS) continue;
      simdjson::dom::element ignored;
      if (names.at_key(module.key).get(ignored) != simdjson::SUCCESS) continue;
      std::string name(module.key);
      std::string kind(other == "vars" ? "var" : "secret");
      diag.Error(JsonMember(worker.PathOf("wasm_modules"), name),
                 "'" + name + "' is both a WebAssembly module and a " + kind + "; env." + name +
                     " can be only one of them");
    }
  }
}

// env.NAME can hold only one binding. Checked on the names as written, so the clash is reported
// even when the secret itself cannot be resolved.
void CheckBindingNames(const ConfigObject& worker, const std::vector<isolates::EnvBinding>& vars,
                       ConfigDiagnostics& diag) {
  std::optional<element> secrets = worker.Get("secrets");
  simdjson::dom::object object;
  if (!secrets || secrets->get_object().get(object) != simdjson::SUCCESS) return;
  for (simdjson::dom::key_value_pair secret : object) {
    bool clash = std::any_of(vars.begin(), vars.end(), [&](const isolates::EnvBinding& var) {
      return var.name == secret.key;
    });
    if (clash) {
      std::string name(secret.key);
      diag.Error(
          JsonMember(worker.PathOf("secrets"), name),
          "'" + name + "' is both a var and a secret; env." + name + " can be only one of them");
    }
  }
}

}  // namespace

bool IsValidWorkerName(std::string_view name) {
  if (name.empty() || name.size() > 63 || !IsNameChar(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return IsNameChar(c) || c == '_' || c == '.' || c == '-'; });
}

ParsedWorker ReadWorker(element value, std::string json_path, const fs::path& config_dir,
                        const EnvLookup& env, ConfigDiagnostics& diag) {
  ParsedWorker parsed;
  parsed.json_path = json_path;
  std::optional<ConfigObject> worker = ConfigObject::Read(value, json_path, kWorkerKeys, diag);
  if (!worker) return parsed;
  isolates::WorkerSpec& spec = parsed.config.spec;
  ReadName(*worker, diag, &spec.name);
  ReadMain(*worker, config_dir, diag, &spec.main);
  if (auto format = worker->Get("format")) {
    ReadFormat(*format, worker->PathOf("format"), diag, &spec.format);
  }
  if (auto routes = worker->Get("routes")) {
    ReadRoutes(*routes, worker->PathOf("routes"), diag, &parsed);
  }
  if (auto vars = worker->Get("vars")) ReadVars(*vars, worker->PathOf("vars"), diag, &spec.vars);
  if (auto secrets = worker->Get("secrets")) {
    ReadSecrets(*secrets, worker->PathOf("secrets"), config_dir, env, diag, &spec.secrets);
  }
  if (auto date = worker->Get("compatibility_date")) {
    ReadCompatibilityDate(*date, worker->PathOf("compatibility_date"), diag,
                          &spec.compatibility_date);
  }
  if (auto outbound = worker->Get("outbound")) {
    std::optional<ConfigObject> object =
        ConfigObject::Read(*outbound, worker->PathOf("outbound"), kOutboundKeys, diag);
    if (object) {
      if (auto allow = object->Get("allow_private")) {
        if (auto flag = ReadBool(*allow, object->PathOf("allow_private"), diag)) {
          spec.outbound_allow_private = *flag;
        }
      }
    }
  }
  if (auto modules = worker->Get("wasm_modules")) {
    ReadWasmModules(*modules, worker->PathOf("wasm_modules"), config_dir, diag, &spec.wasm_modules);
  }
  if (auto compile = worker->Get("wasm_runtime_compile")) {
    if (auto flag = ReadBool(*compile, worker->PathOf("wasm_runtime_compile"), diag)) {
      spec.wasm_runtime_compile = *flag;
    }
  }
  ReadWorkerType(*worker, diag, &spec);
  if (auto wasi = worker->Get("wasi")) {
    ReadWasi(*wasi, worker->PathOf("wasi"), config_dir, diag, &spec.wasi_preopens);
  }
  CheckBindingNames(*worker, spec.vars, diag);
  CheckWasmModuleNames(*worker, diag);
  return parsed;
}

}  // namespace edgerun::runtime
