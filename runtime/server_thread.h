// One event-loop thread of the server: its listening sockets, its connections, its isolate pool.
#pragma once

#include <uv.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "isolates/isolate_pool.h"
#include "runtime/config.h"
#include "runtime/http_client.h"
#include "runtime/http_connection.h"
#include "runtime/metrics.h"
#include "runtime/router.h"
#include "runtime/tcp_connection.h"

namespace edgerun::runtime {

class Server;
class ServerThread {
 public:
  struct Listener;

  // `fds[i]` is this thread's socket for config.listen[i]; the thread closes them.
  ServerThread(unsigned index, Server& server, std::vector<int> fds, uv_async_t* on_exit);
  ~ServerThread();

  void Start();
  // Thread-safe. graceful: stop accepting and finish in-flight work; else close everything now.
  void Stop(bool graceful);
  void Join();
  bool exited() const { return exited_.load(); }
  // Thread-safe.
  ThreadMetrics::Snapshot TakeMetrics() const { return metrics_.Take(); }
  // Thread-safe. Config reload: new requests use `config` and `router`; the tenants of the
  // workers in `replaced` are replaced (in-flight requests finish on the old ones).
  void Reload(std::shared_ptr<const Config> config, std::shared_ptr<const Router> router,
              std::vector<std::string> replaced);

 private:
  friend struct Listener;
  void Run();
  void OnStopSignal();
  void OnReload();
  void BindListenerWorkers();
  void OnConnection(Listener& listener);
  void Dispatch(Listener& listener, std::shared_ptr<HttpExchange> exchange);
  void CheckDrained();
  void Finish();

  unsigned index_;
  Server& server_;
  std::shared_ptr<const Config> config_;  // the config this thread serves now
  std::shared_ptr<const Router> router_;
  std::vector<int> fds_;
  uv_async_t* on_exit_;
  std::thread thread_;

  uv_loop_t loop_;
  uv_async_t stop_async_;
  uv_async_t reload_async_;
  std::mutex reload_mutex_;  // guards pending_reload_ (written by the main thread)
  struct PendingReload {
    std::shared_ptr<const Config> config;
    std::shared_ptr<const Router> router;
    std::vector<std::string> replaced;
  };
  std::vector<PendingReload> pending_reload_;
  uv_prepare_t flush_prepare_;
  uv_timer_t drain_timer_;
  uv_timer_t stats_timer_;  // publishes the pool's stats into metrics_ every second
  ThreadMetrics metrics_;
  std::atomic<int> stop_request_{0};  // 0 none, 1 graceful, 2 now
  bool draining_ = false;
  bool finished_ = false;
  std::atomic<bool> exited_{false};
  std::vector<std::unique_ptr<Listener>> listeners_;
  TcpConnectionSet connections_;
  std::unique_ptr<HttpClient> http_client_;  // workers' fetch(); outlives pool_ (declared first)
  std::unique_ptr<isolates::IsolatePool> pool_;
};

}  // namespace edgerun::runtime
