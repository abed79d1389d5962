// The WASI preview1 system calls as plain C++: a guest's linear memory is a (pointer, length)
// view checked on every access, and a WasiHost holds what the guest can see (args, environ,
// stdin bytes, collected stdout/stderr, read-only preopened directories, its fd table, the exit
// code). No V8 here: wasi_natives.cc is the glue, and the unit tests call these directly.
// Values and layouts follow wasi_snapshot_preview1's witx.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgerun::bindings::wasi {

// errno (witx `errno`, u16); only the values this host returns are named.
enum Errno : uint16_t {
  kSuccess = 0,
  kAcces = 2,
  kBadf = 8,
  kExist = 20,
  kFault = 21,
  kFbig = 22,
  kInval = 28,
  kIo = 29,
  kIsdir = 31,
  kLoop = 32,
  kMfile = 33,
  kNametoolong = 37,
  kNoent = 44,
  kNomem = 48,
  kNosys = 52,
  kNotdir = 54,
  kNotsup = 58,
  kOverflow = 61,
  kPerm = 63,
  kRofs = 69,
  kSpipe = 70,
  kNotcapable = 76,
};

// A guest's linear memory. Every read and write is checked against its length, so a bad guest
// pointer is an EFAULT and never touches host memory outside the view.
class GuestMemory {
 public:
  GuestMemory(uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool Contains(uint64_t offset, uint64_t length) const {
    return offset <= size_ && length <= size_ - offset;
  }
  // The bytes [offset, offset + length), or null when they are not all inside the memory.
  uint8_t* Bytes(uint64_t offset, uint64_t length) const {
    if (!Contains(offset, length)) return nullptr;
    return data_ + offset;
  }
  template <typename T>
  bool Load(uint64_t offset, T* value) const {
    const uint8_t* p = Bytes(offset, sizeof(T));
    if (p == nullptr) return false;
    std::memcpy(value, p, sizeof(T));  // wasm memory is little-endian, as is the host
    return true;
  }
  template <typename T>
  bool Store(uint64_t offset, T value) const {
    uint8_t* p = Bytes(offset, sizeof(T));
    if (p == nullptr) return false;
    std::memcpy(p, &value, sizeof(T));
    return true;
  }

 private:
  uint8_t* data_;
  size_t size_;
};

// A directory of the host the guest sees, read-only, under `guest_path` (e.g. "/data").
struct Preopen {
  std::string guest_path;
  std::string host_path;
  bool operator==(const Preopen&) const = default;
};

struct Options {
  std::vector<std::string> args;
  std::vector<std::string> env;  // "NAME=value"
  std::string stdin_bytes;
  std::vector<Preopen> preopens;
  size_t output_limit = 16u << 20;  // bytes of stdout (and again stderr) kept at once
  size_t file_limit = 16u << 20;    // a file opened through a preopen is read whole: its cap
  uint64_t sleep_limit_ns = 1'000'000'000;  // poll_oneoff clock sleeps, in total per host
};

// Opens `path` (relative) beneath the directory `root_fd` for reading, refusing any path that
// resolves outside it (`..`, absolute, symlinks out, magic links). Returns the fd or -errno.
// Uses openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS); on kernels without it (or when
// `use_openat2` is false, for the tests) walks the components itself, refusing `..` and every
// symlink.
int OpenBeneath(int root_fd, const std::string& path, bool directory, bool follow_final_symlink,
                bool use_openat2 = true);

class WasiHost {
 public:
  explicit WasiHost(Options options);

  // proc_exit was called: the glue unwinds the guest.
  bool exited() const { return exit_code_.has_value(); }
  uint32_t exit_code() const { return exit_code_.value_or(0); }
  // Collected output of fd 1 or 2 (the caller may take it away).
  std::string& output(int fd) { return fd == 2 ? stderr_ : stdout_; }
  // fd_write refused output past Options::output_limit (the glue throws).
  bool output_overflowed() const { return output_overflowed_; }
  size_t output_limit() const { return options_.output_limit; }
  // Forces the openat2-less path resolution (tests).
  void set_use_openat2(bool use) { use_openat2_ = use; }

  uint16_t ArgsSizesGet(const GuestMemory& m, uint32_t argc_ptr, uint32_t buf_size_ptr);
  uint16_t ArgsGet(const GuestMemory& m, uint32_t argv_ptr, uint32_t buf_ptr);
  uint16_t EnvironSizesGet(const GuestMemory& m, uint32_t count_ptr, uint32_t buf_size_ptr);
  uint16_t EnvironGet(const GuestMemory& m, uint32_t environ_ptr, uint32_t buf_ptr);
  uint16_t ClockResGet(const GuestMemory& m, uint32_t id, uint32_t res_ptr);
  uint16_t ClockTimeGet(const GuestMemory& m, uint32_t id, uint64_t precision, uint32_t time_ptr);
  uint16_t RandomGet(const GuestMemory& m, uint32_t buf, uint32_t len);
  uint16_t FdWrite(const GuestMemory& m, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                   uint32_t nwritten_ptr);
  uint16_t FdRead(const GuestMemory& m, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                  uint32_t nread_ptr);
  uint16_t FdPread(const GuestMemory& m, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                   uint64_t offset, uint32_t nread_ptr);
  uint16_t FdSeek(const GuestMemory& m, uint32_t fd, int64_t offset, uint32_t whence,
                  uint32_t newoffset_ptr);
  uint16_t FdTell(const GuestMemory& m, uint32_t fd, uint32_t offset_ptr);
  uint16_t FdClose(uint32_t fd);
  uint16_t FdFdstatGet(const GuestMemory& m, uint32_t fd, uint32_t stat_ptr);
  uint16_t FdFdstatSetFlags(uint32_t fd, uint32_t flags);
  uint16_t FdFilestatGet(const GuestMemory& m, uint32_t fd, uint32_t stat_ptr);
  uint16_t FdPrestatGet(const GuestMemory& m, uint32_t fd, uint32_t prestat_ptr);
  uint16_t FdPrestatDirName(const GuestMemory& m, uint32_t fd, uint32_t path_ptr,
                            uint32_t path_len);
  uint16_t PathOpen(const GuestMemory& m, uint32_t dirfd, uint32_t dirflags, uint32_t path_ptr,
                    uint32_t path_len, uint32_t oflags, uint64_t rights_base,
                    uint64_t rights_inheriting, uint32_t fdflags, uint32_t fd_ptr);
  uint16_t PathFilestatGet(const GuestMemory& m, uint32_t dirfd, uint32_t flags, uint32_t path_ptr,
                           uint32_t path_len, uint32_t stat_ptr);
  uint16_t FdReaddir(const GuestMemory& m, uint32_t fd, uint32_t buf, uint32_t buf_len,
                     uint64_t cookie, uint32_t bufused_ptr);
  uint16_t PollOneoff(const GuestMemory& m, uint32_t in, uint32_t out, uint32_t nsubscriptions,
                      uint32_t nevents_ptr);
  void ProcExit(uint32_t code) { exit_code_ = code; }

 private:
  enum class Kind { kStdin, kStdout, kStderr, kDir, kFile };
  struct Entry {
    explicit Entry(Kind k = Kind::kStdin) : kind(k) {}
    Kind kind;
    size_t preopen = 0;       // kDir/kFile: index into options_.preopens
    std::string relative;     // kDir: path below the preopen ("" for the preopen itself)
    bool is_preopen = false;  // kDir: listed by fd_prestat_get
    std::string contents;     // kFile (read whole at open) / unused
    uint64_t offset = 0;      // kStdin / kFile
    uint64_t dev = 0, ino = 0, mtim = 0, atim = 0, ctim = 0, nlink = 1;
  };

  Entry* Find(uint32_t fd);
  uint16_t ReadInto(const GuestMemory& m, const std::string& source, uint64_t* offset,
                    uint32_t iovs, uint32_t iovs_len, uint32_t nread_ptr);
  // Resolves `path` below directory entry `dir`: the host fd (or -errno) of the opened object.
  int OpenUnder(const Entry& dir, std::string_view path, bool directory, bool follow,
                std::string* relative);

  Options options_;
  std::map<uint32_t, Entry> fds_;
  std::string stdout_;
  std::string stderr_;
  bool output_overflowed_ = false;
  bool use_openat2_ = true;
  uint64_t slept_ns_ = 0;
  std::optional<uint32_t> exit_code_;
};

// Names of every wasi_snapshot_preview1 function, for the import object (the ones the host does
// not implement answer ENOSYS).
extern const char* const kPreview1Functions[];
extern const size_t kPreview1FunctionCount;

}  // namespace edgerun::bindings::wasi
