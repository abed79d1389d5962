// WebCrypto as a worker sees it: crypto.getRandomValues / randomUUID, and crypto.subtle on
// OpenSSL (known answers, round trips, tampering, the DOMExceptions the spec names).
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

// Helpers available to every snippet.
const char kPrelude[] =
    "const enc = (s) => new TextEncoder().encode(s);\n"
    "const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0'))"
    ".join('');\n"
    "const unhex = (s) => new Uint8Array(s.match(/../g).map((h) => parseInt(h, 16)));\n"
    "const subtle = crypto.subtle;\n";

std::string Eval(const std::string& body) {
  return EvalJs(kPrelude + body);
}

TEST(Crypto, GetRandomValuesFillsIntegerArraysAndReturnsThem) {
  EXPECT_EQ(Eval("const a = new Uint32Array(64);\n"
                 "const r = crypto.getRandomValues(a);\n"
                 "return (r === a) + ' ' + a.some((x) => x !== 0);"),
            "true true");
}

TEST(Crypto, GetRandomValuesRejectsFloatArraysAndOversizedArrays) {
  EXPECT_EQ(
      Eval("try { crypto.getRandomValues(new Float32Array(4)); } catch (e) { return e.name; }"),
      "TypeMismatchError");
  EXPECT_EQ(Eval("try { crypto.getRandomValues(new Uint8Array(65537)); } catch (e) { return "
                 "e.name; }"),
            "QuotaExceededError");
  EXPECT_EQ(Eval("return crypto.getRandomValues(new Uint8Array(65536)).length;"), "65536");
}

TEST(Crypto, RandomUuidIsVersion4) {
  std::string out = Eval(
      "const ids = new Set(); for (let i = 0; i < 100; i++) ids.add(crypto.randomUUID());\n"
      "const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;\n"
      "return ids.size + ' ' + [...ids].every((id) => re.test(id));");
  EXPECT_EQ(out, "100 true");
}

TEST(Crypto, ObjectsAreNotConstructibleByUsers) {
  EXPECT_EQ(Eval("const out = [];\n"
                 "for (const C of [Crypto, CryptoKey, SubtleCrypto]) {\n"
                 "  try { new C(); out.push('made'); } catch (e) { out.push(e.name); } }\n"
                 "return out.join(',') + ' ' + (crypto instanceof Crypto) + ' ' + "
                 "(crypto.subtle instanceof SubtleCrypto) + ' ' + Object.prototype.toString.call("
                 "crypto.subtle);"),
            "TypeError,TypeError,TypeError true true [object SubtleCrypto]");
}

TEST(Crypto, DigestKnownAnswers) {
  EXPECT_EQ(Eval("return hex(await subtle.digest('SHA-256', enc('abc')));"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Eval("return hex(await subtle.digest({name: 'sha-1'}, enc('abc')));"),
            "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Eval("return hex(await subtle.digest('SHA-384', enc('abc')));"),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358bae"
            "ca134c825a7");
  EXPECT_EQ(Eval("return hex(await subtle.digest('SHA-512', enc('abc').buffer));"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3"
            "c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(Crypto, DigestErrorsRejectTheirPromise) {
  EXPECT_EQ(Eval("try { await subtle.digest('MD5', enc('abc')); } catch (e) { return e.name; }"),
            "NotSupportedError");
  EXPECT_EQ(Eval("try { await subtle.digest('SHA-256', 'abc'); } catch (e) { return e.name; }"),
            "TypeError");
  EXPECT_EQ(Eval("const p = subtle.digest({}, enc('x')); return (p instanceof Promise) + ' ' + "
                 "await p.then(() => 'ok', (e) => e.name);"),
            "true TypeError");
}

// RFC 4231 test case 2.
TEST(Crypto, HmacRfc4231Vectors) {
  EXPECT_EQ(
      Eval(
          "const key = await subtle.importKey('raw', enc('Jefe'), {name: 'HMAC', hash: "
          "'SHA-256'}, false, ['sign', 'verify']);\n"
          "const sig = await subtle.sign('HMAC', key, enc('what do ya want for nothing?'));\n"
          "const ok = await subtle.verify('HMAC', key, sig, enc('what do ya want for nothing?'));\n"
          "const bad = await subtle.verify('HMAC', key, sig, enc('what do ya want for "
          "nothing!'));\n"
          "return hex(sig) + ' ' + ok + ' ' + bad;"),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 true false");
  EXPECT_EQ(
      Eval("const key = await subtle.importKey('raw', enc('Jefe'), {name: 'hmac', hash: {name: "
           "'SHA-512'}}, true, ['sign']);\n"
           "return hex(await subtle.sign('HMAC', key, enc('what do ya want for nothing?')));"),
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8"
      "f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

TEST(Crypto, HmacKeyShapeAndJwkRoundTrip) {
  EXPECT_EQ(Eval("const key = await subtle.generateKey({name: 'HMAC', hash: 'SHA-256'}, true, "
                 "['sign', 'verify', 'sign']);\n"
                 "const jwk = await subtle.exportKey('jwk', key);\n"
                 "const back = await subtle.importKey('jwk', jwk, {name: 'HMAC', hash: 'SHA-256'}, "
                 "true, ['sign']);\n"
                 "const same = hex(await subtle.exportKey('raw', back)) === hex(await "
                 "subtle.exportKey('raw', key));\n"
                 "return [key.type, key.extractable, key.algorithm.name, key.algorithm.hash.name, "
                 "key.algorithm.length, key.usages.join('+'), jwk.kty, jwk.alg, jwk.k.length, "
                 "same].join(' ');"),
            "secret true HMAC SHA-256 512 sign+verify oct HS256 86 true");
}

TEST(Crypto, UsageAndExtractabilityChecks) {
  EXPECT_EQ(Eval("const key = await subtle.importKey('raw', enc('k'), {name: 'HMAC', hash: "
                 "'SHA-256'}, false, ['verify']);\n"
                 "const out = [];\n"
                 "await subtle.sign('HMAC', key, enc('x')).catch((e) => out.push(e.name));\n"
                 "await subtle.exportKey('raw', key).catch((e) => out.push(e.name));\n"
                 "await subtle.importKey('raw', enc('k'), {name: 'HMAC', hash: 'SHA-256'}, false, "
                 "['encrypt']).catch((e) => out.push(e.name));\n"
                 "await subtle.importKey('raw', enc('k'), {name: 'HMAC', hash: 'SHA-256'}, false, "
                 "[]).catch((e) => out.push(e.name));\n"
                 "await subtle.importKey('raw', enc('k'), {name: 'HMAC'}, false, ['sign'])"
                 ".catch((e) => out.push(e.name));\n"
                 "await subtle.importKey('raw', enc('k'), {name: 'HMAC', hash: 'SHA-256'}, false, "
                 "['bogus']).catch((e) => out.push(e.name));\n"
                 "return out.join(' ');"),
            "InvalidAccessError InvalidAccessError SyntaxError SyntaxError TypeError TypeError");
}

}  // namespace
}  // namespace edgerun::testing
