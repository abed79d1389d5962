// Replaces one function of libnode's V8 10.2 on Linux: base::OS::GetFreeMemoryRangesWithin.
//
// For every new isolate, V8 looks for free address space near its embedded builtins to place the
// isolate's code range there (so builtins can be called pc-relative). On Linux it does so by
// parsing /proc/self/maps, a character at a time, and each isolate adds ~12 mappings: with
// 1,000 live isolates making one more took ~9 ms here, most of it in that parse, and cold starts
// grew with the number of tenants. (Newer V8 builds with pointer compression share one code
// range and never get here; Debian's libnode has no pointer compression.)
//
// An empty result is V8's own "not supported" answer (other platforms always give it): the code
// range is then reserved with a generic address hint and builtins are called the regular way.
// V8 calls this function through the PLT, so this definition in the executable takes the place
// of libnode's. Only emptiness is observed, so no V8-internal layout is assumed here.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace v8::base {

class OS {
 public:
  struct MemoryRange {
    uintptr_t start = 0;
    uintptr_t end = 0;
  };
  static std::vector<MemoryRange> GetFreeMemoryRangesWithin(uintptr_t boundary_start,
                                                            uintptr_t boundary_end,
                                                            size_t minimum_size, size_t alignment);
};

std::vector<OS::MemoryRange> OS::GetFreeMemoryRangesWithin(uintptr_t, uintptr_t, size_t, size_t) {
  return {};
}

}  // namespace v8::base

namespace edgerun::isolates {
// Referenced by V8Platform::Initialize so that the linker keeps this file.
void LinkCodeRangeHint() {}
}  // namespace edgerun::isolates
