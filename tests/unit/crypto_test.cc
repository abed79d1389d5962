// WebCrypto as a worker sees it: crypto.getRandomValues / randomUUID, and crypto.subtle on
// OpenSSL (known answers, round trips, tampering, the DOMExceptions the spec names).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

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

// Runs a shell command (the openssl CLI) and returns its stdout.
std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0)
    out.append(buf, n);
  pclose(pipe);
  return out;
}

// The hex of a file's bytes.
std::string FileHex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

// A scratch directory for openssl CLI inputs and outputs.
class CliDir {
 public:
  CliDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("edgerun-crypto-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~CliDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  void Write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name, std::ios::binary) << content;
  }

 private:
  std::filesystem::path path_;
};

// DER ECDSA-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }) -> WebCrypto's raw r|s, each
// left-padded to `size` bytes. Short-form lengths only (enough for P-256).
std::string DerToRawHex(const std::string& der_hex, size_t size) {
  auto byte = [&](size_t i) { return std::stoi(der_hex.substr(2 * i, 2), nullptr, 16); };
  size_t pos = 2;  // after 0x30 and the sequence length
  std::string raw;
  for (int part = 0; part < 2; ++part) {
    size_t len = byte(pos + 1);
    size_t start = pos + 2;
    std::string value = der_hex.substr(2 * start, 2 * len);
    while (value.size() > 2 * size && value.substr(0, 2) == "00")
      value.erase(0, 2);
    raw += std::string(2 * size - value.size(), '0') + value;
    pos = start + len;
  }
  return raw;
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

TEST(Crypto, HmacMatchesTheOpensslCli) {
  CliDir dir;
  dir.Write("msg", "edge workers sign things");
  std::string cli = Shell(
      "openssl dgst -sha384 -mac HMAC -macopt hexkey:000102030405060708090a0b0c0d "
      "-binary " +
      dir / "msg" + " > " + dir / "mac && echo done");
  ASSERT_EQ(cli, "done\n");
  std::string expected = FileHex(dir / "mac");
  ASSERT_EQ(expected.size(), 96u);
  EXPECT_EQ(Eval("const key = await subtle.importKey('raw', unhex('000102030405060708090a0b0c0d'), "
                 "{name: 'HMAC', hash: 'SHA-384'}, false, ['sign', 'verify']);\n"
                 "const sig = await subtle.sign('HMAC', key, enc('edge workers sign things'));\n"
                 "return hex(sig) + ' ' + await subtle.verify('HMAC', key, unhex('" +
                 expected + "'), enc('edge workers sign things'));"),
            expected + " true");
}

TEST(Crypto, EcdsaVerifiesASignatureMadeByTheOpensslCli) {
  CliDir dir;
  dir.Write("msg", "a JWT payload, say");
  std::string cli =
      Shell("openssl ecparam -name prime256v1 -genkey -noout -out " + dir / "key.pem" +
            " && openssl pkey -in " + dir / "key.pem" + " -pubout -outform DER -out " +
            dir / "spki" + " && openssl dgst -sha256 -sign " + dir / "key.pem" + " -out " +
            dir / "sig " + dir / "msg" + " && echo done");
  ASSERT_EQ(cli, "done\n");
  std::string raw = DerToRawHex(FileHex(dir / "sig"), 32);
  ASSERT_EQ(raw.size(), 128u);
  EXPECT_EQ(Eval("const key = await subtle.importKey('spki', unhex('" + FileHex(dir / "spki") +
                 "'), {name: 'ECDSA', namedCurve: 'P-256'}, true, ['verify']);\n"
                 "const alg = {name: 'ECDSA', hash: 'SHA-256'};\n"
                 "const ok = await subtle.verify(alg, key, unhex('" +
                 raw +
                 "'), enc('a JWT payload, say'));\n"
                 "const other = await subtle.verify(alg, key, unhex('" +
                 raw +
                 "'), enc('a JWT payload, sax'));\n"
                 "const der = await subtle.verify(alg, key, unhex('" +
                 FileHex(dir / "sig") +
                 "'), enc('a JWT payload, say'));\n"
                 "return [ok, other, der, key.algorithm.namedCurve].join(' ');"),
            "true false false P-256");
}

TEST(Crypto, Ed25519VerifiesASignatureMadeByTheOpensslCli) {
  CliDir dir;
  dir.Write("msg", "hello from the cli");
  std::string cli =
      Shell("openssl genpkey -algorithm ed25519 -out " + dir / "key.pem" + " && openssl pkey -in " +
            dir / "key.pem" + " -pubout -outform DER -out " + dir / "spki" +
            " && openssl pkeyutl -sign -rawin -inkey " + dir / "key.pem" + " -in " + dir / "msg" +
            " -out " + dir / "sig" + " && echo done");
  ASSERT_EQ(cli, "done\n");
  EXPECT_EQ(
      Eval("const key = await subtle.importKey('spki', unhex('" + FileHex(dir / "spki") +
           "'), 'Ed25519', true, ['verify']);\n"
           "const sig = unhex('" +
           FileHex(dir / "sig") +
           "');\n"
           "const ok = await subtle.verify('Ed25519', key, sig, enc('hello from the cli'));\n"
           "sig[0] ^= 1;\n"
           "const bad = await subtle.verify('Ed25519', key, sig, enc('hello from the cli'));\n"
           "return ok + ' ' + bad + ' ' + (await subtle.exportKey('raw', key)).byteLength;"),
      "true false 32");
}

TEST(Crypto, AesCbcAndCtrDecryptCiphertextsMadeByTheOpensslCli) {
  CliDir dir;
  dir.Write("msg", "forty-two bytes of plaintext for the test!");
  const std::string key = "2b7e151628aed2a6abf7158809cf4f3c2b7e151628aed2a6abf7158809cf4f3c";
  const std::string iv = "000102030405060708090a0b0c0d0e0f";
  std::string cli =
      Shell("openssl enc -aes-256-cbc -K " + key + " -iv " + iv + " -in " + dir / "msg" + " -out " +
            dir / "cbc && openssl enc -aes-256-ctr -K " + key + " -iv " + iv + " -in " +
            dir / "msg" + " -out " + dir / "ctr" + " && echo done");
  ASSERT_EQ(cli, "done\n");
  EXPECT_EQ(
      Eval("const key = await subtle.importKey('raw', unhex('" + key +
           "'), 'AES-CBC', false, ['decrypt']);\n"
           "const ctrKey = await subtle.importKey('raw', unhex('" +
           key +
           "'), 'AES-CTR', false, ['decrypt']);\n"
           "const dec = new TextDecoder();\n"
           "const cbc = await subtle.decrypt({name: 'AES-CBC', iv: unhex('" +
           iv + "')}, key, unhex('" + FileHex(dir / "cbc") +
           "'));\n"
           "const ctr = await subtle.decrypt({name: 'AES-CTR', counter: unhex('" +
           iv + "'), length: 64}, ctrKey, unhex('" + FileHex(dir / "ctr") +
           "'));\n"
           "return dec.decode(cbc) + '|' + dec.decode(ctr);"),
      "forty-two bytes of plaintext for the test!|forty-two bytes of plaintext for the test!");
}

// `openssl enc` can't do GCM; these are the GCM spec's test cases 2 and 3 (McGrew & Viega).
TEST(Crypto, AesGcmKnownAnswersRoundTripAndTampering) {
  EXPECT_EQ(
      Eval("const key = await subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', true, "
           "['encrypt', 'decrypt']);\n"
           "const iv = new Uint8Array(12);\n"
           "const ct = await subtle.encrypt({name: 'AES-GCM', iv}, key, new Uint8Array(16));\n"
           "const pt = await subtle.decrypt({name: 'AES-GCM', iv}, key, ct);\n"
           "const bad = new Uint8Array(ct).slice(); bad[3] ^= 0x80;\n"
           "const err = await subtle.decrypt({name: 'AES-GCM', iv}, key, bad).then(() => "
           "'decrypted', (e) => e.name);\n"
           "const aad = await subtle.encrypt({name: 'AES-GCM', iv, additionalData: enc('hdr'), "
           "tagLength: 96}, key, enc('x'));\n"
           "const wrongAad = await subtle.decrypt({name: 'AES-GCM', iv, additionalData: "
           "enc('hdR'), tagLength: 96}, key, aad).then(() => 'decrypted', (e) => e.name);\n"
           "return [hex(ct), hex(pt), err, aad.byteLength, wrongAad].join(' ');"),
      "0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf "
      "00000000000000000000000000000000 OperationError 13 OperationError");
  EXPECT_EQ(Eval("const key = await subtle.generateKey({name: 'AES-GCM', length: 256}, false, "
                 "['encrypt']);\n"
                 "const out = [];\n"
                 "await subtle.encrypt({name: 'AES-GCM', iv: new Uint8Array(12), tagLength: 100}, "
                 "key, enc('x')).catch((e) => out.push(e.name));\n"
                 "await subtle.decrypt({name: 'AES-GCM', iv: new Uint8Array(12)}, key, "
                 "new Uint8Array(32)).catch((e) => out.push(e.name));\n"
                 "await subtle.encrypt({name: 'AES-GCM'}, key, enc('x')).catch((e) => "
                 "out.push(e.name));\n"
                 "await subtle.generateKey({name: 'AES-GCM', length: 100}, false, ['encrypt'])"
                 ".catch((e) => out.push(e.name));\n"
                 "return out.join(' ');"),
            "OperationError InvalidAccessError TypeError OperationError");
}

TEST(Crypto, EcdsaAndEd25519SignVerifyAndJwkRoundTrips) {
  EXPECT_EQ(Eval("const out = [];\n"
                 "for (const [alg, gen] of [[{name: 'ECDSA', hash: 'SHA-384'}, {name: 'ECDSA', "
                 "namedCurve: 'P-384'}], ['Ed25519', {name: 'Ed25519'}]]) {\n"
                 "  const {publicKey, privateKey} = await subtle.generateKey(gen, true, ['sign', "
                 "'verify']);\n"
                 "  const sig = await subtle.sign(alg, privateKey, enc('m'));\n"
                 "  const jwk = await subtle.exportKey('jwk', privateKey);\n"
                 "  const back = await subtle.importKey('jwk', jwk, gen, false, ['sign']);\n"
                 "  const pubJwk = await subtle.exportKey('jwk', publicKey);\n"
                 "  const pub = await subtle.importKey('jwk', pubJwk, gen, true, ['verify']);\n"
                 "  const sig2 = await subtle.sign(alg, back, enc('m'));\n"
                 "  out.push(sig.byteLength, await subtle.verify(alg, pub, sig, enc('m')), "
                 "await subtle.verify(alg, publicKey, sig2, enc('m')), await subtle.verify(alg, "
                 "pub, sig, enc('n')), jwk.kty, 'd' in pubJwk, publicKey.usages.join(), "
                 "privateKey.usages.join());\n"
                 "  await subtle.sign(alg, publicKey, enc('m')).catch((e) => out.push(e.name));\n"
                 "}\n"
                 "return out.join(' ');"),
            "96 true true false EC false verify sign InvalidAccessError "
            "64 true true false OKP false verify sign InvalidAccessError");
}

TEST(Crypto, EcdhAndHkdfDeriveTheSameKeyOnBothSides) {
  EXPECT_EQ(Eval("const gen = {name: 'ECDH', namedCurve: 'P-256'};\n"
                 "const a = await subtle.generateKey(gen, false, ['deriveBits']);\n"
                 "const b = await subtle.generateKey(gen, false, ['deriveBits']);\n"
                 "const ab = await subtle.deriveBits({name: 'ECDH', public: b.publicKey}, "
                 "a.privateKey, 256);\n"
                 "const ba = await subtle.deriveBits({name: 'ECDH', public: a.publicKey}, "
                 "b.privateKey, 256);\n"
                 "const ikm = await subtle.importKey('raw', ab, 'HKDF', false, ['deriveKey']);\n"
                 "const aes = await subtle.deriveKey({name: 'HKDF', hash: 'SHA-256', salt: "
                 "enc('s'), info: enc('i')}, ikm, {name: 'AES-GCM', length: 128}, true, "
                 "['encrypt']);\n"
                 "return (hex(ab) === hex(ba)) + ' ' + ab.byteLength + ' ' + aes.algorithm.name + "
                 "' ' + (await subtle.exportKey('raw', aes)).byteLength;"),
            "true 32 AES-GCM 16");
}

// RFC 7914 section 11 / the usual PBKDF2-HMAC-SHA256 vector, and a long run checked against the
// openssl CLI (long runs go to the thread pool).
TEST(Crypto, Pbkdf2KnownAnswersAndTheOpensslCli) {
  std::string cli = Shell(
      "openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt pass:password -kdfopt salt:NaCl "
      "-kdfopt iter:50000 PBKDF2 | tr -d ':\n' | tr A-F a-f");
  ASSERT_EQ(cli.size(), 64u) << cli;
  EXPECT_EQ(Eval("const key = await subtle.importKey('raw', enc('password'), 'PBKDF2', false, "
                 "['deriveBits']);\n"
                 "const fast = await subtle.deriveBits({name: 'PBKDF2', hash: 'SHA-256', salt: "
                 "enc('salt'), iterations: 4096}, key, 256);\n"
                 "const slow = await subtle.deriveBits({name: 'PBKDF2', hash: 'SHA-256', salt: "
                 "enc('NaCl'), iterations: 50000}, key, 256);\n"
                 "return hex(fast) + ' ' + hex(slow);"),
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a " + cli);
}

// RSA key generation runs on the thread pool: a timer due meanwhile fires before it resolves.
TEST(Crypto, RsaKeyGenerationDoesNotBlockTheEventLoop) {
  EXPECT_EQ(Eval("let fired = false;\n"
                 "setTimeout(() => { fired = true; }, 0);\n"
                 "const {publicKey, privateKey} = await subtle.generateKey({name: "
                 "'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, "
                 "1]), hash: 'SHA-256'}, true, ['sign', 'verify']);\n"
                 "const firedFirst = fired;\n"
                 "const sig = await subtle.sign('RSASSA-PKCS1-v1_5', privateKey, enc('m'));\n"
                 "const ok = await subtle.verify('RSASSA-PKCS1-v1_5', publicKey, sig, enc('m'));\n"
                 "const spki = await subtle.exportKey('spki', publicKey);\n"
                 "return [firedFirst, sig.byteLength, ok, publicKey.algorithm.modulusLength, "
                 "hex(publicKey.algorithm.publicExponent), spki.byteLength].join(' ');"),
            "true 256 true 2048 010001 294");
}

TEST(Crypto, WrapAndUnwrapWithAesKwAndRsaOaep) {
  EXPECT_EQ(Eval("const kek = await subtle.generateKey({name: 'AES-KW', length: 256}, false, "
                 "['wrapKey', 'unwrapKey']);\n"
                 "const key = await subtle.generateKey({name: 'HMAC', hash: 'SHA-256', length: "
                 "256}, true, ['sign']);\n"
                 "const wrapped = await subtle.wrapKey('raw', key, kek, 'AES-KW');\n"
                 "const back = await subtle.unwrapKey('raw', wrapped, kek, 'AES-KW', {name: "
                 "'HMAC', hash: 'SHA-256'}, true, ['sign']);\n"
                 "const same = hex(await subtle.exportKey('raw', back)) === hex(await "
                 "subtle.exportKey('raw', key));\n"
                 "const rsa = await subtle.generateKey({name: 'RSA-OAEP', modulusLength: 2048, "
                 "publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256'}, false, ['wrapKey', "
                 "'unwrapKey']);\n"
                 "const viaJwk = await subtle.wrapKey('jwk', key, rsa.publicKey, {name: "
                 "'RSA-OAEP'});\n"
                 "const back2 = await subtle.unwrapKey('jwk', viaJwk, rsa.privateKey, {name: "
                 "'RSA-OAEP'}, {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);\n"
                 "const secret = await subtle.generateKey({name: 'AES-CBC', length: 128}, false, "
                 "['encrypt']);\n"
                 "const err = await subtle.wrapKey('raw', secret, kek, 'AES-KW').catch((e) => "
                 "e.name);\n"
                 "return [wrapped.byteLength, same, back2.algorithm.hash.name, back2.extractable, "
                 "err].join(' ');"),
            "40 true SHA-256 false InvalidAccessError");
}

}  // namespace
}  // namespace edgerun::testing
