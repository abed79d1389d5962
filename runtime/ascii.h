// ASCII helpers for protocol tokens (header names, codings), which are case-insensitive ASCII.
#pragma once

#include <string_view>

namespace edgerun::runtime {

// `lower` must already be lower case.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace edgerun::runtime
