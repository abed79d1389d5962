#include "runtime/admin_server.h"

#include "runtime/http_error_response.h"

namespace edgerun::runtime {

AdminServer::AdminServer(uv_loop_t* loop, std::function<std::string()> metrics,
                         std::function<bool()> healthy)
    : loop_(loop), metrics_(std::move(metrics)), healthy_(std::move(healthy)) {
  limits_.max_body_bytes = 0;  // the admin endpoints take no bodies
}

AdminServer::~AdminServer() {
  Close();
}

bool AdminServer::Listen(const ListenAddress& address, std::string* error) {
  if (!sockets_.Bind(address, 1, error)) return false;
  listener_ = new uv_tcp_t;
  uv_tcp_init(loop_, listener_);
  listener_->data = this;
  int rc = uv_tcp_open(listener_, sockets_.Take(0));
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener_), 64,
                   [](uv_stream_t* server, int status) {
                     auto* self = static_cast<AdminServer*>(server->data);
                     if (status == 0) {
                       TcpConnection::Accept(self->loop_, server, *self, self->limits_,
                                             &self->connections_, nullptr);
                     }
                   });
  }
  if (rc != 0) {
    *error = address.ToString() + ": cannot listen: " + uv_strerror(rc);
    Close();
    return false;
  }
  return true;
}

void AdminServer::Close() {
  connections_.CloseAll();
  if (listener_ != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(listener_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
    listener_ = nullptr;
  }
}

void AdminServer::OnRequest(std::shared_ptr<HttpExchange> exchange) {
  const HttpRequest& request = exchange->request();
  std::string_view path = std::string_view(request.target).substr(0, request.target.find('?'));
  if (path != "/metrics" && path != "/healthz") {
    exchange->Respond(
        TextResponse(404, "Not Found: the admin endpoints are /metrics and /healthz.\n"));
    return;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse response = MakeErrorResponse(405);
    response.headers.push_back({"allow", "GET, HEAD"});
    exchange->Respond(std::move(response));
    return;
  }
  if (path == "/healthz") {
    bool healthy = healthy_();
    exchange->Respond(TextResponse(healthy ? 200 : 503, healthy ? "ok\n" : "draining\n"));
    return;
  }
  HttpResponse response;
  response.status = 200;
  response.headers.push_back({"content-type", "text/plain; version=0.0.4; charset=utf-8"});
  response.body = metrics_();
  exchange->Respond(std::move(response));
}

}  // namespace edgerun::runtime
