// "YYYY-MM-DD" dates such as compatibility_date.
#pragma once

#include <string_view>

namespace edgerun::runtime {

// True if `text` has the form YYYY-MM-DD (exactly that many digits).
bool HasDateShape(std::string_view text);
// True if `text` has that form and names a real day of the Gregorian calendar (years 1..9999).
bool IsCalendarDate(std::string_view text);

}  // namespace edgerun::runtime
