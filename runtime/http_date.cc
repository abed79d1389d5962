#include "runtime/http_date.h"

#include <ctime>

namespace edgerun::runtime {
namespace {

void Put2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

// Civil-from-days conversion (H. Hinnant's algorithm) instead of gmtime_r: no locale, no TZ
// lookups, and valid for every int64 day count we can meet.
void FormatHttpDate(int64_t unix_seconds, char (&out)[kHttpDateLength]) {
  static constexpr char kDays[] = "ThuFriSatSunMonTueWed";  // 1970-01-01 was a Thursday
  static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  int64_t days = unix_seconds / 86400;
  int64_t secs = unix_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const int64_t weekday = ((days % 7) + 7) % 7;
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);  // 1..12
  int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0) year = 0;  // IMF-fixdate has no room for negative years
  if (year > 9999) year = 9999;

  char* p = out;
  for (int i = 0; i < 3; ++i)
    *p++ = kDays[weekday * 3 + i];
  *p++ = ',';
  *p++ = ' ';
  Put2(p, day);
  p += 2;
  *p++ = ' ';
  for (int i = 0; i < 3; ++i)
    *p++ = kMonths[(month - 1) * 3 + i];
  *p++ = ' ';
  Put2(p, static_cast<int>(year / 100));
  Put2(p + 2, static_cast<int>(year % 100));
  p += 4;
  *p++ = ' ';
  Put2(p, static_cast<int>(secs / 3600));
  p += 2;
  *p++ = ':';
  Put2(p, static_cast<int>(secs / 60 % 60));
  p += 2;
  *p++ = ':';
  Put2(p, static_cast<int>(secs % 60));
  p += 2;
  *p++ = ' ';
  *p++ = 'G';
  *p++ = 'M';
  *p++ = 'T';
}

std::string_view CurrentHttpDate() {
  struct Cache {
    int64_t second = -1;
    char text[kHttpDateLength];
  };
  thread_local Cache cache;
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  if (now != cache.second) {
    FormatHttpDate(now, cache.text);
    cache.second = now;
  }
  return {cache.text, kHttpDateLength};
}

}  // namespace edgerun::runtime
