#include "runtime/log.h"

#include <time.h>
#include <unistd.h>

#include <cstdio>

namespace edgerun::runtime {
namespace {

constexpr size_t kFlushAt = 32 * 1024;

struct ThreadBuffer {
  bool enabled = false;
  std::string data;
  time_t cached_second = -1;
  char cached_prefix[32] = {};  // "2026-11-23T21:19:07."
  ~ThreadBuffer() { Write(); }
  void Write() {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::write(STDERR_FILENO, data.data() + off, data.size() - off);
      if (n <= 0) break;  // stderr closed or full: drop rather than block the loop forever
      off += static_cast<size_t>(n);
    }
    data.clear();
  }
};

thread_local ThreadBuffer t_buffer;

void AppendTimestamp(std::string* out) {
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  if (now.tv_sec != t_buffer.cached_second) {
    tm utc;
    gmtime_r(&now.tv_sec, &utc);
    strftime(t_buffer.cached_prefix, sizeof t_buffer.cached_prefix, "%Y-%m-%dT%H:%M:%S.", &utc);
    t_buffer.cached_second = now.tv_sec;
  }
  char millis[8];
  std::snprintf(millis, sizeof millis, "%03dZ ", static_cast<int>(now.tv_nsec / 1000000));
  out->append(t_buffer.cached_prefix);
  out->append(millis);
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

Logger& Logger::Get() {
  static Logger logger;
  return logger;
}

bool Logger::ParseLevel(std::string_view text, LogLevel* out) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (text == LevelName(level)) {
      *out = level;
      return true;
    }
  }
  return false;
}

void Logger::Log(LogLevel level, std::string_view source, std::string_view message) {
  if (level < min_level_.load(std::memory_order_relaxed)) return;
  Emit(LevelName(level), source, message);
}

void Logger::Access(std::string_view worker, std::string_view method, std::string_view target,
                    int status, uint64_t bytes, std::chrono::steady_clock::duration duration) {
  char tail[96];
  double ms = std::chrono::duration<double, std::milli>(duration).count();
  std::snprintf(tail, sizeof tail, " %d %llu %.3fms", status,
                static_cast<unsigned long long>(bytes), ms);
  std::string line;
  line.reserve(method.size() + target.size() + 40);
  line.append(method).append(" ").append(target).append(tail);
  Emit("access", worker.empty() ? "-" : worker, line);
}

void Logger::Emit(std::string_view level, std::string_view source, std::string_view message) {
  std::string& out = t_buffer.data;
  AppendTimestamp(&out);
  out.append(level);
  if (!source.empty()) out.append(" [").append(source).append("]");
  out.append(" ");
  out.append(message);
  out.push_back('\n');
  if (!t_buffer.enabled || out.size() >= kFlushAt) t_buffer.Write();
}

void Logger::BufferThread(bool enabled) {
  t_buffer.enabled = enabled;
  if (!enabled) t_buffer.Write();
}

void Logger::FlushThread() {
  if (!t_buffer.data.empty()) t_buffer.Write();
}

}  // namespace edgerun::runtime
