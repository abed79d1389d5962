// DOMException, Event/EventTarget/CustomEvent/ErrorEvent and AbortController/AbortSignal, as
// worker code observes them. (The full WPT suites dom/events and dom/abort run in conformance.)
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

TEST(DOMException, NameMessageCodeAndErrorPrototype) {
  EXPECT_EQ(EvalJs("const e = new DOMException('bad', 'AbortError');"
                   "return [e.name, e.message, e.code, e.ABORT_ERR, DOMException.DATA_CLONE_ERR,"
                   "  e instanceof Error, typeof e.stack, Object.prototype.toString.call(e),"
                   "  new DOMException().name, new DOMException('x', 'Custom').code].join('|');"),
            "AbortError|bad|20|20|25|true|string|[object DOMException]|Error|0");
}

TEST(DOMException, GettersRejectOtherReceivers) {
  EXPECT_EQ(EvalJs("Object.getOwnPropertyDescriptor(DOMException.prototype, 'name').get.call({});"),
            "THREW TypeError: Illegal invocation: 'this' is not a DOMException");
}

TEST(EventTarget, CaptureListenersRunFirstThenOthersInOrder) {
  EXPECT_EQ(EvalJs("const t = new EventTarget(); const out = [];"
                   "t.addEventListener('x', () => out.push('a'));"
                   "t.addEventListener('x', () => out.push('cap'), true);"
                   "t.addEventListener('x', {handleEvent(e) { out.push('obj:' + e.eventPhase); }});"
                   "t.dispatchEvent(new Event('x'));"
                   "return out.join(',');"),
            "cap,a,obj:2");
}

TEST(EventTarget, DuplicateAndOnceAndRemove) {
  EXPECT_EQ(EvalJs("const t = new EventTarget(); let n = 0; const f = () => n++;"
                   "t.addEventListener('x', f); t.addEventListener('x', f);"
                   "t.addEventListener('y', f, {once: true});"
                   "t.dispatchEvent(new Event('x')); t.dispatchEvent(new Event('y'));"
                   "t.dispatchEvent(new Event('y')); t.removeEventListener('x', f);"
                   "t.dispatchEvent(new Event('x')); return n;"),
            "2");
}

TEST(EventTarget, PreventDefaultNeedsCancelableAndNoPassive) {
  EXPECT_EQ(EvalJs("const t = new EventTarget();"
                   "t.addEventListener('c', (e) => e.preventDefault());"
                   "t.addEventListener('p', (e) => e.preventDefault(), {passive: true});"
                   "return [t.dispatchEvent(new Event('c', {cancelable: true})),"
                   "  t.dispatchEvent(new Event('c')),"
                   "  t.dispatchEvent(new Event('p', {cancelable: true}))].join(',');"),
            "false,true,true");
}

TEST(EventTarget, StopImmediatePropagationAndListenerErrorsDoNotStopDispatch) {
  TestWorker w(
      Files{{"index.js",
             "export default { fetch() { const t = new EventTarget(); const out = [];"
             "  t.addEventListener('x', () => { throw new Error('boom'); });"
             "  t.addEventListener('x', (e) => { out.push(1); e.stopImmediatePropagation(); });"
             "  t.addEventListener('x', () => out.push(2));"
             "  t.dispatchEvent(new Event('x'));"
             "  return new Response(out.join(',')); } };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "1");
  EXPECT_NE(w.log().All().find("Uncaught Error: boom"), std::string::npos) << w.log().All();
}

TEST(EventTarget, RedispatchDuringDispatchIsInvalidState) {
  EXPECT_EQ(
      EvalJs(
          "const t = new EventTarget(); const e = new Event('x'); let err;"
          "t.addEventListener('x', () => { try { t.dispatchEvent(e); } catch (x) { err = x; } });"
          "t.dispatchEvent(e); return err.name + ' ' + (err instanceof DOMException) + ' ' +"
          "  e.eventPhase + ' ' + (e.currentTarget === null) + ' ' + (e.target === t);"),
      "InvalidStateError true 0 true true");
}

TEST(EventTarget, GlobalObjectIsAnEventTarget) {
  EXPECT_EQ(EvalJs("let got = null; const f = (e) => { got = e.detail; };"
                   "addEventListener('hello', f);"
                   "const r = dispatchEvent(new CustomEvent('hello', {detail: 42}));"
                   "self.removeEventListener('hello', f);"
                   "self.dispatchEvent(new CustomEvent('hello', {detail: 1}));"
                   "return [globalThis instanceof EventTarget, r, got].join(',');"),
            "true,true,42");
}

TEST(EventTarget, ServiceWorkerFetchListenersUseTheGlobalTarget) {
  TestWorker w(
      Files{{"sw.js",
             "const first = (event) => { event.stopImmediatePropagation();"
             "  event.respondWith(new Response(String(event instanceof Event) + ' ' +"
             "    event.isTrusted + ' ' + (event.currentTarget === self))); };"
             "addEventListener('fetch', first);"
             "addEventListener('fetch', (event) => event.respondWith(new Response('second')));"}},
      "sw.js");
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "true true true");
}

TEST(EventTarget, ErrorListenerOnTheGlobalCanHandleReportedErrors) {
  TestWorker w(Files{{"index.js",
                      "let seen = '';"
                      "addEventListener('error', (e) => { seen = e.message + '|' + e.error.message;"
                      "  e.preventDefault(); });"
                      "export default { fetch() { reportError(new TypeError('oops'));"
                      "  return new Response(seen); } };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "Uncaught TypeError: oops|oops");
  EXPECT_EQ(w.log().All().find("oops"), std::string::npos) << "cancelled, so not logged";
}

TEST(EventTarget, ReportErrorNeedsAnArgument) {
  EXPECT_EQ(EvalJs("reportError();"),
            "THREW TypeError: Failed to execute 'reportError': 1 argument required, but only 0 "
            "present.");
}

TEST(AbortController, AbortFiresOnceWithDefaultReason) {
  EXPECT_EQ(
      EvalJs(
          "const c = new AbortController(); let n = 0; let trusted;"
          "c.signal.onabort = (e) => { n++; trusted = e.isTrusted; };"
          "c.abort(); c.abort('again');"
          "let thrown; try { c.signal.throwIfAborted(); } catch (e) { thrown = e; }"
          "return [n, trusted, c.signal.aborted, c.signal.reason.name, thrown === c.signal.reason,"
          "  c.signal.reason.message].join('|');"),
      "1|true|true|AbortError|true|signal is aborted without reason");
}

TEST(AbortController, SignalOptionRemovesListener) {
  EXPECT_EQ(EvalJs("const c = new AbortController(); const t = new EventTarget(); let n = 0;"
                   "t.addEventListener('x', () => n++, {signal: c.signal});"
                   "t.dispatchEvent(new Event('x')); c.abort(); t.dispatchEvent(new Event('x'));"
                   "t.addEventListener('x', () => n++, {signal: c.signal});"
                   "t.dispatchEvent(new Event('x')); return n;"),
            "1");
}

TEST(AbortSignal, AbortAndConstructor) {
  EXPECT_EQ(EvalJs("const s = AbortSignal.abort('why');"
                   "let err; try { new AbortSignal(); } catch (e) { err = e.name; }"
                   "return [s.aborted, s.reason, err, s instanceof EventTarget].join(',');"),
            "true,why,TypeError,true");
}

TEST(AbortSignal, TimeoutAbortsWithTimeoutError) {
  EXPECT_EQ(EvalJs("const s = AbortSignal.timeout(5);"
                   "const before = s.aborted;"
                   "const e = await new Promise((r) => s.addEventListener('abort', r));"
                   "return [before, s.aborted, s.reason.name, s.reason.code, e.type].join(',');"),
            "false,true,TimeoutError,23,abort");
}

TEST(AbortSignal, LongTimeoutDoesNotWrapTo32Bits) {
  // 2**32 + 1 ms would be 1 ms if converted like setTimeout's delay.
  EXPECT_EQ(EvalJs("const s = AbortSignal.timeout(2 ** 32 + 1);"
                   "await new Promise((r) => setTimeout(r, 20));"
                   "return s.aborted;"),
            "false");
}

TEST(AbortSignal, TimeoutRejectsOutOfRange) {
  EXPECT_EQ(EvalJs("AbortSignal.timeout(-1);"),
            "THREW TypeError: Failed to execute 'timeout' on 'AbortSignal': Value is outside the "
            "'unsigned long long' value range.");
}

TEST(AbortSignal, AnyFollowsSourcesAndFlattensDependents) {
  EXPECT_EQ(EvalJs("const a = new AbortController(), b = new AbortController();"
                   "const any1 = AbortSignal.any([a.signal, b.signal]);"
                   "const any2 = AbortSignal.any([any1]);"
                   "const order = [];"
                   "any1.onabort = () => order.push('any1:' + any2.aborted);"
                   "any2.onabort = () => order.push('any2');"
                   "b.abort('B'); a.abort('A');"
                   "const pre = AbortSignal.any([AbortSignal.abort('x'), a.signal]);"
                   "return [any1.reason, any2.reason, order.join(' '), pre.reason].join(',');"),
            "B,B,any1:true any2,x");
}

TEST(AbortSignal, AnyOnALongLivedSignalDoesNotAccumulate) {
  // One controller for the worker's lifetime, a dependent signal per "request" that gets an
  // abort listener and loses it again: the dependents must be collectable, or 100k of them
  // exhaust a 16 MB heap.
  isolates::TenantLimits limits;
  limits.heap_limit_mb = 16;
  limits.cpu_ms = 20000;
  limits.wall_ms = 60000;
  TestWorker w(Files{{"index.js",
                      "const root = new AbortController();\n"
                      "export default { async fetch() {\n"
                      "  const f = () => {};\n"
                      "  for (let round = 0; round < 50; round++) {\n"
                      "    for (let i = 0; i < 2000; i++) {\n"
                      "      const s = AbortSignal.any([root.signal]);\n"
                      "      s.addEventListener('abort', f);\n"
                      "      s.removeEventListener('abort', f);\n"
                      "      s.onabort = f; s.onabort = null;\n"
                      "    }\n"
                      "    await new Promise((r) => setTimeout(r, 0));\n"
                      "  }\n"
                      "  const last = AbortSignal.any([root.signal]); let fired = false;\n"
                      "  last.onabort = () => { fired = true; }; root.abort();\n"
                      "  return new Response(String(fired));\n"
                      "} };"}},
               "index.js", isolates::ScriptFormat::kAuto, {}, limits);
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Fetch(
      [] {
        HttpRequest request;
        request.method = "GET";
        request.target = "/";
        request.host = "example.com";
        request.headers = {{"Host", "example.com"}};
        return request;
      }(),
      "", 60000);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body << w.log().All();
  EXPECT_EQ(r->body, "true");
}

TEST(AbortSignal, RequestSignalFollowsTheInitSignalAndFetchHonoursIt) {
  EXPECT_EQ(
      EvalJs("const c = new AbortController();"
             "const r = new Request('http://x/', {signal: c.signal});"
             "const copy = new Request(r), clone = r.clone();"
             "const before = [r.signal.aborted, r.signal === c.signal,"
             "  new Request('http://y/').signal.aborted];"
             "c.abort('why');"
             "let bad; try { new Request('http://x/', {signal: {}}); } catch (e) { bad = e.name; }"
             "let fetched; try { await fetch('http://x/', {signal: AbortSignal.abort('pre')}); }"
             "catch (e) { fetched = e; }"
             "return [...before, r.signal.reason, copy.signal.reason, clone.signal.reason, bad,"
             "  fetched].join(',');"),
      "false,false,false,why,why,why,TypeError,pre");
}

TEST(Event, ConstructionDefaultsAndCustomEventDetail) {
  EXPECT_EQ(EvalJs("const e = new Event('t', {bubbles: true});"
                   "const c = new CustomEvent('c', {detail: {a: 1}});"
                   "return [e.type, e.bubbles, e.cancelable, e.isTrusted, e.timeStamp > 0,"
                   "  e.eventPhase === Event.NONE, c.detail.a, new CustomEvent('d').detail,"
                   "  Object.getOwnPropertyDescriptor(e, 'isTrusted').get ==="
                   "  Object.getOwnPropertyDescriptor(c, 'isTrusted').get].join(',');"),
            "t,true,false,false,true,true,1,,true");
}

}  // namespace
}  // namespace edgerun::testing
