// performance, navigator and the HTML timer globals, as worker code observes them.
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

TEST(Performance, NowIsMonotonicAndTracksTheWallClockFromTheOrigin) {
  EXPECT_EQ(
      EvalJs(
          "const a = performance.now();"
          "await new Promise((r) => setTimeout(r, 15));"
          "const b = performance.now();"
          "const drift = Math.abs(performance.timeOrigin + performance.now() - Date.now());"
          "return [a >= 0, b - a >= 14, drift < 50,"
          "  JSON.stringify(performance) === JSON.stringify({timeOrigin: performance.timeOrigin}),"
          "  performance instanceof EventTarget, String(performance)].join(',');"),
      "true,true,true,true,true,[object Performance]");
}

TEST(Navigator, UserAgentNamesTheRuntime) {
  EXPECT_EQ(EvalJs("let err; try { new Navigator(); } catch (e) { err = e.name; }"
                   "return [navigator.userAgent, navigator.hardwareConcurrency, err].join(',');"),
            std::string("edgerun/") + EDGERUN_VERSION + ",1,TypeError");
}

TEST(Timers, ArgumentsThisOrderAndClearing) {
  EXPECT_EQ(EvalJs("const out = [];"
                   "await new Promise((done) => {"
                   "  setTimeout(function (a, b) { out.push('t1:' + a + b + (this === "
                   "globalThis)); }, 5, 'x', 'y');"
                   "  const cancelled = setTimeout(() => out.push('never'), 1);"
                   "  clearTimeout(cancelled);"
                   "  setTimeout(() => out.push('t2'), 5);"
                   "  let n = 0;"
                   "  const iv = setInterval(() => { if (++n === 3) { clearInterval(iv); "
                   "out.push('iv3'); done(); } }, 8);"
                   "});"
                   "return out.join(',');"),
            "t1:xytrue,t2,iv3");
}

TEST(Timers, IdsArePositiveAndDistinctAndNegativeDelayIsZero) {
  EXPECT_EQ(EvalJs("const a = setTimeout(() => {}, -5), b = setInterval(() => {}, 0);"
                   "clearTimeout(a); clearTimeout(b);"  // clearTimeout also clears intervals
                   "const fired = await new Promise((r) => setTimeout(() => r('fired'), -1));"
                   "return [a > 0, b > 0, a !== b, fired].join(',');"),
            "true,true,true,fired");
}

TEST(Timers, NeverFireEarlyAfterJsRanForAWhile) {
  // The timer starts after 25 ms of busy JS in the same loop iteration; it must still wait its
  // full 20 ms from the setTimeout() call (1 ms of tolerance for millisecond clocks).
  EXPECT_EQ(EvalJs("const end = Date.now() + 25; while (Date.now() < end) {}"
                   "const start = performance.now();"
                   "await new Promise((r) => setTimeout(r, 20));"
                   "const waited = performance.now() - start;"
                   "return waited >= 19 ? 'ok' : 'early: ' + waited;"),
            "ok");
}

TEST(Timers, StringHandlersAreRefused) {
  EXPECT_EQ(EvalJs("setTimeout('1 + 1', 0);"),
            "THREW TypeError: setTimeout: the callback must be a function (edgerun does not "
            "evaluate strings as code)");
}

TEST(Timers, ThrowingCallbackIsReportedAndLaterTimersStillRun) {
  TestWorker w(Files{{"index.js",
                      "export default { async fetch() {"
                      "  setTimeout(() => { throw new Error('timer boom'); }, 1);"
                      "  await new Promise((r) => setTimeout(r, 10));"
                      "  return new Response('after'); } };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "after");
  EXPECT_NE(w.log().All().find("Uncaught Error: timer boom"), std::string::npos) << w.log().All();
}

TEST(Timers, QueueMicrotaskRunsBeforeTimersAndReportsErrors) {
  TestWorker w(Files{{"index.js",
                      "export default { async fetch() { const out = [];"
                      "  setTimeout(() => out.push('timer'), 0);"
                      "  queueMicrotask(() => out.push('micro'));"
                      "  queueMicrotask(() => { throw new Error('micro boom'); });"
                      "  await new Promise((r) => setTimeout(r, 5));"
                      "  return new Response(out.join(',')); } };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "micro,timer");
  EXPECT_NE(w.log().All().find("micro boom"), std::string::npos) << w.log().All();
}

}  // namespace
}  // namespace edgerun::testing
