#include "runtime/http_status.h"

#include <gtest/gtest.h>

namespace edgerun::runtime {
namespace {

TEST(HttpStatus, StandardReasonPhrases) {
  EXPECT_EQ(StandardReasonPhrase(100), "Continue");
  EXPECT_EQ(StandardReasonPhrase(200), "OK");
  EXPECT_EQ(StandardReasonPhrase(204), "No Content");
  EXPECT_EQ(StandardReasonPhrase(308), "Permanent Redirect");
  EXPECT_EQ(StandardReasonPhrase(404), "Not Found");
  EXPECT_EQ(StandardReasonPhrase(413), "Content Too Large");
  EXPECT_EQ(StandardReasonPhrase(422), "Unprocessable Content");
  EXPECT_EQ(StandardReasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(StandardReasonPhrase(503), "Service Unavailable");
  EXPECT_EQ(StandardReasonPhrase(511), "Network Authentication Required");
}

TEST(HttpStatus, UnregisteredCodesHaveNoPhrase) {
  EXPECT_EQ(StandardReasonPhrase(0), "");
  EXPECT_EQ(StandardReasonPhrase(299), "");
  EXPECT_EQ(StandardReasonPhrase(599), "");
  EXPECT_EQ(StandardReasonPhrase(1000), "");
}

TEST(HttpStatus, EveryRegisteredCodeFromEachClassIsCovered) {
  const int registered[] = {100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208,
                            226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403,
                            404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416,
                            417, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501,
                            502, 503, 504, 505, 506, 507, 508, 510, 511};
  for (int status : registered)
    EXPECT_FALSE(StandardReasonPhrase(status).empty()) << status;
}

}  // namespace
}  // namespace edgerun::runtime
