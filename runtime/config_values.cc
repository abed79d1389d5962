#include "runtime/config_values.h"

#include <cmath>

namespace edgerun::runtime {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string_view JsonTypeName(element value) {
  switch (value.type()) {
    case element_type::ARRAY:
      return "array";
    case element_type::OBJECT:
      return "object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "number";
    case element_type::STRING:
      return "string";
    case element_type::BOOL:
      return "boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "unknown";
}

std::string ExpectedGot(std::string_view expected, element value) {
  return "expected " + std::string(expected) + ", got " + std::string(JsonTypeName(value));
}

std::optional<std::string_view> ReadString(element value, std::string_view path,
                                           ConfigDiagnostics& diag, std::string_view expected) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    diag.Error(path, ExpectedGot(expected, value));
    return std::nullopt;
  }
  return text;
}

std::optional<bool> ReadBool(element value, std::string_view path, ConfigDiagnostics& diag) {
  bool flag = false;
  if (value.get_bool().get(flag) != simdjson::SUCCESS) {
    diag.Error(path, ExpectedGot("true or false", value));
    return std::nullopt;
  }
  return flag;
}

std::optional<uint64_t> ReadInteger(element value, std::string_view path, uint64_t min,
                                    uint64_t max, ConfigDiagnostics& diag) {
  std::string expected = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  std::optional<uint64_t> result;
  if (int64_t i = 0; value.type() == element_type::INT64 && value.get_int64().get(i) == 0) {
    if (i >= 0) result = static_cast<uint64_t>(i);
  } else if (uint64_t u = 0;
             value.type() == element_type::UINT64 && value.get_uint64().get(u) == 0) {
    result = u;
  } else if (double d = 0; value.type() == element_type::DOUBLE && value.get_double().get(d) == 0) {
    // 2^64 is exactly representable; anything at or past it is out of range for us anyway.
    if (d >= 0 && d < 18446744073709551616.0 && std::trunc(d) == d) {
      result = static_cast<uint64_t>(d);
    }
  } else {
    diag.Error(path, ExpectedGot(expected, value));
    return std::nullopt;
  }
  if (!result || *result < min || *result > max) {
    diag.Error(path, "expected " + expected + ", got " + simdjson::minify(value));
    return std::nullopt;
  }
  return result;
}

std::optional<simdjson::dom::array> ReadArray(element value, std::string_view path,
                                              ConfigDiagnostics& diag, std::string_view expected) {
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    diag.Error(path, ExpectedGot(expected, value));
    return std::nullopt;
  }
  return array;
}

}  // namespace edgerun::runtime
