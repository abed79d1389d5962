#include "runtime/http_client.h"

#include <llhttp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstring>

#include "runtime/ascii.h"
#include "runtime/chunked_coding.h"
#include "runtime/outbound_address.h"
#include "runtime/request_body_stream.h"

namespace edgerun::runtime {
namespace {

// Hop-by-hop and framing fields are ours to write.
bool IsOwnField(std::string_view name) {
  return EqualsIgnoreCase(name, "host") || EqualsIgnoreCase(name, "content-length") ||
         EqualsIgnoreCase(name, "transfer-encoding") || EqualsIgnoreCase(name, "connection") ||
         EqualsIgnoreCase(name, "keep-alive") || EqualsIgnoreCase(name, "te") ||
         EqualsIgnoreCase(name, "trailer") || EqualsIgnoreCase(name, "upgrade") ||
         EqualsIgnoreCase(name, "proxy-connection");
}

std::string OriginKey(const UrlParts& url, bool allow_private) {
  // A connection made under one SSRF decision is never lent to a request under another.
  return std::string(url.tls ? "https://" : "http://") + url.host + ":" + url.port +
         (allow_private ? "+private" : "");
}

}  // namespace

struct HttpClient::Exchange {
  uint64_t id = 0;
  OutboundRequest request;
  UrlParts url;
  std::string key;
  Done done;
  Connection* connection = nullptr;
  bool head_delivered = false;
};

// One TCP connection to an origin. Owns itself once closing: it is deleted when its handles are.
class HttpClient::Connection {
 public:
  Connection(HttpClient* client, std::string key) : client_(client), key_(std::move(key)) {
    uv_tcp_init(client->loop_, &tcp_);
    tcp_.data = this;
    uv_timer_init(client->loop_, &timer_);
    timer_.data = this;
  }

  ~Connection() {
    if (ssl_ != nullptr) SSL_free(ssl_);  // frees its BIOs too
  }

  // https: wraps the connection in TLS (memory BIOs between OpenSSL and the socket), verifying
  // the certificate chain against the context's trust store and the name against `host`.
  bool StartTls(SSL_CTX* context, const std::string& host) {
    ssl_ = SSL_new(context);
    if (ssl_ == nullptr) return false;
    rbio_ = BIO_new(BIO_s_mem());
    wbio_ = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl_, rbio_, wbio_);
    SSL_set_connect_state(ssl_);
    SSL_set_verify(ssl_, SSL_VERIFY_PEER, nullptr);
    const bool is_ip = host.find(':') != std::string::npos ||
                       host.find_first_not_of("0123456789.") == std::string::npos;
    if (is_ip) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl_, host.c_str());
      SSL_set1_host(ssl_, host.c_str());
    }
    host_ = host;
    return true;
  }

  const std::string& key() const { return key_; }
  uint64_t exchange() const { return exchange_; }
  bool parked() const { return exchange_ == 0; }

  void Connect(const sockaddr* address, uint64_t exchange) {
    exchange_ = exchange;
    connect_req_.data = this;
    StartTimer(client_->options_.connect_timeout_ms, "connecting timed out");
    if (uv_tcp_connect(&connect_req_, &tcp_, address, OnConnect) != 0) {
      Failed("the connection could not be started");
    }
  }

  // Writes `head` + `body` and reads the response for `exchange`.
  void Send(uint64_t exchange, bool head_request, std::string head, std::string body,
            std::shared_ptr<BodyStream> upload) {
    exchange_ = exchange;
    head_request_ = head_request;
    llhttp_init(&parser_, HTTP_RESPONSE, &Settings());
    parser_.data = this;
    status_text_.clear();
    headers_.clear();
    values_done_ = 0;
    interim_ = head_ready_ = message_done_ = false;
    body_.reset();
    uv_timer_stop(&timer_);
    StartTimer(client_->options_.response_timeout_ms, "no response within the response timeout");
    StartReading();
    upload_ = std::move(upload);
    if (ssl_ != nullptr) {
      pending_plain_.append(head).append(body);
      PumpTls();
    } else {
      WriteRaw(std::move(head), std::move(body));
    }
    PumpUpload();
  }

  void WritePlain(std::string data) {
    if (ssl_ != nullptr) {
      pending_plain_.append(data);
      PumpTls();
    } else {
      WriteRaw(std::move(data), {});
    }
  }

  // A streamed request body: one chunk read at a time, the next once the last was written
  // (OnWrite), framed with chunked transfer coding.
  void PumpUpload() {
    if (!upload_ || upload_reading_ || closing_) return;
    upload_reading_ = true;
    std::weak_ptr<bool> alive = alive_;
    std::shared_ptr<BodyStream> upload = upload_;
    upload->Read([this, alive](BodyChunk chunk) {
      std::shared_ptr<bool> live = alive.lock();
      if (!live || !*live) return;
      upload_reading_ = false;
      switch (chunk.kind) {
        case BodyChunk::Kind::kData: {
          if (chunk.data.empty()) {
            PumpUpload();
            return;
          }
          std::string frame;
          frame.reserve(chunk.data.size() + 12);
          AppendChunkHeader(frame, chunk.data.size());
          frame.append(chunk.data).append("\r\n");
          WritePlain(std::move(frame));  // OnWrite pulls the next chunk
          return;
        }
        case BodyChunk::Kind::kEnd:
          upload_.reset();
          WritePlain("0\r\n\r\n");
          return;
        case BodyChunk::Kind::kError:
          upload_.reset();
          Failed("the request body stream failed: " + chunk.data);
          return;
      }
    });
  }

  // The response is complete while the request body is still being sent: stop sending; the
  // connection can't be reused (the origin is mid-way through our message).
  bool AbandonUpload() {
    if (!upload_) return false;
    std::shared_ptr<BodyStream> upload = std::move(upload_);
    upload_.reset();
    upload->Cancel();
    return true;
  }

  void WriteRaw(std::string head, std::string body) {
    if (closing_) return;
    auto* write = new WriteReq{{}, std::move(head), std::move(body)};
    write->req.data = this;
    uv_buf_t bufs[2] = {uv_buf_init(write->head.data(), static_cast<unsigned>(write->head.size())),
                        uv_buf_init(write->body.data(), static_cast<unsigned>(write->body.size()))};
    if (uv_write(&write->req, reinterpret_cast<uv_stream_t*>(&tcp_), bufs,
                 write->body.empty() ? 1 : 2, OnWrite) != 0) {
      delete write;
      Failed("the request could not be written");
    }
  }

  // Moves the handshake on, encrypts waiting plaintext, and sends what OpenSSL produced.
  // False if TLS failed (the connection is failing).
  bool PumpTls() {
    if (!handshake_done_) {
      const int r = SSL_do_handshake(ssl_);
      if (r == 1) {
        handshake_done_ = true;
      } else {
        const int e = SSL_get_error(ssl_, r);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
          FlushTls();
          Failed(TlsError("the TLS handshake with " + host_ + " failed"));
          return false;
        }
      }
    }
    if (handshake_done_ && !pending_plain_.empty()) {
      // A memory BIO takes everything: one write.
      if (SSL_write(ssl_, pending_plain_.data(), static_cast<int>(pending_plain_.size())) <= 0) {
        Failed(TlsError("TLS write failed"));
        return false;
      }
      pending_plain_.clear();
    }
    FlushTls();
    return true;
  }

  void FlushTls() {
    std::string out;
    char buf[16 * 1024];
    int n;
    while ((n = BIO_read(wbio_, buf, sizeof buf)) > 0)
      out.append(buf, static_cast<size_t>(n));
    if (!out.empty()) WriteRaw(std::move(out), {});
  }

  std::string TlsError(const std::string& what) {
    const long verify = SSL_get_verify_result(ssl_);
    if (verify != X509_V_OK) {
      return what + ": certificate verify failed (" + X509_verify_cert_error_string(verify) + ")";
    }
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return what;
    char text[256];
    ERR_error_string_n(e, text, sizeof text);
    return what + ": " + text;
  }

  // Bytes from the socket: decrypted first on https.
  void OnBytes(const char* data, size_t len) {
    if (ssl_ == nullptr) {
      HandleInput(data, len);
      return;
    }
    BIO_write(rbio_, data, static_cast<int>(len));
    std::weak_ptr<bool> alive = alive_;
    if (!PumpTls()) return;
    char plain[16 * 1024];
    for (;;) {
      const int n = SSL_read(ssl_, plain, sizeof plain);
      if (n > 0) {
        HandleInput(plain, static_cast<size_t>(n));
        std::shared_ptr<bool> live = alive.lock();
        if (!live || !*live) return;
        continue;
      }
      const int e = SSL_get_error(ssl_, n);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) break;
      if (e == SSL_ERROR_ZERO_RETURN) {  // close_notify: as EOF
        OnEnd(UV_EOF);
        return;
      }
      Failed(TlsError("TLS read failed"));
      return;
    }
    FlushTls();  // a post-handshake message may want an answer
  }

  void Park() {
    exchange_ = 0;
    body_.reset();
    StartTimer(client_->options_.idle_timeout_ms, nullptr);
    StartReading();  // an idle connection that gets bytes or EOF is closed
  }

  void Close() {
    if (closing_) return;
    closing_ = true;
    *alive_ = false;
    AbandonUpload();
    if (body_ && !message_done_) {
      body_->Fail(error_.empty() ? "the connection to the origin was closed" : error_);
      body_->Deliver();
    }
    body_.reset();
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), OnClosed);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_), OnClosed);
  }

 private:
  struct WriteReq {
    uv_write_t req;
    std::string head;
    std::string body;
  };

  static const llhttp_settings_t& Settings() {
    static const llhttp_settings_t settings = [] {
      llhttp_settings_t s;
      llhttp_settings_init(&s);
      s.on_status = [](llhttp_t* p, const char* at, size_t n) {
        Of(p)->status_text_.append(at, n);
        return 0;
      };
      s.on_header_field = [](llhttp_t* p, const char* at, size_t n) {
        Connection* c = Of(p);
        if (c->headers_.size() == c->values_done_) c->headers_.emplace_back();
        c->headers_.back().name.append(at, n);
        return 0;
      };
      s.on_header_value = [](llhttp_t* p, const char* at, size_t n) {
        Of(p)->headers_.back().value.append(at, n);
        return 0;
      };
      s.on_header_value_complete = [](llhttp_t* p) {
        ++Of(p)->values_done_;
        return 0;
      };
      s.on_headers_complete = [](llhttp_t* p) { return Of(p)->OnHeadersComplete(); };
      s.on_body = [](llhttp_t* p, const char* at, size_t n) {
        Connection* c = Of(p);
        if (c->body_) c->body_->Push(std::string_view(at, n));
        return 0;
      };
      s.on_message_complete = [](llhttp_t* p) { return Of(p)->OnMessageComplete(); };
      return s;
    }();
    return settings;
  }
  static Connection* Of(llhttp_t* parser) { return static_cast<Connection*>(parser->data); }

  int OnHeadersComplete() {
    const int status = parser_.status_code;
    if (status >= 100 && status < 200 && status != 101) {
      interim_ = true;  // 100 Continue, 103 Early Hints: the real answer follows
      return 0;
    }
    head_ready_ = true;
    // The callback may come after this response is over and the connection serves another:
    // it only counts for the body it was made for.
    const uint64_t generation = ++body_generation_;
    std::weak_ptr<bool> alive = alive_;
    body_ = std::make_shared<RequestBodyStream>(
        client_->options_.body_high_water, [this, alive, generation] {
          std::shared_ptr<bool> live = alive.lock();
          if (live && *live && generation == body_generation_) OnBodyDrained();
        });
    return head_request_ ? 1 : 0;  // 1: a HEAD response has no body whatever it announces
  }

  int OnMessageComplete() {
    if (interim_) {
      interim_ = false;
      status_text_.clear();
      headers_.clear();
      values_done_ = 0;
      return 0;
    }
    message_done_ = true;
    return HPE_PAUSED;  // nothing may follow a response we did not ask for
  }

  void StartTimer(uint64_t ms, const char* why) {
    timeout_reason_ = why;
    uv_timer_stop(&timer_);
    if (ms > 0) uv_timer_start(&timer_, OnTimer, ms, 0);
  }

  void StartReading() {
    if (reading_ || closing_) return;
    if (uv_read_start(reinterpret_cast<uv_stream_t*>(&tcp_), OnAlloc, OnRead) == 0) {
      reading_ = true;
    }
  }
  void StopReading() {
    if (!reading_) return;
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
    reading_ = false;
  }

  void OnBodyDrained() {
    if (closing_ || !body_) return;
    if (body_->cancelled() && !message_done_) {
      // Nobody will read the rest: don't download it.
      error_ = "the response body was cancelled";
      Failed(error_);
      return;
    }
    if (body_->wants_more()) StartReading();
  }

  // Something went wrong: tell the exchange (before its head: an error; after: a body error).
  void Failed(std::string why) {
    error_ = why;
    const uint64_t id = exchange_;
    HttpClient* client = client_;
    const bool head = head_delivered_to_exchange();
    client->Destroy(this);  // fails body_ with error_
    if (id != 0 && !head) {
      auto it = client->exchanges_.find(id);
      if (it != client->exchanges_.end()) client->Fail(*it->second, std::move(why));
    } else if (id != 0) {
      client->Finish(id);
    }
  }

  bool head_delivered_to_exchange() const {
    auto it = client_->exchanges_.find(exchange_);
    return it != client_->exchanges_.end() && it->second->head_delivered;
  }

  void HandleInput(const char* data, size_t len) {
    if (parked()) {  // an idle connection: the origin closed it or misbehaves
      client_->Destroy(this);
      return;
    }
    const llhttp_errno_t err = llhttp_execute(&parser_, data, len);
    if (err != HPE_OK && err != HPE_PAUSED) {
      Failed(std::string("the origin sent a malformed response (") + llhttp_errno_name(err) + ")");
      return;
    }
    std::weak_ptr<bool> alive = alive_;
    if (head_ready_ && message_done_) {
      CompleteWhole(err == HPE_PAUSED && llhttp_get_error_pos(&parser_) == data + len);
      return;
    }
    if (head_ready_) {
      head_ready_ = false;
      uv_timer_stop(&timer_);
      DeliverHead();
      if (alive.expired() || !*alive.lock()) return;
    }
    if (body_) body_->Deliver();
    if (alive.expired() || !*alive.lock()) return;
    if (message_done_) {
      // Back to the pool first: the body's end reaches the worker, which may fetch again at
      // once, and should find this connection idle.
      std::shared_ptr<RequestBodyStream> body = std::move(body_);
      body_.reset();
      const uint64_t id = exchange_;
      const bool abandoned = AbandonUpload();
      const bool reusable = llhttp_should_keep_alive(&parser_) && err == HPE_PAUSED &&
                            llhttp_get_error_pos(&parser_) == data + len && !abandoned;
      HttpClient* client = client_;
      if (reusable) {
        client->Park(this);
      } else {
        client->Destroy(this);
      }
      client->Finish(id);
      if (body) {
        body->End();
        body->Deliver();
      }
      return;
    }
    if (body_ && !body_->wants_more()) StopReading();
  }

  bool Alive() const { return *alive_; }

  // The whole response arrived before anything was handed out: give it as bytes (no stream to
  // pump), with the connection back in the pool first so a fetch made at once reuses it.
  void CompleteWhole(bool clean_end) {
    head_ready_ = false;
    uv_timer_stop(&timer_);
    OutboundResult result;
    result.status = parser_.status_code;
    result.status_text = std::move(status_text_);
    result.headers = std::move(headers_);
    if (body_) result.body_bytes = body_->TakeBuffered();
    body_.reset();
    const uint64_t id = exchange_;
    HttpClient* client = client_;
    const bool abandoned = AbandonUpload();
    if (llhttp_should_keep_alive(&parser_) && clean_end && !abandoned) {
      client->Park(this);
    } else {
      client->Destroy(this);
    }
    auto it = client->exchanges_.find(id);
    if (it == client->exchanges_.end()) return;
    Done done = std::move(it->second->done);
    client->Finish(id);
    if (done) done(std::move(result));
  }

  void DeliverHead() {
    auto it = client_->exchanges_.find(exchange_);
    if (it == client_->exchanges_.end()) return;
    Exchange& exchange = *it->second;
    exchange.head_delivered = true;
    OutboundResult result;
    result.status = parser_.status_code;
    result.status_text = std::move(status_text_);
    result.headers = std::move(headers_);
    result.body = body_;
    Done done = std::move(exchange.done);
    exchange.done = nullptr;
    if (done) done(std::move(result));
  }

  static void OnConnect(uv_connect_t* req, int status) {
    auto* self = static_cast<Connection*>(req->data);
    if (self->closing_) return;
    if (status != 0) {
      self->Failed(std::string("could not connect: ") + uv_strerror(status));
      return;
    }
    self->client_->Connected(self);
  }

  static void OnWrite(uv_write_t* req, int status) {
    auto* self = static_cast<Connection*>(req->data);
    delete reinterpret_cast<WriteReq*>(req);  // req is its first member
    if (self->closing_) return;
    if (status != 0 && status != UV_ECANCELED) {
      self->Failed(std::string("could not send the request: ") + uv_strerror(status));
      return;
    }
    self->PumpUpload();
  }

  static void OnAlloc(uv_handle_t* handle, size_t, uv_buf_t* buf) {
    auto* self = static_cast<Connection*>(handle->data);
    buf->base = self->read_buffer_;
    buf->len = sizeof self->read_buffer_;
  }

  static void OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
    auto* self = static_cast<Connection*>(stream->data);
    if (self->closing_) return;
    if (nread > 0) {
      self->OnBytes(buf->base, static_cast<size_t>(nread));
    } else if (nread < 0) {
      self->OnEnd(static_cast<int>(nread));
    }
  }

  void OnEnd(int status) {
    if (parked()) {
      client_->Destroy(this);
      return;
    }
    if (status == UV_EOF && body_ && !message_done_) {
      // Close-delimited bodies end here.
      const llhttp_errno_t err = llhttp_finish(&parser_);
      if ((err == HPE_OK || err == HPE_PAUSED) && message_done_) {
        HandleInput(nullptr, 0);
        return;
      }
    }
    Failed(status == UV_EOF ? "the origin closed the connection before the response was complete"
                            : std::string("reading the response failed: ") + uv_strerror(status));
  }

  static void OnTimer(uv_timer_t* timer) {
    auto* self = static_cast<Connection*>(timer->data);
    if (self->closing_) return;
    if (self->timeout_reason_ == nullptr) {  // idle in the pool
      self->client_->Destroy(self);
      return;
    }
    self->Failed(self->timeout_reason_);
  }

  static void OnClosed(uv_handle_t* handle) {
    auto* self = static_cast<Connection*>(handle->data);
    if (++self->closed_handles_ == 2) delete self;
  }

  HttpClient* client_;
  std::string key_;
  uv_tcp_t tcp_;
  uv_timer_t timer_;
  uv_connect_t connect_req_;
  llhttp_t parser_;
  uint64_t exchange_ = 0;
  std::string status_text_;
  HeaderList headers_;
  size_t values_done_ = 0;
  bool head_request_ = false;
  bool interim_ = false;
  bool head_ready_ = false;
  bool message_done_ = false;
  bool reading_ = false;
  bool closing_ = false;
  int closed_handles_ = 0;
  uint64_t body_generation_ = 0;
  const char* timeout_reason_ = nullptr;
  std::string error_;
  std::shared_ptr<RequestBodyStream> body_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  SSL* ssl_ = nullptr;   // https only; owns rbio_/wbio_
  BIO* rbio_ = nullptr;  // socket -> OpenSSL
  BIO* wbio_ = nullptr;  // OpenSSL -> socket
  bool handshake_done_ = false;
  std::string pending_plain_;           // request bytes waiting for the handshake
  std::shared_ptr<BodyStream> upload_;  // a streamed request body still being sent
  bool upload_reading_ = false;
  std::string host_;
  char read_buffer_[64 * 1024];

  friend class HttpClient;
};

HttpClient::HttpClient(uv_loop_t* loop, HttpClientOptions options)
    : loop_(loop), options_(options), defer_timer_(new uv_timer_t) {
  uv_timer_init(loop_, defer_timer_);
  defer_timer_->data = this;
}

HttpClient::~HttpClient() {
  *alive_ = false;
  exchanges_.clear();  // no callback runs after this
  idle_.clear();
  std::vector<Connection*> open(connections_.begin(), connections_.end());
  connections_.clear();
  for (Connection* c : open)
    c->Close();
  uv_close(reinterpret_cast<uv_handle_t*>(defer_timer_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

size_t HttpClient::idle_connections() const {
  size_t n = 0;
  for (const auto& [key, list] : idle_)
    n += list.size();
  return n;
}

uint64_t HttpClient::Start(OutboundRequest request, Done done) {
  const uint64_t id = next_id_++;
  auto owned = std::make_unique<Exchange>();
  Exchange& exchange = *owned;
  exchange.id = id;
  exchange.request = std::move(request);
  exchange.done = std::move(done);
  exchanges_[id] = std::move(owned);
  if (!SplitHttpUrl(exchange.request.url, &exchange.url)) {
    Fail(exchange, "only http: and https: URLs can be fetched: " + exchange.request.url);
    return id;
  }
  exchange.key = OriginKey(exchange.url, exchange.request.allow_private);
  auto idle = idle_.find(exchange.key);
  if (idle != idle_.end() && !idle->second.empty()) {
    Connection* connection = idle->second.back();
    idle->second.pop_back();
    Send(exchange, connection);
    return id;
  }
  Resolve(exchange);
  return id;
}

void HttpClient::Cancel(uint64_t id) {
  auto it = exchanges_.find(id);
  if (it == exchanges_.end()) return;
  Connection* connection = it->second->connection;
  exchanges_.erase(it);
  if (connection != nullptr && connection->exchange() == id) Destroy(connection);
}

void HttpClient::Fail(Exchange& exchange, std::string error) {
  const uint64_t id = exchange.id;
  exchange.connection = nullptr;
  // Never inside Start(), and never after Cancel(): look the exchange up when it is time.
  Defer([this, id, error = std::move(error)] {
    auto it = exchanges_.find(id);
    if (it == exchanges_.end()) return;
    Done done = std::move(it->second->done);
    exchanges_.erase(it);
    OutboundResult result;
    result.error = error;
    if (done) done(std::move(result));
  });
}

namespace {
struct DnsRequest {
  uv_getaddrinfo_t req;
  HttpClient* client;
  std::weak_ptr<bool> alive;
  uint64_t id;
};
}  // namespace

void HttpClient::Resolve(Exchange& exchange) {
  auto* dns = new DnsRequest{{}, this, alive_, exchange.id};
  dns->req.data = dns;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  const int rc = uv_getaddrinfo(
      loop_, &dns->req,
      [](uv_getaddrinfo_t* req, int status, addrinfo* result) {
        std::unique_ptr<DnsRequest> dns(static_cast<DnsRequest*>(req->data));
        std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(result, uv_freeaddrinfo);
        std::shared_ptr<bool> alive = dns->alive.lock();
        if (!alive || !*alive) return;
        HttpClient* self = dns->client;
        auto it = self->exchanges_.find(dns->id);
        if (it == self->exchanges_.end()) return;  // cancelled meanwhile
        Exchange& exchange = *it->second;
        if (status != 0) {
          self->Fail(exchange,
                     "DNS lookup of " + exchange.url.host + " failed: " + uv_strerror(status));
          return;
        }
        const sockaddr* chosen = nullptr;
        const sockaddr* refused = nullptr;
        for (addrinfo* a = addresses.get(); a != nullptr && chosen == nullptr; a = a->ai_next) {
          if (!exchange.request.allow_private && IsPrivateAddress(a->ai_addr)) {
            if (refused == nullptr) refused = a->ai_addr;
            continue;
          }
          chosen = a->ai_addr;
        }
        if (chosen == nullptr) {
          self->Fail(exchange,
                     refused == nullptr
                         ? "DNS lookup of " + exchange.url.host + " returned no address"
                         : "fetch to " + exchange.url.host + " refused: it resolves to " +
                               AddressToString(refused) +
                               ", a loopback or private address (the worker's outbound rules "
                               "do not allow private networks: \"outbound\": {\"allow_private\": "
                               "true})");
          return;
        }
        self->Connect(exchange, chosen);
      },
      exchange.url.host.c_str(), exchange.url.port.c_str(), &hints);
  if (rc != 0) {
    delete dns;
    Fail(exchange, "DNS lookup of " + exchange.url.host + " could not start: " + uv_strerror(rc));
  }
}

void HttpClient::Connect(Exchange& exchange, const sockaddr* address) {
  SSL_CTX* tls = nullptr;
  if (exchange.url.tls) {
    std::string error;
    tls = TlsContext(&error);
    if (tls == nullptr) {
      Fail(exchange, error);
      return;
    }
  }
  auto* connection = new Connection(this, exchange.key);
  connections_.insert(connection);
  ++connections_opened_;
  exchange.connection = connection;
  if (tls != nullptr && !connection->StartTls(tls, exchange.url.host)) {
    Destroy(connection);
    Fail(exchange, "TLS could not be set up");
    return;
  }
  connection->Connect(address, exchange.id);
}

SSL_CTX* HttpClient::TlsContext(std::string* error) {
  if (tls_context_) return tls_context_.get();
  std::unique_ptr<SSL_CTX, void (*)(SSL_CTX*)> context(SSL_CTX_new(TLS_client_method()),
                                                       SSL_CTX_free);
  if (!context) {
    *error = "TLS is unavailable (SSL_CTX_new failed)";
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  const int ok = options_.ca_file.empty() ? SSL_CTX_set_default_verify_paths(context.get())
                                          : SSL_CTX_load_verify_locations(
                                                context.get(), options_.ca_file.c_str(), nullptr);
  if (ok != 1) {
    ERR_clear_error();
    *error = options_.ca_file.empty() ? "the system's CA certificates could not be loaded"
                                      : "the CA file " + options_.ca_file + " could not be loaded";
    return nullptr;
  }
  tls_context_ = std::move(context);
  return tls_context_.get();
}

void HttpClient::Connected(Connection* connection) {
  auto it = exchanges_.find(connection->exchange());
  if (it == exchanges_.end()) {
    Destroy(connection);
    return;
  }
  Send(*it->second, connection);
}

void HttpClient::Send(Exchange& exchange, Connection* connection) {
  exchange.connection = connection;
  const OutboundRequest& request = exchange.request;
  std::string head;
  head.reserve(256);
  head.append(request.method).append(" ").append(exchange.url.target).append(" HTTP/1.1\r\n");
  head.append("host: ").append(exchange.url.authority).append("\r\n");
  for (const HeaderField& field : request.headers) {
    if (IsOwnField(field.name)) continue;
    head.append(field.name).append(": ").append(field.value).append("\r\n");
  }
  const bool needs_length = !request.body.empty() || request.method == "POST" ||
                            request.method == "PUT" || request.method == "PATCH";
  if (request.body_stream) {
    head.append("transfer-encoding: chunked\r\n");
  } else if (needs_length) {
    head.append("content-length: ").append(std::to_string(request.body.size())).append("\r\n");
  }
  head.append("\r\n");
  connection->Send(exchange.id, request.method == "HEAD", std::move(head), request.body,
                   request.body_stream);
}

void HttpClient::Finish(uint64_t id) {
  exchanges_.erase(id);
}

void HttpClient::Park(Connection* connection) {
  std::vector<Connection*>& list = idle_[connection->key()];
  if (list.size() >= options_.max_idle_per_origin) {
    Destroy(connection);
    return;
  }
  connection->Park();
  list.push_back(connection);
}

void HttpClient::Destroy(Connection* connection) {
  if (connections_.erase(connection) == 0) return;  // closing already
  auto idle = idle_.find(connection->key());
  if (idle != idle_.end()) std::erase(idle->second, connection);
  connection->Close();
}

void HttpClient::Defer(std::function<void()> fn) {
  deferred_.push_back(std::move(fn));
  if (deferred_.size() > 1) return;
  uv_timer_start(
      defer_timer_,
      [](uv_timer_t* timer) {
        auto* self = static_cast<HttpClient*>(timer->data);
        std::deque<std::function<void()>> batch = std::move(self->deferred_);
        self->deferred_.clear();
        for (auto& fn : batch)
          fn();
      },
      0, 0);
}

}  // namespace edgerun::runtime
