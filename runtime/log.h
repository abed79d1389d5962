// The process log on stderr: one line per event,
//   2026-11-23T21:19:07.123Z info [hello] message from console.log
//   2026-11-23T21:19:07.124Z access [hello] GET /path 200 12 0.153ms
// Event-loop threads buffer their lines and write them once per loop iteration (FlushThread
// from a prepare handle), so a busy thread makes one write() per iteration, not per line.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "bindings/host.h"
#include "isolates/log_sink.h"

namespace edgerun::runtime {

using bindings::LogLevel;

class Logger final : public isolates::LogSink {
 public:
  static Logger& Get();

  void Log(LogLevel level, std::string_view source, std::string_view message) override;
  // One access-log line. `worker` empty: no worker handled it (404, protocol errors).
  void Access(std::string_view worker, std::string_view method, std::string_view target, int status,
              uint64_t bytes, std::chrono::steady_clock::duration duration);

  void set_min_level(LogLevel level) { min_level_.store(level); }
  LogLevel min_level() const { return min_level_.load(); }
  static bool ParseLevel(std::string_view text, LogLevel* out);

  // Makes the calling thread buffer its lines until FlushThread() (or until the buffer is big).
  static void BufferThread(bool enabled);
  static void FlushThread();

 private:
  void Emit(std::string_view level, std::string_view source, std::string_view message);
  std::atomic<LogLevel> min_level_{LogLevel::kInfo};
};

}  // namespace edgerun::runtime
