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

// The stop words of examples/wasm-cpp/edgerun.json (vars.STOPWORDS): the test's input, kept in
// step with that file by WordFreqLeavesStopWordsOutOfTheRanking.
const std::set<std::string> kStopWords = {"a",  "an",  "and",  "are", "as", "at",  "be",
                                          "by", "for", "from", "in",  "is", "it",  "of",
                                          "on", "or",  "that", "the", "to", "was", "with"};

// UTF-8 -> code points, each with its bytes (the test's inputs are valid UTF-8).
std::vector<std::pair<char32_t, std::string>> CodePoints(std::string_view text) {
  std::vector<std::pair<char32_t, std::string>> out;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = text[i];
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k)
      cp = cp << 6 | (text[i + k] & 0x3F);
    out.emplace_back(cp, std::string(text.substr(i, len)));
    i += len;
  }
  return out;
}

enum class Kind { kWord, kApostrophe, kOther };

// examples/wasm-cpp/README.md: ASCII letters and digits and non-ASCII letters make words;
// Latin-1, General Punctuation and CJK punctuation (and ASCII non-alphanumerics) separate them;
// ' and ’ join two word characters.
Kind KindOf(char32_t cp) {
  if (cp == U'\'' || cp == U'\u2019') return Kind::kApostrophe;
  if (cp < 0x80) return std::isalnum(static_cast<int>(cp)) ? Kind::kWord : Kind::kOther;
  bool punctuation = (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
                     (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F);
  return punctuation ? Kind::kOther : Kind::kWord;
}

// Word frequencies as the worker's JSON: count desc, then word (bytewise) asc.
std::string WordFreqJson(std::string_view text, size_t top) {
  std::map<std::string, uint64_t> counts;
  uint64_t words = 0;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    ++words;
    if (!kStopWords.count(word)) ++counts[word];
    word.clear();
  };
  auto cps = CodePoints(text);
  for (size_t i = 0; i < cps.size(); ++i) {
    Kind kind = KindOf(cps[i].first);
    if (kind == Kind::kWord) {
      std::string bytes = cps[i].second;
      if (cps[i].first < 0x80) bytes[0] = static_cast<char>(std::tolower(bytes[0]));
      word += bytes;
    } else if (kind == Kind::kApostrophe && !word.empty() && i + 1 < cps.size() &&
               KindOf(cps[i + 1].first) == Kind::kWord) {
      word += cps[i].second;
    } else {
      flush();
    }
  }
  flush();
  std::vector<std::pair<std::string, uint64_t>> ranked(counts.begin(), counts.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out = "{\"words\":" + std::to_string(words) +
                    ",\"unique\":" + std::to_string(counts.size()) + ",\"top\":[";
  for (size_t i = 0; i < std::min(top, ranked.size()); ++i) {
    if (i) out += ',';
    out +=
        "{\"word\":\"" + ranked[i].first + "\",\"count\":" + std::to_string(ranked[i].second) + "}";
  }
  return out + "]}";
}

std::string WcJson(std::string_view text) {
  uint64_t lines = std::count(text.begin(), text.end(), '\n');
  uint64_t words = 0;
  bool in_word = false;
  for (unsigned char c : text) {
    bool space = std::isspace(c);
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return "{\"lines\":" + std::to_string(lines) + ",\"words\":" + std::to_string(words) +
         ",\"bytes\":" + std::to_string(text.size()) + "}";
}

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

// The integers of `text` (separated by whitespace or commas) with strtoll.
std::string StatsJson(const std::string& text) {
  long long count = 0, min = 0, max = 0;
  __int128 sum = 0;
  std::string token;
  auto flush = [&] {
    if (token.empty()) return;
    long long n = std::strtoll(token.c_str(), nullptr, 10);
    min = count ? std::min(min, n) : n;
    max = count ? std::max(max, n) : n;
    sum += n;
    ++count;
    token.clear();
  };
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
      flush();
    } else {
      token += c;
    }
  }
  flush();
  std::string sum_text;
  for (__int128 s = sum < 0 ? -sum : sum; sum_text.empty() || s; s /= 10) {
    sum_text.insert(sum_text.begin(), static_cast<char>('0' + static_cast<int>(s % 10)));
  }
  if (sum < 0) sum_text.insert(sum_text.begin(), '-');
  return "{\"count\":" + std::to_string(count) + ",\"sum\":" + sum_text +
         ",\"min\":" + (count ? std::to_string(min) : "null") +
         ",\"max\":" + (count ? std::to_string(max) : "null") + "}";
}

// ---- inputs ----

// Deterministic pseudo-random text of about `bytes` bytes: a skewed choice from a vocabulary with
// mixed case, apostrophes, digits, non-ASCII words, stop words and assorted separators.
std::string MakeText(size_t bytes, uint32_t seed) {
  static const char* kVocabulary[] = {
      "The",  "edge",    "worker", "WASM", "don't", "isn't", "café",  "Café", "naïve",
      "日本", "über",    "of",     "and",  "a",     "to",    "in",    "it’s", "rock'n'roll",
      "x86",  "42",      "C++",    "Rust", "data",  "Data",  "DATA",  "v8",   "isolate",
      "the",  "runtime", "fast",   "slow", "zebra", "apple", "mango", "kiwi", "quartz"};
  static const char* kSeparators[] = {" ",  " ", " ", ", ", ".\n", "\t", " — ", "'",  "!\r\n", " (",
                                      ") ", "«", "»", "…",  "、",  "。", "×",   "\"", ": "};
  constexpr size_t kWords = sizeof kVocabulary / sizeof kVocabulary[0];
  constexpr size_t kSeps = sizeof kSeparators / sizeof kSeparators[0];
  std::string out;
  uint32_t x = seed;
  auto next = [&x] { return x = x * 1664525u + 1013904223u; };
  while (out.size() < bytes) {
    size_t r = next() >> 8;
    // min of two draws: low indexes come up more often, so the ranking has clear leaders.
    size_t i = std::min(r % kWords, (next() >> 8) % kWords);
    out += kVocabulary[i];
    out += kSeparators[(next() >> 8) % kSeps];
  }
  return out;
}

std::string MakeNumbers(size_t count, uint32_t seed) {
  std::string out;
  uint64_t x = seed;
  for (size_t i = 0; i < count; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    long long n = static_cast<long long>(x >> 1) >> (x % 50);  // magnitudes up to 2^63
    if (x & (1ull << 20)) n = -n;
    out += std::to_string(n);
    out += i % 7 == 6 ? "\n" : (i % 3 ? " " : ",");
  }
  return out;
}

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

// One server per example config, shared by that example's tests.
template <const char* kConfig>
class ExampleSuite : public ExampleServer {
 protected:
  static void SetUpTestSuite() { server_ = Start(kConfig).release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->started()) << server_->log(); }
  static std::optional<HttpResult> Post(const std::string& path, std::string_view body) {
    return Fetch(server_->port(), "POST", path, body);
  }
  static inline EdgerunProcess* server_ = nullptr;
};
constexpr char kCppConfig[] = EDGERUN_SOURCE_DIR "/examples/wasm-cpp/edgerun.json";
constexpr char kRustConfig[] = EDGERUN_SOURCE_DIR "/examples/wasm-rust/edgerun.json";
using WasmCppExampleTest = ExampleSuite<kCppConfig>;
using WasmRustExampleTest = ExampleSuite<kRustConfig>;

// ---- C++: word frequencies (JS worker + WASI reactor) ----

TEST_F(WasmCppExampleTest, WordFreqCountsAText) {
  const std::string text =
      "The quick brown fox jumps over the lazy dog. The DOG sleeps; the fox doesn't!\n"
      "Café, café and CAFÉ: über-fast 'quoted' words — x86 x86 rock'n'roll… « Don’t » 日本、日本。";
  auto r = Post("/wasm/cpp/wordfreq?top=5", text);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body << server_->log();
  EXPECT_EQ(r->header("content-type"), "application/json");
  EXPECT_EQ(r->body, WordFreqJson(text, 5));
}

TEST_F(WasmCppExampleTest, WordFreqLeavesStopWordsOutOfTheRanking) {
  // Every configured stop word, twice: counted as words, absent from the ranking.
  std::string text;
  for (const auto& w : kStopWords)
    text += w + " " + w + " ";
  text += "kiwi";
  auto r = Post("/wasm/cpp/wordfreq", text);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body, "{\"words\":" + std::to_string(2 * kStopWords.size() + 1) +
                         ",\"unique\":1,\"top\":[{\"word\":\"kiwi\",\"count\":1}]}");
}

TEST_F(WasmCppExampleTest, WordFreqOfAnEmptyBody) {
  auto r = Post("/wasm/cpp/wordfreq", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body, WordFreqJson("", 10));
  EXPECT_EQ(r->body, R"({"words":0,"unique":0,"top":[]})");
}

TEST_F(WasmCppExampleTest, WordFreqOfALargeBodyOnAReusedInstance) {
  // 4 MiB grows the module's memory well past its initial size; the same isolate (one thread,
  // one connection) then serves a small text from the same instance.
  HttpClient c(server_->port());
  const std::string big = MakeText(4 << 20, 7);
  auto r = c.Request("POST", "/wasm/cpp/wordfreq?top=100", big);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body.substr(0, 200) << server_->log();
  EXPECT_EQ(r->body, WordFreqJson(big, 100));
  const std::string small = MakeText(300, 8);
  auto again = c.Request("POST", "/wasm/cpp/wordfreq?top=3", small);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(again->body, WordFreqJson(small, 3));
}

TEST_F(WasmCppExampleTest, WordFreqRejectsBadRequests) {
  auto not_utf8 = Post("/wasm/cpp/wordfreq", "caf\xe9 au lait");
  ASSERT_TRUE(not_utf8);
  EXPECT_EQ(not_utf8->status, 400);
  EXPECT_EQ(not_utf8->body, R"({"error":"the text is not valid UTF-8"})");

  for (const char* top : {"0", "101", "ten", "-1", "1e2", ""}) {
    auto r = Post(std::string("/wasm/cpp/wordfreq?top=") + top, "some words");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << "top=" << top;
    EXPECT_EQ(r->body, R"({"error":"top must be an integer from 1 to 100"})") << "top=" << top;
  }

  auto get = Fetch(server_->port(), "GET", "/wasm/cpp/wordfreq");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->header("allow"), "POST");
}

// ---- C++: WAGI command ----

TEST_F(WasmCppExampleTest, WagiHelloReadsTheQueryString) {
  auto plain = Fetch(server_->port(), "GET", "/wasm/cpp/cgi");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200) << plain->body << server_->log();
  EXPECT_EQ(plain->header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(plain->body, "Hello, World!");

  auto named = Fetch(server_->port(), "GET", "/wasm/cpp/cgi?lang=en&name=Ada+L%C3%B6vel%61ce");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->status, 200) << named->body;
  EXPECT_EQ(named->body, "Hello, Ada Lövelace!");
}

TEST_F(WasmCppExampleTest, WagiWordCountOfTheBody) {
  const std::string text = "one two  three\nfour\tfive\r\n\nsix";
  auto r = Post("/wasm/cpp/cgi", text);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body << server_->log();
  EXPECT_EQ(r->header("content-type"), "application/json");
  EXPECT_EQ(r->body, WcJson(text));

  auto empty = Post("/wasm/cpp/cgi", "");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_EQ(empty->body, R"({"lines":0,"words":0,"bytes":0})");

  const std::string big = MakeText(3 << 20, 11);
  auto large = Post("/wasm/cpp/cgi", big);
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 200) << large->body.substr(0, 200);
  EXPECT_EQ(large->body, WcJson(big));
}

TEST_F(WasmCppExampleTest, WagiRejectsBadRequests) {
  auto escape = Fetch(server_->port(), "GET", "/wasm/cpp/cgi?name=%zz");
  ASSERT_TRUE(escape);
  EXPECT_EQ(escape->status, 400);
  EXPECT_EQ(escape->body, "the query string has a malformed %-escape\n");

  auto too_long = Fetch(server_->port(), "GET", "/wasm/cpp/cgi?name=" + std::string(101, 'x'));
  ASSERT_TRUE(too_long);
  EXPECT_EQ(too_long->status, 400);
  EXPECT_EQ(too_long->body, "name is longer than 100 bytes\n");

  auto put = Fetch(server_->port(), "PUT", "/wasm/cpp/cgi", "x");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);
  EXPECT_EQ(put->header("allow"), "GET, HEAD, POST");
}

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

// ---- Rust: WAGI command ----

TEST_F(WasmRustExampleTest, WagiStatsOfIntegers) {
  const std::string numbers = "3 -1 4\n1,5, 9\n\n-2 6\t5";
  auto r = Post("/wasm/rust/stats", numbers);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body << server_->log();
  EXPECT_EQ(r->header("content-type"), "application/json");
  EXPECT_EQ(r->body, StatsJson(numbers));

  auto text = Post("/wasm/rust/stats?format=text", "7 8");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, 200);
  EXPECT_EQ(text->header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(text->body, "count 2\nsum 15\nmin 7\nmax 8\n");
}

TEST_F(WasmRustExampleTest, WagiStatsOfEmptyAndLargeBodies) {
  auto empty = Post("/wasm/rust/stats", "");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200) << empty->body;
  EXPECT_EQ(empty->body, R"({"count":0,"sum":0,"min":null,"max":null})");

  // Values up to 2^63: the sum leaves the 64-bit range, which the command must not wrap.
  const std::string numbers = MakeNumbers(200000, 9);
  auto large = Post("/wasm/rust/stats", numbers);
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 200) << large->body << server_->log();
  EXPECT_EQ(large->body, StatsJson(numbers));
}

TEST_F(WasmRustExampleTest, WagiStatsRejectsBadRequests) {
  auto bad = Post("/wasm/rust/stats", "1 2\n3 4x 5");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(bad->body, "line 2: \"4x\" is not a 64-bit integer\n");

  auto overflow = Post("/wasm/rust/stats", "9223372036854775808");
  ASSERT_TRUE(overflow);
  EXPECT_EQ(overflow->status, 400);

  auto format = Post("/wasm/rust/stats?format=xml", "1");
  ASSERT_TRUE(format);
  EXPECT_EQ(format->status, 400);
  EXPECT_EQ(format->body, "format must be json or text, not \"xml\"\n");

  auto del = Fetch(server_->port(), "DELETE", "/wasm/rust/stats");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(del->header("allow"), "GET, HEAD, POST");
}

// ---- the bundled config (scripts/serve) routes to all four, next to the catch-all hello ----

TEST(WasmExamplesBundledConfig, ServesEveryExampleNextToHello) {
  auto server = EdgerunProcess::Start(EDGERUN_SOURCE_DIR "/config/edgerun.json");
  ASSERT_TRUE(server->started()) << server->log();
  const uint16_t port = server->port();
  const std::string text = "Edge, edge and more EDGE; the end.";

  auto wordfreq = Fetch(port, "POST", "/wasm/cpp/wordfreq?top=2", text);
  ASSERT_TRUE(wordfreq);
  EXPECT_EQ(wordfreq->status, 200) << wordfreq->body << server->log();
  EXPECT_EQ(wordfreq->body, WordFreqJson(text, 2));

  auto cgi = Fetch(port, "POST", "/wasm/cpp/cgi", text);
  ASSERT_TRUE(cgi);
  EXPECT_EQ(cgi->status, 200) << cgi->body << server->log();
  EXPECT_EQ(cgi->body, WcJson(text));

  auto checksum = Fetch(port, "POST", "/wasm/rust/checksum", text);
  ASSERT_TRUE(checksum);
  EXPECT_EQ(checksum->status, 200) << checksum->body << server->log();
  EXPECT_EQ(checksum->body, ChecksumJson(text));

  auto stats = Fetch(port, "POST", "/wasm/rust/stats", "10 -20 30");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200) << stats->body << server->log();
  EXPECT_EQ(stats->body, StatsJson("10 -20 30"));

  auto hello = Fetch(port, "GET", "/wasm/other");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->body, "Hello from edgerun!\n");
}

}  // namespace
}  // namespace edgerun::testing
