// Typed reads of config values. Each returns nullopt after reporting "expected X, got Y" at
// `path`. A wrong value is shown by its type (a number also by its value), never by a string's
// text, so nothing read here can leak a secret into an error.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "runtime/config_diagnostics.h"

namespace edgerun::runtime {

// "string", "number", "boolean", "null", "object" or "array".
std::string_view JsonTypeName(simdjson::dom::element value);

// "expected <expected>, got <type of value>".
std::string ExpectedGot(std::string_view expected, simdjson::dom::element value);

// `expected` describes what belongs here ("a string", "a route pattern string like ...").
std::optional<std::string_view> ReadString(simdjson::dom::element value, std::string_view path,
                                           ConfigDiagnostics& diag,
                                           std::string_view expected = "a string");
std::optional<bool> ReadBool(simdjson::dom::element value, std::string_view path,
                             ConfigDiagnostics& diag);
// An integer in [min, max]. Integral doubles (1e4, 2.0) count as integers.
std::optional<uint64_t> ReadInteger(simdjson::dom::element value, std::string_view path,
                                    uint64_t min, uint64_t max, ConfigDiagnostics& diag);
std::optional<simdjson::dom::array> ReadArray(simdjson::dom::element value, std::string_view path,
                                              ConfigDiagnostics& diag,
                                              std::string_view expected = "an array");

}  // namespace edgerun::runtime
