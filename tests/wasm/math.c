// A small library module for the tests: no WASI start, no imports, a few exports.
#include <stdint.h>

__attribute__((export_name("add"))) int32_t add(int32_t a, int32_t b) {
  return a + b;
}

__attribute__((export_name("fib"))) int64_t fib(int32_t n) {
  int64_t a = 0, b = 1;
  for (int32_t i = 0; i < n; ++i) {
    int64_t next = a + b;
    a = b;
    b = next;
  }
  return a;
}
