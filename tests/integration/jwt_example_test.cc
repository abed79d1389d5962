// examples/jwt: tokens made by the openssl CLI (HS256 with a shared secret, ES256 with a fresh
// P-256 key) verified by the worker with Web Crypto; tampered, expired and unsigned ones refused.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0)
    out.append(buf, n);
  pclose(pipe);
  return out;
}

std::string Base64Url(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (uint8_t)bytes[i] << 16 | (uint8_t)bytes[i + 1] << 8 | (uint8_t)bytes[i + 2];
    for (int k = 18; k >= 0; k -= 6)
      out += kAlphabet[(v >> k) & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t v = (uint8_t)bytes[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == bytes.size()) {
    uint32_t v = (uint8_t)bytes[i] << 16 | (uint8_t)bytes[i + 1] << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

// openssl's ECDSA signature is DER (SEQUENCE { INTEGER r, INTEGER s }); JWS wants r || s.
std::string DerToRaw(const std::string& der) {
  size_t p = 2;  // SEQUENCE tag + short length (a P-256 signature is < 128 bytes)
  std::string raw;
  for (int i = 0; i < 2; ++i) {
    size_t len = static_cast<uint8_t>(der[p + 1]);
    std::string n = der.substr(p + 2, len);
    while (n.size() > 32 && n[0] == '\0')
      n.erase(0, 1);
    raw += std::string(32 - n.size(), '\0') + n;
    p += 2 + len;
  }
  return raw;
}

class JwtExampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Shell("command -v openssl").empty()) GTEST_SKIP() << "no openssl CLI";
    const std::string d = dir_.path().string();
    Shell("openssl ecparam -genkey -name prime256v1 -noout -out " + d + "/ec.key 2>/dev/null");
    Shell("openssl ec -in " + d + "/ec.key -pubout -out " + d + "/ec.pub 2>/dev/null");
    std::ifstream pub(d + "/ec.pub");
    std::stringstream pem;
    pem << pub.rdbuf();
    std::string escaped;
    for (char c : pem.str())
      escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
    const std::string config = R"({"threads": 1, "workers": [{"name": "jwt", "main": ")" +
                               std::string(EDGERUN_SOURCE_DIR) +
                               R"(/examples/jwt/index.js", "routes": ["*/*"],
        "vars": {"JWT_PUBLIC_KEY": ")" +
                               escaped + R"("},
        "secrets": {"JWT_SECRET": {"env": "TEST_JWT_SECRET"}}}]})";
    server_ = EdgerunProcess::Start(dir_.Write("edgerun.json", config), {"--listen", "127.0.0.1:0"},
                                    {{"TEST_JWT_SECRET", "s3cret-for-tests"}});
    ASSERT_TRUE(server_->started()) << server_->log();
  }

  std::string Sign(const std::string& alg, const std::string& payload) {
    const std::string d = dir_.path().string();
    const std::string input =
        Base64Url(R"({"alg":")" + alg + R"(","typ":"JWT"})") + "." + Base64Url(payload);
    std::ofstream(d + "/input", std::ios::binary) << input;
    std::string sig =
        alg == "HS256"
            ? Shell("openssl dgst -sha256 -hmac s3cret-for-tests -binary " + d + "/input")
            : DerToRaw(Shell("openssl dgst -sha256 -sign " + d + "/ec.key " + d + "/input"));
    return input + "." + Base64Url(sig);
  }

  std::optional<HttpResult> Whoami(const std::string& token) {
    return Fetch(server_->port(), "GET", "/jwt/whoami", "", {{"authorization", "Bearer " + token}});
  }

  TempDir dir_;
  std::unique_ptr<EdgerunProcess> server_;
};

TEST_F(JwtExampleTest, AcceptsOpensslMadeTokens) {
  auto hs = Whoami(Sign("HS256", R"({"sub":"ada","exp":4102444800})"));
  ASSERT_TRUE(hs);
  EXPECT_EQ(hs->status, 200) << hs->body;
  EXPECT_EQ(hs->body, R"({"ok":true,"alg":"HS256","claims":{"sub":"ada","exp":4102444800}})");
  auto es = Whoami(Sign("ES256", R"({"sub":"grace"})"));
  ASSERT_TRUE(es);
  EXPECT_EQ(es->status, 200) << es->body;
  EXPECT_EQ(es->body, R"({"ok":true,"alg":"ES256","claims":{"sub":"grace"}})");
}

TEST_F(JwtExampleTest, RefusesBadTokens) {
  std::string token = Sign("HS256", R"({"sub":"ada"})");
  std::string tampered = token;
  tampered[tampered.find('.') + 2] ^= 1;
  auto bad = Whoami(tampered);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);
  auto expired = Whoami(Sign("ES256", R"({"sub":"ada","exp":1000})"));
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->body, R"({"error":"token expired"})");
  auto none = Whoami(Base64Url(R"({"alg":"none"})") + "." + Base64Url("{}") + ".");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->body, R"({"error":"unsupported alg none"})");
  auto missing = Fetch(server_->port(), "GET", "/jwt/whoami");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(missing->header("www-authenticate"), "Bearer");
}

}  // namespace
}  // namespace edgerun::testing
