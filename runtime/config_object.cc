#include "runtime/config_object.h"

#include <algorithm>

#include "runtime/config_values.h"
#include "runtime/did_you_mean.h"

namespace edgerun::runtime {
namespace {

std::string UnknownKeyMessage(std::string_view key, std::span<const std::string_view> allowed) {
  std::string message = "unknown key '" + std::string(key) + "'";
  if (std::optional<std::string_view> close = ClosestMatch(key, allowed)) {
    message += ", did you mean '" + std::string(*close) + "'?";
  }
  message += " (allowed keys: ";
  for (size_t i = 0; i < allowed.size(); ++i) {
    message += (i == 0 ? "" : ", ") + std::string(allowed[i]);
  }
  return message + ")";
}

}  // namespace

std::optional<ConfigObject> ConfigObject::Read(simdjson::dom::element value, std::string path,
                                               std::span<const std::string_view> allowed,
                                               ConfigDiagnostics& diag, std::string_view expected) {
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    diag.Error(path, ExpectedGot(expected, value));
    return std::nullopt;
  }
  ConfigObject result;
  result.path_ = std::move(path);
  for (simdjson::dom::key_value_pair field : object) {
    std::string key_path = result.PathOf(field.key);
    // Objects in a config are small; a linear scan beats building a set.
    bool seen = std::any_of(result.fields_.begin(), result.fields_.end(),
                            [&](const Field& f) { return f.first == field.key; });
    if (seen) {
      diag.Error(key_path, "duplicate key '" + std::string(field.key) + "'" +
                               " (each key may appear only once in an object)");
      continue;
    }
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), field.key) == allowed.end()) {
      diag.Error(key_path, UnknownKeyMessage(field.key, allowed));
    }
    result.fields_.emplace_back(field.key, field.value);
  }
  return result;
}

std::optional<simdjson::dom::element> ConfigObject::Get(std::string_view key) const {
  for (const Field& field : fields_) {
    if (field.first == key) return field.second;
  }
  return std::nullopt;
}

std::optional<simdjson::dom::element> ConfigObject::Require(std::string_view key,
                                                            ConfigDiagnostics& diag) const {
  std::optional<simdjson::dom::element> value = Get(key);
  if (!value) diag.Error(path_, "missing required key '" + std::string(key) + "'");
  return value;
}

}  // namespace edgerun::runtime
