// One event-loop thread of the server: its listening sockets, its connections, its isolate pool.
#pragma once

#include <uv.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "isolates/isolate_pool.h"
#include "runtime/config.h"
#include "runtime/http_connection.h"
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

 private:
  friend struct Listener;
  void Run();
  void OnStopSignal();
  void OnConnection(Listener& listener);
  void Dispatch(Listener& listener, std::shared_ptr<HttpExchange> exchange);
  void CheckDrained();
  void Finish();

  unsigned index_;
  Server& server_;
  const Config& config_;
  std::vector<int> fds_;
  uv_async_t* on_exit_;
  std::thread thread_;

  uv_loop_t loop_;
  uv_async_t stop_async_;
  uv_prepare_t flush_prepare_;
  uv_timer_t drain_timer_;
  std::atomic<int> stop_request_{0};  // 0 none, 1 graceful, 2 now
  bool draining_ = false;
  bool finished_ = false;
  std::atomic<bool> exited_{false};
  std::vector<std::unique_ptr<Listener>> listeners_;
  TcpConnectionSet connections_;
  std::unique_ptr<isolates::IsolatePool> pool_;
};

}  // namespace edgerun::runtime
