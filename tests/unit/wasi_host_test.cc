// The WASI preview1 host without V8: guest pointers are checked, stdio and args behave as a
// guest expects, and path_open stays inside its read-only preopen.
#include "bindings/wasi_host.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace edgerun::bindings::wasi {
namespace {

namespace fs = std::filesystem;

// A guest memory of 64 KiB and helpers to lay out iovecs and strings in it.
struct Guest {
  std::vector<uint8_t> bytes = std::vector<uint8_t>(65536);
  GuestMemory memory{bytes.data(), bytes.size()};

  uint32_t Put(uint32_t at, std::string_view s) {
    std::memcpy(bytes.data() + at, s.data(), s.size());
    return at;
  }
  uint32_t U32(uint32_t at) {
    uint32_t v;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
  }
  uint64_t U64(uint32_t at) {
    uint64_t v;
    std::memcpy(&v, bytes.data() + at, 8);
    return v;
  }
  void SetIov(uint32_t at, uint32_t buf, uint32_t len) {
    std::memcpy(bytes.data() + at, &buf, 4);
    std::memcpy(bytes.data() + at + 4, &len, 4);
  }
  std::string Str(uint32_t at, size_t len) {
    return std::string(reinterpret_cast<const char*>(bytes.data() + at), len);
  }
};

class TempTree {
 public:
  TempTree() {
    static int counter = 0;
    root_ = fs::temp_directory_path() /
            ("edgerun-wasi-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(root_ / "data" / "sub");
    std::ofstream(root_ / "data" / "hello.txt") << "hello from the preopen";
    std::ofstream(root_ / "data" / "sub" / "deep.txt") << "deep";
    std::ofstream(root_ / "secret.txt") << "outside";
    fs::create_symlink(root_ / "secret.txt", root_ / "data" / "escape");
    fs::create_symlink("../secret.txt", root_ / "data" / "escape-rel");
    fs::create_symlink("hello.txt", root_ / "data" / "inside-link");
  }
  ~TempTree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string data() const { return (root_ / "data").string(); }

 private:
  fs::path root_;
};

TEST(WasiHost, GuestMemoryRefusesEveryOutOfBoundsAccess) {
  std::vector<uint8_t> bytes(16);
  GuestMemory m(bytes.data(), bytes.size());
  uint32_t v = 0;
  EXPECT_TRUE(m.Load(12, &v));
  EXPECT_FALSE(m.Load(13, &v));
  EXPECT_FALSE(m.Load(0xFFFFFFFF, &v));
  EXPECT_NE(m.Bytes(16, 0), nullptr);
  EXPECT_EQ(m.Bytes(16, 1), nullptr);
  EXPECT_EQ(m.Bytes(1, UINT64_MAX), nullptr);  // no wrap-around
}

TEST(WasiHost, FdWriteCollectsStdoutAndStderrAndCountsBytes) {
  WasiHost host({});
  Guest g;
  g.SetIov(0, g.Put(100, "hello "), 6);
  g.SetIov(8, g.Put(200, "world\n"), 6);
  EXPECT_EQ(host.FdWrite(g.memory, 1, 0, 2, 300), kSuccess);
  EXPECT_EQ(g.U32(300), 12u);
  g.SetIov(0, g.Put(100, "oops"), 4);
  EXPECT_EQ(host.FdWrite(g.memory, 2, 0, 1, 300), kSuccess);
  EXPECT_EQ(host.output(1), "hello world\n");
  EXPECT_EQ(host.output(2), "oops");
  EXPECT_EQ(host.FdWrite(g.memory, 0, 0, 1, 300), kBadf);  // stdin is not writable
  EXPECT_EQ(host.FdWrite(g.memory, 9, 0, 1, 300), kBadf);  // no such fd
}

TEST(WasiHost, FdWriteWithABadPointerFaultsAndWritesNothing) {
  WasiHost host({});
  Guest g;
  g.SetIov(0, g.Put(100, "fine"), 4);
  g.SetIov(8, 65530, 100);  // runs past the end of memory
  EXPECT_EQ(host.FdWrite(g.memory, 1, 0, 2, 300), kFault);
  EXPECT_EQ(host.output(1), "");
  EXPECT_EQ(host.FdWrite(g.memory, 1, 65532, 1, 300), kFault);  // the iovec array itself
}

TEST(WasiHost, OutputPastTheLimitIsRefused) {
  Options options;
  options.output_limit = 10;
  WasiHost host(std::move(options));
  Guest g;
  g.SetIov(0, g.Put(100, "12345678"), 8);
  EXPECT_EQ(host.FdWrite(g.memory, 1, 0, 1, 300), kSuccess);
  EXPECT_FALSE(host.output_overflowed());
  EXPECT_EQ(host.FdWrite(g.memory, 1, 0, 1, 300), kFbig);
  EXPECT_TRUE(host.output_overflowed());
  EXPECT_EQ(host.output(1), "12345678");
}

TEST(WasiHost, ArgsAndEnvironAreLaidOutAsCStrings) {
  Options options;
  options.args = {"prog", "-x"};
  options.env = {"A=1", "LONGER=value"};
  WasiHost host(std::move(options));
  Guest g;
  ASSERT_EQ(host.ArgsSizesGet(g.memory, 0, 4), kSuccess);
  EXPECT_EQ(g.U32(0), 2u);
  EXPECT_EQ(g.U32(4), 8u);  // "prog\0-x\0"
  ASSERT_EQ(host.ArgsGet(g.memory, 100, 200), kSuccess);
  EXPECT_EQ(g.U32(100), 200u);
  EXPECT_EQ(g.U32(104), 205u);
  EXPECT_EQ(g.Str(200, 8), std::string("prog\0-x\0", 8));
  ASSERT_EQ(host.EnvironSizesGet(g.memory, 0, 4), kSuccess);
  EXPECT_EQ(g.U32(0), 2u);
  EXPECT_EQ(g.U32(4), 17u);
  ASSERT_EQ(host.EnvironGet(g.memory, 100, 200), kSuccess);
  EXPECT_EQ(g.Str(g.U32(104), 12), "LONGER=value");
  // A buffer that does not fit faults instead of writing past the memory.
  EXPECT_EQ(host.ArgsGet(g.memory, 100, 65534), kFault);
}

TEST(WasiHost, StdinIsReadInPiecesThenAtEnd) {
  Options options;
  options.stdin_bytes = "abcdef";
  WasiHost host(std::move(options));
  Guest g;
  g.SetIov(0, 100, 4);
  ASSERT_EQ(host.FdRead(g.memory, 0, 0, 1, 300), kSuccess);
  EXPECT_EQ(g.U32(300), 4u);
  EXPECT_EQ(g.Str(100, 4), "abcd");
  ASSERT_EQ(host.FdRead(g.memory, 0, 0, 1, 300), kSuccess);
  EXPECT_EQ(g.U32(300), 2u);
  EXPECT_EQ(g.Str(100, 2), "ef");
  ASSERT_EQ(host.FdRead(g.memory, 0, 0, 1, 300), kSuccess);
  EXPECT_EQ(g.U32(300), 0u);
  EXPECT_EQ(host.FdSeek(g.memory, 0, 0, 0, 300), kSpipe);
}

TEST(WasiHost, ClocksAndRandom) {
  WasiHost host({});
  Guest g;
  ASSERT_EQ(host.ClockTimeGet(g.memory, 0, 1, 0), kSuccess);
  uint64_t realtime = g.U64(0);
  EXPECT_GT(realtime, uint64_t{1'600'000'000} * 1'000'000'000);  // after 2020
  ASSERT_EQ(host.ClockTimeGet(g.memory, 1, 1, 8), kSuccess);
  ASSERT_EQ(host.ClockTimeGet(g.memory, 1, 1, 16), kSuccess);
  EXPECT_GE(g.U64(16), g.U64(8));
  EXPECT_EQ(host.ClockTimeGet(g.memory, 7, 1, 0), kInval);
  ASSERT_EQ(host.ClockResGet(g.memory, 1, 24), kSuccess);
  EXPECT_GT(g.U64(24), 0u);
  ASSERT_EQ(host.RandomGet(g.memory, 1000, 64), kSuccess);
  ASSERT_EQ(host.RandomGet(g.memory, 2000, 64), kSuccess);
  EXPECT_NE(g.Str(1000, 64), g.Str(2000, 64));
  EXPECT_NE(g.Str(1000, 64), std::string(64, '\0'));
  EXPECT_EQ(host.RandomGet(g.memory, 65500, 100), kFault);
}

TEST(WasiHost, ProcExitRecordsTheCode) {
  WasiHost host({});
  EXPECT_FALSE(host.exited());
  host.ProcExit(3);
  EXPECT_TRUE(host.exited());
  EXPECT_EQ(host.exit_code(), 3u);
}

TEST(WasiHost, PrestatNamesThePreopens) {
  TempTree tree;
  Options options;
  options.preopens = {{"/data", tree.data()}};
  WasiHost host(std::move(options));
  Guest g;
  ASSERT_EQ(host.FdPrestatGet(g.memory, 3, 0), kSuccess);
  EXPECT_EQ(g.bytes[0], 0);  // a directory
  EXPECT_EQ(g.U32(4), 5u);
  ASSERT_EQ(host.FdPrestatDirName(g.memory, 3, 100, 5), kSuccess);
  EXPECT_EQ(g.Str(100, 5), "/data");
  EXPECT_EQ(host.FdPrestatGet(g.memory, 4, 0), kBadf);  // the end of the preopens
  EXPECT_EQ(host.FdPrestatGet(g.memory, 1, 0), kBadf);
}

// path_open(3, ...) of `path`: the errno, and on success the file's contents read through fd_read.
std::pair<uint16_t, std::string> OpenAndRead(WasiHost& host, Guest& g, std::string_view path,
                                             uint32_t oflags = 0, uint64_t rights = 2,
                                             uint32_t dirflags = 1) {
  g.Put(1000, path);
  uint16_t result = host.PathOpen(g.memory, 3, dirflags, 1000, static_cast<uint32_t>(path.size()),
                                  oflags, rights, 0, 0, 2000);
  if (result != kSuccess) return {result, ""};
  uint32_t fd = g.U32(2000);
  g.SetIov(0, 3000, 1000);
  if (host.FdRead(g.memory, fd, 0, 1, 300) != kSuccess) return {kIo, ""};
  std::string text = g.Str(3000, g.U32(300));
  EXPECT_EQ(host.FdClose(fd), kSuccess);
  return {result, text};
}

void CheckConfinement(bool use_openat2) {
  TempTree tree;
  Options options;
  options.preopens = {{"/data", tree.data()}};
  WasiHost host(std::move(options));
  host.set_use_openat2(use_openat2);
  Guest g;
  EXPECT_EQ(OpenAndRead(host, g, "hello.txt"),
            std::make_pair(uint16_t{kSuccess}, std::string("hello from the preopen")));
  EXPECT_EQ(OpenAndRead(host, g, "sub/deep.txt").second, "deep");
  EXPECT_EQ(OpenAndRead(host, g, "nope.txt").first, kNoent);
  // Everything that leaves the directory is refused.
  EXPECT_EQ(OpenAndRead(host, g, "../secret.txt").first, kNotcapable);
  EXPECT_EQ(OpenAndRead(host, g, "sub/../../secret.txt").first, kNotcapable);
  EXPECT_EQ(OpenAndRead(host, g, "/etc/passwd").first, kNotcapable);
  EXPECT_NE(OpenAndRead(host, g, "escape").first, kSuccess);
  EXPECT_NE(OpenAndRead(host, g, "escape-rel").first, kSuccess);
  EXPECT_NE(OpenAndRead(host, g, "escape", 0, 2, 0).first, kSuccess);
  // Read-only: creating, truncating or asking to write is EROFS.
  EXPECT_EQ(OpenAndRead(host, g, "new.txt", 1).first, kRofs);
  EXPECT_EQ(OpenAndRead(host, g, "hello.txt", 8).first, kRofs);
  EXPECT_EQ(OpenAndRead(host, g, "hello.txt", 0, 2 | 64).first, kRofs);
}

TEST(WasiHost, PathOpenStaysInsideThePreopenWithOpenat2) {
  CheckConfinement(true);
}
TEST(WasiHost, PathOpenStaysInsideThePreopenWithoutOpenat2) {
  CheckConfinement(false);
}

TEST(WasiHost, OpenedFilesSeekAndStat) {
  TempTree tree;
  Options options;
  options.preopens = {{"/data", tree.data()}};
  WasiHost host(std::move(options));
  Guest g;
  g.Put(1000, "hello.txt");
  ASSERT_EQ(host.PathOpen(g.memory, 3, 0, 1000, 9, 0, 2, 0, 0, 2000), kSuccess);
  uint32_t fd = g.U32(2000);
  ASSERT_EQ(host.FdSeek(g.memory, fd, -7, 2, 300), kSuccess);
  EXPECT_EQ(g.U64(300), 15u);
  g.SetIov(0, 3000, 100);
  ASSERT_EQ(host.FdRead(g.memory, fd, 0, 1, 400), kSuccess);
  EXPECT_EQ(g.Str(3000, g.U32(400)), "preopen");
  ASSERT_EQ(host.FdFilestatGet(g.memory, fd, 500), kSuccess);
  EXPECT_EQ(g.bytes[500 + 16], 4);  // regular file
  EXPECT_EQ(g.U64(500 + 32), 22u);  // size
  ASSERT_EQ(host.FdFdstatGet(g.memory, fd, 600), kSuccess);
  EXPECT_EQ(g.bytes[600], 4);
  EXPECT_EQ(host.FdSeek(g.memory, fd, -100, 0, 300), kInval);
  // Directories open as directories and files below them resolve from there.
  g.Put(1000, "sub");
  ASSERT_EQ(host.PathOpen(g.memory, 3, 0, 1000, 3, 2, 0, 0, 0, 2000), kSuccess);
  uint32_t sub = g.U32(2000);
  g.Put(1000, "deep.txt");
  ASSERT_EQ(host.PathOpen(g.memory, sub, 0, 1000, 8, 0, 2, 0, 0, 2000), kSuccess);
  g.Put(1000, "../../secret.txt");
  EXPECT_EQ(host.PathOpen(g.memory, sub, 0, 1000, 16, 0, 2, 0, 0, 2000), kNotcapable);
  EXPECT_EQ(host.PathOpen(g.memory, fd, 0, 1000, 16, 0, 2, 0, 0, 2000), kNotdir);
  EXPECT_EQ(host.FdClose(fd), kSuccess);
  EXPECT_EQ(host.FdClose(fd), kBadf);
}

TEST(WasiHost, ReaddirListsAPreopenInPiecesByCookie) {
  TempTree tree;
  Options options;
  options.preopens = {{"/data", tree.data()}};
  WasiHost host(std::move(options));
  Guest g;
  // Reads everything from `cookie` with a buffer of `size`: the names, and the last d_next.
  auto list = [&](uint64_t cookie, uint32_t size) {
    EXPECT_EQ(host.FdReaddir(g.memory, 3, 1000, size, cookie, 300), kSuccess);
    std::vector<std::string> names;
    uint32_t used = g.U32(300), at = 0;
    while (at + 24 <= used) {
      uint32_t len = g.U32(1000 + at + 16);
      if (at + 24 + len > used) break;  // cut short: the guest retries
      names.push_back(g.Str(1000 + at + 24, len) + ":" + std::to_string(g.bytes[1000 + at + 20]));
      at += 24 + len;
    }
    return names;
  };
  EXPECT_EQ(list(0, 4096), (std::vector<std::string>{".:3", "..:3", "escape:7", "escape-rel:7",
                                                     "hello.txt:4", "inside-link:7", "sub:3"}));
  EXPECT_EQ(list(5, 4096), (std::vector<std::string>{"inside-link:7", "sub:3"}));
  EXPECT_EQ(list(0, 60), (std::vector<std::string>{".:3", "..:3"}));  // the third is cut short
  EXPECT_EQ(g.U32(300), 60u);
  EXPECT_EQ(host.FdReaddir(g.memory, 1, 1000, 100, 0, 300), kNotdir);
  EXPECT_EQ(host.FdReaddir(g.memory, 3, 65500, 100, 0, 300), kFault);
}

TEST(WasiHost, PollOneoffSleepsForAClockAndAnswersFdsAtOnce) {
  WasiHost host({});
  Guest g;
  // One relative monotonic clock subscription of 5 ms.
  uint64_t userdata = 42, timeout = 5'000'000;
  std::memcpy(g.bytes.data() + 0, &userdata, 8);
  g.bytes[8] = 0;
  uint32_t id = 1;
  std::memcpy(g.bytes.data() + 16, &id, 4);
  std::memcpy(g.bytes.data() + 24, &timeout, 8);
  ASSERT_EQ(host.ClockTimeGet(g.memory, 1, 1, 5000), kSuccess);
  ASSERT_EQ(host.PollOneoff(g.memory, 0, 1000, 1, 2000), kSuccess);
  ASSERT_EQ(host.ClockTimeGet(g.memory, 1, 1, 5008), kSuccess);
  EXPECT_GE(g.U64(5008) - g.U64(5000), timeout);
  EXPECT_EQ(g.U32(2000), 1u);
  EXPECT_EQ(g.U64(1000), 42u);
  EXPECT_EQ(g.bytes[1000 + 10], 0);  // a clock event
  // A sleep past the host's budget is refused rather than holding the thread.
  timeout = 5'000'000'000;
  std::memcpy(g.bytes.data() + 24, &timeout, 8);
  ASSERT_EQ(host.PollOneoff(g.memory, 0, 1000, 1, 2000), kSuccess);
  EXPECT_EQ(g.U32(1000 + 8) & 0xFFFF, kNotsup);
}

TEST(WasiHost, EveryPreview1FunctionIsNamed) {
  EXPECT_EQ(kPreview1FunctionCount, 46u);
}

}  // namespace
}  // namespace edgerun::bindings::wasi
