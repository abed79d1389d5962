// A WASI command for the WASI host's tests: argv[1] picks what it does, so one module covers
// stdio, exit codes, args/environ, random, clocks, files under a preopen, and traps.
#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace {

int Echo(int argc, char** argv) {
  // args, one env var, stdin -> stdout; a line to stderr; exit code from argv[2].
  for (int i = 0; i < argc; i++)
    std::printf("arg%d=%s\n", i, argv[i]);
  const char* greeting = std::getenv("GREETING");
  std::printf("GREETING=%s\n", greeting ? greeting : "(unset)");
  int count = 0;
  for (char** e = environ; *e; e++)
    count++;
  std::printf("env count=%d\n", count);
  std::string input;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0)
    input.append(buf, n);
  std::printf("stdin=%s\n", input.c_str());
  std::fprintf(stderr, "to stderr\n");
  return argc > 2 ? std::atoi(argv[2]) : 0;
}

int Random() {
  unsigned char a[32], b[32];
  if (getentropy(a, sizeof a) != 0 || getentropy(b, sizeof b) != 0) return 2;
  for (unsigned char c : a)
    std::printf("%02x", c);
  std::printf("\n");
  for (unsigned char c : b)
    std::printf("%02x", c);
  std::printf("\n");
  return 0;
}

int Clocks() {
  timespec real{}, mono1{}, mono2{}, sleep_for{0, 20 * 1000 * 1000};
  if (clock_gettime(CLOCK_REALTIME, &real) != 0) return 2;
  if (clock_gettime(CLOCK_MONOTONIC, &mono1) != 0) return 3;
  if (nanosleep(&sleep_for, nullptr) != 0) return 4;
  if (clock_gettime(CLOCK_MONOTONIC, &mono2) != 0) return 5;
  long long slept_ns =
      (mono2.tv_sec - mono1.tv_sec) * 1000000000LL + (mono2.tv_nsec - mono1.tv_nsec);
  std::printf("realtime=%lld\nslept_ms=%lld\n", static_cast<long long>(real.tv_sec),
              slept_ns / 1000000);
  return 0;
}

// Reads each path given; prints its contents or the errno name the open failed with.
int Files(int argc, char** argv) {
  for (int i = 2; i < argc; i++) {
    FILE* f = std::fopen(argv[i], "r");
    if (f == nullptr) {
      std::printf("%s: error %s\n", argv[i], std::strerror(errno));
      continue;
    }
    std::string text;
    char buf[256];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
      text.append(buf, n);
    std::fclose(f);
    std::printf("%s: %s\n", argv[i], text.c_str());
  }
  // Writing is refused: the preopen is read-only.
  if (argc > 2) {
    int fd = open("/data/new.txt", O_WRONLY | O_CREAT, 0644);
    std::printf("create: %s\n", fd < 0 ? std::strerror(errno) : "opened");
  }
  return 0;
}

// Lists a directory, sorted.
int List(const char* path) {
  DIR* dir = opendir(path);
  if (dir == nullptr) {
    std::printf("%s: error %s\n", path, std::strerror(errno));
    return 0;
  }
  std::vector<std::string> names;
  while (dirent* d = readdir(dir))
    names.push_back(d->d_name);
  closedir(dir);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names)
    std::printf("%s\n", name.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "echo") return Echo(argc, argv);
  if (mode == "random") return Random();
  if (mode == "clocks") return Clocks();
  if (mode == "files") return Files(argc, argv);
  if (mode == "list") return List(argc > 2 ? argv[2] : "/data");
  if (mode == "exit") std::exit(argc > 2 ? std::atoi(argv[2]) : 1);
  if (mode == "trap") __builtin_trap();
  if (mode == "loop") {
    volatile unsigned n = 0;
    for (;;)
      n = n + 1;
  }
  if (mode == "flood") {
    std::string line(1 << 16, 'x');
    for (;;)
      std::fwrite(line.data(), 1, line.size(), stdout);
  }
  std::fprintf(stderr, "usage: wasi_command echo|random|clocks|files|exit|trap|loop|flood\n");
  return 64;
}
