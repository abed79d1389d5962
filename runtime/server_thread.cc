#include "runtime/server_thread.h"

#include <pthread.h>

#include <string_view>

#include "runtime/http_error_response.h"
#include "runtime/log.h"
#include "runtime/server.h"
#include "runtime/tcp_connection.h"

namespace edgerun::runtime {
namespace {

constexpr int kBacklog = 1024;
constexpr uint64_t kDrainPollMs = 20;

isolates::PoolOptions PoolOptionsOf(const Config& config) {
  isolates::PoolOptions options;
  options.limits = TenantLimitsOf(config);
  options.spares = config.spare_isolates;
  options.max_isolates = config.max_isolates;
  options.max_memory_mb = config.max_isolate_memory_mb;
  return options;
}

// The host to put in request.url: the Host header if there was one, else the listen address.
std::string_view UrlHost(const HttpRequest& request, const std::string& fallback) {
  return request.host.empty() ? std::string_view(fallback) : std::string_view(request.host);
}

}  // namespace

// One listening socket of this thread; also the RequestHandler of the connections it accepts.
struct ServerThread::Listener final : public RequestHandler {
  ServerThread* thread = nullptr;
  uv_tcp_t handle;
  const WorkerConfig* bound_worker = nullptr;  // listen entry with "worker": bypasses routes
  std::string address;                         // "127.0.0.1:8080"
  bool closed = false;

  void OnRequest(std::shared_ptr<HttpExchange> exchange) override {
    thread->Dispatch(*this, std::move(exchange));
  }
  void OnResponseSent(const HttpExchange& exchange, int status, uint64_t body_bytes) override {
    auto duration = std::chrono::steady_clock::now() - exchange.started;
    thread->metrics_.RecordResponse(exchange.worker, status, duration);
    if (!thread->config_->access_log) return;
    const HttpRequest& request = exchange.request();
    Logger::Get().Access(exchange.worker, request.method, request.target, status, body_bytes,
                         duration);
  }
};

ServerThread::ServerThread(unsigned index, Server& server, std::vector<int> fds,
                           uv_async_t* on_exit)
    : index_(index),
      server_(server),
      config_(server.config()),
      router_(server.router()),
      fds_(std::move(fds)),
      on_exit_(on_exit) {}

ServerThread::~ServerThread() {
  Join();
}

void ServerThread::Start() {
  // Loop and stop handle exist before the thread runs, so Stop() is safe right away.
  uv_loop_init(&loop_);
  uv_async_init(&loop_, &stop_async_,
                [](uv_async_t* h) { static_cast<ServerThread*>(h->data)->OnStopSignal(); });
  stop_async_.data = this;
  uv_async_init(&loop_, &reload_async_,
                [](uv_async_t* h) { static_cast<ServerThread*>(h->data)->OnReload(); });
  reload_async_.data = this;
  thread_ = std::thread([this] { Run(); });
}

void ServerThread::Join() {
  if (thread_.joinable()) thread_.join();
}

void ServerThread::Stop(bool graceful) {
  int want = graceful ? 1 : 2;
  int current = stop_request_.load();
  while (current < want && !stop_request_.compare_exchange_weak(current, want)) {
  }
  uv_async_send(&stop_async_);
}

void ServerThread::Run() {
  // Named so that top -H, perf and gdb tell the loops from V8's and edgerun's helper threads.
  pthread_setname_np(pthread_self(),
                     ("edgerun-loop-" + std::to_string(index_)).substr(0, 15).c_str());
  Logger::BufferThread(true);
  uv_prepare_init(&loop_, &flush_prepare_);
  uv_prepare_start(&flush_prepare_, [](uv_prepare_t*) { Logger::FlushThread(); });
  uv_unref(reinterpret_cast<uv_handle_t*>(&flush_prepare_));
  uv_timer_init(&loop_, &drain_timer_);
  drain_timer_.data = this;
  uv_timer_init(&loop_, &stats_timer_);
  stats_timer_.data = this;
  uv_timer_start(
      &stats_timer_,
      [](uv_timer_t* t) {
        auto* self = static_cast<ServerThread*>(t->data);
        self->metrics_.PublishPool(self->pool_->stats());
      },
      0, 1000);
  uv_unref(reinterpret_cast<uv_handle_t*>(&stats_timer_));

  HttpClientOptions client_options;
  client_options.ca_file = config_->outbound_ca_file.string();
  client_options.max_idle_per_origin = config_->outbound_max_idle_per_origin;
  http_client_ = std::make_unique<HttpClient>(&loop_, client_options);
  pool_ = std::make_unique<isolates::IsolatePool>(&loop_, Logger::Get(), PoolOptionsOf(*config_));
  pool_->SetOutbound(http_client_.get());

  for (size_t i = 0; i < fds_.size(); ++i) {
    auto listener = std::make_unique<Listener>();
    listener->thread = this;
    listener->address = config_->listen[i].address.ToString();
    uv_tcp_init(&loop_, &listener->handle);
    listener->handle.data = listener.get();
    int rc = uv_tcp_open(&listener->handle, fds_[i]);
    if (rc == 0) {
      rc = uv_listen(reinterpret_cast<uv_stream_t*>(&listener->handle), kBacklog,
                     [](uv_stream_t* server, int status) {
                       auto* l = static_cast<Listener*>(server->data);
                       if (status == 0) l->thread->OnConnection(*l);
                     });
    }
    if (rc != 0) {
      Logger::Get().Log(LogLevel::kError, "server",
                        listener->address + ": cannot listen: " + uv_strerror(rc));
    }
    listeners_.push_back(std::move(listener));
  }
  fds_.clear();
  BindListenerWorkers();

  uv_run(&loop_, UV_RUN_DEFAULT);
  // Close callbacks of handles closed during the last iteration.
  uv_run(&loop_, UV_RUN_NOWAIT);
  int rc = uv_loop_close(&loop_);
  if (rc != 0) {
    Logger::Get().Log(LogLevel::kWarn, "server",
                      "thread " + std::to_string(index_) + ": loop closed with live handles");
  }
  Logger::BufferThread(false);
  exited_.store(true);
  uv_async_send(on_exit_);
}

void ServerThread::OnConnection(Listener& listener) {
  auto* server = reinterpret_cast<uv_stream_t*>(&listener.handle);
  if (draining_) return;
  std::atomic<size_t>& open = server_.open_connections();
  bool over_limit = open.fetch_add(1) >= config_->max_connections;
  TcpConnection* connection =
      TcpConnection::Accept(&loop_, server, listener, config_->http, &connections_, [this] {
        server_.open_connections().fetch_sub(1);
        if (draining_) CheckDrained();
      });
  if (connection == nullptr) {
    open.fetch_sub(1);
    return;
  }
  if (over_limit) {
    Logger::Get().Log(LogLevel::kWarn, "server",
                      "connection limit reached (limits.max_connections = " +
                          std::to_string(config_->max_connections) + "): answering 503");
    connection->Reject(MakeErrorResponse(503));
  }
}

void ServerThread::Dispatch(Listener& listener, std::shared_ptr<HttpExchange> exchange) {
  const HttpRequest& in = exchange->request();
  const WorkerConfig* worker = listener.bound_worker;
  if (worker == nullptr) {
    std::optional<size_t> index = router_->Match(in.host, in.target);
    if (index) worker = &config_->workers[*index];
  }
  if (worker == nullptr) {
    exchange->Respond(
        TextResponse(404, "Not Found: no worker is routed for this host and path.\n"));
    return;
  }
  exchange->worker = worker->spec.name;

  HttpRequest request;
  request.method = in.method;
  request.target = in.target;
  request.host = in.host;
  request.http_minor = in.http_minor;
  request.keep_alive = in.keep_alive;
  request.headers = std::move(exchange->mutable_request().headers);
  request.body = std::move(exchange->mutable_request().body);
  request.body_stream = in.body_stream;  // a body still arriving
  std::string_view host = UrlHost(in, listener.address);
  std::string url;
  url.reserve(7 + host.size() + in.target.size());
  url.append("http://").append(host).append(in.target);

  pool_->Dispatch(worker->spec, std::move(request), std::move(url),
                  [exchange](HttpResponse response) { exchange->Respond(std::move(response)); });
}

void ServerThread::OnStopSignal() {
  int request = stop_request_.load();
  if (request == 0 || finished_) return;
  if (!draining_) {
    draining_ = true;
    for (auto& listener : listeners_) {
      if (!listener->closed) {
        listener->closed = true;
        uv_close(reinterpret_cast<uv_handle_t*>(&listener->handle), nullptr);
      }
    }
    connections_.DrainAll();
    uv_timer_start(
        &drain_timer_, [](uv_timer_t* t) { static_cast<ServerThread*>(t->data)->CheckDrained(); },
        kDrainPollMs, kDrainPollMs);
  }
  if (request == 2) {
    connections_.CloseAll();
    Finish();
    return;
  }
  CheckDrained();
}

void ServerThread::CheckDrained() {
  if (finished_ || !draining_) return;
  if (connections_.empty() && pool_->busy() == 0) Finish();
}

void ServerThread::Finish() {
  if (finished_) return;
  finished_ = true;
  metrics_.PublishPool(pool_->stats());
  pool_->Close();        // answers anything still pending (force stop) and disposes the isolates
  http_client_.reset();  // closes pooled outbound connections
  uv_close(reinterpret_cast<uv_handle_t*>(&stats_timer_), nullptr);
  uv_timer_stop(&drain_timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&drain_timer_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&stop_async_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&reload_async_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&flush_prepare_), nullptr);
  Logger::FlushThread();
}

void ServerThread::BindListenerWorkers() {
  for (size_t i = 0; i < listeners_.size(); ++i) {
    const std::string& name = config_->listen[i].worker;
    listeners_[i]->bound_worker = name.empty() ? nullptr : config_->FindWorker(name);
  }
}

void ServerThread::Reload(std::shared_ptr<const Config> config,
                          std::shared_ptr<const Router> router, std::vector<std::string> replaced) {
  {
    std::lock_guard lock(reload_mutex_);
    pending_reload_.push_back({std::move(config), std::move(router), std::move(replaced)});
  }
  uv_async_send(&reload_async_);
}

void ServerThread::OnReload() {
  std::vector<PendingReload> pending;
  {
    std::lock_guard lock(reload_mutex_);
    pending.swap(pending_reload_);
  }
  if (finished_) return;
  for (PendingReload& reload : pending) {
    config_ = std::move(reload.config);
    router_ = std::move(reload.router);
    BindListenerWorkers();
    pool_->SetOptions(PoolOptionsOf(*config_));
    pool_->Replace(reload.replaced);
  }
}

}  // namespace edgerun::runtime
