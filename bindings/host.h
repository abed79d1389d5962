// What a worker's JS reaches outside the isolate for. Implemented by isolates::Tenant; the
// bindings never see the event loop, sockets or the logger directly.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "bindings/http_types.h"
#include "bindings/outbound_http.h"
#include "bindings/wasi_host.h"

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
  // Runs `work` on the libuv thread pool (it must not touch V8), then `done` back on the loop,
  // inside a JS entry charged to the request that was running at the call (microtasks run after
  // it); `done` finds the isolate and the worker's context entered. If the worker stops first,
  // `done` is dropped uncalled. For heavy crypto (RSA key generation, long PBKDF2). Hosts without
  // a thread pool (the WPT runner) keep this default: both run at once, inside the caller's call.
  virtual void RunOffThread(std::function<void()> work, std::function<void()> done) {
    work();
    done();
  }

  // Request bodies that are still arriving (ids chosen by the host, passed to dispatch in place
  // of the bytes): JS asks for the next chunk with ReadBody(id) and gets it through the
  // context's body_chunk handle (id, Uint8Array | null at the end | string: why it failed);
  // CancelBody(id) says it will read no more. Hosts without streamed bodies ignore both.
  virtual void ReadBody(uint32_t /*id*/) {}
  virtual void CancelBody(uint32_t /*id*/) {}
  // Response bodies the host pulls (ids chosen by JS, returned in the response parts): the host
  // calls the context's pull_body handle (id, false) and JS answers once with BodyChunkOut.
  virtual void BodyChunkOut(uint32_t /*id*/, BodyChunk /*chunk*/) {}

  // Outbound fetch() (ids chosen by JS). Returns "" once started, else why it cannot be (the
  // message of the TypeError fetch() rejects with). The answer comes through the context's
  // fetch_done handle: (id, status, statusText, [name, value, ...], bodyId) or (id, error).
  // `body_stream_id` (0: none) is a body JS streams, registered like a response body.
  virtual std::string StartFetch(uint32_t /*id*/, OutboundRequest /*request*/,
                                 uint32_t /*body_stream_id*/) {
    return "fetch() is not available here";
  }
  virtual void CancelFetch(uint32_t /*id*/) {}

  // The directories a WASI instance of this worker may read (config `wasi.preopens`); JS can
  // neither add to them nor change them.
  virtual std::vector<wasi::Preopen> WasiPreopens() { return {}; }
};

}  // namespace edgerun::bindings
