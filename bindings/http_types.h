// Plain HTTP message types shared by every layer: the runtime parses into them, the isolates hand
// them to a worker, the bindings turn them into JS Request/Response objects and back.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace edgerun {

struct HeaderField {
  std::string name;   // as received or as set by the worker (case preserved)
  std::string value;  // ByteString: Latin-1 bytes
};
using HeaderList = std::vector<HeaderField>;

// One step of a body read: some bytes, the end, or a failure (the body is incomplete).
struct BodyChunk {
  enum class Kind { kData, kEnd, kError };
  Kind kind = Kind::kEnd;
  std::string data;  // kData: the bytes; kError: why, for the log
};

// A body that arrives or is produced over time, read chunk by chunk. The reader asks for the next
// chunk only when it can take one: that is the backpressure, in both directions (a request body
// the worker reads slowly stops the socket being read; a response the client reads slowly stops
// the worker's stream being pulled).
class BodyStream {
 public:
  using ReadFn = std::function<void(BodyChunk)>;
  virtual ~BodyStream() = default;
  // Calls `done` exactly once, possibly before returning. One Read at a time.
  virtual void Read(ReadFn done) = 0;
  // The reader has gone: drop what is buffered, produce nothing more, never call a pending `done`.
  virtual void Cancel() = 0;
};

// A request as handed to a worker. The body is either complete in `body` (buffered up to
// limits.max_body_bytes) or, for large and chunked bodies, still arriving through `body_stream`.
struct HttpRequest {
  std::string method;  // upper case as received, e.g. "GET"
  std::string target;  // origin-form request-target: "/path?query"
  std::string host;    // Host header value (or absolute-form authority), port included if sent
  HeaderList headers;  // in the order received
  std::string body;
  std::shared_ptr<BodyStream> body_stream;  // set: the body arrives through it (`body` is empty)
  int http_minor = 1;                       // HTTP/1.<minor>
  bool keep_alive = true;
};

// A response. Hop-by-hop headers and Content-Length/Transfer-Encoding from the worker are dropped
// by the serializer, which frames the body itself: Content-Length for `body`, chunked transfer
// coding (HTTP/1.1) or end-of-connection (HTTP/1.0) for `body_stream`.
struct HttpResponse {
  int status = 200;
  std::string status_text;  // empty: the standard reason phrase for `status`
  HeaderList headers;
  std::string body;
  std::shared_ptr<BodyStream> body_stream;  // set: the body is produced over time (`body` unused)
};

// A short plain-text response (errors made by the runtime itself, not by a worker).
inline HttpResponse TextResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers.push_back({"content-type", "text/plain; charset=utf-8"});
  response.body = std::move(body);
  return response;
}

}  // namespace edgerun
