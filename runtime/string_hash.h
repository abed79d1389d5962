// A hash that lets std::string-keyed unordered containers be searched with a string_view,
// without building a std::string per lookup (C++20 heterogeneous lookup).
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace edgerun::runtime {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

}  // namespace edgerun::runtime
