// What a worker's JS reaches outside the isolate for. Implemented by isolates::Tenant; the
// bindings never see the event loop, sockets or the logger directly.
#pragma once

#include <cstdint>
#include <string_view>

namespace edgerun::bindings {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

class Host {
 public:
  virtual ~Host() = default;
  // console.* and errors the worker did not catch.
  virtual void Log(LogLevel level, std::string_view message) = 0;
  // Timers are identified by ids chosen by the JS side; a fired timer is delivered by calling
  // the context's fire_timer handle with (id, false); (id, true) tells JS the host dropped it.
  virtual void StartTimer(uint32_t id, double delay_ms, bool repeat) = 0;
  virtual void StopTimer(uint32_t id) = 0;
  // ctx.waitUntil() bookkeeping for the request with id `request_id` (the id the embedder passed
  // to dispatch): +1 when a promise is registered, -1 when it settles.
  virtual void WaitUntilDelta(uint64_t request_id, int delta) = 0;
};

}  // namespace edgerun::bindings
