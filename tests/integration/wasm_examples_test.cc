// examples/wasm-cpp and examples/wasm-rust served by the real binary over real HTTP: each
// endpoint with a normal, an empty, a large and a bad request. Every computed answer is checked
// against the same computation done here, natively, by code written for the test (not against
// outputs copied from a run).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

// ---- native reference computations ----

// Bit by bit (no table), reflected polynomial 0xEDB88320.
uint32_t Crc32(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k)
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

uint32_t Adler32(std::string_view data) {
  uint64_t a = 1, b = 0;
  for (unsigned char byte : data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return static_cast<uint32_t>(b << 16 | a);
}

std::string Hex32(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

std::string Gray(std::string_view rgba) {
  std::string out;
  for (size_t i = 0; i + 3 < rgba.size(); i += 4) {
    double luma = 0.299 * static_cast<unsigned char>(rgba[i]) +
                  0.587 * static_cast<unsigned char>(rgba[i + 1]) +
                  0.114 * static_cast<unsigned char>(rgba[i + 2]);
    out += static_cast<char>(std::lround(luma));
  }
  return out;
}

// ---- inputs ----

std::string MakeBytes(size_t n, uint32_t seed) {
  std::string out(n, '\0');
  uint32_t x = seed;
  for (auto& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 23);
  }
  return out;
}

// ---- servers ----

class ExampleServer : public ::testing::Test {
 protected:
  static std::unique_ptr<EdgerunProcess> Start(const char* config) {
    return EdgerunProcess::Start(config, {"--listen", "127.0.0.1:0", "--threads", "1"});
  }
};

class WasmRustExampleTest : public ExampleServer {
 protected:
  static void SetUpTestSuite() {
    server_ = Start(EDGERUN_SOURCE_DIR "/examples/wasm-rust/edgerun.json").release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->started()) << server_->log(); }
  static std::optional<HttpResult> Post(const std::string& path, std::string_view body) {
    return Fetch(server_->port(), "POST", path, body);
  }
  static EdgerunProcess* server_;
};
EdgerunProcess* WasmRustExampleTest::server_ = nullptr;

// ---- Rust: checksums and grayscale (JS worker + wasm32-unknown-unknown) ----

std::string ChecksumJson(std::string_view data) {
  return "{\"bytes\":" + std::to_string(data.size()) + ",\"crc32\":\"" + Hex32(Crc32(data)) +
         "\",\"adler32\":\"" + Hex32(Adler32(data)) + "\"}";
}

TEST_F(WasmRustExampleTest, ChecksumOfABody) {
  const std::string data = "The quick brown fox jumps over the lazy dog";
  auto r = Post("/wasm/rust/checksum", data);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body << server_->log();
  EXPECT_EQ(r->header("content-type"), "application/json");
  EXPECT_EQ(r->body, ChecksumJson(data));
  // The published check value of CRC-32/ISO-HDLC.
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
}

TEST_F(WasmRustExampleTest, ChecksumOfEmptyAndLargeBodies) {
  auto empty = Post("/wasm/rust/checksum", "");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200) << empty->body;
  EXPECT_EQ(empty->body, R"({"bytes":0,"crc32":"00000000","adler32":"00000001"})");

  // Past Adler-32's 5552-byte reduction interval many times over, and past the initial memory.
  const std::string big = MakeBytes(6 << 20, 3);
  auto large = Post("/wasm/rust/checksum", big);
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 200) << large->body << server_->log();
  EXPECT_EQ(large->body, ChecksumJson(big));
}

TEST_F(WasmRustExampleTest, GrayscaleOfRgbaPixels) {
  const std::string px(
      "\xff\x00\x00\xff"
      "\x00\xff\x00\xff"
      "\x00\x00\xff\x00"
      "\xff\xff\xff\xff"
      "\x0a\x14\x1e\x28",
      20);
  auto r = Post("/wasm/rust/grayscale", px);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body << server_->log();
  EXPECT_EQ(r->header("content-type"), "application/octet-stream");
  ASSERT_EQ(r->body.size(), 5u);
  // The worker uses 8-bit fixed-point BT.601 weights: within 1 of the exact luma.
  const std::string want = Gray(px);
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(static_cast<unsigned char>(r->body[i]), static_cast<unsigned char>(want[i]), 1)
        << "pixel " << i;
  }
  EXPECT_EQ(static_cast<unsigned char>(r->body[3]), 255);  // white stays white
}

TEST_F(WasmRustExampleTest, GrayscaleOfEmptyAndLargeImages) {
  auto empty = Post("/wasm/rust/grayscale", "");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_EQ(empty->body, "");

  const std::string image = MakeBytes(1024 * 1024 * 4, 5);  // a 1024 x 1024 RGBA image
  auto r = Post("/wasm/rust/grayscale", image);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << server_->log();
  ASSERT_EQ(r->body.size(), image.size() / 4);
  const std::string want = Gray(image);
  size_t off_by_more = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    int d = static_cast<unsigned char>(r->body[i]) - static_cast<unsigned char>(want[i]);
    if (d < -1 || d > 1) ++off_by_more;
  }
  EXPECT_EQ(off_by_more, 0u);
}

TEST_F(WasmRustExampleTest, BadRequests) {
  auto odd = Post("/wasm/rust/grayscale", "12345");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->status, 400);
  EXPECT_EQ(
      odd->body,
      R"({"error":"the body must be RGBA pixels (4 bytes each); 5 bytes is not a multiple of 4"})");

  auto get = Fetch(server_->port(), "GET", "/wasm/rust/checksum");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->header("allow"), "POST");
}

// ---- the bundled config (scripts/serve) routes to all four, next to the catch-all hello ----

TEST(WasmExamplesBundledConfig, ServesTheExamplesNextToHello) {
  auto server = EdgerunProcess::Start(EDGERUN_SOURCE_DIR "/config/edgerun.json");
  ASSERT_TRUE(server->started()) << server->log();
  const uint16_t port = server->port();
  const std::string text = "Edge, edge and more EDGE; the end.";

  auto checksum = Fetch(port, "POST", "/wasm/rust/checksum", text);
  ASSERT_TRUE(checksum);
  EXPECT_EQ(checksum->status, 200) << checksum->body << server->log();
  EXPECT_EQ(checksum->body, ChecksumJson(text));

  auto hello = Fetch(port, "GET", "/wasm/other");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->body, "Hello from edgerun!\n");
}

}  // namespace
}  // namespace edgerun::testing
