// Finds where a JSON document first goes wrong. simdjson only says *that* a document is invalid;
// users need a line and column. Only run on the error path: it is a plain recursive-descent
// validator, not a parser.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace edgerun::runtime {

struct JsonSyntaxError {
  size_t line = 1;    // 1-based
  size_t column = 1;  // 1-based, in characters (UTF-8 code points), a tab counts as one
  std::string message;
};

// Accepts exactly what simdjson's DOM parser accepts (RFC 8259, numbers that fit in 64 bits or
// a finite double, valid UTF-8, nesting up to `max_depth`). Returns nullopt for a valid
// document.
std::optional<JsonSyntaxError> FindJsonSyntaxError(std::string_view text, size_t max_depth = 1024);

}  // namespace edgerun::runtime
