#include "runtime/config.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <system_error>
#include <unordered_map>

#include "runtime/config_diagnostics.h"
#include "runtime/config_limits.h"
#include "runtime/config_listen.h"
#include "runtime/config_object.h"
#include "runtime/config_values.h"
#include "runtime/config_worker.h"
#include "runtime/did_you_mean.h"
#include "runtime/json_error_position.h"
#include "runtime/read_file.h"

namespace edgerun::runtime {
namespace {

namespace fs = std::filesystem;
using simdjson::dom::element;

constexpr std::string_view kRootKeys[] = {"listen",   "threads", "access_log", "limits",
                                          "isolates", "admin",   "workers",    "outbound"};
constexpr std::string_view kAdminKeys[] = {"listen"};
constexpr std::string_view kOutboundKeys[] = {"ca_file", "max_idle_per_origin"};

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Some Windows editors start UTF-8 files with a byte order mark; JSON parsers reject it.
std::string_view StripByteOrderMark(std::string_view json) {
  return json.starts_with("\xEF\xBB\xBF") ? json.substr(3) : json;
}

void ReportInvalidJson(std::string_view json, simdjson::error_code error, ConfigDiagnostics& diag) {
  if (std::optional<JsonSyntaxError> syntax = FindJsonSyntaxError(json)) {
    diag.SyntaxError(syntax->line, syntax->column, syntax->message);
  } else {
    // Our validator and simdjson disagree; still say what simdjson found.
    diag.FileError(std::string("invalid JSON: ") + simdjson::error_message(error));
  }
}

std::vector<ParsedWorker> ReadWorkers(const ConfigObject& root, const fs::path& config_dir,
                                      const EnvLookup& env, ConfigDiagnostics& diag) {
  std::vector<ParsedWorker> workers;
  std::optional<element> value = root.Require("workers", diag);
  if (!value) return workers;
  std::string path = root.PathOf("workers");
  std::optional<simdjson::dom::array> array = ReadArray(*value, path, diag, "an array of workers");
  if (!array) return workers;
  if (array->size() == 0) {
    diag.Error(path,
               "at least one worker is required, such as "
               "[{\"name\": \"hello\", \"main\": \"index.js\", \"routes\": [\"*/*\"]}]");
    return workers;
  }
  size_t index = 0;
  for (element item : *array) {
    ParsedWorker worker = ReadWorker(item, JsonIndex(path, index++), config_dir, env, diag);
    const std::string& name = worker.config.spec.name;
    for (const ParsedWorker& earlier : workers) {
      if (!name.empty() && earlier.config.spec.name == name) {
        diag.Error(JsonMember(worker.json_path, "name"),
                   "duplicate worker name '" + name + "' (also at " + earlier.json_path + ")");
        break;
      }
    }
    workers.push_back(std::move(worker));
  }
  return workers;
}

// A pattern within one worker is checked as it is read; this is across workers.
void CheckRoutesUnique(const std::vector<ParsedWorker>& workers, ConfigDiagnostics& diag) {
  struct Owner {
    const ParsedWorker* worker;
    const RouteEntry* route;
  };
  std::unordered_map<std::string_view, Owner> owners;
  for (const ParsedWorker& worker : workers) {
    for (size_t r = 0; r < worker.config.routes.size(); ++r) {
      const RouteEntry& mine = worker.routes[r];
      auto [it, inserted] = owners.try_emplace(worker.config.routes[r], Owner{&worker, &mine});
      if (inserted) continue;
      const RouteEntry& theirs = *it->second.route;
      std::string same;
      if (mine.written != theirs.written) same.append(" ").append(JsonQuote(theirs.written));
      diag.Error(mine.json_path, "route " + JsonQuote(mine.written) + " of worker '" +
                                     worker.config.spec.name + "' is also a route" + same +
                                     " of worker '" + it->second.worker->config.spec.name +
                                     "' (at " + theirs.json_path +
                                     "); a pattern can send requests to one worker only");
    }
  }
}

void CheckListenWorkers(const std::vector<ListenEntry>& listen,
                        const std::vector<ParsedWorker>& workers, ConfigDiagnostics& diag) {
  std::vector<std::string_view> names;
  for (const ParsedWorker& worker : workers)
    names.push_back(worker.config.spec.name);
  for (const ListenEntry& entry : listen) {
    const std::string& wanted = entry.config.worker;
    if (wanted.empty() || std::find(names.begin(), names.end(), wanted) != names.end()) continue;
    std::string message = "no worker named '" + wanted + "'";
    if (std::optional<std::string_view> close = ClosestMatch(wanted, names)) {
      message += ", did you mean '" + std::string(*close) + "'?";
    }
    message += " (workers: ";
    for (size_t i = 0; i < names.size(); ++i) {
      message += (i == 0 ? "" : ", ") + std::string(names[i]);
    }
    diag.Error(entry.worker_path, message + ")");
  }
}

void WarnUnreachable(const std::vector<ListenEntry>& listen,
                     const std::vector<ParsedWorker>& workers, ConfigDiagnostics& diag) {
  bool routed_listener = std::any_of(listen.begin(), listen.end(), [](const ListenEntry& entry) {
    return entry.config.worker.empty();
  });
  for (const ParsedWorker& worker : workers) {
    const std::string& name = worker.config.spec.name;
    if (name.empty()) continue;
    bool bound = std::any_of(listen.begin(), listen.end(),
                             [&](const ListenEntry& entry) { return entry.config.worker == name; });
    if (bound) continue;
    if (!worker.routes_written) {
      diag.Warning(worker.json_path,
                   "worker '" + name +
                       "' is unreachable: it has no routes and no listen entry is bound to it");
    } else if (!routed_listener) {
      diag.Warning(worker.json_path,
                   "worker '" + name +
                       "' is unreachable: every listen entry is bound to a worker, so its routes "
                       "are never consulted");
    }
  }
}

}  // namespace

const WorkerConfig* Config::FindWorker(std::string_view name) const {
  for (const WorkerConfig& worker : workers) {
    if (worker.spec.name == name) return &worker;
  }
  return nullptr;
}

std::string ConfigResult::ErrorText() const {
  std::string text;
  for (const ConfigError& error : errors) {
    if (!text.empty()) text += '\n';
    text += error.message;
  }
  return text;
}

ConfigResult ParseConfig(std::string_view json, const fs::path& file, const EnvLookup& env) {
  ConfigDiagnostics diag(file.string());
  auto finish = [&](std::shared_ptr<Config> config) {
    ConfigResult result;
    for (std::string& message : diag.TakeErrors())
      result.errors.push_back({std::move(message)});
    result.warnings = diag.TakeWarnings();
    if (result.errors.empty()) result.config = std::move(config);
    return result;
  };

  json = StripByteOrderMark(json);
  if (IsBlank(json)) {
    diag.FileError("the config is empty; expected a JSON object such as {\"workers\": [...]}");
    return finish(nullptr);
  }
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  element root;
  if (simdjson::error_code error = parser.parse(padded).get(root)) {
    ReportInvalidJson(json, error, diag);
    return finish(nullptr);
  }
  std::optional<ConfigObject> object =
      ConfigObject::Read(root, "$", kRootKeys, diag, "the config to be a JSON object {...}");
  if (!object) return finish(nullptr);

  auto config = std::make_shared<Config>();
  std::error_code ec;
  fs::path absolute = fs::absolute(file, ec);
  config->path = (ec ? file : absolute).lexically_normal();
  fs::path config_dir = config->path.parent_path();

  std::vector<ListenEntry> listen =
      ReadListen(object->Get("listen"), object->PathOf("listen"), diag);
  if (auto threads = object->Get("threads")) {
    if (auto n = ReadInteger(*threads, object->PathOf("threads"), 1, 256, diag)) {
      config->threads = static_cast<unsigned>(*n);
    }
  }
  if (auto access_log = object->Get("access_log")) {
    if (auto flag = ReadBool(*access_log, object->PathOf("access_log"), diag)) {
      config->access_log = *flag;
    }
  }
  if (auto admin = object->Get("admin")) {
    if (auto fields = ConfigObject::Read(*admin, object->PathOf("admin"), kAdminKeys, diag)) {
      if (auto listen = fields->Require("listen", diag)) {
        std::string path = fields->PathOf("listen");
        if (auto text = ReadString(*listen, path, diag, "an address like \"127.0.0.1:9901\"")) {
          std::string error;
          std::optional<ListenAddress> address = ParseListenAddress(*text, &error);
          if (!address) {
            diag.Error(path, error);
          } else if (!address->IsLoopback()) {
            diag.Error(path,
                       "the admin endpoints are not authenticated: listen on a loopback "
                       "address (127.0.0.1 or [::1]), got " +
                           address->ToString());
          } else {
            config->admin_listen = *address;
          }
        }
      }
    }
  }
  if (auto isolates = object->Get("isolates")) {
    ReadIsolates(*isolates, object->PathOf("isolates"), diag, config.get());
  }
  if (auto outbound = object->Get("outbound")) {
    if (auto fields =
            ConfigObject::Read(*outbound, object->PathOf("outbound"), kOutboundKeys, diag)) {
      if (auto ca = fields->Get("ca_file")) {
        std::string path = fields->PathOf("ca_file");
        if (auto text = ReadString(*ca, path, diag, "a path to a PEM file of CA certificates")) {
          fs::path file = (config_dir / std::string(*text)).lexically_normal();
          std::error_code ec;
          if (!fs::is_regular_file(file, ec)) {
            diag.Error(path, "no such file: " + file.string());
          } else {
            config->outbound_ca_file = file;
          }
        }
      }
      if (auto idle = fields->Get("max_idle_per_origin")) {
        if (auto v = ReadInteger(*idle, fields->PathOf("max_idle_per_origin"), 0, 100'000, diag)) {
          config->outbound_max_idle_per_origin = static_cast<size_t>(*v);
        }
      }
    }
  }
  if (auto limits = object->Get("limits")) {
    ReadLimits(*limits, object->PathOf("limits"), diag, config.get());
  }
  std::vector<ParsedWorker> workers = ReadWorkers(*object, config_dir, env, diag);
  CheckRoutesUnique(workers, diag);
  CheckListenWorkers(listen, workers, diag);
  WarnUnreachable(listen, workers, diag);

  for (ListenEntry& entry : listen)
    config->listen.push_back(std::move(entry.config));
  for (ParsedWorker& worker : workers)
    config->workers.push_back(std::move(worker.config));
  return finish(std::move(config));
}

ConfigResult LoadConfig(const fs::path& file, const EnvLookup& env) {
  std::string error;
  std::optional<std::string> json = ReadFile(file, &error);
  if (!json) {
    ConfigResult result;
    result.errors.push_back({file.string() + ": cannot read config: " + error});
    return result;
  }
  return ParseConfig(*json, file, env);
}

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

isolates::TenantLimits TenantLimitsOf(const Config& config) {
  isolates::TenantLimits limits;
  limits.heap_limit_mb = config.memory_mb;
  limits.cpu_ms = config.cpu_ms;
  limits.wall_ms = config.wall_ms;
  limits.wait_until_ms = config.wait_until_ms;
  limits.subrequests = config.subrequests;
  return limits;
}

}  // namespace edgerun::runtime
