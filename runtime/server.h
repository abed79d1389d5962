// The serving process: binds every listen address, runs one event-loop thread per core (each with
// its own listening sockets, connections and isolate pool), reloads the config on SIGHUP (or on
// file changes with --watch), and shuts down gracefully on SIGINT/SIGTERM: stop accepting, let
// in-flight requests and waitUntil() work finish (bounded by limits.shutdown_timeout_ms), then
// exit 0. A second signal stops at once.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "runtime/config.h"
#include "runtime/listener_socket.h"
#include "runtime/router.h"

namespace edgerun::runtime {

class AdminServer;
class ConfigWatcher;
class ServerThread;

// What the command line says on top of the config file; re-applied after every reload.
struct ServeOverrides {
  unsigned threads = 0;               // 0: the config's
  std::vector<ListenAddress> listen;  // empty: the config's
  bool watch = false;                 // reload when the config or a worker's files change
};

// Applies `overrides` to `config`.
void ApplyOverrides(const ServeOverrides& overrides, Config* config);

class Server {
 public:
  Server(std::shared_ptr<const Config> config, ServeOverrides overrides);
  ~Server();

  // Builds the router and binds every address. On failure returns false with a message.
  bool Bind(std::string* error);
  // Starts the loop threads and serves until a signal and the graceful shutdown; returns the
  // exit code.
  int Run();

  // The current config and router (read by loop threads when they start).
  std::shared_ptr<const Config> config() const { return config_; }
  std::shared_ptr<const Router> router() const { return router_; }
  std::atomic<size_t>& open_connections() { return open_connections_; }

  // Re-reads the config file and applies it (main thread). A config with errors is rejected
  // and the current one keeps serving.
  void Reload(const std::string& why);

 private:
  void WatchFiles();
  std::string RenderMetrics() const;

  std::shared_ptr<const Config> config_;
  std::shared_ptr<const Router> router_;
  ServeOverrides overrides_;
  unsigned threads_ = 1;
  std::vector<std::unique_ptr<ListenerSockets>> sockets_;  // parallel to config_->listen
  std::vector<std::unique_ptr<ServerThread>> loop_threads_;
  std::unique_ptr<ConfigWatcher> watcher_;
  std::unique_ptr<AdminServer> admin_;
  bool stopping_ = false;
  std::atomic<size_t> open_connections_{0};
};

// The route table of `config`.
std::shared_ptr<const Router> BuildRouter(const Config& config);

}  // namespace edgerun::runtime
