#include "runtime/http_date.h"

#include <gtest/gtest.h>

#include <string>

namespace edgerun::runtime {
namespace {

std::string Format(int64_t seconds) {
  char out[kHttpDateLength];
  FormatHttpDate(seconds, out);
  return std::string(out, kHttpDateLength);
}

TEST(HttpDate, FormatsImfFixdate) {
  EXPECT_EQ(Format(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's example
  EXPECT_EQ(Format(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(Format(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");   // leap day of a 400-year
  EXPECT_EQ(Format(4107542399), "Sun, 28 Feb 2100 23:59:59 GMT");  // 2100 is not leap
  EXPECT_EQ(Format(4107542400), "Mon, 01 Mar 2100 00:00:00 GMT");
  EXPECT_EQ(Format(253402300799), "Fri, 31 Dec 9999 23:59:59 GMT");
  EXPECT_EQ(Format(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
}

TEST(HttpDate, CurrentDateIsWellFormedAndCached) {
  const std::string_view first = CurrentHttpDate();
  ASSERT_EQ(first.size(), kHttpDateLength);
  EXPECT_EQ(first.substr(3, 2), ", ");
  EXPECT_EQ(first.substr(26), "GMT");
  const std::string_view second = CurrentHttpDate();
  EXPECT_EQ(first.data(), second.data()) << "one per-thread buffer";
}

}  // namespace
}  // namespace edgerun::runtime
