#include "runtime/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace edgerun::runtime {
namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::nullopt_t Fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ReadFile(const std::filesystem::path& path, std::string* error) {
  // O_NONBLOCK: opening a FIFO by mistake must not hang startup; regular files ignore it.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return Fail(error, std::strerror(errno));
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) return Fail(error, std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return Fail(error, std::strerror(EISDIR));
  if (!S_ISREG(info.st_mode)) return Fail(error, "not a regular file");

  std::string content;
  content.reserve(static_cast<size_t>(info.st_size));
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n == 0) return content;
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(error, std::strerror(errno));
    }
    content.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace edgerun::runtime
