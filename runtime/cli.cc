#include "runtime/cli.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "isolates/code_cache.h"
#include "isolates/v8_platform.h"
#include "isolates/worker_check.h"
#include "runtime/config.h"
#include "runtime/log.h"
#include "runtime/server.h"

namespace edgerun::runtime {
namespace {

constexpr const char* kUsage =
    "edgerun " EDGERUN_VERSION
    " - a multi-tenant edge worker runtime\n"
    "\n"
    "Usage:\n"
    "  edgerun serve --config FILE [--listen ADDR:PORT]... [--threads N] [--watch]\n"
    "                [--log-level LEVEL]\n"
    "  edgerun check --config FILE\n"
    "  edgerun --version\n"
    "  edgerun --help\n"
    "\n"
    "Commands:\n"
    "  serve   Serve the workers of FILE over HTTP until SIGINT/SIGTERM (graceful shutdown);\n"
    "          SIGHUP reloads FILE (changed workers get new isolates, in-flight requests\n"
    "          finish on the old ones; a broken config is rejected and the old one kept).\n"
    "  check   Validate FILE and load every worker (compile, run top-level code); exit 1 on\n"
    "          any error, printing file:line:column for syntax errors.\n"
    "\n"
    "Options:\n"
    "  --config FILE       the JSON config (see config/README.md)\n"
    "  --listen ADDR:PORT  listen here instead of the config's \"listen\" (repeatable);\n"
    "                      requests are routed by the workers' \"routes\"\n"
    "  --threads N         event-loop threads (default: config \"threads\", else one per core)\n"
    "  --watch             reload when the config or a worker's files change (development);\n"
    "                      SIGHUP reloads too\n"
    "  --log-level LEVEL   debug | info | warn | error (default: info)\n";

struct Options {
  std::string command;
  std::string config;
  std::vector<std::string> listen;
  unsigned threads = 0;
  bool watch = false;
  LogLevel log_level = LogLevel::kInfo;
};

int UsageError(const std::string& message) {
  std::fprintf(stderr, "edgerun: %s\nRun 'edgerun --help' for usage.\n", message.c_str());
  return 2;
}

// Parses argv into *options; returns -1 to continue, else an exit code.
int Parse(int argc, char** argv, Options* options) {
  if (argc < 2) return UsageError("missing command");
  std::string_view first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (first == "--version" || first == "-V" || first == "version") {
    std::printf("edgerun %s (V8 %s)\n", EDGERUN_VERSION, v8::V8::GetVersion());
    return 0;
  }
  if (first != "serve" && first != "check") {
    return UsageError("unknown command '" + std::string(first) + "'");
  }
  options->command = first;
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string value;
    auto take_value = [&](std::string_view name) -> bool {
      if (arg.size() > name.size() && arg.substr(0, name.size()) == name &&
          arg[name.size()] == '=') {
        value = arg.substr(name.size() + 1);
        return true;
      }
      if (arg != name) return false;
      if (i + 1 >= argc) return false;
      value = argv[++i];
      return true;
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (take_value("--config")) {
      options->config = value;
    } else if (take_value("--listen") && options->command == "serve") {
      options->listen.push_back(value);
    } else if (take_value("--threads") && options->command == "serve") {
      char* end = nullptr;
      long n = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0' || n < 1 || n > 256) {
        return UsageError("--threads needs a number from 1 to 256, got '" + value + "'");
      }
      options->threads = static_cast<unsigned>(n);
    } else if (arg == "--watch" && options->command == "serve") {
      options->watch = true;
    } else if (take_value("--log-level")) {
      if (!Logger::ParseLevel(value, &options->log_level)) {
        return UsageError("--log-level must be debug, info, warn or error, got '" + value + "'");
      }
    } else if (arg == "--config" || arg == "--listen" || arg == "--threads" ||
               arg == "--log-level") {
      return UsageError(std::string(arg) + " needs a value");
    } else {
      return UsageError("unknown option '" + std::string(arg) + "' for '" + options->command + "'");
    }
  }
  if (options->config.empty()) return UsageError(options->command + " needs --config FILE");
  return -1;
}

std::shared_ptr<const Config> Load(const Options& options) {
  ConfigResult result = LoadConfig(options.config, ProcessEnv());
  for (const std::string& warning : result.warnings) {
    std::fprintf(stderr, "warning: %s\n", warning.c_str());
  }
  if (!result.ok()) {
    std::fputs(result.ErrorText().c_str(), stderr);
    if (!result.ErrorText().empty() && result.ErrorText().back() != '\n') std::fputc('\n', stderr);
    return nullptr;
  }
  return result.config;
}

int Check(const Options& options) {
  std::shared_ptr<const Config> config = Load(options);
  if (!config) return 1;
  isolates::V8Platform::Initialize(std::getenv("EDGERUN_V8_FLAGS"));
  int failed = 0;
  for (const WorkerConfig& worker : config->workers) {
    std::string error;
    if (!isolates::CheckWorker(worker.spec, TenantLimitsOf(*config), Logger::Get(), &error)) {
      std::fprintf(stderr, "error: worker \"%s\": %s\n", worker.spec.name.c_str(), error.c_str());
      ++failed;
    }
  }
  if (failed > 0) {
    std::fprintf(stderr, "%s: %d of %zu workers failed to load\n", options.config.c_str(), failed,
                 config->workers.size());
    return 1;
  }
  std::printf("%s: ok (%zu %s)\n", options.config.c_str(), config->workers.size(),
              config->workers.size() == 1 ? "worker" : "workers");
  return 0;
}

int Serve(const Options& options) {
  std::shared_ptr<const Config> loaded = Load(options);
  if (!loaded) return 1;
  ServeOverrides overrides;
  overrides.threads = options.threads;
  overrides.watch = options.watch;
  for (const std::string& text : options.listen) {
    std::string error;
    std::optional<ListenAddress> address = ParseListenAddress(text, &error);
    if (!address) return UsageError("--listen " + text + ": " + error);
    overrides.listen.push_back(*address);
  }
  auto config = std::make_shared<Config>(*loaded);
  ApplyOverrides(overrides, config.get());
  isolates::V8Platform::Initialize(std::getenv("EDGERUN_V8_FLAGS"));
  isolates::V8Platform::SetWasmMemoryLimit(config->memory_mb);
  if (!config->code_cache_dir.empty()) {
    isolates::CodeCache::Get().SetDirectory(config->code_cache_dir);
  }
  Server server(config, overrides);
  std::string error;
  if (!server.Bind(&error)) {
    Logger::Get().Log(LogLevel::kError, "server", error);
    return 1;
  }
  return server.Run();
}

}  // namespace

int RunCli(int argc, char** argv) {
  Options options;
  int code = Parse(argc, argv, &options);
  if (code >= 0) return code;
  Logger::Get().set_min_level(options.log_level);
  code = options.command == "check" ? Check(options) : Serve(options);
  return code;
}

}  // namespace edgerun::runtime
