// Starts the real edgerun binary for a test and reads its log. The server listens on an
// ephemeral loopback port (`--listen 127.0.0.1:0` unless the config binds sockets itself); the
// port is read from the "listening on http://..." log line.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace edgerun::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `edgerun args...` to completion (for check/--version/--help).
CommandResult RunEdgerun(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {});

// A temp directory with files written into it; removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path Write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

class EdgerunProcess {
 public:
  // Starts `edgerun serve --config <config> <extra args>`; waits until it listens (or fails).
  static std::unique_ptr<EdgerunProcess> Start(
      const std::filesystem::path& config,
      std::vector<std::string> extra_args = {"--listen", "127.0.0.1:0"},
      const std::map<std::string, std::string>& env = {});
  ~EdgerunProcess();  // SIGKILL if still running

  bool started() const { return !ports_.empty(); }
  uint16_t port(size_t i = 0) const { return ports_.at(i); }
  std::string log() const;
  // Waits until the log contains `text` (true) or the timeout passes (false).
  bool WaitForLog(const std::string& text, std::chrono::milliseconds timeout);
  void Signal(int signum) const;
  // Waits for exit; returns the exit code, or -1 on timeout, 128+N if killed by signal N.
  int WaitExit(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  EdgerunProcess() = default;
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  int exit_code_ = -1;
  bool exited_ = false;
  std::vector<uint16_t> ports_;
  mutable std::mutex mutex_;
  std::string log_;
  std::thread reader_;
};

}  // namespace edgerun::testing
