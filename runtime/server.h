// The serving process: binds every listen address, runs one event-loop thread per core (each with
// its own listening sockets, connections and isolate pool), and shuts down gracefully on
// SIGINT/SIGTERM: stop accepting, let in-flight requests and waitUntil() work finish (bounded by
// limits.shutdown_timeout_ms), then exit 0. A second signal stops at once.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "runtime/config.h"
#include "runtime/listener_socket.h"
#include "runtime/router.h"

namespace edgerun::runtime {

class ServerThread;

class Server {
 public:
  explicit Server(std::shared_ptr<const Config> config);
  ~Server();

  // Builds the router and binds every address. On failure returns false with a message.
  bool Bind(std::string* error);
  // Starts the loop threads, serves until a signal and the graceful shutdown; returns the exit
  // code.
  int Run();

  const Config& config() const { return *config_; }
  const Router& router() const { return router_; }
  std::atomic<size_t>& open_connections() { return open_connections_; }

 private:
  std::shared_ptr<const Config> config_;
  unsigned threads_ = 1;
  Router router_;
  std::vector<std::unique_ptr<ListenerSockets>> sockets_;  // parallel to config_->listen
  std::vector<std::unique_ptr<ServerThread>> loop_threads_;
  std::atomic<size_t> open_connections_{0};
};

}  // namespace edgerun::runtime
