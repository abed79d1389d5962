#include "runtime/server.h"

#include <signal.h>
#include <uv.h>

#include "runtime/log.h"
#include "runtime/server_thread.h"

namespace edgerun::runtime {

Server::Server(std::shared_ptr<const Config> config) : config_(std::move(config)) {}

Server::~Server() = default;

bool Server::Bind(std::string* error) {
  threads_ = config_->threads != 0 ? config_->threads : uv_available_parallelism();
  if (threads_ == 0) threads_ = 1;
  for (size_t i = 0; i < config_->workers.size(); ++i) {
    for (const std::string& pattern : config_->workers[i].routes)
      router_.Add(pattern, i);
  }
  for (const ListenConfig& listen : config_->listen) {
    auto sockets = std::make_unique<ListenerSockets>();
    if (!sockets->Bind(listen.address, threads_, error)) return false;
    sockets_.push_back(std::move(sockets));
  }
  return true;
}

int Server::Run() {
  // Writes to a closed socket must fail with EPIPE, not kill the process.
  ::signal(SIGPIPE, SIG_IGN);

  uv_loop_t loop;
  uv_loop_init(&loop);
  struct MainState {
    Server* server = nullptr;
    unsigned exited = 0;
    bool stopping = false;
    uv_signal_t sigint, sigterm;
    uv_timer_t force_timer;
    uv_async_t thread_exit;
  } state;
  state.server = this;

  uv_async_init(&loop, &state.thread_exit, [](uv_async_t* h) {
    auto* s = static_cast<MainState*>(h->data);
    // Coalesced: count the threads that are really done.
    unsigned done = 0;
    for (auto& t : s->server->loop_threads_)
      done += t->exited() ? 1 : 0;
    s->exited = done;
    if (done == s->server->loop_threads_.size()) {
      uv_close(reinterpret_cast<uv_handle_t*>(&s->thread_exit), nullptr);
      uv_close(reinterpret_cast<uv_handle_t*>(&s->sigint), nullptr);
      uv_close(reinterpret_cast<uv_handle_t*>(&s->sigterm), nullptr);
      uv_close(reinterpret_cast<uv_handle_t*>(&s->force_timer), nullptr);
    }
  });
  state.thread_exit.data = &state;

  for (unsigned t = 0; t < threads_; ++t) {
    std::vector<int> fds;
    for (auto& sockets : sockets_)
      fds.push_back(sockets->Take(t));
    loop_threads_.push_back(
        std::make_unique<ServerThread>(t, *this, std::move(fds), &state.thread_exit));
  }

  uv_timer_init(&loop, &state.force_timer);
  state.force_timer.data = &state;
  auto on_signal = [](uv_signal_t* h, int signum) {
    auto* s = static_cast<MainState*>(h->data);
    Server* server = s->server;
    if (!s->stopping) {
      s->stopping = true;
      Logger::Get().Log(LogLevel::kInfo, "server",
                        std::string("received ") + (signum == SIGINT ? "SIGINT" : "SIGTERM") +
                            ": no new connections; finishing in-flight requests (up to " +
                            std::to_string(server->config_->shutdown_timeout_ms) + " ms)");
      for (auto& t : server->loop_threads_)
        t->Stop(/*graceful=*/true);
      uv_timer_start(
          &s->force_timer,
          [](uv_timer_t* timer) {
            auto* st = static_cast<MainState*>(timer->data);
            Logger::Get().Log(LogLevel::kWarn, "server",
                              "shutdown timeout: closing the remaining connections");
            for (auto& t : st->server->loop_threads_)
              t->Stop(/*graceful=*/false);
          },
          server->config_->shutdown_timeout_ms, 0);
    } else {
      Logger::Get().Log(LogLevel::kWarn, "server", "second signal: stopping now");
      for (auto& t : server->loop_threads_)
        t->Stop(/*graceful=*/false);
    }
  };
  uv_signal_init(&loop, &state.sigint);
  uv_signal_init(&loop, &state.sigterm);
  state.sigint.data = state.sigterm.data = &state;
  uv_signal_start(&state.sigint, on_signal, SIGINT);
  uv_signal_start(&state.sigterm, on_signal, SIGTERM);

  for (auto& t : loop_threads_)
    t->Start();
  for (const auto& sockets : sockets_) {
    Logger::Get().Log(LogLevel::kInfo, "server",
                      "listening on http://" + sockets->address().ToString() + " (" +
                          std::to_string(threads_) + (threads_ == 1 ? " thread" : " threads") +
                          ")");
  }
  Logger::Get().Log(LogLevel::kInfo, "server",
                    "ready: edgerun " EDGERUN_VERSION " serving " +
                        std::to_string(config_->workers.size()) +
                        (config_->workers.size() == 1 ? " worker from " : " workers from ") +
                        config_->path.string());

  uv_run(&loop, UV_RUN_DEFAULT);
  for (auto& t : loop_threads_)
    t->Join();
  uv_loop_close(&loop);
  Logger::Get().Log(LogLevel::kInfo, "server", "stopped");
  return 0;
}

}  // namespace edgerun::runtime
