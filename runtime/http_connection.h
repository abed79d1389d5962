// HTTP/1.1 server side of one connection, as a transport-independent state machine: bytes go in
// through Feed(), bytes and timer requests come out through ConnectionIo. The libuv socket adapter
// (tcp_connection.cc) and the unit tests (a fake ConnectionIo) drive the same code.
//
// Protocol: llhttp in strict mode; keep-alive, pipelining (responses in request order),
// Content-Length and chunked request bodies, HEAD, Expect: 100-continue, Connection: close,
// HTTP/1.0. Malformed input and request-smuggling shapes (Content-Length with Transfer-Encoding,
// duplicate Content-Length, obsolete line folding, ...) get a 400 and the connection closes.
#pragma once

#include <llhttp.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bindings/http_types.h"

namespace edgerun::runtime {

struct HttpLimits {
  size_t max_header_bytes = 32 * 1024;       // request line + headers; past it: 431
  size_t max_body_bytes = 16 * 1024 * 1024;  // past it: 413
  uint64_t header_timeout_ms = 10'000;       // first byte of a request to end of its head: 408
  uint64_t idle_timeout_ms = 60'000;         // no bytes while a request is incomplete: 408;
                                             // no bytes on an idle keep-alive connection: close
  size_t max_pipelined = 16;                 // requests in flight per connection before we stop
                                             // reading (backpressure, not an error)
  size_t stream_body_after = 64 * 1024;      // a request body larger than this is handed to the
                                             // worker while it still arrives (a stream), and
                                             // at most about this much of it waits unread
};

// What a connection needs from its transport.
class ConnectionIo {
 public:
  virtual ~ConnectionIo() = default;
  // Queue bytes for the peer, in order. `chunks` are written as one vectored write.
  virtual void Write(std::vector<std::string> chunks) = 0;
  // Stop/resume delivering bytes to Feed() (backpressure while responses are pending).
  virtual void PauseReading() = 0;
  virtual void ResumeReading() = 0;
  // Flush queued writes, then close the connection. Feed() is not called again afterwards.
  virtual void Close() = 0;
  // Arm the connection's single timer to call HttpConnection::OnTimer() after `ms`; 0 disarms.
  virtual void SetTimer(uint64_t ms) = 0;
  // Bytes handed to Write() that the peer has not taken yet. A streamed response is pulled from
  // the worker only while this is small; HttpConnection::OnWritable() says when it shrank.
  virtual size_t QueuedBytes() const { return 0; }
};

class HttpExchange;
namespace internal {
class HttpConnectionCore;  // http_connection.cc
}

// What the connection hands complete requests to (the server's dispatcher, or a test).
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // A complete request. The handler eventually calls exchange->Respond(), possibly later on the
  // same thread (after async work); the exchange stays valid as long as the handler holds it.
  virtual void OnRequest(std::shared_ptr<HttpExchange> exchange) = 0;
  // The response (or an error response made by the connection itself) was handed to the
  // transport. For the access log.
  virtual void OnResponseSent(const HttpExchange& exchange, int status, uint64_t body_bytes) = 0;
};

// One request/response pair. Created by the connection, held by the handler until it responds.
class HttpExchange {
 public:
  const HttpRequest& request() const { return request_; }
  HttpRequest& mutable_request() { return request_; }
  // Send the response. Once only; ignored if the connection has gone (client hung up).
  void Respond(HttpResponse response);
  // False once the client connection has closed: work for this request can be abandoned.
  bool connection_alive() const;

  // Set by the handler, read back by OnResponseSent (access log).
  std::string worker;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  bool is_head() const { return request_.method == "HEAD"; }

 private:
  friend class HttpConnection;
  friend class internal::HttpConnectionCore;
  HttpRequest request_;
  // Expired once the connection object is destroyed; a weak reference so that an exchange held by
  // the handler never outlives-and-dangles its connection.
  std::weak_ptr<internal::HttpConnectionCore> connection_;
  HttpResponse response_;  // held here until every earlier response has been written
  bool responded_ = false;
  bool body_streamed_ = false;  // handed out before its body was complete (request_.body_stream)
  bool close_after_ = false;    // an error response made by the connection: close once written
};

class HttpConnection {
 public:
  // Arms the idle timer through `io` at once.
  HttpConnection(ConnectionIo& io, RequestHandler& handler, const HttpLimits& limits);
  ~HttpConnection();  // detaches exchanges still held by the handler
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Bytes from the peer.
  void Feed(std::string_view data);
  // The peer closed its sending side (EOF). Pending responses are still written, then Close().
  void OnEof();
  // The timer armed through ConnectionIo::SetTimer fired.
  void OnTimer();
  // Queued writes went out (ConnectionIo::QueuedBytes() shrank): a streamed response may go on.
  void OnWritable();
  // Graceful shutdown: finish in-flight requests, answer nothing new (responses carry
  // "connection: close"), close when idle. Closes at once if nothing is in flight.
  void Drain();
  // True when no request is partially received or awaiting its response.
  bool idle() const;

 private:
  // Shared so that exchanges can tell (through weak_ptr) that the connection is gone.
  std::shared_ptr<internal::HttpConnectionCore> core_;
};

// Serializes a response head + body the way HttpConnection writes it (exposed for tests and for
// the connection's own error responses).
std::vector<std::string> SerializeResponse(const HttpResponse& response, bool head_request,
                                           bool close_connection, int http_minor);

}  // namespace edgerun::runtime
