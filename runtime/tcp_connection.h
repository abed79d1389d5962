// One accepted TCP connection serving HTTP/1.1: the libuv socket under an HttpConnection.
//
// Lifetime: a TcpConnection owns itself. It is created by Accept() and deletes itself once its
// socket is closed (after the peer hung up, an error, or HttpConnection asked to close), then runs
// the owner's on_closed callback. The owner can list, drain and close the live ones through a
// TcpConnectionSet. Everything happens on the loop's thread.
#pragma once

#include <uv.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/http_connection.h"

namespace edgerun::runtime {

class TcpConnection;

// The live connections of one owner (a server thread): for counting and for shutdown.
class TcpConnectionSet {
 public:
  TcpConnectionSet() = default;
  ~TcpConnectionSet();  // forgets (does not close) connections still open
  TcpConnectionSet(const TcpConnectionSet&) = delete;
  TcpConnectionSet& operator=(const TcpConnectionSet&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Graceful shutdown: each connection finishes its in-flight requests, then closes.
  void DrainAll();
  // Each connection closes now; unwritten responses are dropped (shutdown timeout passed).
  void CloseAll();

 private:
  friend class TcpConnection;
  void Add(TcpConnection* connection);
  void Remove(TcpConnection* connection);

  TcpConnection* head_ = nullptr;
  size_t size_ = 0;
};

class TcpConnection final : private ConnectionIo {
  struct PassKey {
    explicit PassKey() = default;
  };

 public:
  // How long a closed connection keeps reading (and discarding) after our FIN, so that bytes the
  // client is still sending don't make the kernel reset the connection and destroy the response
  // it has not read yet (for example a 413 sent before the body).
  static constexpr uint64_t kLingerMs = 2000;

  // Accepts the pending connection on `listener` and starts serving it. `set` (may be null) lists
  // the connection while it exists; `on_closed` (may be empty) runs after it is deleted. Returns
  // null if the accept fails; then nothing is left behind and on_closed never runs. The returned
  // pointer is for Drain()/CloseNow() while the connection is in `set`; don't keep it otherwise.
  static TcpConnection* Accept(uv_loop_t* loop, uv_stream_t* listener, RequestHandler& handler,
                               const HttpLimits& limits, TcpConnectionSet* set,
                               std::function<void()> on_closed);

  explicit TcpConnection(PassKey);
  ~TcpConnection() override;  // only through the close callback
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  // HttpConnection::Drain(): finish in-flight requests, then close.
  void Drain();
  // Closes the socket now, dropping unwritten responses.
  void CloseNow();
  // Answers with `response` before reading any request, then closes (the server is over its
  // connection limit).
  void Reject(const HttpResponse& response);

 private:
  friend class TcpConnectionSet;
  struct WriteRequest;
  enum class State {
    kOpen,      // serving HTTP
    kClosing,   // HttpConnection closed it: waiting for queued writes
    kShutdown,  // our FIN is queued (uv_shutdown)
    kLinger,    // FIN sent: discarding input until the peer's EOF or kLingerMs
    kClosed,    // handles are closing; deleted from the last close callback
  };

  // ConnectionIo, called by http_.
  void Write(std::vector<std::string> chunks) override;
  void PauseReading() override;
  void ResumeReading() override;
  void Close() override;
  void SetTimer(uint64_t ms) override;
  size_t QueuedBytes() const override;

  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&tcp_); }
  bool StartReading();
  void Shutdown();
  void CloseHandles();

  static void OnAlloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf);
  static void OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void OnWrite(uv_write_t* req, int status);
  static void OnShutdown(uv_shutdown_t* req, int status);
  static void OnTimer(uv_timer_t* timer);
  static void OnHandleClosed(uv_handle_t* handle);

  uv_tcp_t tcp_;
  uv_timer_t timer_;
  uv_shutdown_t shutdown_req_;
  State state_ = State::kOpen;
  int open_handles_ = 0;
  size_t pending_writes_ = 0;
  bool reading_ = false;
  bool peer_eof_ = false;
  bool accepted_ = false;  // on_closed_ runs only for connections Accept() returned
  std::function<void()> on_closed_;
  TcpConnectionSet* set_ = nullptr;
  TcpConnection* prev_ = nullptr;  // in set_
  TcpConnection* next_ = nullptr;
  // Made once the handles exist (it arms the timer at once); last, so destroyed first.
  std::optional<HttpConnection> http_;
};

}  // namespace edgerun::runtime
