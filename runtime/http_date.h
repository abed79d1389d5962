// The HTTP Date header value (IMF-fixdate, RFC 9110 5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace edgerun::runtime {

inline constexpr size_t kHttpDateLength = 29;

// Formats `unix_seconds` (seconds since 1970-01-01T00:00:00Z) as an IMF-fixdate into `out`.
void FormatHttpDate(int64_t unix_seconds, char (&out)[kHttpDateLength]);

// The current time as an IMF-fixdate. Formatted at most once per second per thread; the view stays
// valid until the next call on the same thread.
std::string_view CurrentHttpDate();

}  // namespace edgerun::runtime
