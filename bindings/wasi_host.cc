#include "bindings/wasi_host.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <filesystem>

namespace edgerun::bindings::wasi {
namespace {

// witx constants
constexpr uint8_t kFiletypeUnknown = 0;
constexpr uint8_t kFiletypeCharacterDevice = 2;
constexpr uint8_t kFiletypeDirectory = 3;
constexpr uint8_t kFiletypeRegularFile = 4;
constexpr uint8_t kFiletypeSymbolicLink = 7;

constexpr uint32_t kClockRealtime = 0;
constexpr uint32_t kClockMonotonic = 1;
constexpr uint32_t kClockProcessCputime = 2;
constexpr uint32_t kClockThreadCputime = 3;

constexpr uint32_t kWhenceSet = 0;
constexpr uint32_t kWhenceCur = 1;
constexpr uint32_t kWhenceEnd = 2;

constexpr uint32_t kOflagCreat = 1;
constexpr uint32_t kOflagDirectory = 2;
constexpr uint32_t kOflagExcl = 4;
constexpr uint32_t kOflagTrunc = 8;

constexpr uint32_t kFdflagAppend = 1;
constexpr uint32_t kFdflagNonblock = 4;

constexpr uint32_t kLookupSymlinkFollow = 1;

constexpr uint64_t Right(int bit) {
  return uint64_t{1} << bit;
}
constexpr uint64_t kRightFdRead = Right(1);
constexpr uint64_t kRightFdSeek = Right(2);
constexpr uint64_t kRightFdFdstatSetFlags = Right(3);
constexpr uint64_t kRightFdTell = Right(5);
constexpr uint64_t kRightFdWrite = Right(6);
constexpr uint64_t kRightFdAdvise = Right(7);
constexpr uint64_t kRightFdAllocate = Right(8);
constexpr uint64_t kRightPathOpen = Right(13);
constexpr uint64_t kRightFdReaddir = Right(14);
constexpr uint64_t kRightPathFilestatGet = Right(18);
constexpr uint64_t kRightFdFilestatGet = Right(21);
constexpr uint64_t kRightFdFilestatSetSize = Right(22);
constexpr uint64_t kRightFdFilestatSetTimes = Right(23);
constexpr uint64_t kRightPollFdReadwrite = Right(27);

constexpr uint64_t kFileRights = kRightFdRead | kRightFdSeek | kRightFdTell | kRightFdAdvise |
                                 kRightFdFilestatGet | kRightPollFdReadwrite |
                                 kRightFdFdstatSetFlags;
constexpr uint64_t kDirRights = kRightPathOpen | kRightFdReaddir | kRightPathFilestatGet |
                                kRightFdFilestatGet | kRightFdFdstatSetFlags;
// What a directory lets files below it have. Includes the write rights so that a guest asking
// for them reaches path_open and gets EROFS, not a quiet read-only descriptor.
constexpr uint64_t kInheritedRights = kFileRights | kDirRights | kRightFdWrite | kRightFdAllocate |
                                      kRightFdFilestatSetSize | kRightFdFilestatSetTimes;
// wasi-libc asks for every right except the ones that contradict the open mode, so only these
// tell a write apart from a read.
constexpr uint64_t kWriteRights = kRightFdWrite | kRightFdAllocate | kRightFdFilestatSetSize;

constexpr uint8_t kEventClock = 0;
constexpr uint8_t kEventFdRead = 1;
constexpr uint8_t kEventFdWrite = 2;

uint16_t FromErrno(int e) {
  switch (e) {
    case EACCES:
      return kAcces;
    case EBADF:
      return kBadf;
    case EEXIST:
      return kExist;
    case EFBIG:
      return kFbig;
    case EINVAL:
      return kInval;
    case EISDIR:
      return kIsdir;
    case ELOOP:
      return kLoop;
    case EMFILE:
    case ENFILE:
      return kMfile;
    case ENAMETOOLONG:
      return kNametoolong;
    case ENOENT:
      return kNoent;
    case ENOMEM:
      return kNomem;
    case ENOTDIR:
      return kNotdir;
    case EPERM:
      return kPerm;
    case EROFS:
      return kRofs;
    case EXDEV:
      return kNotcapable;  // openat2: the path tried to leave the directory
    default:
      return kIo;
  }
}

class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

uint64_t Nanos(const struct timespec& ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

bool ClockId(uint32_t id, clockid_t* out) {
  switch (id) {
    case kClockRealtime:
      *out = CLOCK_REALTIME;
      return true;
    case kClockMonotonic:
      *out = CLOCK_MONOTONIC;
      return true;
    case kClockProcessCputime:
      *out = CLOCK_PROCESS_CPUTIME_ID;
      return true;
    case kClockThreadCputime:
      *out = CLOCK_THREAD_CPUTIME_ID;
      return true;
    default:
      return false;
  }
}

uint8_t FiletypeOf(mode_t mode) {
  if (S_ISDIR(mode)) return kFiletypeDirectory;
  if (S_ISREG(mode)) return kFiletypeRegularFile;
  if (S_ISLNK(mode)) return kFiletypeSymbolicLink;
  if (S_ISCHR(mode)) return kFiletypeCharacterDevice;
  return kFiletypeUnknown;
}

// Writes a 64-byte witx `filestat`.
bool StoreFilestat(const GuestMemory& m, uint32_t ptr, uint64_t dev, uint64_t ino, uint8_t filetype,
                   uint64_t nlink, uint64_t size, uint64_t atim, uint64_t mtim, uint64_t ctim) {
  if (m.Bytes(ptr, 64) == nullptr) return false;
  std::memset(m.Bytes(ptr, 64), 0, 64);
  return m.Store<uint64_t>(ptr, dev) && m.Store<uint64_t>(ptr + 8, ino) &&
         m.Store<uint8_t>(ptr + 16, filetype) && m.Store<uint64_t>(ptr + 24, nlink) &&
         m.Store<uint64_t>(ptr + 32, size) && m.Store<uint64_t>(ptr + 40, atim) &&
         m.Store<uint64_t>(ptr + 48, mtim) && m.Store<uint64_t>(ptr + 56, ctim);
}

bool StoreStat(const GuestMemory& m, uint32_t ptr, const struct stat& st) {
  return StoreFilestat(m, ptr, st.st_dev, st.st_ino, FiletypeOf(st.st_mode), st.st_nlink,
                       static_cast<uint64_t>(st.st_size), Nanos(st.st_atim), Nanos(st.st_mtim),
                       Nanos(st.st_ctim));
}

// Sizes of a NUL-terminated string list (args, environ) and the writes that lay it out.
uint16_t ListSizes(const std::vector<std::string>& list, const GuestMemory& m, uint32_t count_ptr,
                   uint32_t size_ptr) {
  uint64_t size = 0;
  for (const std::string& s : list)
    size += s.size() + 1;
  if (size > UINT32_MAX) return kOverflow;
  if (!m.Store<uint32_t>(count_ptr, static_cast<uint32_t>(list.size())) ||
      !m.Store<uint32_t>(size_ptr, static_cast<uint32_t>(size))) {
    return kFault;
  }
  return kSuccess;
}

uint16_t ListGet(const std::vector<std::string>& list, const GuestMemory& m, uint32_t ptrs,
                 uint32_t buf) {
  uint64_t at = buf;
  for (size_t i = 0; i < list.size(); i++) {
    const std::string& s = list[i];
    uint8_t* dest = m.Bytes(at, s.size() + 1);
    if (dest == nullptr || !m.Store<uint32_t>(ptrs + 4 * uint64_t{i}, static_cast<uint32_t>(at))) {
      return kFault;
    }
    std::memcpy(dest, s.data(), s.size());
    dest[s.size()] = 0;
    at += s.size() + 1;
  }
  return kSuccess;
}

// The openat2-less walk: one component at a time, refusing `..` and symlinks anywhere.
int OpenBeneathByWalk(int root_fd, const std::string& path, bool directory) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(start, slash - start);
    if (part == "..") return -EXDEV;
    if (!part.empty() && part != ".") parts.push_back(std::move(part));
    start = slash + 1;
  }
  int current = ::dup(root_fd);
  if (current < 0) return -errno;
  for (size_t i = 0; i < parts.size(); i++) {
    bool last = i + 1 == parts.size();
    int flags = O_CLOEXEC | O_NOFOLLOW;
    flags |= last ? (O_RDONLY | (directory ? O_DIRECTORY : 0)) : (O_PATH | O_DIRECTORY);
    int next = ::openat(current, parts[i].c_str(), flags);
    int error = errno;
    ::close(current);
    if (next < 0) return -error;
    current = next;
  }
  if (parts.empty()) {
    // The directory itself: reopen it readable.
    int self = ::openat(current, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int error = errno;
    ::close(current);
    return self < 0 ? -error : self;
  }
  return current;
}

// Joins a directory entry's relative path and a guest path (both relative).
std::string JoinRelative(const std::string& base, std::string_view path) {
  if (base.empty()) return std::string(path);
  return base + "/" + std::string(path);
}

}  // namespace

const char* const kPreview1Functions[] = {
    "args_get",
    "args_sizes_get",
    "environ_get",
    "environ_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "sched_yield",
    "random_get",
    "sock_accept",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
};
const size_t kPreview1FunctionCount = sizeof(kPreview1Functions) / sizeof(kPreview1Functions[0]);

int OpenBeneath(int root_fd, const std::string& path, bool directory, bool follow_final_symlink,
                bool use_openat2) {
  if (path.find('\0') != std::string::npos) return -EINVAL;
  if (!path.empty() && path[0] == '/') return -EXDEV;
  if (use_openat2) {
    struct open_how how {};
    how.flags = O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0) |
                (follow_final_symlink ? 0 : O_NOFOLLOW);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    const char* p = path.empty() ? "." : path.c_str();
    long fd = ::syscall(SYS_openat2, root_fd, p, &how, sizeof(how));
    if (fd >= 0) return static_cast<int>(fd);
    if (errno != ENOSYS && errno != EPERM) return -errno;  // EPERM: seccomp may refuse openat2
  }
  return OpenBeneathByWalk(root_fd, path, directory);
}

WasiHost::WasiHost(Options options) : options_(std::move(options)) {
  fds_[0] = Entry(Kind::kStdin);
  fds_[1] = Entry(Kind::kStdout);
  fds_[2] = Entry(Kind::kStderr);
  for (size_t i = 0; i < options_.preopens.size(); i++) {
    Entry dir(Kind::kDir);
    dir.preopen = i;
    dir.is_preopen = true;
    fds_[static_cast<uint32_t>(3 + i)] = std::move(dir);
  }
}

WasiHost::Entry* WasiHost::Find(uint32_t fd) {
  auto it = fds_.find(fd);
  return it == fds_.end() ? nullptr : &it->second;
}

uint16_t WasiHost::ArgsSizesGet(const GuestMemory& m, uint32_t argc_ptr, uint32_t buf_size_ptr) {
  return ListSizes(options_.args, m, argc_ptr, buf_size_ptr);
}

uint16_t WasiHost::ArgsGet(const GuestMemory& m, uint32_t argv_ptr, uint32_t buf_ptr) {
  return ListGet(options_.args, m, argv_ptr, buf_ptr);
}

uint16_t WasiHost::EnvironSizesGet(const GuestMemory& m, uint32_t count_ptr,
                                   uint32_t buf_size_ptr) {
  return ListSizes(options_.env, m, count_ptr, buf_size_ptr);
}

uint16_t WasiHost::EnvironGet(const GuestMemory& m, uint32_t environ_ptr, uint32_t buf_ptr) {
  return ListGet(options_.env, m, environ_ptr, buf_ptr);
}

uint16_t WasiHost::ClockResGet(const GuestMemory& m, uint32_t id, uint32_t res_ptr) {
  clockid_t clock;
  if (!ClockId(id, &clock)) return kInval;
  struct timespec ts {};
  if (::clock_getres(clock, &ts) != 0) return FromErrno(errno);
  return m.Store<uint64_t>(res_ptr, Nanos(ts)) ? kSuccess : kFault;
}

uint16_t WasiHost::ClockTimeGet(const GuestMemory& m, uint32_t id, uint64_t /*precision*/,
                                uint32_t time_ptr) {
  clockid_t clock;
  if (!ClockId(id, &clock)) return kInval;
  struct timespec ts {};
  if (::clock_gettime(clock, &ts) != 0) return FromErrno(errno);
  return m.Store<uint64_t>(time_ptr, Nanos(ts)) ? kSuccess : kFault;
}

uint16_t WasiHost::RandomGet(const GuestMemory& m, uint32_t buf, uint32_t len) {
  uint8_t* dest = m.Bytes(buf, len);
  if (dest == nullptr) return kFault;
  while (len > 0) {
    int chunk = static_cast<int>(std::min<uint32_t>(len, 1u << 20));
    if (RAND_bytes(dest, chunk) != 1) return kIo;
    dest += chunk;
    len -= chunk;
  }
  return kSuccess;
}

uint16_t WasiHost::FdWrite(const GuestMemory& m, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                           uint32_t nwritten_ptr) {
  Entry* entry = Find(fd);
  if (entry == nullptr) return kBadf;
  if (entry->kind != Kind::kStdout && entry->kind != Kind::kStderr) {
    return entry->kind == Kind::kDir ? kIsdir : kBadf;
  }
  std::string& sink = entry->kind == Kind::kStdout ? stdout_ : stderr_;
  if (m.Bytes(iovs, uint64_t{iovs_len} * 8) == nullptr) return kFault;
  // Check every buffer before writing any, so a fault writes nothing.
  uint64_t total = 0;
  for (uint32_t i = 0; i < iovs_len; i++) {
    uint32_t buf = 0, len = 0;
    m.Load(iovs + 8 * uint64_t{i}, &buf);
    m.Load(iovs + 8 * uint64_t{i} + 4, &len);
    if (m.Bytes(buf, len) == nullptr) return kFault;
    total += len;
  }
  if (total > UINT32_MAX) return kInval;
  if (sink.size() + total > options_.output_limit) {
    output_overflowed_ = true;
    return kFbig;
  }
  for (uint32_t i = 0; i < iovs_len; i++) {
    uint32_t buf = 0, len = 0;
    m.Load(iovs + 8 * uint64_t{i}, &buf);
    m.Load(iovs + 8 * uint64_t{i} + 4, &len);
    sink.append(reinterpret_cast<const char*>(m.Bytes(buf, len)), len);
  }
  return m.Store<uint32_t>(nwritten_ptr, static_cast<uint32_t>(total)) ? kSuccess : kFault;
}

uint16_t WasiHost::ReadInto(const GuestMemory& m, const std::string& source, uint64_t* offset,
                            uint32_t iovs, uint32_t iovs_len, uint32_t nread_ptr) {
  if (m.Bytes(iovs, uint64_t{iovs_len} * 8) == nullptr) return kFault;
  if (m.Bytes(nread_ptr, 4) == nullptr) return kFault;
  uint64_t at = *offset;
  uint64_t total = 0;
  for (uint32_t i = 0; i < iovs_len; i++) {
    uint32_t buf = 0, len = 0;
    m.Load(iovs + 8 * uint64_t{i}, &buf);
    m.Load(iovs + 8 * uint64_t{i} + 4, &len);
    uint8_t* dest = m.Bytes(buf, len);
    if (dest == nullptr) return kFault;
    if (at >= source.size()) break;
    uint64_t n = std::min<uint64_t>(len, source.size() - at);
    std::memcpy(dest, source.data() + at, n);
    at += n;
    total += n;
  }
  *offset = at;
  m.Store<uint32_t>(nread_ptr, static_cast<uint32_t>(total));
  return kSuccess;
}

uint16_t WasiHost::FdRead(const GuestMemory& m, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                          uint32_t nread_ptr) {
  Entry* entry = Find(fd);
  if (entry == nullptr) return kBadf;
  switch (entry->kind) {
    case Kind::kStdin:
      return ReadInto(m, options_.stdin_bytes, &entry->offset, iovs, iovs_len, nread_ptr);
    case Kind::kFile:
      return ReadInto(m, entry->contents, &entry->offset, iovs, iovs_len, nread_ptr);
    case Kind::kDir:
      return kIsdir;
    default:
      return kBadf;
  }
}

uint16_t WasiHost::FdPread(const GuestMemory& m, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                           uint64_t offset, uint32_t nread_ptr) {
  Entry* entry = Find(fd);
  if (entry == nullptr) return kBadf;
  if (entry->kind == Kind::kDir) return kIsdir;
  if (entry->kind != Kind::kFile) return entry->kind == Kind::kStdin ? kSpipe : kBadf;
  return ReadInto(m, entry->contents, &offset, iovs, iovs_len, nread_ptr);
}

uint16_t WasiHost::FdSeek(const GuestMemory& m, uint32_t fd, int64_t offset, uint32_t whence,
                          uint32_t newoffset_ptr) {
  Entry* entry = Find(fd);
  if (entry == nullptr) return kBadf;
  if (entry->kind == Kind::kDir) return kIsdir;
  if (entry->kind != Kind::kFile) return kSpipe;
  int64_t base;
  switch (whence) {
    case kWhenceSet:
      base = 0;
      break;
    case kWhenceCur:
      base = static_cast<int64_t>(entry->offset);
      break;
    case kWhenceEnd:
      base = static_cast<int64_t>(entry->contents.size());
      break;
    default:
      return kInval;
  }
  if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0) return kInval;
  uint64_t target = static_cast<uint64_t>(base + offset);
  if (m.Bytes(newoffset_ptr, 8) == nullptr) return kFault;
  entry->offset = target;
  m.Store<uint64_t>(newoffset_ptr, target);
  return kSuccess;
}

uint16_t WasiHost::FdTell(const GuestMemory& m, uint32_t fd, uint32_t offset_ptr) {
  return FdSeek(m, fd, 0, kWhenceCur, offset_ptr);
}

uint16_t WasiHost::FdClose(uint32_t fd) {
  return fds_.erase(fd) ? kSuccess : kBadf;
}

uint16_t WasiHost::FdFdstatGet(const GuestMemory& m, uint32_t fd, uint32_t stat_ptr) {
  Entry* entry = Find(fd);
  if (entry == nullptr) return kBadf;
  uint8_t filetype = kFiletypeCharacterDevice;
  uint64_t base = 0, inheriting = 0;
  switch (entry->kind) {
    case Kind::kStdin:
      base = kRightFdRead | kRightPollFdReadwrite | kRightFdFdstatSetFlags;
      break;
    case Kind::kStdout:
    case Kind::kStderr:
      base = kRightFdWrite | kRightPollFdReadwrite | kRightFdFdstatSetFlags;
      break;
    case Kind::kDir:
      filetype = kFiletypeDirectory;
      base = kDirRights;
      inheriting = kInheritedRights;
      break;
    case Kind::kFile:
      filetype = kFiletypeRegularFile;
      base = kFileRights;
      break;
  }
  uint8_t* p = m.Bytes(stat_ptr, 24);
  if (p == nullptr) return kFault;
  std::memset(p, 0, 24);
  m.Store<uint8_t>(stat_ptr, filetype);
  m.Store<uint16_t>(stat_ptr + 2, 0);
  m.Store<uint64_t>(stat_ptr + 8, base);
  m.Store<uint64_t>(stat_ptr + 16, inheriting);
  return kSuccess;
}

// Nothing here blocks (stdin is all there from the start) and nothing is appended to, so
// NONBLOCK is accepted as the no-op it is; other flags are not supported.
uint16_t WasiHost::FdFdstatSetFlags(uint32_t fd, uint32_t flags) {
  if (Find(fd) == nullptr) return kBadf;
  return (flags & ~kFdflagNonblock) == 0 ? kSuccess : kNotsup;
}

uint16_t WasiHost::FdFilestatGet(const GuestMemory& m, uint32_t fd, uint32_t stat_ptr) {
  Entry* entry = Find(fd);
  if (entry == nullptr) return kBadf;
  bool ok;
  switch (entry->kind) {
    case Kind::kFile:
      ok = StoreFilestat(m, stat_ptr, entry->dev, entry->ino, kFiletypeRegularFile, entry->nlink,
                         entry->contents.size(), entry->atim, entry->mtim, entry->ctim);
      break;
    case Kind::kDir: {
      std::string ignored;
      int fd_host = OpenUnder(*entry, "", true, true, &ignored);
      if (fd_host < 0) return FromErrno(-fd_host);
      ScopedFd guard(fd_host);
      struct stat st {};
      if (::fstat(fd_host, &st) != 0) return FromErrno(errno);
      ok = StoreStat(m, stat_ptr, st);
      break;
    }
    default:
      ok = StoreFilestat(m, stat_ptr, 0, 0, kFiletypeCharacterDevice, 1, 0, 0, 0, 0);
      break;
  }
  return ok ? kSuccess : kFault;
}

uint16_t WasiHost::FdPrestatGet(const GuestMemory& m, uint32_t fd, uint32_t prestat_ptr) {
  Entry* entry = Find(fd);
  if (entry == nullptr || !entry->is_preopen) return kBadf;
  const std::string& name = options_.preopens[entry->preopen].guest_path;
  if (m.Bytes(prestat_ptr, 8) == nullptr) return kFault;
  m.Store<uint32_t>(prestat_ptr, 0);  // tag 0: a directory (and zeroed padding)
  m.Store<uint32_t>(prestat_ptr + 4, static_cast<uint32_t>(name.size()));
  return kSuccess;
}

uint16_t WasiHost::FdPrestatDirName(const GuestMemory& m, uint32_t fd, uint32_t path_ptr,
                                    uint32_t path_len) {
  Entry* entry = Find(fd);
  if (entry == nullptr || !entry->is_preopen) return kBadf;
  const std::string& name = options_.preopens[entry->preopen].guest_path;
  if (path_len < name.size()) return kNametoolong;
  uint8_t* dest = m.Bytes(path_ptr, name.size());
  if (dest == nullptr) return kFault;
  std::memcpy(dest, name.data(), name.size());
  return kSuccess;
}

int WasiHost::OpenUnder(const Entry& dir, std::string_view path, bool directory, bool follow,
                        std::string* relative) {
  const Preopen& preopen = options_.preopens[dir.preopen];
  int root = ::open(preopen.host_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return -errno;
  ScopedFd root_guard(root);
  std::string joined = JoinRelative(dir.relative, path);
  *relative = std::filesystem::path(joined).lexically_normal().generic_string();
  if (*relative == ".") relative->clear();
  while (!relative->empty() && relative->back() == '/')
    relative->pop_back();
  return OpenBeneath(root, joined, directory, follow, use_openat2_);
}

uint16_t WasiHost::PathOpen(const GuestMemory& m, uint32_t dirfd, uint32_t dirflags,
                            uint32_t path_ptr, uint32_t path_len, uint32_t oflags,
                            uint64_t rights_base, uint64_t /*rights_inheriting*/, uint32_t fdflags,
                            uint32_t fd_ptr) {
  Entry* dir = Find(dirfd);
  if (dir == nullptr) return kBadf;
  if (dir->kind != Kind::kDir) return kNotdir;
  const uint8_t* bytes = m.Bytes(path_ptr, path_len);
  if (bytes == nullptr || m.Bytes(fd_ptr, 4) == nullptr) return kFault;
  std::string_view path(reinterpret_cast<const char*>(bytes), path_len);
  // Read-only: nothing may be created, truncated, appended to or written.
  if ((oflags & (kOflagCreat | kOflagExcl | kOflagTrunc)) != 0 || (fdflags & kFdflagAppend) != 0 ||
      (rights_base & kWriteRights) != 0) {
    return kRofs;
  }
  if (!path.empty() && path.front() == '/') return kNotcapable;
  if (path.find('\0') != std::string_view::npos) return kInval;
  bool directory = (oflags & kOflagDirectory) != 0;
  std::string relative;
  int fd = OpenUnder(*dir, path, directory, (dirflags & kLookupSymlinkFollow) != 0, &relative);
  if (fd < 0) return FromErrno(-fd);
  ScopedFd guard(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return FromErrno(errno);
  Entry entry(S_ISDIR(st.st_mode) ? Kind::kDir : Kind::kFile);
  entry.preopen = dir->preopen;
  if (entry.kind == Kind::kDir) {
    entry.relative = std::move(relative);
  } else {
    if (!S_ISREG(st.st_mode)) return kNotsup;
    if (static_cast<uint64_t>(st.st_size) > options_.file_limit) return kFbig;
    entry.contents.resize(static_cast<size_t>(st.st_size));
    size_t got = 0;
    while (got < entry.contents.size()) {
      ssize_t n = ::read(fd, entry.contents.data() + got, entry.contents.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return FromErrno(errno);
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    entry.contents.resize(got);
    entry.dev = st.st_dev;
    entry.ino = st.st_ino;
    entry.nlink = st.st_nlink;
    entry.atim = Nanos(st.st_atim);
    entry.mtim = Nanos(st.st_mtim);
    entry.ctim = Nanos(st.st_ctim);
  }
  uint32_t new_fd = fds_.empty() ? 0 : fds_.rbegin()->first + 1;
  if (new_fd == 0 || fds_.size() >= 1024) return kMfile;
  fds_[new_fd] = std::move(entry);
  m.Store<uint32_t>(fd_ptr, new_fd);
  return kSuccess;
}

uint16_t WasiHost::PathFilestatGet(const GuestMemory& m, uint32_t dirfd, uint32_t flags,
                                   uint32_t path_ptr, uint32_t path_len, uint32_t stat_ptr) {
  Entry* dir = Find(dirfd);
  if (dir == nullptr) return kBadf;
  if (dir->kind != Kind::kDir) return kNotdir;
  const uint8_t* bytes = m.Bytes(path_ptr, path_len);
  if (bytes == nullptr || m.Bytes(stat_ptr, 64) == nullptr) return kFault;
  std::string_view path(reinterpret_cast<const char*>(bytes), path_len);
  if (!path.empty() && path.front() == '/') return kNotcapable;
  if (path.find('\0') != std::string_view::npos) return kInval;
  // Opening a directory for reading needs O_DIRECTORY and a file must not have it: try both.
  std::string relative;
  bool follow = (flags & kLookupSymlinkFollow) != 0;
  int fd = OpenUnder(*dir, path, false, follow, &relative);
  if (fd == -EISDIR) fd = OpenUnder(*dir, path, true, follow, &relative);
  if (fd < 0) return FromErrno(-fd);
  ScopedFd guard(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return FromErrno(errno);
  return StoreStat(m, stat_ptr, st) ? kSuccess : kFault;
}

// The entries of a directory (with "." and ".."), sorted by name so that cookies (indexes)
// stay valid from one call to the next.
uint16_t WasiHost::FdReaddir(const GuestMemory& m, uint32_t fd, uint32_t buf, uint32_t buf_len,
                             uint64_t cookie, uint32_t bufused_ptr) {
  Entry* entry = Find(fd);
  if (entry == nullptr) return kBadf;
  if (entry->kind != Kind::kDir) return kNotdir;
  uint8_t* out = m.Bytes(buf, buf_len);
  if (out == nullptr || m.Bytes(bufused_ptr, 4) == nullptr) return kFault;
  std::string ignored;
  int dir_fd = OpenUnder(*entry, "", true, true, &ignored);
  if (dir_fd < 0) return FromErrno(-dir_fd);
  DIR* dir = ::fdopendir(dir_fd);
  if (dir == nullptr) {
    ::close(dir_fd);
    return FromErrno(errno);
  }
  struct Dirent {
    std::string name;
    uint64_t ino;
    uint8_t type;
  };
  std::vector<Dirent> entries;
  while (struct dirent* d = ::readdir(dir)) {
    uint8_t type = kFiletypeUnknown;
    switch (d->d_type) {
      case DT_DIR:
        type = kFiletypeDirectory;
        break;
      case DT_REG:
        type = kFiletypeRegularFile;
        break;
      case DT_LNK:
        type = kFiletypeSymbolicLink;
        break;
      case DT_CHR:
        type = kFiletypeCharacterDevice;
        break;
      default:
        break;
    }
    entries.push_back({d->d_name, d->d_ino, type});
  }
  ::closedir(dir);
  std::sort(entries.begin(), entries.end(),
            [](const Dirent& a, const Dirent& b) { return a.name < b.name; });
  // Each entry: a 24-byte witx `dirent` then its name. A last entry that does not fit is cut
  // short and the buffer reported full, which tells the guest to retry with a bigger one.
  uint64_t used = 0;
  for (uint64_t i = cookie; i < entries.size() && used < buf_len; i++) {
    uint8_t header[24] = {};
    uint64_t next = i + 1;
    uint32_t namlen = static_cast<uint32_t>(entries[i].name.size());
    std::memcpy(header, &next, 8);
    std::memcpy(header + 8, &entries[i].ino, 8);
    std::memcpy(header + 16, &namlen, 4);
    header[20] = entries[i].type;
    std::string record(reinterpret_cast<const char*>(header), sizeof header);
    record += entries[i].name;
    uint64_t n = std::min<uint64_t>(record.size(), buf_len - used);
    std::memcpy(out + used, record.data(), n);
    used += n;
  }
  m.Store<uint32_t>(bufused_ptr, static_cast<uint32_t>(used));
  return kSuccess;
}

uint16_t WasiHost::PollOneoff(const GuestMemory& m, uint32_t in, uint32_t out,
                              uint32_t nsubscriptions, uint32_t nevents_ptr) {
  if (nsubscriptions == 0) return kInval;
  if (m.Bytes(in, uint64_t{nsubscriptions} * 48) == nullptr ||
      m.Bytes(out, uint64_t{nsubscriptions} * 32) == nullptr ||
      m.Bytes(nevents_ptr, 4) == nullptr) {
    return kFault;
  }
  // File descriptors are always ready (stdin is all there, output never blocks): they answer at
  // once. With none, the earliest clock wakes the guest after a real sleep on this thread.
  uint32_t events = 0;
  auto emit = [&](uint64_t userdata, uint16_t error, uint8_t type, uint64_t nbytes) {
    uint64_t e = out + 32 * uint64_t{events++};
    std::memset(m.Bytes(e, 32), 0, 32);
    m.Store<uint64_t>(e, userdata);
    m.Store<uint16_t>(e + 8, error);
    m.Store<uint8_t>(e + 10, type);
    m.Store<uint64_t>(e + 16, nbytes);
  };
  uint64_t earliest_ns = UINT64_MAX;
  uint64_t earliest_userdata = 0;
  bool any_fd = false;
  for (uint32_t i = 0; i < nsubscriptions; i++) {
    uint64_t s = in + 48 * uint64_t{i};
    uint64_t userdata = 0;
    uint8_t tag = 0;
    m.Load(s, &userdata);
    m.Load(s + 8, &tag);
    if (tag == kEventClock) {
      uint32_t id = 0;
      uint64_t timeout = 0;
      uint16_t clock_flags = 0;
      m.Load(s + 16, &id);
      m.Load(s + 24, &timeout);
      m.Load(s + 40, &clock_flags);
      clockid_t clock;
      if (!ClockId(id, &clock)) {
        emit(userdata, kInval, kEventClock, 0);
        continue;
      }
      uint64_t wait = timeout;
      if ((clock_flags & 1) != 0) {  // subscription_clock_abstime
        struct timespec now {};
        ::clock_gettime(clock, &now);
        wait = timeout > Nanos(now) ? timeout - Nanos(now) : 0;
      }
      if (wait < earliest_ns) {
        earliest_ns = wait;
        earliest_userdata = userdata;
      }
    } else if (tag == kEventFdRead || tag == kEventFdWrite) {
      uint32_t fd = 0;
      m.Load(s + 16, &fd);
      Entry* entry = Find(fd);
      uint64_t nbytes = 0;
      uint16_t error = kSuccess;
      if (entry == nullptr) {
        error = kBadf;
      } else if (tag == kEventFdRead && entry->kind == Kind::kStdin) {
        nbytes = options_.stdin_bytes.size() -
                 std::min<uint64_t>(entry->offset, options_.stdin_bytes.size());
      } else if (tag == kEventFdRead && entry->kind == Kind::kFile) {
        nbytes = entry->contents.size() - std::min<uint64_t>(entry->offset, entry->contents.size());
      }
      emit(userdata, error, tag, nbytes);
      any_fd = true;
    } else {
      emit(userdata, kInval, tag, 0);
      any_fd = true;
    }
  }
  if (!any_fd && earliest_ns != UINT64_MAX) {
    // The guest is synchronous, so a sleep holds the loop thread: bounded per host.
    if (earliest_ns > options_.sleep_limit_ns - std::min(slept_ns_, options_.sleep_limit_ns)) {
      emit(earliest_userdata, kNotsup, kEventClock, 0);
    } else {
      struct timespec ts {};
      ts.tv_sec = static_cast<time_t>(earliest_ns / 1'000'000'000u);
      ts.tv_nsec = static_cast<long>(earliest_ns % 1'000'000'000u);
      while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
      }
      slept_ns_ += earliest_ns;
      emit(earliest_userdata, kSuccess, kEventClock, 0);
    }
  }
  m.Store<uint32_t>(nevents_ptr, events);
  return kSuccess;
}

}  // namespace edgerun::bindings::wasi
