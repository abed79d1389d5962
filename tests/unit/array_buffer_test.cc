// ArrayBuffer.prototype.transfer / transferToFixedLength / detached (native: V8 10.2 lacks
// them), and natives that allocate ArrayBuffers staying within the tenant's budget.
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

TEST(ArrayBuffer, ArrayBufferTransferMovesAndDetaches) {
  EXPECT_EQ(EvalJs("const a = new Uint8Array([1, 2, 3]).buffer;"
                   "const b = a.transfer();"
                   "const c = b.transfer(5), grown = [...new Uint8Array(c)];"
                   "const d = c.transferToFixedLength(2);"
                   "return [a.detached, a.byteLength, b.detached, grown, c.detached,"
                   "        [...new Uint8Array(d)], d.detached].join(' ');"),
            "true 0 true 1,2,3,0,0 true 1,2 false");
}

TEST(ArrayBuffer, ArrayBufferTransferErrors) {
  EXPECT_EQ(
      EvalJs("const a = new ArrayBuffer(4); a.transfer();"
             "const out = [];"
             "for (const f of [() => a.transfer(), () => new ArrayBuffer(1).transfer(-1),"
             "                 () => ArrayBuffer.prototype.transfer.call(new SharedArrayBuffer(1)),"
             "                 () => ArrayBuffer.prototype.detached]) {"
             "  try { f(); out.push('ok'); } catch (e) { out.push(e.name); }"
             "}"
             "return out.join();"),
      "TypeError,RangeError,TypeError,TypeError");
}

TEST(ArrayBuffer, AllocationPastTheArrayBufferBudgetIsARangeErrorNotACrash) {
  // Natives that allocate (TextEncoder.encode, transfer) must not let V8 abort the process when
  // the tenant's ArrayBuffer budget refuses.
  TestWorker w(
      Files{{"index.js",
             "const keep = [];\n"
             "export default { fetch() {\n"
             "  keep.push(new ArrayBuffer(24 * 1024 * 1024));\n"
             "  const out = [];\n"
             "  try { new TextEncoder().encode('x'.repeat(16 * 1024 * 1024)); out.push('ok'); }\n"
             "  catch (e) { out.push(e.name); }\n"
             "  try { new ArrayBuffer(1).transfer(16 * 1024 * 1024); out.push('ok'); }\n"
             "  catch (e) { out.push(e.name); }\n"
             "  keep.length = 0;\n"
             "  return new Response(out.join());\n"
             "} };"}},
      // CPU to spare: zeroing 24 MiB and building a 16 MiB string is slow on a loaded machine.
      "index.js", isolates::ScriptFormat::kAuto, {},
      isolates::TenantLimits{.heap_limit_mb = 32, .cpu_ms = 2000});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "RangeError,RangeError");
  EXPECT_EQ(w.Get("/")->body, "RangeError,RangeError") << "the isolate keeps serving";
}

}  // namespace
}  // namespace edgerun::testing
