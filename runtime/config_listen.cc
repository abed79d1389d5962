#include "runtime/config_listen.h"

#include "runtime/config_object.h"
#include "runtime/config_values.h"

namespace edgerun::runtime {
namespace {

using simdjson::dom::element;

constexpr std::string_view kDefaultListen = "127.0.0.1:8080";
constexpr std::string_view kListenKeys[] = {"address", "worker"};
constexpr std::string_view kEntryExpected =
    "an address string like \"127.0.0.1:8080\" or {\"address\": ..., \"worker\": ...}";

std::optional<ListenAddress> ReadAddress(element value, const std::string& path,
                                         ConfigDiagnostics& diag, std::string_view expected) {
  std::optional<std::string_view> text = ReadString(value, path, diag, expected);
  if (!text) return std::nullopt;
  std::string error;
  std::optional<ListenAddress> address = ParseListenAddress(*text, &error);
  if (!address) diag.Error(path, "invalid listen address " + JsonQuote(*text) + ": " + error);
  return address;
}

std::optional<ListenEntry> ReadEntry(element value, const std::string& path,
                                     ConfigDiagnostics& diag) {
  ListenEntry entry;
  entry.json_path = path;
  if (!value.is_object()) {
    std::optional<ListenAddress> address = ReadAddress(value, path, diag, kEntryExpected);
    if (!address) return std::nullopt;
    entry.config.address = std::move(*address);
    return entry;
  }
  std::optional<ConfigObject> object = ConfigObject::Read(value, path, kListenKeys, diag);
  std::optional<element> address_value = object->Require("address", diag);
  std::optional<ListenAddress> address;
  if (address_value) {
    address = ReadAddress(*address_value, object->PathOf("address"), diag,
                          "an address string like \"127.0.0.1:8080\"");
  }
  if (std::optional<element> worker = object->Get("worker")) {
    entry.worker_path = object->PathOf("worker");
    std::optional<std::string_view> name =
        ReadString(*worker, entry.worker_path, diag, "a worker name");
    if (name && name->empty()) diag.Error(entry.worker_path, "the worker name is empty");
    if (name) entry.config.worker = std::string(*name);
  }
  if (!address) return std::nullopt;
  entry.config.address = std::move(*address);
  return entry;
}

}  // namespace

std::vector<ListenEntry> ReadListen(std::optional<element> value, const std::string& json_path,
                                    ConfigDiagnostics& diag) {
  std::vector<ListenEntry> entries;
  if (!value) {
    std::optional<ListenAddress> address = ParseListenAddress(kDefaultListen, nullptr);
    entries.push_back({{*address, ""}, json_path, ""});
    return entries;
  }
  std::optional<simdjson::dom::array> array =
      ReadArray(*value, json_path, diag, "an array of addresses such as [\"127.0.0.1:8080\"]");
  if (!array) return entries;
  if (array->size() == 0) {
    diag.Error(json_path, "listen needs at least one address, such as [\"127.0.0.1:8080\"]");
    return entries;
  }
  size_t index = 0;
  for (element item : *array) {
    std::string path = JsonIndex(json_path, index++);
    std::optional<ListenEntry> entry = ReadEntry(item, path, diag);
    if (!entry) continue;
    // Port 0 asks for a fresh ephemeral port each time, so two of them never collide.
    const ListenAddress& address = entry->config.address;
    for (const ListenEntry& earlier : entries) {
      if (address.port != 0 && earlier.config.address.ToString() == address.ToString()) {
        diag.Error(path, "duplicate listen address " + address.ToString() + " (also at " +
                             earlier.json_path + ")");
      }
    }
    entries.push_back(std::move(*entry));
  }
  return entries;
}

}  // namespace edgerun::runtime
