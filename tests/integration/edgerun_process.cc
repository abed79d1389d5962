#include "tests/integration/edgerun_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <regex>

namespace edgerun::testing {
namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    out.append(buf, n);
  return out;
}

pid_t Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            int out_fd, int err_fd) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  for (const auto& [k, v] : env)
    ::setenv(k.c_str(), v.c_str(), 1);
  std::vector<char*> argv;
  std::string binary = EDGERUN_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(binary.c_str(), argv.data());
  std::fprintf(stderr, "exec %s: %s\n", binary.c_str(), std::strerror(errno));
  ::_exit(127);
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

CommandResult RunEdgerun(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env) {
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) return {};
  pid_t pid = Spawn(args, env, out[1], err[1]);
  ::close(out[1]);
  ::close(err[1]);
  CommandResult result;
  std::thread err_reader([&] { result.err = ReadAll(err[0]); });
  result.out = ReadAll(out[0]);
  err_reader.join();
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = DecodeStatus(status);
  return result;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "edgerun-it-XXXXXX").string();
  path_ = ::mkdtemp(tmpl.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::Write(const std::string& relative,
                                     const std::string& content) const {
  std::filesystem::path p = path_ / relative;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::unique_ptr<EdgerunProcess> EdgerunProcess::Start(
    const std::filesystem::path& config, std::vector<std::string> extra_args,
    const std::map<std::string, std::string>& env) {
  std::unique_ptr<EdgerunProcess> p(new EdgerunProcess());
  int err[2];
  int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (::pipe2(err, O_CLOEXEC) != 0) return p;
  std::vector<std::string> args = {"serve", "--config", config.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  p->pid_ = Spawn(args, env, devnull, err[1]);
  ::close(err[1]);
  ::close(devnull);
  p->stderr_fd_ = err[0];
  EdgerunProcess* raw = p.get();
  p->reader_ = std::thread([raw] {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(raw->stderr_fd_, buf, sizeof buf)) > 0) {
      std::lock_guard lock(raw->mutex_);
      raw->log_.append(buf, n);
    }
  });
  // Ready when the server says so (after its "listening on" lines), or dead.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::regex listening(R"(listening on http://[^ ]*:(\d+))");
  while (std::chrono::steady_clock::now() < deadline) {
    std::string text = p->log();
    if (text.find("] ready: ") != std::string::npos) {
      for (auto it = std::sregex_iterator(text.begin(), text.end(), listening);
           it != std::sregex_iterator(); ++it) {
        p->ports_.push_back(static_cast<uint16_t>(std::stoi((*it)[1])));
      }
      return p;
    }
    int status;
    if (::waitpid(p->pid_, &status, WNOHANG) == p->pid_) {
      p->exited_ = true;
      p->exit_code_ = DecodeStatus(status);
      return p;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return p;
}

EdgerunProcess::~EdgerunProcess() {
  if (pid_ > 0 && !exited_) {
    ::kill(pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
  }
  if (reader_.joinable()) reader_.join();
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

std::string EdgerunProcess::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

bool EdgerunProcess::WaitForLog(const std::string& text, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (log().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return log().find(text) != std::string::npos;
}

void EdgerunProcess::Signal(int signum) const {
  if (pid_ > 0 && !exited_) ::kill(pid_, signum);
}

int EdgerunProcess::WaitExit(std::chrono::milliseconds timeout) {
  if (exited_) return exit_code_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      exit_code_ = DecodeStatus(status);
      return exit_code_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

}  // namespace edgerun::testing
