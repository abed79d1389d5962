// structuredClone() (HTML), as worker code observes it. The WPT battery runs in conformance.
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

TEST(StructuredClone, DeepCopiesBuiltinTypesAndKeepsCycles) {
  EXPECT_EQ(
      EvalJs("const o = {d: new Date(5), r: /a+/gi, m: new Map([[1, {x: 1}]]), s: new Set([2]),"
             "  u: new Uint16Array([1, 2]), big: 10n, n: new Number(3), neg: -0};"
             "o.self = o;"
             "const c = structuredClone(o);"
             "return [c !== o, c.self === c, c.d.getTime(), c.r.source + c.r.flags,"
             "  c.m.get(1).x, c.m.get(1) !== o.m.get(1), c.s.has(2), c.u[1],"
             "  c.u instanceof Uint16Array, c.big, c.n instanceof Number, Object.is(c.neg, "
             "-0)].join(',');"),
      "true,true,5,a+gi,1,true,true,2,true,10,true,true");
}

TEST(StructuredClone, ErrorsKeepNameMessageAndStack) {
  EXPECT_EQ(
      EvalJs("const e = new RangeError('out'); const c = structuredClone(e);"
             "return [c instanceof RangeError, c.name, c.message, c.stack === e.stack].join(',');"),
      "true,RangeError,out,true");
}

TEST(StructuredClone, DOMExceptionIsSerializable) {
  EXPECT_EQ(EvalJs("const c = structuredClone(new DOMException('gone', 'NotFoundError'));"
                   "return [c instanceof DOMException, c.name, c.message, c.code].join(',');"),
            "true,NotFoundError,gone,8");
}

TEST(StructuredClone, FunctionsSymbolsAndPlatformObjectsAreDataCloneErrors) {
  EXPECT_EQ(
      EvalJs("const out = [];"
             "for (const v of [() => 1, Symbol('s'), {f() {}}, new Event('x'), new EventTarget(),"
             "                 new AbortController().signal]) {"
             "  try { structuredClone(v); out.push('cloned'); }"
             "  catch (e) { out.push(e instanceof DOMException ? e.name : 'other ' + e); } }"
             "return out.join(',');"),
      "DataCloneError,DataCloneError,DataCloneError,DataCloneError,DataCloneError,"
      "DataCloneError");
}

TEST(StructuredClone, TransferDetachesTheSource) {
  EXPECT_EQ(
      EvalJs(
          "const buf = new Uint8Array([7, 8, 9]).buffer;"
          "const c = structuredClone({buf}, {transfer: [buf]});"
          "let again; try { structuredClone(buf, {transfer: [buf]}); } catch (e) { again = e.name; "
          "}"
          "return [buf.byteLength, c.buf.byteLength, new Uint8Array(c.buf)[2], again].join(',');"),
      "0,3,9,DataCloneError");
}

TEST(StructuredClone, TransferListIsValidated) {
  EXPECT_EQ(EvalJs("const b = new ArrayBuffer(1); const out = [];"
                   "for (const t of [[b, b], [{}], 5]) {"
                   "  try { structuredClone(1, {transfer: t}); out.push('ok'); }"
                   "  catch (e) { out.push(e.name); } }"
                   "return out.join(',') + ' ' + b.byteLength;"),
            "DataCloneError,DataCloneError,TypeError 1");
}

TEST(StructuredClone, GetterExceptionsPropagateUnchanged) {
  EXPECT_EQ(EvalJs("structuredClone({get x() { throw new SyntaxError('mine'); }});"),
            "THREW SyntaxError: mine");
}

}  // namespace
}  // namespace edgerun::testing
