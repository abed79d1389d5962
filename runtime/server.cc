#include "runtime/server.h"

#include <signal.h>
#include <uv.h>

#include <set>

#include "isolates/code_cache.h"
#include "isolates/source_files.h"
#include "isolates/v8_platform.h"
#include "runtime/admin_server.h"
#include "runtime/config_watcher.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/server_thread.h"

namespace edgerun::runtime {
namespace {

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names)
    out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

bool SameListen(const Config& a, const Config& b) {
  if (a.listen.size() != b.listen.size()) return false;
  for (size_t i = 0; i < a.listen.size(); ++i) {
    if (a.listen[i].address.ToString() != b.listen[i].address.ToString() ||
        a.listen[i].worker != b.listen[i].worker) {
      return false;
    }
  }
  return true;
}

}  // namespace

void ApplyOverrides(const ServeOverrides& overrides, Config* config) {
  if (overrides.threads != 0) config->threads = overrides.threads;
  if (!overrides.listen.empty()) {
    config->listen.clear();
    for (const ListenAddress& address : overrides.listen)
      config->listen.push_back({address, ""});
  }
}

std::shared_ptr<const Router> BuildRouter(const Config& config) {
  auto router = std::make_shared<Router>();
  for (size_t i = 0; i < config.workers.size(); ++i) {
    for (const std::string& pattern : config.workers[i].routes)
      router->Add(pattern, i);
  }
  return router;
}

Server::Server(std::shared_ptr<const Config> config, ServeOverrides overrides)
    : config_(std::move(config)), overrides_(std::move(overrides)) {}

Server::~Server() = default;

bool Server::Bind(std::string* error) {
  threads_ = config_->threads != 0 ? config_->threads : uv_available_parallelism();
  if (threads_ == 0) threads_ = 1;
  router_ = BuildRouter(*config_);
  for (const ListenConfig& listen : config_->listen) {
    auto sockets = std::make_unique<ListenerSockets>();
    if (!sockets->Bind(listen.address, threads_, error)) return false;
    sockets_.push_back(std::move(sockets));
  }
  return true;
}

void Server::Reload(const std::string& why) {
  ConfigResult result = LoadConfig(config_->path, ProcessEnv());
  for (const std::string& warning : result.warnings) {
    Logger::Get().Log(LogLevel::kWarn, "server", warning);
  }
  if (!result.ok()) {
    Logger::Get().Log(
        LogLevel::kError, "server",
        "reload (" + why + ") rejected; still serving the previous config:\n" + result.ErrorText());
    return;
  }
  auto fresh = std::make_shared<Config>(*result.config);
  ApplyOverrides(overrides_, fresh.get());
  auto needs_restart = [&](const std::string& what, const std::string& kept) {
    Logger::Get().Log(
        LogLevel::kWarn, "server",
        "reload (" + why + "): " + what + " changes need a restart; keeping the current " + kept);
  };
  if (!SameListen(*fresh, *config_) || fresh->threads != config_->threads) {
    needs_restart("\"listen\" and \"threads\"", "sockets and threads");
    fresh->listen = config_->listen;
    fresh->threads = config_->threads;
  }
  if (fresh->outbound_ca_file != config_->outbound_ca_file ||
      fresh->outbound_max_idle_per_origin != config_->outbound_max_idle_per_origin) {
    // Each thread's HTTP client (its TLS context and connection pool) is made when it starts.
    needs_restart("\"outbound\"", "ca_file and max_idle_per_origin");
    fresh->outbound_ca_file = config_->outbound_ca_file;
    fresh->outbound_max_idle_per_origin = config_->outbound_max_idle_per_origin;
  }

  // Which tenants must go: workers removed, workers whose entry or files changed, or all of
  // them when the limits their isolates were made with changed.
  bool limits_changed = !(TenantLimitsOf(*fresh) == TenantLimitsOf(*config_));
  std::vector<std::string> replaced, added, removed;
  for (const WorkerConfig& old : config_->workers) {
    const WorkerConfig* now = fresh->FindWorker(old.spec.name);
    if (now == nullptr) {
      removed.push_back(old.spec.name);
    } else if (limits_changed || !(now->spec == old.spec) ||
               isolates::SourceFiles::Get().Changed(old.spec.name)) {
      replaced.push_back(old.spec.name);
    }
  }
  for (const WorkerConfig& now : fresh->workers) {
    if (config_->FindWorker(now.spec.name) == nullptr) added.push_back(now.spec.name);
  }
  std::vector<std::string> gone = replaced;
  gone.insert(gone.end(), removed.begin(), removed.end());
  for (const std::string& name : gone)
    isolates::SourceFiles::Get().Forget(name);
  if (fresh->code_cache_dir != config_->code_cache_dir) {
    isolates::CodeCache::Get().SetDirectory(fresh->code_cache_dir);
  }

  if (fresh->memory_mb != config_->memory_mb) {
    isolates::V8Platform::SetWasmMemoryLimit(fresh->memory_mb);
  }
  config_ = fresh;
  router_ = BuildRouter(*config_);
  for (auto& thread : loop_threads_)
    thread->Reload(config_, router_, gone);
  Logger::Get().Log(LogLevel::kInfo, "server",
                    "reloaded config (" + why + "): " + std::to_string(config_->workers.size()) +
                        (config_->workers.size() == 1 ? " worker" : " workers") + "; replaced: " +
                        Join(replaced) + "; added: " + Join(added) + "; removed: " + Join(removed));
  if (watcher_) WatchFiles();
}

void Server::WatchFiles() {
  std::set<std::filesystem::path> dirs = {config_->path.parent_path()};
  for (const WorkerConfig& worker : config_->workers) {
    dirs.insert(worker.spec.main.parent_path());
    for (const isolates::WasmModuleBinding& module : worker.spec.wasm_modules)
      dirs.insert(module.path.parent_path());
  }
  for (const std::filesystem::path& dir : watcher_->Watch(dirs)) {
    Logger::Get().Log(LogLevel::kWarn, "server", "--watch: cannot watch " + dir.string());
  }
}

int Server::Run() {
  // Writes to a closed socket must fail with EPIPE, not kill the process.
  ::signal(SIGPIPE, SIG_IGN);

  uv_loop_t loop;
  uv_loop_init(&loop);
  struct MainState {
    Server* server = nullptr;
    bool stopping = false;
    uv_signal_t sigint, sigterm, sighup;
    uv_timer_t force_timer;
    uv_async_t thread_exit;
  } state;
  state.server = this;

  uv_async_init(&loop, &state.thread_exit, [](uv_async_t* h) {
    auto* s = static_cast<MainState*>(h->data);
    // Coalesced: count the threads that are really done.
    for (auto& t : s->server->loop_threads_) {
      if (!t->exited()) return;
    }
    if (s->server->watcher_) s->server->watcher_->Close();
    if (s->server->admin_) s->server->admin_->Close();
    uv_close(reinterpret_cast<uv_handle_t*>(&s->thread_exit), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&s->sigint), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&s->sigterm), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&s->sighup), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&s->force_timer), nullptr);
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
    if (signum == SIGHUP) {
      if (!s->stopping) server->Reload("SIGHUP");
      return;
    }
    if (!s->stopping) {
      s->stopping = true;
      server->stopping_ = true;
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
  for (auto [handle, signum] :
       {std::pair{&state.sigint, SIGINT}, std::pair{&state.sigterm, SIGTERM},
        std::pair{&state.sighup, SIGHUP}}) {
    uv_signal_init(&loop, handle);
    handle->data = &state;
    uv_signal_start(handle, on_signal, signum);
  }
  if (overrides_.watch) {
    watcher_ = std::make_unique<ConfigWatcher>(&loop, [this] { Reload("files changed"); });
    WatchFiles();
  }

  if (config_->admin_listen) {
    admin_ = std::make_unique<AdminServer>(
        &loop, [this] { return RenderMetrics(); }, [this] { return !stopping_; });
    std::string error;
    if (!admin_->Listen(*config_->admin_listen, &error)) {
      Logger::Get().Log(LogLevel::kError, "server", "admin: " + error);
      admin_.reset();
      for (auto* handle : {reinterpret_cast<uv_handle_t*>(&state.thread_exit),
                           reinterpret_cast<uv_handle_t*>(&state.sigint),
                           reinterpret_cast<uv_handle_t*>(&state.sigterm),
                           reinterpret_cast<uv_handle_t*>(&state.sighup),
                           reinterpret_cast<uv_handle_t*>(&state.force_timer)}) {
        uv_close(handle, nullptr);
      }
      if (watcher_) watcher_->Close();
      uv_run(&loop, UV_RUN_DEFAULT);
      uv_loop_close(&loop);
      return 1;
    }
    Logger::Get().Log(LogLevel::kInfo, "server",
                      "admin: http://" + admin_->address().ToString() + "/metrics and /healthz");
  }
  for (auto& t : loop_threads_)
    t->Start();
  for (const auto& sockets : sockets_) {
    Logger::Get().Log(LogLevel::kInfo, "server",
                      "listening on http://" + sockets->address().ToString() + " (" +
                          std::to_string(threads_) + (threads_ == 1 ? " thread" : " threads") +
                          ")");
  }
  Logger::Get().Log(
      LogLevel::kInfo, "server",
      "ready: edgerun " EDGERUN_VERSION " serving " + std::to_string(config_->workers.size()) +
          (config_->workers.size() == 1 ? " worker from " : " workers from ") +
          config_->path.string() + (overrides_.watch ? " (watching for changes)" : ""));

  uv_run(&loop, UV_RUN_DEFAULT);
  for (auto& t : loop_threads_)
    t->Join();
  watcher_.reset();
  uv_run(&loop, UV_RUN_NOWAIT);
  uv_loop_close(&loop);
  Logger::Get().Log(LogLevel::kInfo, "server", "stopped");
  return 0;
}

std::string Server::RenderMetrics() const {
  std::vector<ThreadMetrics::Snapshot> snapshots;
  for (const auto& thread : loop_threads_)
    snapshots.push_back(thread->TakeMetrics());
  ProcessGauges process;
  process.open_connections = open_connections_.load();
  process.draining = stopping_;
  return runtime::RenderMetrics(snapshots, process);
}

}  // namespace edgerun::runtime
