// A WASI reactor for the WASI host's tests: _initialize runs the static constructor, then the
// exports are called from JS.
#include <cstdio>
#include <cstring>
#include <string>

namespace {
struct Init {
  Init() : value("ctor-ran") {}
  std::string value;
};
Init init;
char buffer[256];
}  // namespace

extern "C" {
__attribute__((export_name("add"))) int add(int a, int b) {
  return a + b;
}

// Writes "<ctor value> <n>" to stdout and returns its length.
__attribute__((export_name("hello"))) int hello(int n) {
  int len = std::snprintf(buffer, sizeof buffer, "%s %d\n", init.value.c_str(), n);
  std::fputs(buffer, stdout);
  std::fflush(stdout);
  return len;
}

__attribute__((export_name("buffer"))) char* buffer_ptr() {
  return buffer;
}
}
