// A worker's "wasi" config key: preopened directories, checked when the config loads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "runtime/config.h"

namespace edgerun::runtime {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class WasiConfigTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) /
           ("edgerun_wasi_config_" + std::to_string(::getpid()) + "_" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "assets");
    std::ofstream(dir_ / "index.js") << "export default { fetch() {} };\n";
    std::ofstream(dir_ / "file.txt") << "x";
  }
  void TearDown() override { fs::remove_all(dir_); }

  ConfigResult Parse(std::string_view wasi) {
    std::string json =
        R"({"workers": [{"name": "w", "main": "index.js", "routes": ["*/*"], "wasi": )" +
        std::string(wasi) + "}]}";
    return ParseConfig(json, dir_ / "edgerun.json",
                       [](const std::string&) { return std::nullopt; });
  }

  std::string OnlyError(std::string_view wasi) {
    ConfigResult result = Parse(wasi);
    EXPECT_FALSE(result.ok());
    EXPECT_THAT(result.errors, SizeIs(1)) << result.ErrorText();
    return result.errors.empty() ? "" : result.errors[0].message;
  }

  fs::path dir_;
};

TEST_F(WasiConfigTest, PreopensResolveRelativeToTheConfigFile) {
  ConfigResult result =
      Parse(R"({"preopens": {"/data": "assets", "/also": "./assets/../assets"}})");
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  const auto& preopens = result.config->workers[0].spec.wasi_preopens;
  ASSERT_THAT(preopens, SizeIs(2));
  EXPECT_EQ(preopens[0].guest_path, "/data");
  EXPECT_EQ(preopens[0].host_path, fs::canonical(dir_ / "assets").string());
  EXPECT_EQ(preopens[1].host_path, preopens[0].host_path);
}

TEST_F(WasiConfigTest, NoWasiKeyMeansNoPreopens) {
  ConfigResult result = Parse("{}");
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  EXPECT_TRUE(result.config->workers[0].spec.wasi_preopens.empty());
}

TEST_F(WasiConfigTest, ErrorsNameThePathAndWhatIsWrong) {
  EXPECT_THAT(OnlyError(R"({"preopens": {"/data": "missing"}})"),
              HasSubstr("$.workers[0].wasi.preopens[\"/data\"]: directory not found: \"missing\""));
  EXPECT_THAT(OnlyError(R"({"preopens": {"/data": "file.txt"}})"),
              HasSubstr("is not a directory; a preopen must be one"));
  EXPECT_THAT(
      OnlyError(R"({"preopens": {"data": "assets"}})"),
      HasSubstr("the absolute path the WASI program sees, such as \"/data\"; got \"data\""));
  EXPECT_THAT(OnlyError(R"({"preopens": {"/data": 5}})"), HasSubstr("expected a directory"));
  EXPECT_THAT(OnlyError(R"({"preopen": {}})"), HasSubstr("did you mean 'preopens'"));
  EXPECT_THAT(OnlyError(R"({"preopens": ["assets"]})"), HasSubstr("expected an object such as"));
}

}  // namespace
}  // namespace edgerun::runtime
