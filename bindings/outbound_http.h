// What a worker's fetch() goes out through: an HTTP client the runtime provides (one per event
// loop thread). The bindings and isolates see only this interface; runtime/http_client.* is the
// implementation, and tests can put a fake behind it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bindings/http_types.h"

namespace edgerun {

struct OutboundRequest {
  std::string method;
  std::string url;  // absolute http: or https: URL, already parsed and serialized
  HeaderList headers;
  std::string body;
  std::shared_ptr<BodyStream> body_stream;  // set: the body is streamed (chunked), `body` unused
  bool allow_private = false;  // may reach loopback and private addresses (the SSRF guard)
};

// The response head, or why there is none. The body follows through `body` (a BodyStream that
// reads from the connection as it is read: backpressure to the origin).
struct OutboundResult {
  std::string error;  // non-empty: the request failed (DNS, refused, TLS, timeout, malformed)
  int status = 0;
  std::string status_text;
  HeaderList headers;
  std::shared_ptr<BodyStream> body;  // null when the body came whole with the head:
  std::string body_bytes;            // then it is here (the common small response: no stream)
};

class OutboundHttp {
 public:
  using Done = std::function<void(OutboundResult)>;
  virtual ~OutboundHttp() = default;
  // Starts a request; `done` runs once, later (never inside Start), unless Cancel() comes first.
  virtual uint64_t Start(OutboundRequest request, Done done) = 0;
  // Abandons the request: its connection is closed, `done` is never called, and a body already
  // handed out fails.
  virtual void Cancel(uint64_t id) = 0;
};

}  // namespace edgerun
