// fortran-demo served by the real binary: the Fortran kernels compiled to WebAssembly (flang-16)
// must give, over HTTP, exactly what the same Fortran compiled natively with gfortran -O2 gives.
// The native outputs are written at build time (fortran-demo/dist/reference, by
// fortran-demo/native/driver.c); every kernel uses only + - * / and sqrt (IEEE 754 correctly
// rounded), so the numbers must match bit for bit and the image pixel for pixel.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

const std::filesystem::path kDemo = EDGERUN_SOURCE_DIR "/fortran-demo";
const std::filesystem::path kReference = kDemo / "dist/reference";

// One line of reference.txt: "<kernel> key=value key=value ...".
struct Case {
  std::string kernel;
  std::map<std::string, std::string> values;
};

std::vector<Case> ReadReference() {
  std::vector<Case> cases;
  std::ifstream in(kReference / "reference.txt");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    Case c;
    words >> c.kernel;
    std::string pair;
    while (words >> pair) {
      auto eq = pair.find('=');
      if (eq != std::string::npos) c.values[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The number after "key": in a flat JSON object (the demo's responses), or NaN if absent.
double JsonNumber(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return std::nan("");
  return std::strtod(json.c_str() + at + key.size() + 3, nullptr);
}

// Distance in units in the last place between two finite doubles of the same sign.
int64_t UlpDistance(double a, double b) {
  return std::llabs(std::bit_cast<int64_t>(a) - std::bit_cast<int64_t>(b));
}

class FortranDemoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kReference / "reference.txt")) return;
    server_ = EdgerunProcess::Start(kDemo / "edgerun.json").release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr) {
      GTEST_SKIP() << "fortran-demo/dist/reference was not built: the build found no "
                      "flang-new-16 or gfortran (scripts/bootstrap installs both)";
    }
    ASSERT_TRUE(server_->started()) << server_->log();
  }
  static EdgerunProcess* server_;
};
EdgerunProcess* FortranDemoTest::server_ = nullptr;

// The query each reference case was computed for, and the response keys to compare.
struct Request {
  std::string path;
  std::vector<std::string> keys;
};

Request RequestFor(const Case& c) {
  const auto& v = c.values;
  if (c.kernel == "heat") {
    return {"/heat?n=" + v.at("n") + "&steps=" + v.at("steps"), {"total", "center", "quarter"}};
  }
  if (c.kernel == "matmul") {
    return {"/matmul?n=" + v.at("n"), {"checksum", "c11", "cnn", "c1n", "cn1"}};
  }
  return {"/dot?n=" + v.at("n"), {"dot"}};
}

TEST_F(FortranDemoTest, ArithmeticKernelsMatchNativeGfortranBitForBit) {
  int compared = 0;
  for (const Case& c : ReadReference()) {
    if (c.kernel == "mandelbrot") continue;
    Request req = RequestFor(c);
    auto r = Fetch(server_->port(), "GET", req.path);
    ASSERT_TRUE(r) << req.path;
    ASSERT_EQ(r->status, 200) << req.path << ": " << r->body << server_->log();
    EXPECT_EQ(r->header("content-type"), "application/json");
    EXPECT_EQ(r->header("server-timing").rfind("kernel;dur=", 0), 0u) << req.path;
    for (const std::string& key : req.keys) {
      double native = std::strtod(c.values.at(key).c_str(), nullptr);
      double wasm = JsonNumber(r->body, key);
      EXPECT_EQ(std::bit_cast<uint64_t>(wasm), std::bit_cast<uint64_t>(native))
          << req.path << " " << key << ": wasm " << wasm << " vs native " << c.values.at(key)
          << " (" << UlpDistance(wasm, native) << " ulp apart)\n"
          << r->body;
      ++compared;
    }
  }
  EXPECT_GE(compared, 10) << "reference.txt has too few cases";
}

// Decodes a PNG with a real decoder (PyPNG, Debian's python3-png) into raw RGB bytes, or returns
// "" and sets *skip when the decoder is not installed.
std::string DecodePng(const std::string& png, std::string* error, bool* skip) {
  if (std::system("/usr/bin/python3 -c 'import png' >/dev/null 2>&1") != 0) {
    *skip = true;
    return "";
  }
  TempDir dir;
  auto in = dir.Write("image.png", png);
  auto out = dir.path() / "image.rgb";
  auto err = dir.path() / "stderr";
  std::string command =
      "/usr/bin/python3 -c 'import png, sys\n"
      "w, h, rows, info = png.Reader(filename=sys.argv[1]).read()\n"
      "assert info[\"planes\"] == 3 and info[\"bitdepth\"] == 8 and not info[\"alpha\"], info\n"
      "open(sys.argv[2], \"wb\").write(b\"\".join(bytes(r) for r in rows))\n"
      "print(w, h)' " +
      in.string() + " " + out.string() + " >" + (dir.path() / "stdout").string() + " 2>" +
      err.string();
  if (std::system(command.c_str()) != 0) {
    *error = "python3 png could not decode it: " + ReadFile(err);
    return "";
  }
  return ReadFile(out);
}

TEST_F(FortranDemoTest, MandelbrotPngDecodesToTheNativeRendering) {
  int compared = 0;
  for (const Case& c : ReadReference()) {
    if (c.kernel != "mandelbrot") continue;
    const auto& v = c.values;
    std::string expected = ReadFile(kReference / v.at("rgb"));
    int w = std::stoi(v.at("w"));
    ASSERT_EQ(expected.size(), size_t(w) * std::stoi(v.at("h")) * 3);
    // One image in a single kernel call, the same in bands of rows: the same pixels.
    for (std::string bands : {"1", "7"}) {
      std::string path = "/mandelbrot.png?w=" + v.at("w") + "&h=" + v.at("h") +
                         "&iter=" + v.at("iter") + "&bands=" + bands;
      auto r = Fetch(server_->port(), "GET", path);
      ASSERT_TRUE(r) << path;
      ASSERT_EQ(r->status, 200) << path << ": " << r->body << server_->log();
      EXPECT_EQ(r->header("content-type"), "image/png");
      EXPECT_EQ(r->header("x-mandelbrot-iterations"), v.at("iterations")) << path;
      std::string error;
      bool skip = false;
      std::string pixels = DecodePng(r->body, &error, &skip);
      if (skip) GTEST_SKIP() << "/usr/bin/python3 with python3-png (PyPNG) is not installed";
      ASSERT_TRUE(error.empty()) << path << ": " << error;
      ASSERT_EQ(pixels.size(), expected.size()) << path;
      size_t first = 0;
      while (first < pixels.size() && pixels[first] == expected[first])
        ++first;
      EXPECT_EQ(first, pixels.size())
          << path << ": first different pixel at x=" << (first / 3) % w << " y=" << first / 3 / w;
      ++compared;
    }
  }
  EXPECT_GE(compared, 2) << "reference.txt has no mandelbrot cases";
}

TEST_F(FortranDemoTest, ParametersOutOfRangeAre400) {
  HttpClient c(server_->port());
  const char* bad[][2] = {
      {"/mandelbrot.png?w=0", "w"},
      {"/mandelbrot.png?w=4096", "w"},
      {"/mandelbrot.png?h=-1", "h"},
      {"/mandelbrot.png?iter=1e3", "iter"},
      {"/mandelbrot.png?iter=100000", "iter"},
      {"/mandelbrot.png?w=2048&h=2048&iter=10000", "w * h * iter"},
      {"/mandelbrot.png?h=10&bands=11", "bands"},
      {"/heat?n=2", "n"},
      {"/heat?steps=0", "steps"},
      {"/heat?n=1024&steps=10000", "n * n * steps"},
      {"/matmul?n=100000", "n"},
      {"/matmul?n=", "n"},
      {"/dot?n=abc", "n"},
      {"/dot?n=99999999999", "n"},
  };
  for (const auto& [path, name] : bad) {
    auto r = c.Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 400) << path << ": " << r->body;
    EXPECT_NE(r->body.find(std::string("\"error\":\"") + name + " must be"), std::string::npos)
        << path << ": " << r->body;
  }
  auto post = c.Request("POST", "/matmul?n=4", "x");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  auto missing = c.Get("/fft");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

// hello_wagi.wasm served as a pure-WASM worker: its `print` output becomes the HTTP response.
TEST_F(FortranDemoTest, FortranWagiWorkerAnswers) {
  auto r = Fetch(server_->port(), "GET", "/wagi/hello");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body << server_->log();
  EXPECT_EQ(r->header("content-type"), "text/plain");
  EXPECT_EQ(r->body,
            " Hello from Fortran!\n"
            " H(10) = 2.9289682539682538 n = 10 ok = T\n");
}

TEST_F(FortranDemoTest, IndexPageShowsTheImageAndLinksTheEndpoints) {
  auto r = Fetch(server_->port(), "GET", "/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-type"), "text/html;charset=utf-8");
  EXPECT_NE(r->body.find("<img src=\"/mandelbrot.png?"), std::string::npos) << r->body;
  for (const char* link :
       {"href=\"/heat?", "href=\"/matmul?", "href=\"/dot?", "href=\"/wagi/hello\""}) {
    EXPECT_NE(r->body.find(link), std::string::npos) << link;
  }
  // The image the page shows is served.
  auto image = Fetch(server_->port(), "GET", "/mandelbrot.png?w=600&h=400&iter=500");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->status, 200);
  EXPECT_EQ(image->body.substr(0, 8), "\x89PNG\r\n\x1a\n");
}

// The kernels' arrays live in WASM memory, which limits.memory_mb caps: a request that does not
// fit is refused with a message, and the worker goes on serving smaller ones.
TEST(FortranDemoMemory, ARequestPastTheWasmMemoryCapIs503AndTheWorkerStaysUp) {
  if (!std::filesystem::exists(kDemo / "dist/kernels.wasm")) {
    GTEST_SKIP() << "fortran-demo/dist/kernels.wasm was not built (no flang-new-16)";
  }
  TempDir dir;
  auto config = dir.Write("edgerun.json", R"({"limits": {"memory_mb": 16}, "workers": [{
      "name": "fortran-demo", "main": ")" + (kDemo / "worker.js").string() +
                                              R"(",
      "routes": ["*/*"], "wasm_modules": {"KERNELS": ")" +
                                              (kDemo / "dist/kernels.wasm").string() + R"("}}]})");
  auto server = EdgerunProcess::Start(config);
  ASSERT_TRUE(server->started()) << server->log();
  HttpClient c(server->port());
  auto big = c.Get("/dot?n=4000000");  // 2 x 32 MB
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 503);
  EXPECT_NE(big->body.find("cannot hold 32000000 more bytes (limits.memory_mb)"), std::string::npos)
      << big->body;
  auto small = c.Get("/dot?n=1");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);
  EXPECT_EQ(JsonNumber(small->body, "dot"), 1.0) << small->body;
}

// The Fortran WAGI command (hello_wagi.f90 + the shim) run by edgerun's WASI host from a JS
// worker: its standard output is the CGI response, headers without list-directed output's
// leading blank, then the body printed by `print *`.
TEST(FortranDemoWagiCommand, PrintsACgiResponseUnderEdgerunsWasi) {
  if (!std::filesystem::exists(kDemo / "dist/hello_wagi.wasm")) {
    GTEST_SKIP() << "fortran-demo/dist/hello_wagi.wasm was not built (no flang-new-16)";
  }
  TempDir dir;
  dir.Write("run.js", R"(export default {
    fetch(request, env) {
      const wasi = new WASI({args: ['hello_wagi'], env: {}});
      const code = wasi.start(new WebAssembly.Instance(env.HELLO, wasi.getImportObject()));
      return new Response(wasi.stdout, {headers: {'x-exit-code': String(code)}});
    },
  };)");
  auto config =
      dir.Write("edgerun.json", R"({"workers": [{"name": "run", "main": "run.js",
      "routes": ["*/*"], "wasm_modules": {"HELLO": ")" +
                                    (kDemo / "dist/hello_wagi.wasm").string() + R"("}}]})");
  auto server = EdgerunProcess::Start(config);
  ASSERT_TRUE(server->started()) << server->log();
  auto r = Fetch(server->port(), "GET", "/");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body << server->log();
  EXPECT_EQ(r->header("x-exit-code"), "0");
  EXPECT_EQ(r->body,
            "Content-Type: text/plain\n"
            "\n"
            " Hello from Fortran!\n"
            " H(10) = 2.9289682539682538 n = 10 ok = T\n");
}

TEST(FortranDemoConfig, PassesCheck) {
  if (!std::filesystem::exists(kDemo / "dist/kernels.wasm")) {
    GTEST_SKIP() << "fortran-demo/dist/kernels.wasm was not built (no flang-new-16)";
  }
  CommandResult r = RunEdgerun({"check", "--config", (kDemo / "edgerun.json").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace edgerun::testing
