// Where the isolates send log lines (console.*, worker errors). Implemented by the runtime's
// logger; the isolates never write to stderr themselves.
#pragma once

#include <string_view>

#include "bindings/host.h"

namespace edgerun::isolates {

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void Log(bindings::LogLevel level, std::string_view worker, std::string_view message) = 0;
};

}  // namespace edgerun::isolates
