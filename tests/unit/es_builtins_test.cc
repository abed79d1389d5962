// ES2023+ library built-ins that V8 10.2 lacks, as a worker sees them: our own implementations
// from the startup snapshot (bindings/js/05_es_*.js, bindings/es_natives.cc,
// bindings/base64_natives.cc). Cases follow the spec text (test262 is not available here).
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

// Prepended to every case: t(f) is String(f()) or the error's name and, for `messages`, text.
std::string Eval(const std::string& body) {
  return EvalJs(
      "const t = (f) => { try { return String(f()); } catch (e) { return e.name; } };\n"
      "const props = (o, k) => { const d = Object.getOwnPropertyDescriptor(o, k);"
      "  return [typeof d.value, d.writable, d.enumerable, d.configurable].join(); };\n" +
      body);
}

TEST(EsBuiltins, ArrayChangeByCopy) {
  EXPECT_EQ(Eval("const a = [3, 1, 2];"
                 "return [a.toSorted(), a.toReversed(), a.toSpliced(0, 1), a.with(1, 9), a,"
                 "        a.findLast(x => x < 3), a.toSorted((x, y) => y - x)].join(' ');"),
            "1,2,3 2,1,3 1,2 3,9,2 3,1,2 2 3,2,1");
}

TEST(EsBuiltins, ArrayChangeByCopyIsUnscopable) {
  EXPECT_EQ(Eval("const u = Array.prototype[Symbol.unscopables];"
                 "return [u.toSorted, u.toReversed, u.toSpliced, 'with' in u, u.findLast,"
                 "        Object.getPrototypeOf(u) === null, props(u, 'toSorted')].join(' ');"),
            "true true true false true true boolean,true,true,true");
}

TEST(EsBuiltins, ArrayChangeByCopyReadsHolesAndArrayLikes) {
  EXPECT_EQ(
      Eval("const holes = [, 1, , 0];"
           "const r = holes.toSorted();"
           "return [r.length, 3 in r, r[3], JSON.stringify(holes.toReversed()),"
           "        Array.prototype.toSorted.call({length: 3, 0: 'c', 1: 'a', 2: 'b'}).join(''),"
           "        Array.prototype.with.call('abc', -1, 'z').join(''),"
           "        Array.prototype.toReversed.call({length: -5}).length,"
           "        Array.isArray(Array.prototype.toSorted.call({}))].join(' ');"),
      "4 true  [0,null,1,null] abc abz 0 true");
}

TEST(EsBuiltins, ArrayChangeByCopyIgnoresSpecies) {
  EXPECT_EQ(Eval("class MyArray extends Array {}"
                 "const m = MyArray.from([2, 1]);"
                 "return [m.toSorted(), m.toReversed(), m.with(0, 5), m.toSpliced(0, 1)]"
                 "  .map(x => Object.getPrototypeOf(x) === Array.prototype).join();"),
            "true,true,true,true");
}

TEST(EsBuiltins, ArrayToSplicedArguments) {
  EXPECT_EQ(
      Eval("const a = [1, 2, 3, 4];"
           "return [a.toSpliced(), a.toSpliced(1), a.toSpliced(1, 2), a.toSpliced(-1, 1, 'x', 'y'),"
           "        a.toSpliced(1, -5, 'i'), a.toSpliced(undefined, undefined),"
           "        a.toSpliced(10, 1, 'e'), a.toSpliced(1.9, Infinity)].map(String).join(' ');"),
      "1,2,3,4 1 1,4 1,2,3,x,y 1,i,2,3,4 1,2,3,4 1,2,3,4,e 1");
}

TEST(EsBuiltins, ArrayChangeByCopyErrors) {
  EXPECT_EQ(Eval("return [t(() => [1].with(1, 0)), t(() => [1].with(-2, 0)),"
                 "        t(() => [1].toSorted(null)), t(() => [].toSorted('a')),"
                 "        t(() => Array.prototype.toReversed.call(null)),"
                 "        t(() => Array.prototype.toSorted.call({length: 2 ** 32})),"
                 "        t(() => Array.prototype.toSpliced.call({length: 2 ** 53 - 1}, 0, 0, 1)),"
                 "        t(() => Array.prototype.with.call({length: 2 ** 32}, 0, 0)),"
                 "        t(() => [].with(0n))].join();"),
            "RangeError,RangeError,TypeError,TypeError,TypeError,RangeError,TypeError,RangeError,"
            "TypeError");
}

TEST(EsBuiltins, ArrayToSortedChecksComparatorBeforeTouchingThis) {
  EXPECT_EQ(Eval("let read = false;"
                 "const o = {get length() { read = true; return 0; }};"
                 "return [t(() => Array.prototype.toSorted.call(o, 1)), read].join();"),
            "TypeError,false");
}

TEST(EsBuiltins, MethodsAreBuiltinLike) {
  // writable, non-enumerable, configurable; right name and length; not constructors.
  EXPECT_EQ(
      Eval("const cases = [[Array.prototype, 'toSorted', 1], [Array.prototype, 'toSpliced', 2],"
           "  [Array.prototype, 'with', 2], [Array.prototype, 'toReversed', 0],"
           "  [Object.getPrototypeOf(Int8Array.prototype), 'with', 2], [Object, 'groupBy', 2],"
           "  [Map, 'groupBy', 2], [Promise, 'withResolvers', 0], [Promise, 'try', 1],"
           "  [String.prototype, 'isWellFormed', 0], [String.prototype, 'toWellFormed', 0],"
           "  [Set.prototype, 'union', 1], [Set.prototype, 'isDisjointFrom', 1],"
           "  [Iterator.prototype, 'map', 1], [Iterator.prototype, 'reduce', 1],"
           "  [Iterator.prototype, 'toArray', 0], [Iterator, 'from', 1], [Iterator, 'concat', 0],"
           "  [RegExp, 'escape', 1], [Math, 'f16round', 1], [Math, 'sumPrecise', 1],"
           "  [DataView.prototype, 'getFloat16', 1], [DataView.prototype, 'setFloat16', 2],"
           "  [Array, 'fromAsync', 1], [Error, 'isError', 1], [Uint8Array, 'fromBase64', 1],"
           "  [Uint8Array, 'fromHex', 1], [Uint8Array.prototype, 'toBase64', 0],"
           "  [Uint8Array.prototype, 'setFromBase64', 1], [Uint8Array.prototype, 'toHex', 0],"
           "  [Uint8Array.prototype, 'setFromHex', 1], "
           "[Object.getPrototypeOf(Int8Array.prototype), 'toSorted', 1],"
           "  [Object.getPrototypeOf(Int8Array.prototype), 'toReversed', 0], [Set.prototype, "
           "'intersection', 1],"
           "  [Set.prototype, 'difference', 1], [Set.prototype, 'symmetricDifference', 1],"
           "  [Set.prototype, 'isSubsetOf', 1], [Set.prototype, 'isSupersetOf', 1],"
           "  [Iterator.prototype, 'filter', 1], [Iterator.prototype, 'take', 1], "
           "[Iterator.prototype, 'drop', 1],"
           "  [Iterator.prototype, 'flatMap', 1], [Iterator.prototype, 'forEach', 1],"
           "  [Iterator.prototype, 'some', 1], [Iterator.prototype, 'every', 1], "
           "[Iterator.prototype, 'find', 1],"
           "  [Object.getPrototypeOf([].values().map(x => x)), 'next', 0],"
           "  [Object.getPrototypeOf([].values().map(x => x)), 'return', 0],"
           "  [Object.getPrototypeOf(Iterator.from({next() {}})), 'next', 0],"
           "  [Object.getPrototypeOf(Iterator.from({next() {}})), 'return', 0]];"
           "const bad = [];"
           "for (const [o, k, len] of cases) {"
           "  const f = o[k];"
           "  if (props(o, k) !== 'function,true,false,true' || f.name !== k || f.length !== len ||"
           "      t(() => new f()) !== 'TypeError' || 'prototype' in f) bad.push(k);"
           "}"
           "return bad.join() || 'ok';"),
      "ok");
}

TEST(EsBuiltins, AccessorNames) {
  EXPECT_EQ(
      Eval("const d = (o, k) => Object.getOwnPropertyDescriptor(o, k);"
           "const c = d(Iterator.prototype, 'constructor'), tag = d(Iterator.prototype, "
           "Symbol.toStringTag);"
           "return [c.get.name, c.set.name, tag.get.name, tag.set.name, c.get.length, "
           "c.set.length].join();"),
      "get constructor,set constructor,get [Symbol.toStringTag],set [Symbol.toStringTag],0,1");
}

TEST(EsBuiltins, TypedArrayChangeByCopy) {
  EXPECT_EQ(
      Eval("const a = new Int16Array([3, -1, 2]);"
           "const b = new BigUint64Array([5n, 1n]);"
           "const f = new Float64Array([NaN, -0, 0, -Infinity]);"
           "return [a.toSorted().join(), a.toReversed().join(), a.with(-1, '7').join(), a.join(),"
           "        a.toSorted((x, y) => y - x).join(), b.toSorted().join(), b.with(0, 2n ** 64n - "
           "1n).join(),"
           "        Object.is(f.toSorted()[1], -0), f.toSorted()[3],"
           "        new Uint8Array([1, 2]).with(0, 300).join(),"
           "        Object.getPrototypeOf(new Uint8ClampedArray(1).toReversed()) === "
           "Uint8ClampedArray.prototype"
           "       ].join(' ');"),
      "-1,2,3 2,-1,3 3,-1,7 3,-1,2 3,2,-1 1,5 18446744073709551615,1 true NaN 44,2 true");
}

TEST(EsBuiltins, TypedArrayChangeByCopyIgnoresConstructorAndSpecies) {
  EXPECT_EQ(Eval("class Sub extends Uint8Array { static get [Symbol.species]() { throw 1; } }"
                 "const s = new Sub([2, 1]);"
                 "s.constructor = null;"
                 "return [s.toSorted(), s.toReversed(), s.with(0, 0)]"
                 "  .map(x => Object.getPrototypeOf(x) === Uint8Array.prototype).join();"),
            "true,true,true");
}

TEST(EsBuiltins, TypedArrayChangeByCopyErrors) {
  EXPECT_EQ(Eval("const TA = Object.getPrototypeOf(Int8Array.prototype);"
                 "const u = new Uint8Array(4);"
                 "const detachLater = new Uint8Array(4);"
                 "const gone = new Uint8Array(4); gone.buffer.transfer();"
                 "return [t(() => TA.toSorted.call([1])), t(() => TA.with.call({}, 0, 0)),"
                 "        t(() => u.with(4, 0)), t(() => u.with(-5, 0)), t(() => u.toSorted({})),"
                 "        t(() => new BigInt64Array(1).with(0, 1)), t(() => u.with(0, 1n)),"
                 "        t(() => gone.toReversed()), t(() => gone.toSorted()),"
                 "        t(() => detachLater.with(0, {valueOf() { detachLater.buffer.transfer(); "
                 "return 1; }}))"
                 "       ].join();"),
            "TypeError,TypeError,RangeError,RangeError,TypeError,TypeError,TypeError,TypeError,"
            "TypeError,RangeError");
}

TEST(EsBuiltins, GroupBy) {
  EXPECT_EQ(Eval("const g = Object.groupBy([1, 2, 3, 4], x => x % 2 ? 'odd' : 'even');"
                 "const m = Map.groupBy([1, 2, 3], x => x > 1);"
                 "const z = Map.groupBy([1, 2], (x) => x === 1 ? -0 : 0);"
                 "const keys = Object.groupBy('abc', (c, i) => i === 0 ? 10 : i === 1 ? 2 : c);"
                 "const sym = Symbol('s');"
                 "const bySym = Object.groupBy([1], () => sym);"
                 "const byObj = Object.groupBy([1], () => ({toString() { return 'k'; }}));"
                 "return [JSON.stringify(g), m.get(true).join(), m.size, z.size, "
                 "Object.is([...z.keys()][0], 0),"
                 "        Object.keys(keys).join(), bySym[sym].join(), Object.keys(byObj).join(),"
                 "        String(Object.getPrototypeOf(g)), m instanceof Map].join(' ');"),
            R"({"odd":[1,3],"even":[2,4]} 2,3 2 1 true 2,10,c 1 k null true)");
}

TEST(EsBuiltins, GroupByErrorsCloseTheIterator) {
  EXPECT_EQ(
      Eval("let closed = 0;"
           "const iterable = {[Symbol.iterator]() { let i = 0; return {"
           "  next() { return {value: i++, done: i > 5}; },"
           "  return() { closed++; return {}; }}; }};"
           "return [t(() => Object.groupBy(iterable, (x) => { if (x === 2) throw new RangeError(); "
           "})),"
           "        closed, t(() => Object.groupBy(null, x => x)), t(() => Map.groupBy([], null)),"
           "        t(() => Object.groupBy({}, x => x)), closed,"
           "        JSON.stringify(Object.groupBy([], () => 'a'))].join();"),
      "RangeError,1,TypeError,TypeError,TypeError,1,{}");
}

TEST(EsBuiltins, PromiseWithResolvers) {
  EXPECT_EQ(Eval("const r = Promise.withResolvers();"
                 "r.resolve(7);"
                 "const r2 = Promise.withResolvers(); r2.reject(new Error('x'));"
                 "let err; try { await r2.promise; } catch (e) { err = e.message; }"
                 "class MyPromise extends Promise {}"
                 "const sub = MyPromise.withResolvers();"
                 "return [await r.promise, err, Object.keys(r).join('/'), sub.promise instanceof "
                 "MyPromise,"
                 "        Object.getPrototypeOf(r) === Object.prototype,"
                 "        t(() => Promise.withResolvers.call(undefined)),"
                 "        t(() => Promise.withResolvers.call(function () {}))].join(' ');"),
            "7 x promise/resolve/reject true true TypeError TypeError");
}

TEST(EsBuiltins, PromiseTry) {
  EXPECT_EQ(
      Eval("const order = [];"
           "const p = Promise.try((a, b) => { order.push('sync'); return a + b; }, 2, 3);"
           "order.push('after');"
           "const rejected = Promise.try(() => { throw new RangeError('r'); });"
           "const notCallable = Promise.try(5);"
           "let e1, e2; try { await rejected; } catch (e) { e1 = e.name; }"
           "try { await notCallable; } catch (e) { e2 = e.name; }"
           "return [await p, order.join('>'), e1, e2, await Promise.try(() => Promise.resolve(9)),"
           "        t(() => Promise.try.call(1, () => {}))].join(' ');"),
      "5 sync>after RangeError TypeError 9 TypeError");
}

TEST(EsBuiltins, WellFormedStrings) {
  EXPECT_EQ(Eval("const pair = '\\uD83D\\uDE00';"
                 "return ['a\\uD800'.isWellFormed(), 'ab'.isWellFormed(), pair.isWellFormed(),"
                 "        '\\uDE00\\uD83D'.isWellFormed(),"
                 "        'a\\uD800'.toWellFormed() === 'a\\uFFFD',"
                 "        ('\\uDC00x' + pair + '\\uD800').toWellFormed() === '\\uFFFDx' + pair + "
                 "'\\uFFFD',"
                 "        pair.toWellFormed() === pair,"
                 "        String.prototype.isWellFormed.call(12),"
                 "        t(() => String.prototype.toWellFormed.call(null)),"
                 "        t(() => String.prototype.isWellFormed.call(Symbol()))].join();"),
            "false,true,true,false,true,true,true,true,TypeError,TypeError");
}

TEST(EsBuiltins, RegExpEscape) {
  EXPECT_EQ(
      Eval(
          "const cases = ['foo', '1x', 'a.b*c', 'a-b', 'a b', '\\t\\n', '_x', '\\u2028', '\\uFEFF',"
          "  '\\uD800', '\\uD83D\\uDE00', 'é', ',=<>#&!%:;@~\\'`\"', '/'];"
          "const all = cases.map(RegExp.escape);"
          "const re = new RegExp(RegExp.escape('(a+b)?[c]'));"
          "return [JSON.stringify(all), re.test('x(a+b)?[c]'), re.test('aab'),"
          "        t(() => RegExp.escape(1)), t(() => RegExp.escape(new String('a')))].join(' ');"),
      R"(["\\x66oo","\\x31x","\\x61\\.b\\*c","\\x61\\x2db","\\x61\\x20b","\\t\\n","_x","\\u2028","\\ufeff","\\ud800",")"
      "\xF0\x9F\x98\x80"
      R"(","é","\\x2c\\x3d\\x3c\\x3e\\x23\\x26\\x21\\x25\\x3a\\x3b\\x40\\x7e\\x27\\x60\\x22","\\/"] true false TypeError TypeError)");
}

TEST(EsBuiltins, ErrorIsError) {
  EXPECT_EQ(
      Eval("class MyError extends Error {}"
           "const fake = Object.create(Error.prototype);"
           "return [Error.isError(new Error()), Error.isError(new TypeError()),"
           "        Error.isError(new MyError()), Error.isError(new AggregateError([])),"
           "        Error.isError(fake), Error.isError({name: 'Error', message: ''}),"
           "        Error.isError(new Proxy(new Error(), {})), Error.isError(undefined)].join();"),
      "true,true,true,true,false,false,false,false");
}

TEST(EsBuiltins, MathF16round) {
  EXPECT_EQ(
      Eval(
          "return [1.337, 65504, 65519.99, 65520, -65520, 5.960464477539063e-8,"
          "        2.9802322387695312e-8, 2.98023223876953125e-8 * 1.0000001, 1e-10, -1e-10,"
          "        0.1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, NaN, -0, '2']"
          "  .map(x => Object.is(Math.f16round(x), -0) ? '-0' : String(Math.f16round(x))).join();"),
      "1.3369140625,65504,65504,Infinity,-Infinity,5.960464477539063e-8,0,"
      "5.960464477539063e-8,0,-0,0.0999755859375,1,1.001953125,NaN,-0,2");
}

TEST(EsBuiltins, DataViewFloat16) {
  EXPECT_EQ(
      Eval("const dv = new DataView(new ArrayBuffer(8));"
           "dv.setFloat16(0, 1.5); dv.setFloat16(2, -65504, true); dv.setFloat16(4, NaN);"
           "dv.setFloat16(6, 1e-7);"
           "const bits = [0, 2, 4, 6].map(i => dv.getUint16(i).toString(16));"
           "dv.setUint16(0, 0x7c00); dv.setUint16(4, 0x8001);"
           "return [bits.join(), dv.getFloat16(0), dv.getFloat16(2, true), dv.getFloat16(4),"
           "        t(() => dv.getFloat16(7)), t(() => dv.setFloat16(-1, 0)),"
           "        t(() => DataView.prototype.getFloat16.call(new Uint8Array(2), 0)),"
           "        t(() => dv.setFloat16(0, 1n))].join(' ');"),
      "3e00,fffb,7e00,2 Infinity -65504 -5.960464477539063e-8 RangeError RangeError TypeError "
      "TypeError");
}

TEST(EsBuiltins, MathSumPreciseIsExact) {
  EXPECT_EQ(
      Eval("const s = (xs) => { const r = Math.sumPrecise(xs); return Object.is(r, -0) ? '-0' : "
           "String(r); };"
           "return [s([1e20, 0.1, -1e20]), s([0.1, 0.2, 0.3]), s([1e308, 1e308, -1e308]),"
           "        s([1.7976931348623157e308, 1.7976931348623157e308, -1.7976931348623157e308]),"
           "        s([1e308, 1e308]), s([-1e308, -1e308]), s([]), s([-0, -0]), s([-0, 0]),"
           "        s([Infinity, 1]), s([-Infinity, 1]), s([Infinity, -Infinity]), s([NaN, 1]),"
           "        s([2 ** 53, 1, 1]), s([1, 2 ** -53, 2 ** -106]), s([3, -3]),"
           "        s(new Set([0.5, 0.25]))].join(' ');"),
      "0.1 0.6 1e+308 1.7976931348623157e+308 Infinity -Infinity -0 -0 0 Infinity -Infinity "
      "NaN NaN 9007199254740994 1.0000000000000002 0 0.75");
}

TEST(EsBuiltins, MathSumPreciseRoundsOnceAtTheEnd) {
  // Expected values: the exact rational sums rounded to double (checked with Python's Fraction).
  EXPECT_EQ(Eval("const MAX = Number.MAX_VALUE;"
                 "return [[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],"
                 "        [1e308, -1e308, 1e308, 1e308, -1e308], [MAX, MAX, -MAX, -MAX],"
                 "        [2 ** 1023, 2 ** 1023, -(2 ** 1023)], [MAX, 2 ** 970],"
                 "        [MAX, 2 ** 970, -(2 ** -1074)], [MAX, 2 ** 969], [-MAX, -(2 ** 970), 2 "
                 "** -1074],"
                 "        [1e16, 1, -1e16], [5e-324, 5e-324, -1e-323],"
                 "        [2 ** 1023, 2 ** 1023, 2 ** 1023, -(2 ** 1023), -(2 ** 1023)]]"
                 "  .map(xs => String(Math.sumPrecise(xs))).join(' ');"),
            "1 1e+308 0 8.98846567431158e+307 Infinity 1.7976931348623157e+308 "
            "1.7976931348623157e+308 -1.7976931348623157e+308 1 0 8.98846567431158e+307");
}

TEST(EsBuiltins, MathSumPreciseTypeErrors) {
  EXPECT_EQ(Eval("let closed = 0;"
                 "const it = {[Symbol.iterator]() { let i = 0; return {"
                 "  next() { i++; return {value: i === 2 ? '2' : i, done: i > 3}; },"
                 "  return() { closed++; return {}; }}; }};"
                 "return [t(() => Math.sumPrecise(it)), closed, t(() => Math.sumPrecise()),"
                 "        t(() => Math.sumPrecise([1n])), t(() => Math.sumPrecise({})),"
                 "        t(() => Math.sumPrecise([NaN, 'x']))].join();"),
            "TypeError,1,TypeError,TypeError,TypeError,TypeError");
}

TEST(EsBuiltins, SetMethods) {
  EXPECT_EQ(
      Eval(
          "const a = new Set([1, 2, 3]), b = new Set([3, 4]);"
          "const l = (s) => [...s].join();"
          "return [l(a.union(b)), l(a.intersection(b)), l(a.difference(b)),"
          "        l(a.symmetricDifference(b)), a.isSubsetOf(b), a.isSupersetOf(new Set([1])),"
          "        a.isDisjointFrom(b), new Set([1]).isSubsetOf(a), a.isDisjointFrom(new Set([9])),"
          "        l(b.intersection(a)), l(new Set([1, 2, 3, 4, 5]).difference(new Set([2]))),"
          "        l(a)].join(' ');"),
      "1,2,3,4 3 1,2 1,2,4 false true false true true 3 1,3,4,5 1,2,3");
}

TEST(EsBuiltins, SetMethodsTakeSetLikes) {
  EXPECT_EQ(Eval("const calls = [];"
                 "const setLike = (xs, size = xs.length) => ({size,"
                 "  has(v) { calls.push('has'); return xs.includes(v); },"
                 "  keys() { calls.push('keys'); return xs[Symbol.iterator](); }});"
                 "const l = (s) => [...s].join();"
                 "const a = new Set([1, 2]);"
                 "const u = a.union(setLike([2, -0, 3]));"
                 "const i = new Set([1, 2, 3]).intersection(setLike([2]));"
                 "const m = new Map([[5, 'x']]);"
                 "return [l(u), Object.is([...u][2], 0), l(i), calls.join('/'),"
                 "        l(new Set([5, 6]).intersection(m)), new Set([1]).isSubsetOf({size: "
                 "Infinity, has: () => true, keys: () => { throw 1; }}),"
                 "        l(a.union(setLike([], 0))) ].join(' ');"),
            "1,2,0,3 true 2 keys/keys 5 true 1,2");
}

TEST(EsBuiltins, SetMethodsValidateTheSetRecord) {
  EXPECT_EQ(
      Eval("const s = new Set([1]);"
           "const f = () => {};"
           "return [t(() => s.union([1])), t(() => s.union({size: undefined, has: f, keys: f})),"
           "        t(() => s.union({size: -1, has: f, keys: f})), t(() => s.union({size: 1, has: "
           "1, keys: f})),"
           "        t(() => s.union({size: 1, has: f})), t(() => s.union(1)),"
           "        t(() => Set.prototype.union.call(new Map(), new Set())),"
           "        t(() => Set.prototype.isSubsetOf.call([], new Set())),"
           "        t(() => s.union({size: 1, has: f, keys: () => 1})),"
           "        t(() => s.union({size: '2', has: f, keys: () => "
           "[][Symbol.iterator]()}).size)].join();"),
      "TypeError,TypeError,RangeError,TypeError,TypeError,TypeError,TypeError,TypeError,"
      "TypeError,1");
}

TEST(EsBuiltins, SetMethodsIgnoreUserPatchesAndCloseEarly) {
  EXPECT_EQ(
      Eval(
          "let closed = 0;"
          "const other = {size: 1, has: () => false, keys() { let i = 0; return {"
          "  next() { return {value: i++, done: false}; }, return() { closed++; return {}; }}; }};"
          "const saved = [Set.prototype.add, Set.prototype.values, Set.prototype[Symbol.iterator]];"
          "const s12 = new Set([1, 2]), s3 = new Set([3]), s01 = new Set([0, 1]), s100 = new "
          "Set([100]);"
          "Set.prototype.add = () => { throw new Error('patched add'); };"
          "Set.prototype.values = Set.prototype[Symbol.iterator] = () => { throw new "
          "Error('patched'); };"
          "let out;"
          "try {"
          "  out = [s12.union(s3), s01.isSupersetOf(other), closed,"
          "         s100.isDisjointFrom({size: 1, has: () => true, keys: () => { throw 1; }})];"
          "} finally {"
          "  [Set.prototype.add, Set.prototype.values, Set.prototype[Symbol.iterator]] = saved;"
          "}"
          "class MySet extends Set {}"
          "out[0] = [...out[0]].join();"
          "out.push(new MySet([1]).union(new Set()) instanceof MySet);"
          "return out.join(' ');"),
      "1,2,3 false 1 false false");
}

TEST(EsBuiltins, IteratorHelpers) {
  EXPECT_EQ(
      Eval("const it = () => [1, 2, 3, 4].values();"
           "function* gen() { yield 1; yield 2; }"
           "return [it().filter(x => x % 2).map(x => x * 10).toArray(),"
           "        it().map((x, i) => x * i).toArray(), it().take(2).toArray(),"
           "        it().drop(3).toArray(), it().drop(Infinity).toArray(),"
           "        it().take(Infinity).toArray(), it().flatMap(x => [x, -x]).take(3).toArray(),"
           "        it().flatMap(x => new Set([x])).toArray(), it().reduce((a, b) => a + b),"
           "        it().reduce((a, b, i) => a + i, ''), it().some(x => x > 3), it().every(x => x "
           "> 3),"
           "        it().find(x => x > 2), gen().map(x => x + 1).toArray(),"
           "        new Map([[1, 2]]).entries().map(([k, v]) => k + v).toArray()].join(' ');"),
      "10,30 0,2,6,12 1,2 4  1,2,3,4 1,-1,2 1,2,3,4 10 0123 true false 3 2,3 3");
}

TEST(EsBuiltins, IteratorHelpersForEachAndCounters) {
  EXPECT_EQ(Eval("const seen = [];"
                 "const r = [5, 6].values().forEach((v, i) => seen.push(v + ':' + i));"
                 "const args = [];"
                 "[1].values().map(function () { args.push(arguments.length, this); }).toArray();"
                 "return [String(r), seen.join(), args.join()].join(' ');"),
            "undefined 5:0,6:1 2,");
}

TEST(EsBuiltins, IteratorHelpersAreLazy) {
  EXPECT_EQ(Eval("const log = [];"
                 "const src = {i: 0, next() { log.push('next'); return {value: this.i++, done: "
                 "this.i > 3}; },"
                 "  __proto__: Iterator.prototype};"
                 "const h = src.map(x => { log.push('map' + x); return x; });"
                 "log.push('made');"
                 "const first = h.next();"
                 "return [log.join(), JSON.stringify(first), JSON.stringify(h.next())].join(' ');"),
            R"(made,next,map0 {"value":0,"done":false} {"value":1,"done":false})");
}

TEST(EsBuiltins, IteratorHelperPrototype) {
  EXPECT_EQ(
      Eval(
          "const h = [1].values().map(x => x);"
          "const proto = Object.getPrototypeOf(h);"
          "const tag = Object.getOwnPropertyDescriptor(proto, Symbol.toStringTag);"
          "return [Object.prototype.toString.call(h), Reflect.ownKeys(proto).map(String).join('/'),"
          "        Object.getPrototypeOf(proto) === Iterator.prototype, tag.writable, "
          "tag.configurable,"
          "        h instanceof Iterator, h[Symbol.iterator]() === h,"
          "        t(() => proto.next.call({})), t(() => proto.return.call([].values()))].join(' "
          "');"),
      "[object Iterator Helper] next/return/Symbol(Symbol.toStringTag) true false true true true "
      "TypeError TypeError");
}

TEST(EsBuiltins, IteratorHelperReturnClosesTheUnderlyingIterator) {
  EXPECT_EQ(Eval("const log = [];"
                 "const make = (name) => ({i: 0, next() { return {value: this.i++, done: false}; },"
                 "  return() { log.push(name); return {}; }, __proto__: Iterator.prototype});"
                 "const a = make('a').map(x => x);"
                 "const r1 = JSON.stringify(a.return());"
                 "a.return();"
                 "const r2 = JSON.stringify(a.next());"
                 "const b = make('b').filter(x => true); b.next(); b.return(); b.return();"
                 "const c = make('c').take(1); c.next(); c.next();"
                 "const d = make('outer').flatMap(x => make('inner')); d.next(); d.return();"
                 "const e = make('e').drop(1); e.next(); "
                 "const f = [1, 2].values().map(x => x); f.next(); f.next(); f.next(); f.return();"
                 "return [r1, r2, log.join()].join(' ');"),
            R"({"done":true} {"done":true} a,b,c,inner,outer)");
}

TEST(EsBuiltins, IteratorHelpersCloseOnCallbackErrorsAndBadArguments) {
  EXPECT_EQ(
      Eval("let closed = 0;"
           "const make = () => ({next() { return {value: 1, done: false}; },"
           "  return() { closed++; return {}; }, __proto__: Iterator.prototype});"
           "const boom = () => { throw new EvalError(); };"
           "const results = [t(() => make().map(boom).next()), t(() => make().filter(boom).next()),"
           "  t(() => make().flatMap(boom).next()), t(() => make().flatMap(() => 1).next()),"
           "  t(() => make().reduce(boom, 0)), t(() => make().forEach(boom)),"
           "  t(() => make().some(boom)), t(() => make().every(boom)), t(() => make().find(boom))];"
           "const afterCallbacks = closed;"
           "const bad = [t(() => make().map()), t(() => make().filter(1)), t(() => "
           "make().take(NaN)),"
           "  t(() => make().take(-1)), t(() => make().drop(-0.5) && 'ok'), t(() => "
           "make().drop('x')),"
           "  t(() => make().take({valueOf: boom})), t(() => make().reduce()), t(() => "
           "make().forEach()),"
           "  t(() => make().some()), t(() => make().every()), t(() => make().find()),"
           "  t(() => make().flatMap())];"
           "return [results.join(), afterCallbacks, bad.join(), closed,"
           "        t(() => Iterator.prototype.map.call(1, x => x)),"
           "        t(() => Iterator.prototype.toArray.call(null))].join(' ');"),
      "EvalError,EvalError,EvalError,TypeError,EvalError,EvalError,EvalError,EvalError,"
      "EvalError 9 TypeError,TypeError,RangeError,RangeError,ok,RangeError,EvalError,TypeError,"
      "TypeError,TypeError,TypeError,TypeError,TypeError 21 TypeError TypeError");
}

TEST(EsBuiltins, IteratorHelpersShortCircuitClose) {
  EXPECT_EQ(Eval("let closed = 0;"
                 "const make = () => ({i: 0, next() { return {value: this.i++, done: false}; },"
                 "  return() { closed++; return {}; }, __proto__: Iterator.prototype});"
                 "const r = [make().some(x => x === 2), make().every(x => x < 2), make().find(x => "
                 "x === 3),"
                 "           make().take(0).toArray().length];"
                 "const bad = {next() { return {value: 0, done: false}; }, return() { return 1; },"
                 "  __proto__: Iterator.prototype};"
                 "return [r.join(), closed, t(() => bad.some(() => true)), t(() => "
                 "bad.take(0).next())].join(' ');"),
            "true,false,3,0 4 TypeError TypeError");
}

TEST(EsBuiltins, IteratorHelperAfterErrorsIsDoneAndClosesNothingMore) {
  EXPECT_EQ(
      Eval("let closed = 0;"
           "const src = (next) => ({next, return() { closed++; return {}; },"
           "  __proto__: Iterator.prototype});"
           "const h = src(() => ({value: 1, done: false})).map(() => { throw new EvalError(); });"
           "const first = t(() => h.next());"
           "const afterThrow = [JSON.stringify(h.next()), JSON.stringify(h.return()), closed];"
           "const h2 = src(() => { throw new RangeError(); }).filter(x => x);"
           "const second = [t(() => h2.next()), JSON.stringify(h2.return()), closed];"
           "const log = [];"
           "const outer = {next() { return {value: 1, done: false}; },"
           "  return() { log.push('outer'); throw new Error('outer'); }, __proto__: "
           "Iterator.prototype};"
           "const inner = {next() { return {value: 2, done: false}; },"
           "  return() { log.push('inner'); throw new URIError(); }};"
           "const f = outer.flatMap(() => inner);"
           "f.next();"
           "return [first, afterThrow.join(), second.join(), t(() => f.return()), "
           "log.join()].join(' ');"),
      R"(EvalError {"done":true},{"done":true},1 RangeError,{"done":true},1 URIError inner,outer)");
}

TEST(EsBuiltins, IteratorHelperReentrancy) {
  EXPECT_EQ(
      Eval("let h;"
           "h = [1, 2].values().map(() => { try { h.next(); } catch (e) { return e.name; } });"
           "let h2;"
           "h2 = [1, 2].values().map(() => { try { h2.return(); } catch (e) { return e.name; } });"
           "return [h.next().value, h2.next().value].join();"),
      "TypeError,TypeError");
}

TEST(EsBuiltins, IteratorConstructorAndFrom) {
  EXPECT_EQ(
      Eval("class Counter extends Iterator { i = 0; next() { return {value: this.i++, done: this.i "
           "> 3}; } }"
           "const plain = {i: 0, next() { return {value: this.i++, done: this.i > 2}; }};"
           "const wrapped = Iterator.from(plain);"
           "const wrapProto = Object.getPrototypeOf(wrapped);"
           "const arrayIt = [1].values();"
           "const d = Object.getOwnPropertyDescriptor(globalThis, 'Iterator');"
           "return [typeof Iterator, Iterator.length, Iterator.prototype === "
           "Object.getPrototypeOf(Object.getPrototypeOf(arrayIt)),"
           "        t(() => new Iterator()), t(() => Iterator()), new Counter().map(x => x * "
           "2).toArray(),"
           "        wrapped.toArray(), Object.getPrototypeOf(wrapProto) === Iterator.prototype,"
           "        Reflect.ownKeys(wrapProto).join('/'), Iterator.from(arrayIt) === arrayIt,"
           "        Iterator.from('ab').toArray(), t(() => Iterator.from(5)), t(() => "
           "Iterator.from({next: 1}).next()),"
           "        JSON.stringify(Iterator.from({next() { return {done: true}; }}).return()),"
           "        Object.prototype.toString.call(Iterator.prototype), d.enumerable, d.writable,"
           "        Object.getOwnPropertyDescriptor(Iterator, 'prototype').writable].join(' ');"),
      "function 0 true TypeError TypeError 0,2,4 0,1 true next/return true a,b TypeError "
      "TypeError {\"done\":true} [object Iterator] false true false");
}

TEST(EsBuiltins, IteratorPrototypeAccessors) {
  EXPECT_EQ(Eval("const P = Iterator.prototype;"
                 "const c = Object.getOwnPropertyDescriptor(P, 'constructor');"
                 "const tag = Object.getOwnPropertyDescriptor(P, Symbol.toStringTag);"
                 "const o = Object.create(P);"
                 "o.constructor = 1; o[Symbol.toStringTag] = 'Mine';"
                 "return [typeof c.get, typeof c.set, c.enumerable, c.configurable, P.constructor "
                 "=== Iterator,"
                 "        typeof tag.get, P[Symbol.toStringTag], Object.hasOwn(o, 'constructor'), "
                 "o.constructor,"
                 "        String(o), t(() => { P.constructor = 1; }), t(() => { "
                 "P[Symbol.toStringTag] = 'x'; }),"
                 "        t(() => c.set.call(1, 2)), P.constructor === Iterator].join(' ');"),
            "function function false true true function Iterator true 1 [object Mine] TypeError "
            "TypeError TypeError true");
}

TEST(EsBuiltins, IteratorConcat) {
  EXPECT_EQ(
      Eval("const log = [];"
           "const closing = {[Symbol.iterator]() { let i = 0; return {"
           "  next() { return {value: i++, done: false}; }, return() { log.push('closed'); return "
           "{}; }}; }};"
           "const c = Iterator.concat([1, 2], new Set([3]), closing);"
           "const firstFive = [c.next(), c.next(), c.next(), c.next(), c.next()].map(r => r.value);"
           "c.return();"
           "const lazy = Iterator.concat({[Symbol.iterator]() { log.push('opened'); return "
           "[9].values(); }});"
           "log.push('before');"
           "lazy.toArray();"
           "return [firstFive.join(), log.join(), Iterator.concat().toArray().length,"
           "        t(() => Iterator.concat('ab')), t(() => Iterator.concat({})),"
           "        Object.prototype.toString.call(Iterator.concat()),"
           "        JSON.stringify(Iterator.concat(closing).return())].join(' ');"),
      "1,2,3,0,1 closed,before,opened 0 TypeError TypeError [object Iterator Helper] "
      "{\"done\":true}");
}

TEST(EsBuiltins, ArrayFromAsync) {
  EXPECT_EQ(
      Eval("async function* gen() { yield 1; yield 2; }"
           "const fromSync = await Array.fromAsync([Promise.resolve(3), 4]);"
           "const mapped = await Array.fromAsync(gen(), async function (x, i) { return x * 10 + i "
           "+ this.k; }, {k: 100});"
           "const arrayLike = await Array.fromAsync({length: 2, 0: 'a', 1: Promise.resolve('b')});"
           "class C { constructor(...args) { this.args = args; } }"
           "const custom = await Array.fromAsync.call(C, [1]);"
           "const customLike = await Array.fromAsync.call(C, {length: 1, 0: 'x'});"
           "const nonCtor = await Array.fromAsync.call({}, [1]);"
           "return [await Array.fromAsync(gen()), fromSync, mapped, arrayLike,"
           "        custom instanceof C, custom.args.length, custom.length, custom[0],"
           "        customLike.args.join(), customLike.length, Array.isArray(nonCtor),"
           "        Array.fromAsync([]) instanceof Promise].join(' ');"),
      "1,2 3,4 110,121 a,b true 0 1 1 1 1 true true");
}

TEST(EsBuiltins, ArrayFromAsyncErrorsRejectAndClose) {
  EXPECT_EQ(Eval("const settle = (p) => p.then(() => 'ok', (e) => e.name);"
                 "const log = [];"
                 "const syncIt = {[Symbol.iterator]() { return {i: 0,"
                 "  next() { return {value: this.i++, done: false}; }, return() { log.push('sync "
                 "closed'); return {}; }}; }};"
                 "const asyncIt = {[Symbol.asyncIterator]() { return {i: 0,"
                 "  next() { return Promise.resolve({value: this.i++, done: false}); },"
                 "  return() { log.push('async closed'); return Promise.resolve({}); }}; }};"
                 "const rejecting = {[Symbol.iterator]() { return {"
                 "  next() { return {value: Promise.reject(new URIError()), done: false}; },"
                 "  return() { log.push('rejecting closed'); return {}; }}; }};"
                 "const boom = () => { throw new EvalError(); };"
                 "const r = [await settle(Array.fromAsync(syncIt, boom)), await "
                 "settle(Array.fromAsync(asyncIt, boom)),"
                 "           await settle(Array.fromAsync(rejecting)), await "
                 "settle(Array.fromAsync([1], 5)),"
                 "           await settle(Array.fromAsync(null)),"
                 "           await settle(Array.fromAsync({[Symbol.asyncIterator]() { return "
                 "{next() { return 1; }}; }}))];"
                 "let syncThrow = 'none'; try { Array.fromAsync(null).catch(() => {}); } catch (e) "
                 "{ syncThrow = e.name; }"
                 "return [r.join(), log.join(), syncThrow].join(' / ');"),
            "EvalError,EvalError,URIError,TypeError,TypeError,TypeError / sync closed,async closed,"
            "rejecting closed / none");
}

TEST(EsBuiltins, Uint8ArrayBase64) {
  EXPECT_EQ(
      Eval(
          "const u = (...b) => new Uint8Array(b);"
          "return [u().toBase64(), u(102).toBase64(), u(102, 111).toBase64(), u(102, 111, "
          "111).toBase64(),"
          "        u(251, 255, 191).toBase64(), u(251, 255, 191).toBase64({alphabet: 'base64url'}),"
          "        u(102).toBase64({omitPadding: true}), u(102, 111).toBase64({omitPadding: 1}),"
          "        new Uint8Array(new Uint8Array([0, 1, 2, 3]).buffer, 1, 2).toBase64(),"
          "        u(0, 255, 16).toHex(), u().toHex(),"
          "        new Uint8Array(300).fill(7).toBase64().length].join(' ');"),
      " Zg== Zm8= Zm9v +/+/ -_-_ Zg Zm8 AQI= 00ff10  400");
}

TEST(EsBuiltins, Uint8ArrayFromBase64) {
  EXPECT_EQ(
      Eval("const d = (s, o) => { try { return Uint8Array.fromBase64(s, o).join('.'); } catch (e) "
           "{ return e.name; } };"
           "return [d('Zm9v'), d('Zm8='), d('Zg=='), d(' Z m\\n8 = '), d('Zg'), d('Zm8'), d(''),"
           "        d('Z'), d('Zg='), d('Zg===',), d('Zm9v=', ), d('Zh=='), d('Zh==', "
           "{lastChunkHandling: 'strict'}),"
           "        d('Zg', {lastChunkHandling: 'strict'}), d('Zg', {lastChunkHandling: "
           "'stop-before-partial'}),"
           "        d('Zm9vZg=', {lastChunkHandling: 'stop-before-partial'}), d('-_-_'),"
           "        d('-_-_', {alphabet: 'base64url'}), d('+/+/', {alphabet: 'base64url'}),"
           "        d('Zm9v\\u00A0'), d('Zm9v\\u2028'), d('Zg==Zg==')].join(' ');"),
      "102.111.111 102.111 102 102.111 102 102.111  SyntaxError SyntaxError SyntaxError "
      "SyntaxError 102 SyntaxError SyntaxError  102.111.111 SyntaxError 251.255.191 SyntaxError "
      "SyntaxError SyntaxError SyntaxError");
}

TEST(EsBuiltins, Uint8ArrayBase64OptionsAndErrors) {
  EXPECT_EQ(
      Eval("const log = [];"
           "const opts = {get alphabet() { log.push('alphabet'); return 'base64'; },"
           "  get lastChunkHandling() { log.push('lastChunk'); return 'loose'; },"
           "  get omitPadding() { log.push('omitPadding'); return false; }};"
           "Uint8Array.fromBase64('', opts); new Uint8Array(1).toBase64(opts);"
           "const gone = new Uint8Array(2); gone.buffer.transfer();"
           "return [log.join(), t(() => Uint8Array.fromBase64(1)), t(() => "
           "Uint8Array.fromBase64('', 1)),"
           "        t(() => Uint8Array.fromBase64('', {alphabet: 'base32'})),"
           "        t(() => Uint8Array.fromBase64('', {alphabet: new String('base64')})),"
           "        t(() => Uint8Array.fromBase64('', {lastChunkHandling: 'Strict'})),"
           "        t(() => Uint8Array.prototype.toBase64.call(new Uint8ClampedArray(1))),"
           "        t(() => Uint8Array.prototype.toHex.call([1])), t(() => gone.toBase64()),"
           "        t(() => gone.toHex()), t(() => gone.setFromHex('00')),"
           "        t(() => new Uint8Array(1).toBase64({alphabet: 1})),"
           "        Uint8Array.fromBase64('Zm9v', null === null ? undefined : 0).length,"
           "        Object.getPrototypeOf(Uint8Array.fromBase64('')) === "
           "Uint8Array.prototype].join(' ');"),
      "alphabet,lastChunk,alphabet,omitPadding TypeError TypeError TypeError TypeError TypeError "
      "TypeError TypeError TypeError TypeError TypeError TypeError 3 true");
}

TEST(EsBuiltins, Uint8ArraySetFromBase64) {
  EXPECT_EQ(Eval("const set = (n, s, o) => { const u = new Uint8Array(n).fill(9);"
                 "  try { const r = u.setFromBase64(s, o); return r.read + '/' + r.written + ':' + "
                 "u.join('.'); }"
                 "  catch (e) { return e.name + ':' + u.join('.'); } };"
                 "const r = new Uint8Array(8).setFromBase64('AA==');"
                 "return [set(3, 'Zm9v'), set(4, 'Zm9v'), set(2, 'Zm9v'), set(4, 'Zm9vYmFy'), "
                 "set(5, 'Zm9vYmFy'),"
                 "        set(4, 'Zm9vYm'), set(1, 'Zg=='), set(0, 'Zm9v'), set(6, 'Zm9v!Zm9v'),"
                 "        set(6, 'Zm9vYg', {lastChunkHandling: 'stop-before-partial'}),"
                 "        set(3, ' Zm9v '), set(3, 'Zm9vYg=='), Object.keys(r).join(),"
                 "        Object.getPrototypeOf(r) === Object.prototype].join(' ');"),
            "4/3:102.111.111 4/3:102.111.111.9 0/0:9.9 4/3:102.111.111.9 4/3:102.111.111.9.9 "
            "6/4:102.111.111.98 4/1:102 0/0: SyntaxError:102.111.111.9.9.9 4/3:102.111.111.9.9.9 "
            "5/3:102.111.111 4/3:102.111.111 read,written true");
}

TEST(EsBuiltins, Base64WhitespaceAndTargetSizesDecodeAlike) {
  // Whole four-character chunks take a fast path; whitespace and short targets take the
  // step-by-step one. Both must give the same bytes.
  EXPECT_EQ(Eval("const s = 'Zm9vYmFyYmF6cXV4';"
                 "const spaced = s.replace(/(.{3})/g, '$1 \\n');"
                 "const out = [];"
                 "for (let n = 0; n <= 13; n++) {"
                 "  const a = new Uint8Array(n), b = new Uint8Array(n);"
                 "  const ra = a.setFromBase64(s), rb = b.setFromBase64(spaced);"
                 "  out.push(ra.written === rb.written && a.join() === b.join() ? ra.read + '/' + "
                 "ra.written : 'differ');"
                 "}"
                 "return [out.join(' '), Uint8Array.fromBase64(spaced).join() === "
                 "Uint8Array.fromBase64(s).join()].join(' ');"),
            "0/0 0/0 0/0 4/3 4/3 4/3 8/6 8/6 8/6 12/9 12/9 12/9 16/12 16/12 true");
}

TEST(EsBuiltins, Uint8ArrayHex) {
  EXPECT_EQ(
      Eval("const d = (s) => { try { return Uint8Array.fromHex(s).join('.'); } catch (e) { return "
           "e.name; } };"
           "const set = (n, s) => { const u = new Uint8Array(n);"
           "  try { const r = u.setFromHex(s); return r.read + '/' + r.written + ':' + "
           "u.join('.'); }"
           "  catch (e) { return e.name + ':' + u.join('.'); } };"
           "return [d('00ff7F'), d(''), d('abc'), d('0g'), d(' 00'), d('\\uFF10\\uFF10'),"
           "        set(2, 'aabbcc'), set(4, 'aabb'), set(3, '0102zz'), set(2, '010'),"
           "        t(() => Uint8Array.fromHex(255)), t(() => new "
           "Uint8Array(1).setFromHex(1))].join(' ');"),
      "0.255.127  SyntaxError SyntaxError SyntaxError SyntaxError 4/2:170.187 4/2:170.187.0.0 "
      "SyntaxError:1.2.0 SyntaxError:0.0 TypeError TypeError");
}

TEST(EsBuiltins, Base64RoundTripsEveryByteAndBigInputs) {
  EXPECT_EQ(Eval("const bytes = new Uint8Array(70000);"
                 "for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 8)) & 255;"
                 "const ok = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);"
                 "const b64 = bytes.toBase64(), url = bytes.toBase64({alphabet: 'base64url', "
                 "omitPadding: true});"
                 "return [ok(Uint8Array.fromBase64(b64), bytes),"
                 "        ok(Uint8Array.fromBase64(url, {alphabet: 'base64url'}), bytes),"
                 "        ok(Uint8Array.fromHex(bytes.toHex()), bytes),"
                 "        b64.length, b64.slice(0, 12), b64.slice(-8), url.length, "
                 "url.slice(-6)].join();"),
            "true,true,true,93336,AAcOFRwjKjE4,BQwTGg==,93334,BQwTGg");
}

TEST(EsBuiltins, BuiltinsSurviveUserChangesToGlobals) {
  // Intrinsics are captured at snapshot time: user code replacing globals and prototype methods
  // must not change what the built-ins do.
  EXPECT_EQ(
      Eval("const saved = {Map, Set, Math, Reflect, String};"
           "const patched = () => { throw new Error('patched'); };"
           "const orig = [Map.prototype.set, Set.prototype.add, Set.prototype.values,"
           "              Array.prototype.push, Array.prototype.sort, Function.prototype.call];"
           "const a = new Set([1]), b = new Set([2]);"
           "let out;"
           "try {"
           "  globalThis.Map = globalThis.Set = globalThis.Math = globalThis.Reflect = "
           "globalThis.String = null;"
           "  saved.Map.prototype.set = saved.Set.prototype.add = saved.Set.prototype.values = "
           "patched;"
           "  Array.prototype.push = Array.prototype.sort = patched;"
           "  out = [[3, 1, 2].toSorted().join(), [1, 2].toSpliced(0, 1, 5).join(),"
           "         saved.Map.groupBy([1, 2], x => x).size, 'a\\uD800'.toWellFormed().length,"
           "         RegExp.escape('a.'), saved.Math.sumPrecise([1, 2]), a.union(b).size,"
           "         a.isSubsetOf(b), [1, 2].values().map(x => x).toArray().length,"
           "         new Uint8Array([1]).toBase64()];"
           "  Function.prototype.call = patched;"
           "  out = out.concat([2, 1].values().filter(x => x).toArray().length, "
           "a.difference(b).size);"
           "} catch (e) { out = ['threw ' + e.stack]; } finally {"
           "  Function.prototype.call = orig[5];"
           "  Object.assign(globalThis, saved);"
           "  [Map.prototype.set, Set.prototype.add, Set.prototype.values,"
           "   Array.prototype.push, Array.prototype.sort] = orig;"
           "}"
           "return out.join(' ');"),
      R"(1,2,3 5,2 2 2 \x61\. 3 2 false 2 AQ== 2 1)");
}

TEST(EsBuiltins, ErrorMessagesRunNoUserCode) {
  // The spec throws without converting the offending value; our messages must not either.
  EXPECT_EQ(
      Eval("let calls = 0;"
           "const evil = {toString() { calls++; return 'x'; }, valueOf() { calls++; return 5; }};"
           "const r = [t(() => Object.groupBy([], evil)), t(() => [1].values().map(evil)),"
           "           t(() => [1].with(evil, 0)), t(() => new DataView(new "
           "ArrayBuffer(1)).getFloat16(evil)),"
           "           t(() => Iterator.prototype.filter.call(1, evil))];"
           "return [r.join(), calls].join(' ');"),
      "TypeError,TypeError,RangeError,RangeError,TypeError 2");
}

TEST(EsBuiltins, NoCoreJsTraces) {
  // core-js keeps its state in a global and replaces Function.prototype.toString; ours do not.
  EXPECT_EQ(Eval("return [Object.getOwnPropertyNames(globalThis).some(n => n.includes('core')),"
                 "        /native "
                 "code/.test(Function.prototype.toString.call(Function.prototype.toString)),"
                 "        /native "
                 "code/.test(Function.prototype.toString.call(Array.prototype.at))].join();"),
            "false,true,true");
}

}  // namespace
}  // namespace edgerun::testing

namespace edgerun::testing {
namespace {

TEST(EsBuiltins, DecodingPastTheArrayBufferBudgetIsARangeError) {
  // The decoded bytes come from the tenant's ArrayBuffer budget, like `new ArrayBuffer(n)`; an
  // invalid input fails before anything is allocated.
  TestWorker w(
      Files{{"index.js",
             "const keep = [];\n"
             "export default { fetch() {\n"
             "  keep.push(new ArrayBuffer(31 * 1024 * 1024));\n"
             "  const out = [];\n"
             "  const s = 'A'.repeat(2 * 1024 * 1024);\n"
             "  try { Uint8Array.fromBase64(s); out.push('ok'); } catch (e) { out.push(e.name); }\n"
             "  try { Uint8Array.fromHex('Z'.repeat(2 * 1024 * 1024)); out.push('ok'); }\n"
             "  catch (e) { out.push(e.name); }\n"
             "  keep.length = 0;\n"
             "  out.push(Uint8Array.fromBase64(s.slice(0, 1024)).length);\n"
             "  return new Response(out.join());\n"
             "} };"}},
      "index.js", isolates::ScriptFormat::kAuto, {},
      isolates::TenantLimits{.heap_limit_mb = 32, .cpu_ms = 1000});
  ASSERT_TRUE(w.started()) << w.start_error();
  EXPECT_EQ(w.Get("/")->body, "RangeError,SyntaxError,768");
}

}  // namespace
}  // namespace edgerun::testing
