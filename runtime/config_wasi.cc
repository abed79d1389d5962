#include "runtime/config_wasi.h"

#include <system_error>

#include "runtime/config_object.h"
#include "runtime/config_values.h"
#include "runtime/did_you_mean.h"

namespace edgerun::runtime {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kWasiKeys[] = {"preopens"};
constexpr std::string_view kTypes[] = {"javascript", "wagi"};

void ReadPreopen(std::string_view guest, simdjson::dom::element value, const std::string& path,
                 const fs::path& config_dir, ConfigDiagnostics& diag,
                 std::vector<bindings::wasi::Preopen>* preopens) {
  if (guest.empty() || guest.front() != '/' || guest.find('\0') != std::string_view::npos) {
    diag.Error(path,
               "a preopen's name is the absolute path the WASI program sees, such as "
               "\"/data\"; got " +
                   JsonQuote(guest));
    return;
  }
  std::optional<std::string_view> text =
      ReadString(value, path, diag, "a directory relative to the config file");
  if (!text) return;
  fs::path dir = (config_dir / *text).lexically_normal();
  std::string where = JsonQuote(*text) + " (resolved to " + dir.string() + ")";
  std::error_code ec;
  fs::file_status status = fs::status(dir, ec);
  if (status.type() == fs::file_type::not_found) {
    diag.Error(path,
               "directory not found: " + where + "; preopens are relative to the config file");
    return;
  }
  if (ec) {
    diag.Error(path, "cannot access " + where + ": " + ec.message());
    return;
  }
  if (status.type() != fs::file_type::directory) {
    diag.Error(path, where + " is not a directory; a preopen must be one");
    return;
  }
  fs::path real = fs::canonical(dir, ec);
  preopens->push_back({std::string(guest), (ec ? dir : real).string()});
}

}  // namespace

void ReadWasi(simdjson::dom::element value, const std::string& path, const fs::path& config_dir,
              ConfigDiagnostics& diag, std::vector<bindings::wasi::Preopen>* preopens) {
  std::optional<ConfigObject> wasi = ConfigObject::Read(value, path, kWasiKeys, diag);
  if (!wasi) return;
  std::optional<simdjson::dom::element> map = wasi->Get("preopens");
  if (!map) return;
  std::optional<ConfigObject> object = ConfigObject::Read(
      *map, wasi->PathOf("preopens"), {}, diag, "an object such as {\"/data\": \"assets\"}");
  if (!object) return;
  for (const auto& [guest, dir] : object->fields()) {
    ReadPreopen(guest, dir, object->PathOf(guest), config_dir, diag, preopens);
  }
}

void ReadWorkerType(const ConfigObject& worker, ConfigDiagnostics& diag,
                    isolates::WorkerSpec* spec) {
  std::optional<simdjson::dom::element> value = worker.Get("type");
  if (!value) return;
  std::string path = worker.PathOf("type");
  std::optional<std::string_view> text =
      ReadString(*value, path, diag, "\"javascript\" or \"wagi\"");
  if (!text) return;
  if (*text == "javascript") {
    spec->type = isolates::WorkerType::kJavaScript;
    return;
  }
  if (*text != "wagi") {
    std::string message = "expected \"javascript\" or \"wagi\", got " + JsonQuote(*text);
    if (std::optional<std::string_view> close = ClosestMatch(*text, kTypes)) {
      message += "; did you mean \"" + std::string(*close) + "\"?";
    }
    diag.Error(path, message);
    return;
  }
  spec->type = isolates::WorkerType::kWagi;
  if (worker.Get("format")) {
    diag.Error(worker.PathOf("format"),
               "\"format\" does not apply to a wagi worker (its main is a WebAssembly module, "
               "not a script); remove it");
  }
  if (!spec->main.empty() && spec->main.extension() != ".wasm") {
    diag.Error(worker.PathOf("main"),
               "a wagi worker's main must be a WASI command module (a "
               ".wasm file), got " +
                   JsonQuote(spec->main.filename().string()));
  }
}

}  // namespace edgerun::runtime
