// Standard HTTP reason phrases (the IANA status code registry).
#pragma once

#include <string_view>

namespace edgerun::runtime {

// The registered reason phrase for `status` ("Not Found"), or an empty view if `status` is not
// registered.
std::string_view StandardReasonPhrase(int status);

}  // namespace edgerun::runtime
