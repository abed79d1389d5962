#include "runtime/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>

namespace edgerun::runtime {
namespace {

namespace fs = std::filesystem;
using isolates::EnvBinding;
using isolates::ScriptFormat;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr const char* kMinimal =
    R"({"workers": [{"name": "hello", "main": "index.js", "routes": ["*/*"]}]})";

class ConfigTest : public testing::Test {
 protected:
  void SetUp() override {
    const testing::TestInfo* test = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(testing::TempDir()) /
           ("edgerun_config_" + std::to_string(::getpid()) + "_" + test->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    file_ = dir_ / "edgerun.json";
    WriteFile("index.js", "export default { fetch() { return new Response('hi'); } };\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteFile(const fs::path& relative, std::string_view content) {
    fs::path path = dir_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }

  EnvLookup Env() {
    return [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
  }

  ConfigResult Parse(std::string_view json) { return ParseConfig(json, file_, Env()); }

  // The config must fail with exactly one error, at `json_path`, containing `fragment`.
  void ExpectOnlyError(std::string_view json, std::string_view json_path,
                       std::string_view fragment) {
    ConfigResult result = Parse(json);
    EXPECT_FALSE(result.ok()) << json;
    ASSERT_THAT(result.errors, SizeIs(1)) << result.ErrorText();
    EXPECT_THAT(result.errors[0].message,
                AllOf(StartsWith(file_.string() + ": " + std::string(json_path) + ": "),
                      HasSubstr(std::string(fragment))));
  }

  // A config with one worker whose object is `worker_body` plus a valid name/main.
  static std::string Worker(std::string_view extra) {
    return R"({"workers": [{"name": "w", "main": "index.js", "routes": ["*/*"])" +
           std::string(extra.empty() ? "" : ", ") + std::string(extra) + "}]}";
  }

  std::string Line(std::string_view json_path, std::string_view message) const {
    return file_.string() + ": " + std::string(json_path) + ": " + std::string(message);
  }

  fs::path dir_;
  fs::path file_;
  std::map<std::string, std::string> env_;
};

std::vector<std::string> Messages(const ConfigResult& result) {
  std::vector<std::string> messages;
  for (const ConfigError& error : result.errors)
    messages.push_back(error.message);
  return messages;
}

// ---- a valid config lands in the structs ----

TEST_F(ConfigTest, FullConfigRoundTripsIntoTheStructs) {
  WriteFile("examples/hello/index.js", "export default {};\n");
  WriteFile("config/secrets/token.txt", "tok-123\r\n");
  fs::path config_file = dir_ / "config" / "edgerun.json";
  env_["EDGERUN_API_KEY"] = "key-456";
  WriteFile("config/edgerun.json", R"({
    "listen": ["127.0.0.1:8080", {"address": "127.0.0.1:8081", "worker": "hello"}],
    "threads": 2,
    "access_log": false,
    "limits": {"max_header_bytes": 16384, "max_body_bytes": 1048576, "header_timeout_ms": 5000,
               "idle_timeout_ms": 30000, "max_pipelined": 8, "max_connections": 500,
               "shutdown_timeout_ms": 0, "cpu_ms": 200, "memory_mb": 64},
    "workers": [{
      "name": "hello", "main": "../examples/hello/index.js", "format": "modules",
      "routes": ["*/hello*", {"pattern": "api.example.com/*"}],
      "vars": {"GREETING": "hi", "FEATURES": {"beta": true, "list": [1, 2.5, null]}, "LIMIT": 5},
      "secrets": {"API_KEY": {"env": "EDGERUN_API_KEY"}, "TOKEN": {"file": "secrets/token.txt"}},
      "compatibility_date": "2024-09-23"
    }, {"name": "sw", "main": "../index.js", "format": "service-worker", "routes": ["sw.test/"]}]
  })");

  ConfigResult result = LoadConfig(config_file, Env());
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  EXPECT_THAT(result.errors, IsEmpty());
  EXPECT_THAT(result.warnings, IsEmpty());
  const Config& config = *result.config;
  EXPECT_EQ(config.path, config_file);
  EXPECT_TRUE(config.path.is_absolute());

  ASSERT_THAT(config.listen, SizeIs(2));
  EXPECT_EQ(config.listen[0].address.ToString(), "127.0.0.1:8080");
  EXPECT_EQ(config.listen[0].worker, "");
  EXPECT_EQ(config.listen[1].address.ToString(), "127.0.0.1:8081");
  EXPECT_EQ(config.listen[1].worker, "hello");
  EXPECT_EQ(config.threads, 2u);
  EXPECT_FALSE(config.access_log);
  EXPECT_EQ(config.http.max_header_bytes, 16384u);
  EXPECT_EQ(config.http.max_body_bytes, 1048576u);
  EXPECT_EQ(config.http.header_timeout_ms, 5000u);
  EXPECT_EQ(config.http.idle_timeout_ms, 30000u);
  EXPECT_EQ(config.http.max_pipelined, 8u);
  EXPECT_EQ(config.max_connections, 500u);
  EXPECT_EQ(config.shutdown_timeout_ms, 0u);
  EXPECT_EQ(config.cpu_ms, 200u);
  EXPECT_EQ(config.memory_mb, 64u);

  ASSERT_THAT(config.workers, SizeIs(2));
  const WorkerConfig& hello = config.workers[0];
  EXPECT_EQ(hello.spec.name, "hello");
  EXPECT_EQ(hello.spec.main, dir_ / "examples" / "hello" / "index.js");
  EXPECT_EQ(hello.spec.format, ScriptFormat::kModules);
  EXPECT_THAT(hello.routes, ElementsAre("*/hello*", "api.example.com/*"));
  ASSERT_THAT(hello.spec.vars, SizeIs(3));
  EXPECT_EQ(hello.spec.vars[0].name, "GREETING");
  EXPECT_EQ(hello.spec.vars[0].kind, EnvBinding::Kind::kString);
  EXPECT_EQ(hello.spec.vars[0].value, "hi");
  EXPECT_EQ(hello.spec.vars[1].name, "FEATURES");
  EXPECT_EQ(hello.spec.vars[1].kind, EnvBinding::Kind::kJson);
  EXPECT_EQ(hello.spec.vars[1].value, R"({"beta":true,"list":[1,2.5,null]})");
  EXPECT_EQ(hello.spec.vars[2].name, "LIMIT");
  EXPECT_EQ(hello.spec.vars[2].kind, EnvBinding::Kind::kJson);
  EXPECT_EQ(hello.spec.vars[2].value, "5");
  ASSERT_THAT(hello.spec.secrets, SizeIs(2));
  EXPECT_EQ(hello.spec.secrets[0].name, "API_KEY");
  EXPECT_EQ(hello.spec.secrets[0].value, "key-456");
  EXPECT_EQ(hello.spec.secrets[1].name, "TOKEN");
  EXPECT_EQ(hello.spec.secrets[1].value, "tok-123");
  EXPECT_EQ(hello.spec.compatibility_date, "2024-09-23");

  const WorkerConfig& sw = config.workers[1];
  EXPECT_EQ(sw.spec.main, dir_ / "index.js");
  EXPECT_EQ(sw.spec.format, ScriptFormat::kServiceWorker);
  EXPECT_EQ(sw.spec.compatibility_date, "");

  EXPECT_EQ(config.FindWorker("hello"), &config.workers[0]);
  EXPECT_EQ(config.FindWorker("sw"), &config.workers[1]);
  EXPECT_EQ(config.FindWorker("nope"), nullptr);
}

TEST_F(ConfigTest, DefaultsWhenKeysAreAbsent) {
  ConfigResult result = Parse(kMinimal);
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  const Config& config = *result.config;
  EXPECT_EQ(config.path, file_);
  ASSERT_THAT(config.listen, SizeIs(1));
  EXPECT_EQ(config.listen[0].address.ToString(), "127.0.0.1:8080");
  EXPECT_EQ(config.listen[0].worker, "");
  EXPECT_EQ(config.threads, 0u);
  EXPECT_TRUE(config.access_log);
  HttpLimits defaults;
  EXPECT_EQ(config.http.max_header_bytes, defaults.max_header_bytes);
  EXPECT_EQ(config.http.max_body_bytes, defaults.max_body_bytes);
  EXPECT_EQ(config.http.header_timeout_ms, defaults.header_timeout_ms);
  EXPECT_EQ(config.http.idle_timeout_ms, defaults.idle_timeout_ms);
  EXPECT_EQ(config.http.max_pipelined, defaults.max_pipelined);
  EXPECT_EQ(config.max_connections, 10'000u);
  EXPECT_EQ(config.shutdown_timeout_ms, 10'000u);
  EXPECT_EQ(config.cpu_ms, 50u);
  EXPECT_EQ(config.memory_mb, 128u);
  EXPECT_EQ(config.outbound_max_idle_per_origin, 256u);
  const isolates::WorkerSpec& spec = config.workers.at(0).spec;
  EXPECT_EQ(spec.format, ScriptFormat::kAuto);
  EXPECT_THAT(spec.vars, IsEmpty());
  EXPECT_THAT(spec.secrets, IsEmpty());
  EXPECT_EQ(spec.compatibility_date, "");
}

TEST_F(ConfigTest, EmptyLimitsObjectKeepsDefaultsAndIntegralDoublesCount) {
  ConfigResult result =
      Parse(R"({"limits": {}, "threads": 4.0, "workers": [{"name": "a", "main": "index.js",
               "routes": ["*/*"]}]})");
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  EXPECT_EQ(result.config->threads, 4u);
  EXPECT_EQ(result.config->http.max_pipelined, HttpLimits{}.max_pipelined);
  ConfigResult exponent = Parse(R"({"limits": {"max_body_bytes": 1e6}, "workers": [{"name": "a",
      "main": "index.js", "routes": ["*/*"]}]})");
  ASSERT_TRUE(exponent.ok()) << exponent.ErrorText();
  EXPECT_EQ(exponent.config->http.max_body_bytes, 1'000'000u);
}

TEST_F(ConfigTest, ByteOrderMarkIsIgnored) {
  ConfigResult result = Parse("\xEF\xBB\xBF" + std::string(kMinimal));
  EXPECT_TRUE(result.ok()) << result.ErrorText();
}

// ---- the file itself ----

TEST_F(ConfigTest, LoadConfigReadsTheFileAndNamesItAsGiven) {
  WriteFile("edgerun.json", kMinimal);
  ConfigResult result = LoadConfig(file_, Env());
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  EXPECT_EQ(result.config->workers.at(0).spec.main, dir_ / "index.js");

  WriteFile("broken.json", R"({"workers": 5})");
  fs::path relative = fs::relative(dir_ / "broken.json");
  ConfigResult broken = LoadConfig(relative, Env());
  EXPECT_THAT(Messages(broken),
              ElementsAre(relative.string() + ": $.workers: expected an array of workers, got "
                                              "number"));
}

TEST_F(ConfigTest, UnreadableFile) {
  fs::path missing = dir_ / "missing.json";
  EXPECT_THAT(Messages(LoadConfig(missing, Env())),
              ElementsAre(missing.string() + ": cannot read config: No such file or directory"));
  EXPECT_THAT(Messages(LoadConfig(dir_, Env())),
              ElementsAre(dir_.string() + ": cannot read config: Is a directory"));
}

TEST_F(ConfigTest, EmptyFile) {
  for (std::string_view json : {"", "  \n\t "}) {
    ConfigResult result = Parse(json);
    EXPECT_THAT(
        Messages(result),
        ElementsAre(file_.string() + ": the config is empty; expected a JSON object such as "
                                     "{\"workers\": [...]}"));
  }
}

TEST_F(ConfigTest, RootMustBeAnObject) {
  EXPECT_THAT(Messages(Parse("[]")),
              ElementsAre(Line("$", "expected the config to be a JSON object {...}, got array")));
  EXPECT_THAT(Messages(Parse("\"x\"")),
              ElementsAre(Line("$", "expected the config to be a JSON object {...}, got string")));
}

// ---- JSON syntax errors: line:column ----

struct SyntaxCase {
  const char* json;
  const char* position_and_message;
};

TEST_F(ConfigTest, SyntaxErrorsCarryLineAndColumn) {
  const SyntaxCase cases[] = {
      {"{\n  \"threads\": 2\n  \"workers\": []\n}",
       ":3:3: invalid JSON: expected ',' or '}' after an object member, got '\"'"},
      {"{\n  \"workers\": [\n    {\"name\": \"a\",}\n  ]\n}",
       ":3:17: invalid JSON: trailing comma before '}' is not allowed in JSON"},
      {"{\n  // the workers\n  \"workers\": []\n}",
       ":2:3: invalid JSON: comments are not allowed in JSON (found '//')"},
      {"{\"workers\": []} trailing",
       ":1:17: invalid JSON: unexpected content after the end of the JSON document"},
      {"{\"workers\": []}\n{}",
       ":2:1: invalid JSON: unexpected content after the end of the JSON document"},
      {"{\"threads\": 2,\n \"workers\": [\n", ":3:1: invalid JSON: expected a value"},
      {"{\"workers\": [{\"name\": 'a'}]}", ":1:23: invalid JSON: strings need double quotes"},
      {"{\"limits\": {\"max_body_bytes\": 99999999999999999999999}}",
       ":1:31: invalid JSON: integer out of range"},
  };
  for (const SyntaxCase& c : cases) {
    ConfigResult result = Parse(c.json);
    EXPECT_FALSE(result.ok());
    EXPECT_THAT(Messages(result), ElementsAre(StartsWith(file_.string() + c.position_and_message)))
        << c.json;
  }
}

// ---- keys ----

TEST_F(ConfigTest, UnknownKeysListTheAllowedOnesAndSuggestTheClosest) {
  ExpectOnlyError(R"({"worker": [], "workers": [{"name": "a", "main": "index.js",
                  "routes": ["*/*"]}]})",
                  "$.worker",
                  "unknown key 'worker', did you mean 'workers'? (allowed keys: listen, threads, "
                  "access_log, limits, isolates, admin, workers, outbound)");
  ExpectOnlyError(Worker(R"("mian": "x.js")"), "$.workers[0].mian",
                  "unknown key 'mian', did you mean 'main'? (allowed keys: name, main, format, "
                  "routes, vars, secrets, compatibility_date, outbound, "
                  "wasm_modules, wasm_runtime_compile, wasi, type)");
  ExpectOnlyError(Worker(R"("Routes": [])"), "$.workers[0].Routes", "did you mean 'routes'?");
  ExpectOnlyError(Worker(R"("compatibility-date": "2024-01-01")"),
                  "$.workers[0][\"compatibility-date\"]", "did you mean 'compatibility_date'?");
  ExpectOnlyError(R"({"limits": {"max_pipeline": 4}, "workers": [{"name": "a",
                  "main": "index.js", "routes": ["*/*"]}]})",
                  "$.limits.max_pipeline", "did you mean 'max_pipelined'?");
  ConfigResult far = Parse(Worker(R"("kv_namespaces": [])"));
  ASSERT_THAT(far.errors, SizeIs(1));
  EXPECT_THAT(far.errors[0].message, HasSubstr("unknown key 'kv_namespaces' (allowed keys: "));
  EXPECT_THAT(far.errors[0].message, Not(HasSubstr("did you mean")));
}

TEST_F(ConfigTest, DuplicateKeys) {
  ExpectOnlyError(R"({"threads": 1, "threads": 2, "workers": [{"name": "a", "main": "index.js",
                  "routes": ["*/*"]}]})",
                  "$.threads", "duplicate key 'threads'");
  ExpectOnlyError(Worker(R"("vars": {"A": "1", "B": "2", "A": "3"})"), "$.workers[0].vars.A",
                  "duplicate key 'A'");
}

TEST_F(ConfigTest, MissingRequiredKeys) {
  ExpectOnlyError("{}", "$", "missing required key 'workers'");
  ExpectOnlyError(R"({"workers": [{"main": "index.js", "routes": ["*/*"]}]})", "$.workers[0]",
                  "missing required key 'name'");
  ExpectOnlyError(R"({"workers": [{"name": "a", "routes": ["*/*"]}]})", "$.workers[0]",
                  "missing required key 'main'");
}

// ---- types ----

TEST_F(ConfigTest, WrongTypesSayWhatWasExpectedAndWhatWasFound) {
  ExpectOnlyError(Worker(R"("vars": [])"), "$.workers[0].vars", "expected an object, got array");
  ExpectOnlyError(R"({"workers": {}})", "$.workers", "expected an array of workers, got object");
  ExpectOnlyError(R"({"workers": ["a"]})", "$.workers[0]", "expected an object, got string");
  ExpectOnlyError(R"({"workers": [{"name": 5, "main": "index.js", "routes": ["*/*"]}]})",
                  "$.workers[0].name", "expected a string, got number");
  ExpectOnlyError(R"({"threads": "2", "workers": [{"name": "a", "main": "index.js",
                  "routes": ["*/*"]}]})",
                  "$.threads", "expected an integer from 1 to 256, got string");
  ExpectOnlyError(R"({"access_log": "yes", "workers": [{"name": "a", "main": "index.js",
                  "routes": ["*/*"]}]})",
                  "$.access_log", "expected true or false, got string");
  ExpectOnlyError(R"({"limits": [], "workers": [{"name": "a", "main": "index.js",
                  "routes": ["*/*"]}]})",
                  "$.limits", "expected an object, got array");
  ExpectOnlyError(R"({"listen": "127.0.0.1:80", "workers": [{"name": "a", "main": "index.js",
                  "routes": ["*/*"]}]})",
                  "$.listen",
                  "expected an array of addresses such as [\"127.0.0.1:8080\"], got string");
}

TEST_F(ConfigTest, RouteOfTheWrongType) {
  ConfigResult result =
      Parse(R"({"workers": [{"name": "a", "main": "index.js", "routes": ["*/a*", 5, true]}]})");
  EXPECT_THAT(
      Messages(result),
      ElementsAre(Line("$.workers[0].routes[1]",
                       "expected a route pattern string like \"example.com/*\", got number"),
                  Line("$.workers[0].routes[2]",
                       "expected a route pattern string like \"example.com/*\", got boolean")));
  ExpectOnlyError(R"({"workers": [{"name": "a", "main": "index.js", "routes": "*/a*"}]})",
                  "$.workers[0].routes",
                  "expected an array of route patterns, got string; write [\"*/a*\"]");
}

TEST_F(ConfigTest, AllErrorsAreReportedNotJustTheFirst) {
  ConfigResult result = Parse(R"({
    "threads": 0, "access_log": 1, "listen": ["nope"],
    "workers": [{"name": "bad name", "main": "missing.js", "format": "esm", "routes": [1]},
                {"name": "ok", "main": "index.js", "compatibility_date": "2024-02-30"}]
  })");
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(Messages(result), SizeIs(8)) << result.ErrorText();
  std::string text = result.ErrorText();
  for (const char* path : {"$.threads: ", "$.access_log: ", "$.listen[0]: ", "$.workers[0].name: ",
                           "$.workers[0].main: ", "$.workers[0].format: ",
                           "$.workers[0].routes[0]: ", "$.workers[1].compatibility_date: "}) {
    EXPECT_THAT(text, HasSubstr(file_.string() + ": " + path));
  }
  // One line per error, in ErrorText as in the vector.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 7);
}

// ---- numbers and ranges ----

TEST_F(ConfigTest, IntegerRanges) {
  auto with = [](std::string_view top) {
    return "{" + std::string(top) +
           R"(, "workers": [{"name": "a", "main": "index.js", "routes": ["*/*"]}]})";
  };
  ExpectOnlyError(with(R"("threads": 0)"), "$.threads", "expected an integer from 1 to 256, got 0");
  ExpectOnlyError(with(R"("threads": 257)"), "$.threads", "got 257");
  ExpectOnlyError(with(R"("threads": -1)"), "$.threads", "got -1");
  ExpectOnlyError(with(R"("threads": 2.5)"), "$.threads", "got 2.5");
  ExpectOnlyError(with(R"("threads": 18446744073709551615)"), "$.threads",
                  "got 18446744073709551615");
  ExpectOnlyError(with(R"("limits": {"max_header_bytes": 100})"), "$.limits.max_header_bytes",
                  "expected an integer from 1024 to 1048576, got 100");
  ExpectOnlyError(with(R"("limits": {"header_timeout_ms": 0})"), "$.limits.header_timeout_ms",
                  "expected an integer from 1 to 86400000, got 0");
  ExpectOnlyError(with(R"("limits": {"idle_timeout_ms": 0})"), "$.limits.idle_timeout_ms",
                  "from 1 to");
  ExpectOnlyError(with(R"("limits": {"max_pipelined": 2000})"), "$.limits.max_pipelined",
                  "expected an integer from 1 to 1024, got 2000");
  ExpectOnlyError(with(R"("limits": {"max_connections": 0})"), "$.limits.max_connections",
                  "from 1 to");
  ExpectOnlyError(with(R"("limits": {"max_body_bytes": -5})"), "$.limits.max_body_bytes", "got -5");
  ExpectOnlyError(with(R"("limits": {"cpu_ms": 0})"), "$.limits.cpu_ms",
                  "expected an integer from 1 to 600000, got 0");
  ExpectOnlyError(with(R"("limits": {"memory_mb": 8})"), "$.limits.memory_mb",
                  "expected an integer from 16 to 16384, got 8");
  ExpectOnlyError(with(R"("outbound": {"max_idle_per_origin": 100001})"),
                  "$.outbound.max_idle_per_origin", "expected an integer from 0 to 100000");
  ConfigResult idle = Parse(with(R"("outbound": {"max_idle_per_origin": 8})"));
  ASSERT_TRUE(idle.ok()) << idle.ErrorText();
  EXPECT_EQ(idle.config->outbound_max_idle_per_origin, 8u);
  EXPECT_TRUE(Parse(with(R"("threads": 256, "limits": {"max_body_bytes": 0,
      "shutdown_timeout_ms": 0, "max_header_bytes": 1048576})"))
                  .ok());
}

// ---- listen ----

TEST_F(ConfigTest, ListenEntries) {
  auto with = [](std::string_view listen) {
    return R"({"listen": )" + std::string(listen) +
           R"(, "workers": [{"name": "hello", "main": "index.js", "routes": ["*/*"]}]})";
  };
  ExpectOnlyError(with("[]"), "$.listen", "listen needs at least one address");
  ExpectOnlyError(with(R"(["127.0.0.1:80", "127.0.0.1:81", "localhost:80"])"), "$.listen[2]",
                  "duplicate listen address 127.0.0.1:80 (also at $.listen[0])");
  ExpectOnlyError(with(R"(["[::1]:80", {"address": "[0:0::1]:80", "worker": "hello"}])"),
                  "$.listen[1]", "duplicate listen address [::1]:80 (also at $.listen[0])");
  ExpectOnlyError(with(R"(["::1:80"])"), "$.listen[0]",
                  "invalid listen address \"::1:80\": IPv6 addresses need brackets: [::1]:8080");
  ExpectOnlyError(with(R"(["127.0.0.1:99999"])"), "$.listen[0]", "port out of range");
  ExpectOnlyError(with(R"(["example.com:80"])"), "$.listen[0]", "use a numeric address");
  ExpectOnlyError(with(R"([8080])"), "$.listen[0]",
                  "expected an address string like \"127.0.0.1:8080\" or {\"address\": ..., "
                  "\"worker\": ...}, got number");
  ExpectOnlyError(with(R"([{"worker": "hello"}])"), "$.listen[0]",
                  "missing required key 'address'");
  ExpectOnlyError(with(R"([{"address": "127.0.0.1:1", "workers": "hello"}])"),
                  "$.listen[0].workers", "did you mean 'worker'?");
  ExpectOnlyError(with(R"([{"address": "127.0.0.1:1", "worker": "helo"}])"), "$.listen[0].worker",
                  "no worker named 'helo', did you mean 'hello'? (workers: hello)");
  // Two ephemeral ports never collide.
  ConfigResult ephemeral = Parse(with(R"(["127.0.0.1:0", "127.0.0.1:0"])"));
  ASSERT_TRUE(ephemeral.ok()) << ephemeral.ErrorText();
  EXPECT_THAT(ephemeral.config->listen, SizeIs(2));
}

// ---- workers ----

TEST_F(ConfigTest, WorkersArrayMustNotBeEmpty) {
  ExpectOnlyError(R"({"workers": []})", "$.workers", "at least one worker is required");
}

TEST_F(ConfigTest, WorkerNames) {
  for (const char* good : {"a", "A9", "my-worker_v1.2", "0abc"}) {
    std::string json = R"({"workers": [{"name": ")" + std::string(good) +
                       R"(", "main": "index.js", "routes": ["*/*"]}]})";
    EXPECT_TRUE(Parse(json).ok()) << good;
  }
  std::string too_long(64, 'a');
  for (std::string bad : {std::string(""), std::string("-a"), std::string("my worker"),
                          std::string("a/b"), std::string("_a"), too_long}) {
    std::string json =
        R"({"workers": [{"name": ")" + bad + R"(", "main": "index.js", "routes": ["*/*"]}]})";
    ExpectOnlyError(json, "$.workers[0].name",
                    "invalid worker name \"" + bad + "\": use 1 to 63 letters, digits");
  }
  ExpectOnlyError(R"({"workers": [{"name": "a", "main": "index.js", "routes": ["*/a*"]},
                                 {"name": "a", "main": "index.js", "routes": ["*/b*"]}]})",
                  "$.workers[1].name", "duplicate worker name 'a' (also at $.workers[0])");
}

TEST_F(ConfigTest, MainMustBeAnExistingFileRelativeToTheConfig) {
  fs::create_directories(dir_ / "src");
  auto with_main = [](std::string_view main) {
    return R"({"workers": [{"name": "a", "routes": ["*/*"], "main": )" + std::string(main) + "}]}";
  };
  ExpectOnlyError(with_main(R"("nope.js")"), "$.workers[0].main",
                  "script not found: \"nope.js\" (resolved to " + (dir_ / "nope.js").string() +
                      "); main is relative to the config file");
  ExpectOnlyError(with_main(R"("src")"), "$.workers[0].main",
                  "\"src\" (resolved to " + (dir_ / "src").string() +
                      ") is a directory; main must be the worker's script file");
  ExpectOnlyError(with_main(R"("")"), "$.workers[0].main", "main is empty");
  ExpectOnlyError(with_main("[]"), "$.workers[0].main",
                  "expected the path of the worker's script, got array");

  ConfigResult dotted = Parse(with_main(R"("./src/../index.js")"));
  ASSERT_TRUE(dotted.ok()) << dotted.ErrorText();
  EXPECT_EQ(dotted.config->workers[0].spec.main, dir_ / "index.js");

  std::string missing = (dir_ / "gone.js").string();
  ExpectOnlyError(with_main("\"" + missing + "\""), "$.workers[0].main",
                  "script not found: \"" + missing + "\" (resolved to " + missing + ")");
  EXPECT_THAT(Parse(with_main("\"" + missing + "\"")).ErrorText(),
              Not(HasSubstr("relative to the config file")));

  std::string absolute = (dir_ / "index.js").string();
  ConfigResult result = Parse(with_main("\"" + absolute + "\""));
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  EXPECT_EQ(result.config->workers[0].spec.main, dir_ / "index.js");
}

TEST_F(ConfigTest, WasmModulesBindNamesToFilesRelativeToTheConfig) {
  WriteFile("lib/add.wasm", std::string("\0asm\1\0\0\0", 8));
  ConfigResult result = Parse(Worker(R"("wasm_modules": {"ADD": "lib/add.wasm", "$two_2": )"
                                     R"("./lib/../lib/add.wasm"}, "wasm_runtime_compile": false)"));
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  const isolates::WorkerSpec& spec = result.config->workers[0].spec;
  ASSERT_THAT(spec.wasm_modules, SizeIs(2));
  EXPECT_EQ(spec.wasm_modules[0].name, "ADD");
  EXPECT_EQ(spec.wasm_modules[0].path, dir_ / "lib/add.wasm");
  EXPECT_EQ(spec.wasm_modules[1].name, "$two_2");
  EXPECT_EQ(spec.wasm_modules[1].path, dir_ / "lib/add.wasm");
  EXPECT_FALSE(spec.wasm_runtime_compile);

  ConfigResult defaults = Parse(Worker(""));
  ASSERT_TRUE(defaults.ok()) << defaults.ErrorText();
  EXPECT_THAT(defaults.config->workers[0].spec.wasm_modules, IsEmpty());
  EXPECT_TRUE(defaults.config->workers[0].spec.wasm_runtime_compile);
}

TEST_F(ConfigTest, WasmModuleErrorsNameThePathAndWhatWasExpected) {
  WriteFile("add.wasm", std::string("\0asm\1\0\0\0", 8));
  fs::create_directories(dir_ / "dir.wasm");
  ExpectOnlyError(Worker(R"("wasm_modules": {"M": "nope.wasm"})"), "$.workers[0].wasm_modules.M",
                  "WebAssembly module not found: \"nope.wasm\" (resolved to " +
                      (dir_ / "nope.wasm").string() + "); the path is relative to the config file");
  ExpectOnlyError(Worker(R"("wasm_modules": {"M": "dir.wasm"})"), "$.workers[0].wasm_modules.M",
                  "is not a regular file");
  ExpectOnlyError(Worker(R"("wasm_modules": {"M": ""})"), "$.workers[0].wasm_modules.M",
                  "the path is empty");
  ExpectOnlyError(Worker(R"("wasm_modules": {"M": 5})"), "$.workers[0].wasm_modules.M",
                  "expected the path of a .wasm file, got number");
  ExpectOnlyError(Worker(R"("wasm_modules": ["add.wasm"])"), "$.workers[0].wasm_modules",
                  "expected an object");
  ExpectOnlyError(Worker(R"("wasm_modules": {"2fast": "add.wasm"})"),
                  "$.workers[0].wasm_modules[\"2fast\"]",
                  "invalid WebAssembly module name \"2fast\": it becomes env.2fast");
  ExpectOnlyError(Worker(R"("wasm_modules": {"a-b": "add.wasm"})"),
                  "$.workers[0].wasm_modules[\"a-b\"]", "invalid WebAssembly module name \"a-b\"");
  ExpectOnlyError(Worker(R"("wasm_runtime_compile": "yes")"), "$.workers[0].wasm_runtime_compile",
                  "expected true or false, got string");
}

TEST_F(ConfigTest, WasmModuleNamesMustNotCollideWithVarsOrSecrets) {
  WriteFile("add.wasm", std::string("\0asm\1\0\0\0", 8));
  env_["TOKEN"] = "t";
  ExpectOnlyError(Worker(R"("vars": {"ADD": "x"}, "wasm_modules": {"ADD": "add.wasm"})"),
                  "$.workers[0].wasm_modules.ADD",
                  "'ADD' is both a WebAssembly module and a var; env.ADD can be only one of them");
  ExpectOnlyError(
      Worker(R"("secrets": {"ADD": {"env": "TOKEN"}}, "wasm_modules": {"ADD": "add.wasm"})"),
      "$.workers[0].wasm_modules.ADD", "'ADD' is both a WebAssembly module and a secret");
}

TEST_F(ConfigTest, RelativeConfigPathResolvesAgainstTheWorkingDirectory) {
  WriteFile("sub/edgerun.json", "");
  WriteFile("sub/w.js", "");
  fs::path relative = fs::relative(dir_ / "sub" / "edgerun.json");
  ConfigResult result = ParseConfig(
      R"({"workers": [{"name": "a", "main": "w.js", "routes": ["*/*"]}]})", relative, Env());
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  EXPECT_EQ(result.config->path, dir_ / "sub" / "edgerun.json");
  EXPECT_EQ(result.config->workers[0].spec.main, dir_ / "sub" / "w.js");
}

TEST_F(ConfigTest, Formats) {
  const std::pair<const char*, ScriptFormat> formats[] = {
      {"auto", ScriptFormat::kAuto},
      {"modules", ScriptFormat::kModules},
      {"service-worker", ScriptFormat::kServiceWorker}};
  for (const auto& [text, format] : formats) {
    ConfigResult result = Parse(Worker(R"("format": ")" + std::string(text) + "\""));
    ASSERT_TRUE(result.ok()) << result.ErrorText();
    EXPECT_EQ(result.config->workers[0].spec.format, format);
  }
  ExpectOnlyError(Worker(R"("format": "module")"), "$.workers[0].format",
                  "expected \"auto\", \"modules\" or \"service-worker\", got \"module\"; did you "
                  "mean \"modules\"?");
  ExpectOnlyError(Worker(R"("format": "esm")"), "$.workers[0].format", "got \"esm\"");
  ExpectOnlyError(Worker(R"("format": 1)"), "$.workers[0].format",
                  "expected \"auto\", \"modules\" or \"service-worker\", got number");
}

TEST_F(ConfigTest, CompatibilityDate) {
  for (const char* good : {"2024-09-23", "2024-02-29", "2000-02-29", "2021-12-31"}) {
    ConfigResult result = Parse(Worker(R"("compatibility_date": ")" + std::string(good) + "\""));
    ASSERT_TRUE(result.ok()) << good << ": " << result.ErrorText();
    EXPECT_EQ(result.config->workers[0].spec.compatibility_date, good);
  }
  for (const char* not_a_day :
       {"2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00"}) {
    ExpectOnlyError(Worker(R"("compatibility_date": ")" + std::string(not_a_day) + "\""),
                    "$.workers[0].compatibility_date",
                    "\"" + std::string(not_a_day) + "\" is not a calendar date");
  }
  for (const char* shape : {"2024-9-23", "24-09-23", "2024/09/23", "2024-09-23T00:00", ""}) {
    ExpectOnlyError(Worker(R"("compatibility_date": ")" + std::string(shape) + "\""),
                    "$.workers[0].compatibility_date",
                    "expected a date as \"YYYY-MM-DD\" such as \"2024-09-23\"");
  }
  ExpectOnlyError(Worker(R"("compatibility_date": 20240923)"), "$.workers[0].compatibility_date",
                  "expected a date as \"YYYY-MM-DD\", got number");
}

// ---- routes ----

TEST_F(ConfigTest, RoutesAreValidatedAndNormalized) {
  ConfigResult result = Parse(R"({"workers": [{"name": "a", "main": "index.js",
                "routes": ["HTTPS://API.Example.com/V1/*", {"pattern": "*/x"}]}]})");
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  EXPECT_THAT(result.config->workers[0].routes, ElementsAre("api.example.com/V1/*", "*/x"));

  ExpectOnlyError(R"({"workers": [{"name": "a", "main": "index.js", "routes": ["example.com"]}]})",
                  "$.workers[0].routes[0]",
                  "invalid route pattern \"example.com\": a route needs a path: example.com/*");
  ExpectOnlyError(R"({"workers": [{"name": "a", "main": "index.js", "routes": ["a*b.com/*"]}]})",
                  "$.workers[0].routes[0]",
                  "'*' is only allowed at the start of the host and the end of the path");
  ExpectOnlyError(R"({"workers": [{"name": "a", "main": "index.js", "routes": [""]}]})",
                  "$.workers[0].routes[0]", "cannot be empty");
  ExpectOnlyError(
      R"({"workers": [{"name": "a", "main": "index.js", "routes": [{"pattern": "x.com/a b"}]}]})",
      "$.workers[0].routes[0].pattern", "cannot contain whitespace");
  ExpectOnlyError(R"({"workers": [{"name": "a", "main": "index.js", "routes": [{}]}]})",
                  "$.workers[0].routes[0]", "missing required key 'pattern'");
  ExpectOnlyError(
      R"({"workers": [{"name": "a", "main": "index.js", "routes": [{"pattern": "*/*", "zone": "x"}]}]})",
      "$.workers[0].routes[0].zone", "unknown key 'zone' (allowed keys: pattern)");
  ExpectOnlyError(R"({"workers": [{"name": "a", "main": "index.js", "routes": [{"pattern": 1}]}]})",
                  "$.workers[0].routes[0].pattern",
                  "expected a route pattern string like \"example.com/*\", got number");
}

TEST_F(ConfigTest, TheSameRouteInTwoWorkersNamesBoth) {
  ExpectOnlyError(R"({"workers": [
      {"name": "first", "main": "index.js", "routes": ["*/a*", "example.com/*"]},
      {"name": "second", "main": "index.js", "routes": ["https://EXAMPLE.com/*"]}]})",
                  "$.workers[1].routes[0]",
                  "route \"https://EXAMPLE.com/*\" of worker 'second' is also a route "
                  "\"example.com/*\" of worker 'first' (at $.workers[0].routes[1]); a pattern "
                  "can send requests to one worker only");
  ExpectOnlyError(R"({"workers": [
      {"name": "first", "main": "index.js", "routes": ["*/a*"]},
      {"name": "second", "main": "index.js", "routes": ["*/a*"]}]})",
                  "$.workers[1].routes[0]",
                  "route \"*/a*\" of worker 'second' is also a route of worker 'first' (at "
                  "$.workers[0].routes[0])");
  ExpectOnlyError(R"({"workers": [{"name": "a", "main": "index.js", "routes": ["*/a*", "*/a*"]}]})",
                  "$.workers[0].routes[1]",
                  "route \"*/a*\" is listed twice (also at $.workers[0].routes[0])");
}

// ---- vars ----

TEST_F(ConfigTest, VarsKeepStringsAndMinifyEverythingElse) {
  ConfigResult result = Parse(Worker(R"("vars": {
      "S": "text with \"quotes\"", "N": 1.5, "B": false, "Z": null,
      "O": { "k" : [ 1 , "x" ] }, "E": ""})"));
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  const std::vector<EnvBinding>& vars = result.config->workers[0].spec.vars;
  ASSERT_THAT(vars, SizeIs(6));
  auto expect = [&](size_t i, const char* name, EnvBinding::Kind kind, const char* value) {
    EXPECT_EQ(vars[i].name, name);
    EXPECT_EQ(vars[i].kind, kind) << name;
    EXPECT_EQ(vars[i].value, value) << name;
  };
  expect(0, "S", EnvBinding::Kind::kString, "text with \"quotes\"");
  expect(1, "N", EnvBinding::Kind::kJson, "1.5");
  expect(2, "B", EnvBinding::Kind::kJson, "false");
  expect(3, "Z", EnvBinding::Kind::kJson, "null");
  expect(4, "O", EnvBinding::Kind::kJson, R"({"k":[1,"x"]})");
  expect(5, "E", EnvBinding::Kind::kString, "");
  ExpectOnlyError(Worker(R"("vars": {"": "x"})"), "$.workers[0].vars[\"\"]",
                  "a var needs a non-empty name");
}

// ---- secrets ----

TEST_F(ConfigTest, SecretsFromEnvAndFile) {
  env_["EMPTY"] = "";
  env_["API"] = "from-env";
  WriteFile("s/lf.txt", "line\n");
  WriteFile("s/crlf.txt", "line\r\n");
  WriteFile("s/two.txt", "line\n\n");
  WriteFile("s/none.txt", "multi\nline");
  ConfigResult result = Parse(Worker(R"("secrets": {
      "A": {"env": "API"}, "E": {"env": "EMPTY"}, "LF": {"file": "s/lf.txt"},
      "CRLF": {"file": "s/crlf.txt"}, "TWO": {"file": "s/two.txt"},
      "NONE": {"file": "./s/../s/none.txt"}})"));
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  const std::vector<EnvBinding>& secrets = result.config->workers[0].spec.secrets;
  ASSERT_THAT(secrets, SizeIs(6));
  std::map<std::string, std::string> values;
  for (const EnvBinding& secret : secrets) {
    EXPECT_EQ(secret.kind, EnvBinding::Kind::kString);
    values[secret.name] = secret.value;
  }
  EXPECT_EQ(values["A"], "from-env");
  EXPECT_EQ(values["E"], "");
  EXPECT_EQ(values["LF"], "line");
  EXPECT_EQ(values["CRLF"], "line");
  EXPECT_EQ(values["TWO"], "line\n");
  EXPECT_EQ(values["NONE"], "multi\nline");
}

TEST_F(ConfigTest, SecretFilesAreRelativeToTheConfigNotTheWorkingDirectory) {
  WriteFile("conf/edgerun.json", "");
  WriteFile("conf/w.js", "");
  WriteFile("conf/token", "t0k");
  ConfigResult result = ParseConfig(
      R"({"workers": [{"name": "a", "main": "w.js", "routes": ["*/*"],
          "secrets": {"T": {"file": "token"}}}]})",
      dir_ / "conf" / "edgerun.json", Env());
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  EXPECT_EQ(result.config->workers[0].spec.secrets.at(0).value, "t0k");
}

TEST_F(ConfigTest, SecretErrors) {
  ExpectOnlyError(Worker(R"("secrets": {"API_KEY": "sk_live_123"})"),
                  "$.workers[0].secrets.API_KEY",
                  "secrets are never written in the config; use {\"env\": \"VARIABLE\"} to read "
                  "an environment variable or {\"file\": \"path/to/file\"} to read a file");
  ExpectOnlyError(Worker(R"("secrets": {"K": {"env": "EDGERUN_TEST_UNSET"}})"),
                  "$.workers[0].secrets.K.env",
                  "environment variable EDGERUN_TEST_UNSET is not set (secret 'K' reads it)");
  ExpectOnlyError(Worker(R"("secrets": {"K": {"file": "nope.txt"}})"),
                  "$.workers[0].secrets.K.file",
                  "cannot read secret file \"nope.txt\" (" + (dir_ / "nope.txt").string() +
                      "): No such file or directory");
  ExpectOnlyError(Worker(R"("secrets": {"K": {"file": "."}})"), "$.workers[0].secrets.K.file",
                  "Is a directory");
  ExpectOnlyError(Worker(R"("secrets": {"K": {"env": "A", "file": "b"}})"),
                  "$.workers[0].secrets.K", "give either \"env\" or \"file\", not both");
  ExpectOnlyError(Worker(R"("secrets": {"K": {}})"), "$.workers[0].secrets.K",
                  "a secret needs \"env\" or \"file\"");
  EXPECT_THAT(Messages(Parse(Worker(R"("secrets": {"K": {"value": "x"}})"))),
              ElementsAre(Line("$.workers[0].secrets.K.value",
                               "unknown key 'value' (allowed keys: env, file)"),
                          Line("$.workers[0].secrets.K",
                               "a secret needs \"env\" or \"file\"; use {\"env\": \"VARIABLE\"} "
                               "to read an environment variable or {\"file\": \"path/to/file\"} to "
                               "read a file")));
  ExpectOnlyError(Worker(R"("secrets": {"K": 42})"), "$.workers[0].secrets.K",
                  "expected {\"env\": \"VARIABLE\"} or {\"file\": \"path/to/file\"}, got number");
  ExpectOnlyError(Worker(R"("secrets": {"K": {"env": 1}})"), "$.workers[0].secrets.K.env",
                  "expected the name of an environment variable, got number");
  ExpectOnlyError(Worker(R"("secrets": ["K"])"), "$.workers[0].secrets",
                  "expected an object of secrets, got array");
}

TEST_F(ConfigTest, NullEnvLookupMeansNothingIsSet) {
  ConfigResult result =
      ParseConfig(Worker(R"("secrets": {"K": {"env": "HOME"}})"), file_, EnvLookup());
  EXPECT_THAT(Messages(result), ElementsAre(Line("$.workers[0].secrets.K.env",
                                                 "environment variable HOME is not set (secret "
                                                 "'K' reads it)")));
}

TEST_F(ConfigTest, AVarAndASecretCannotShareAName) {
  env_["V"] = "secret";
  ExpectOnlyError(Worker(R"("vars": {"TOKEN": "x"}, "secrets": {"TOKEN": {"env": "V"}})"),
                  "$.workers[0].secrets.TOKEN",
                  "'TOKEN' is both a var and a secret; env.TOKEN can be only one of them");
}

TEST_F(ConfigTest, SecretValuesNeverAppearInMessages) {
  const std::string from_env = "ENV-SECRET-7f3a";
  const std::string from_file = "FILE-SECRET-91bc";
  env_["SECRET_ENV"] = from_env;
  WriteFile("secret.txt", from_file + "\n");
  // Every kind of error and warning around resolved secrets, including a clash with a var and a
  // literal (which is most likely a real secret pasted into the config).
  ConfigResult result = Parse(R"({"threads": 999, "workers": [
      {"name": "a", "main": "index.js", "routes": ["*/*", 7],
       "vars": {"S1": "v"},
       "secrets": {"S1": {"env": "SECRET_ENV"}, "S2": {"file": "secret.txt"},
                   "S3": "LITERAL-SECRET-55", "S4": {"env": "SECRET_ENV", "extra": 1},
                   "S5": {"file": "secret.txt", "env": "SECRET_ENV"}}},
      {"name": "b", "main": "index.js",
       "secrets": {"S1": {"env": "SECRET_ENV"}, "S2": {"file": "secret.txt"}}}]})");
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.warnings, Not(IsEmpty()));  // worker b is unreachable
  std::string everything = result.ErrorText();
  for (const std::string& warning : result.warnings)
    everything += "\n" + warning;
  for (const std::string& secret : {from_env, from_file, std::string("LITERAL-SECRET-55")}) {
    EXPECT_THAT(everything, Not(HasSubstr(secret)));
  }
  EXPECT_THAT(everything, HasSubstr("$.workers[0].secrets.S3: secrets are never written"));
}

// ---- warnings ----

TEST_F(ConfigTest, UnreachableWorkersAreWarnings) {
  ConfigResult result = Parse(R"({
    "listen": ["127.0.0.1:8080", {"address": "127.0.0.1:8081", "worker": "bound"}],
    "workers": [{"name": "routed", "main": "index.js", "routes": ["*/*"]},
                {"name": "bound", "main": "index.js"},
                {"name": "lost", "main": "index.js"}]})");
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  EXPECT_THAT(result.warnings, ElementsAre(Line("$.workers[2]",
                                                "worker 'lost' is unreachable: it has no routes "
                                                "and no listen entry is bound to it")));

  ConfigResult all_bound = Parse(R"({
    "listen": [{"address": "127.0.0.1:8081", "worker": "bound"}],
    "workers": [{"name": "bound", "main": "index.js"},
                {"name": "routed", "main": "index.js", "routes": ["*/*"]}]})");
  ASSERT_TRUE(all_bound.ok()) << all_bound.ErrorText();
  EXPECT_THAT(all_bound.warnings,
              ElementsAre(Line("$.workers[1]",
                               "worker 'routed' is unreachable: every listen entry is bound to a "
                               "worker, so its routes are never consulted")));

  // Routes that are all invalid are an error already; no "unreachable" on top.
  ConfigResult invalid_routes =
      Parse(R"({"workers": [{"name": "a", "main": "index.js", "routes": ["nopath"]}]})");
  EXPECT_THAT(invalid_routes.errors, SizeIs(1));
  EXPECT_THAT(invalid_routes.warnings, IsEmpty());

  ConfigResult clean = Parse(kMinimal);
  EXPECT_THAT(clean.warnings, IsEmpty());
}

// ---- the reference document ----

// The complete example in config/README.md must load as documented.
TEST_F(ConfigTest, ReferenceExampleLoads) {
  std::ifstream readme(fs::path(EDGERUN_SOURCE_DIR) / "config" / "README.md");
  std::string text((std::istreambuf_iterator<char>(readme)), std::istreambuf_iterator<char>());
  size_t start = text.find("```json\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  std::string example = text.substr(start, text.find("```", start) - start);

  WriteFile("examples/hello/index.js", "export default {};\n");
  WriteFile("config/secrets/token.txt", "token\n");
  env_["EDGERUN_API_KEY"] = "key";
  ConfigResult result = ParseConfig(example, dir_ / "config" / "edgerun.json", Env());
  ASSERT_TRUE(result.ok()) << result.ErrorText();
  EXPECT_THAT(result.warnings, IsEmpty());
  EXPECT_EQ(result.config->workers.at(0).spec.main, dir_ / "examples" / "hello" / "index.js");
}

// ---- misc ----

TEST_F(ConfigTest, ErrorTextIsOneLinePerError) {
  ConfigResult result;
  EXPECT_EQ(result.ErrorText(), "");
  result.errors = {{"a: $: one"}, {"a: $: two"}};
  EXPECT_EQ(result.ErrorText(), "a: $: one\na: $: two");
}

TEST_F(ConfigTest, ProcessEnvReadsTheEnvironment) {
  ::setenv("EDGERUN_CONFIG_TEST_VARIABLE", "value-1", 1);
  EnvLookup env = ProcessEnv();
  EXPECT_EQ(env("EDGERUN_CONFIG_TEST_VARIABLE"), "value-1");
  ::unsetenv("EDGERUN_CONFIG_TEST_VARIABLE");
  EXPECT_EQ(env("EDGERUN_CONFIG_TEST_VARIABLE"), std::nullopt);
}

}  // namespace
}  // namespace edgerun::runtime
