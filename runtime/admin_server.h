// The admin listener (config "admin.listen", loopback only): GET /metrics in the Prometheus text
// format and GET /healthz (200 "ok" while serving, 503 "draining" during shutdown). Runs on the
// main thread's loop, away from the request threads; it speaks HTTP through the same
// HttpConnection as the public listeners.
#pragma once

#include <uv.h>

#include <functional>
#include <string>

#include "runtime/http_connection.h"
#include "runtime/listen_address.h"
#include "runtime/listener_socket.h"
#include "runtime/tcp_connection.h"

namespace edgerun::runtime {

class AdminServer final : public RequestHandler {
 public:
  // `metrics` renders /metrics; `healthy` says whether /healthz answers 200.
  AdminServer(uv_loop_t* loop, std::function<std::string()> metrics, std::function<bool()> healthy);
  ~AdminServer() override;

  bool Listen(const ListenAddress& address, std::string* error);
  const ListenAddress& address() const { return sockets_.address(); }
  // Stops listening and closes open admin connections.
  void Close();

  void OnRequest(std::shared_ptr<HttpExchange> exchange) override;
  void OnResponseSent(const HttpExchange&, int, uint64_t) override {}

 private:
  uv_loop_t* loop_;
  std::function<std::string()> metrics_;
  std::function<bool()> healthy_;
  ListenerSockets sockets_;
  uv_tcp_t* listener_ = nullptr;
  TcpConnectionSet connections_;
  HttpLimits limits_;
};

}  // namespace edgerun::runtime
