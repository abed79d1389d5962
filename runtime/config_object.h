// One JSON object of the config, checked for duplicate and unknown keys before anything reads it.
#pragma once

#include <simdjson.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/config_diagnostics.h"

namespace edgerun::runtime {

class ConfigObject {
 public:
  using Field = std::pair<std::string_view, simdjson::dom::element>;

  // Reports a non-object (as "expected <expected>, got <type>"), every repeated key and every key
  // not in `allowed` (with a did-you-mean suggestion). An empty `allowed` accepts any key (maps
  // such as "vars"). Returns nullopt only if `value` is not an object; the fields then hold the
  // first occurrence of each key, allowed or not.
  static std::optional<ConfigObject> Read(simdjson::dom::element value, std::string path,
                                          std::span<const std::string_view> allowed,
                                          ConfigDiagnostics& diag,
                                          std::string_view expected = "an object");

  std::optional<simdjson::dom::element> Get(std::string_view key) const;
  // Like Get, but reports "missing required key" when absent.
  std::optional<simdjson::dom::element> Require(std::string_view key,
                                                ConfigDiagnostics& diag) const;

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const { return JsonMember(path_, key); }
  // Unique keys in document order.
  const std::vector<Field>& fields() const { return fields_; }

 private:
  std::string path_;
  std::vector<Field> fields_;
};

}  // namespace edgerun::runtime
