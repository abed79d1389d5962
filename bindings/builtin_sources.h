// The builtin JS files of bindings/js, embedded at build time (cmake/EmbedJs.cmake), in file-name
// order. Each file is a function expression `(function (internal, global) { ... })` run once per
// context with the native binding object, which user code never sees.
#pragma once

#include <cstddef>

namespace edgerun::bindings {

struct BuiltinSource {
  const char* name;    // file name, e.g. "40_headers.js"
  const char* source;  // ASCII, NUL-terminated
  size_t length;
};

extern const BuiltinSource kBuiltinSources[];
extern const size_t kBuiltinSourceCount;

}  // namespace edgerun::bindings
