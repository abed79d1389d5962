// Guards the llhttp linkage: libnode.so.108 exports its own bundled llhttp 6.1. If our llhttp 8
// objects were not linked into the binary, calls would silently go to llhttp 6 (no on_reset),
// through llhttp 8 headers. See cmake/FindLlhttp.cmake.
#include <gtest/gtest.h>
#include <llhttp.h>

#include <cstring>

TEST(Llhttp, IsVersion8WithOnReset) {
  EXPECT_EQ(LLHTTP_VERSION_MAJOR, 8);
  llhttp_settings_t settings;
  llhttp_settings_init(&settings);
  static int resets;
  resets = 0;
  settings.on_reset = [](llhttp_t*) {
    ++resets;
    return 0;
  };
  llhttp_t parser;
  llhttp_init(&parser, HTTP_REQUEST, &settings);
  const char* two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(llhttp_execute(&parser, two, std::strlen(two)), HPE_OK);
  EXPECT_GE(resets, 1) << "llhttp 6 from libnode was linked instead of llhttp 8";
}
