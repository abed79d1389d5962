#include "runtime/http_connection.h"

#include <algorithm>
#include <cstring>

#include "runtime/ascii.h"
#include "runtime/chunked_coding.h"
#include "runtime/http_error_response.h"
#include "runtime/http_request_target.h"
#include "runtime/http_response_serializer.h"
#include "runtime/request_body_stream.h"

namespace edgerun::runtime {
namespace internal {
namespace {

// Sized for typical requests (browsers send 10-20 fields) so the list rarely reallocates.
constexpr size_t kHeaderReserve = 16;
// A client can announce a large Content-Length and send nothing; don't let it make us allocate.
constexpr size_t kMaxBodyReserve = 1 << 20;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// A streamed response is pulled from the worker while less than this waits for the peer.
constexpr size_t kStreamHighWater = 64 * 1024;

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

// The connection's state machine. llhttp callbacks only collect data and do cheap checks; the
// decisions (limits, Host, Expect, handing a request out) happen in Parse() while llhttp is paused
// at the end of a head and at the end of a message, where the exact stream position is known.
class HttpConnectionCore : public std::enable_shared_from_this<HttpConnectionCore> {
 public:
  HttpConnectionCore(ConnectionIo& io, RequestHandler& handler, const HttpLimits& limits)
      : io_(io), handler_(handler), limits_(limits) {
    if (limits_.max_pipelined == 0) limits_.max_pipelined = 1;
    llhttp_init(&parser_, HTTP_REQUEST, &Settings());
    parser_.data = this;
  }
  HttpConnectionCore(const HttpConnectionCore&) = delete;
  HttpConnectionCore& operator=(const HttpConnectionCore&) = delete;

  // A connection that never sends a byte is idle too: its timer starts now.
  void Start() { UpdateTimer(); }

  void Feed(std::string_view data) {
    Scope scope(this);
    if (!AcceptsInput()) return;
    bytes_arrived_ = true;
    if (paused_) {
      // Only if the transport delivers past PauseReading(); keep the order of the bytes.
      pending_input_.append(data);
      return;
    }
    Parse(data.data(), data.size());
  }

  void OnEof() {
    Scope scope(this);
    eof_ = true;
  }

  void OnTimer() {
    Scope scope(this);
    if (closed_) return;
    timer_ = TimerKind::kOff;
    if (!in_flight_.empty() || paused_ || streaming_) return;  // stale: a worker is running
    if (current_) {
      Fail(408);
    } else {
      CloseNow();  // idle keep-alive connection: nothing to say
    }
  }

  void Drain() {
    Scope scope(this);
    if (closed_ || draining_) return;
    draining_ = true;
    DropPartialRequest();
    pending_input_.clear();
    paused_ = false;
  }

  bool idle() const { return !current_ && in_flight_.empty() && !paused_ && !streaming_; }
  bool closed() const { return closed_; }

  void Respond(HttpExchange& exchange, HttpResponse&& response) {
    Scope scope(this);
    if (closed_) {
      if (response.body_stream) response.body_stream->Cancel();
      return;
    }
    // A 1xx would be taken by the client as an interim response and it would wait forever.
    if (response.status < 200 || response.status > 999) {
      if (response.body_stream) response.body_stream->Cancel();
      response = MakeErrorResponse(500);
    }
    exchange.response_ = std::move(response);
    Flush();
  }

  void OnWritable() {
    Scope scope(this);
    if (wait_writable_ && io_.QueuedBytes() < kStreamHighWater) {
      wait_writable_ = false;
      PullBody();
    }
  }

  // The HttpConnection is being destroyed: never touch io_ or handler_ again.
  void Detach() {
    closed_ = true;
    StopStreaming();
    in_flight_.clear();
    current_.reset();
    pending_input_.clear();
    out_.clear();
    if (std::shared_ptr<RequestBodyStream> body = std::move(receiving_body_)) {
      body->Detach();
      body->Fail("the client connection closed before the request body was complete");
      body->Deliver();
    }
  }

 private:
  enum class Event { kNone, kHeadersComplete, kMessageComplete };
  enum class TimerKind { kOff, kIdle, kRequest };
  enum class Expect { kNone, kContinue, kOther };

  // Every entry point runs inside one. Writes made while any is open are gathered into one
  // Write(); the outermost one settles the connection (resumes parsing, closes when done, re-arms
  // the timer) and keeps the core alive in case a callback destroys the HttpConnection.
  class Scope {
   public:
    explicit Scope(HttpConnectionCore* core) : core_(core) {
      if (core_->depth_++ == 0) keep_alive_ = core_->shared_from_this();
    }
    ~Scope() {
      if (--core_->depth_ == 0) core_->Settle();
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    HttpConnectionCore* core_;
    std::shared_ptr<HttpConnectionCore> keep_alive_;
  };

  static HttpConnectionCore* Of(llhttp_t* parser) {
    return static_cast<HttpConnectionCore*>(parser->data);
  }

  static const llhttp_settings_t& Settings() {
    static const llhttp_settings_t settings = [] {
      llhttp_settings_t s;
      llhttp_settings_init(&s);
      s.on_message_begin = [](llhttp_t* p) { return Of(p)->OnMessageBegin(); };
      s.on_method = [](llhttp_t* p, const char* at, size_t n) { return Of(p)->OnMethod(at, n); };
      s.on_url = [](llhttp_t* p, const char* at, size_t n) { return Of(p)->OnUrl(at, n); };
      s.on_version = [](llhttp_t* p, const char* at, size_t n) { return Of(p)->OnVersion(at, n); };
      s.on_header_field = [](llhttp_t* p, const char* at, size_t n) {
        return Of(p)->OnHeaderField(at, n);
      };
      s.on_header_value = [](llhttp_t* p, const char* at, size_t n) {
        return Of(p)->OnHeaderValue(at, n);
      };
      s.on_header_value_complete = [](llhttp_t* p) { return Of(p)->OnHeaderValueComplete(); };
      s.on_headers_complete = [](llhttp_t* p) { return Of(p)->PauseFor(Event::kHeadersComplete); };
      s.on_chunk_header = [](llhttp_t* p) { return Of(p)->OnChunkHeader(); };
      s.on_chunk_extension_name = [](llhttp_t* p, const char*, size_t n) {
        return Of(p)->OnChunkExtension(n);
      };
      s.on_chunk_extension_value = [](llhttp_t* p, const char*, size_t n) {
        return Of(p)->OnChunkExtension(n);
      };
      s.on_body = [](llhttp_t* p, const char* at, size_t n) { return Of(p)->OnBody(at, n); };
      s.on_message_complete = [](llhttp_t* p) { return Of(p)->PauseFor(Event::kMessageComplete); };
      return s;
    }();
    return settings;
  }

  bool AcceptsInput() const {
    return !closed_ && !failed_ && !stop_parsing_ && !draining_ && !eof_;
  }

  // ---- parsing ----

  void Parse(const char* data, size_t len) {
    while (!closed_ && !failed_ && !stop_parsing_ && !draining_) {
      exec_begin_ = data;
      head_scan_from_ = (current_ && in_head_ && head_started_) ? data : nullptr;
      event_ = Event::kNone;
      reject_status_ = 0;
      const llhttp_errno_t err = llhttp_execute(&parser_, data, len);
      if (err != HPE_OK && err != HPE_PAUSED && err != HPE_PAUSED_UPGRADE) {
        Fail(StatusForError(err));
        return;
      }
      const size_t used =
          err == HPE_OK ? len : static_cast<size_t>(llhttp_get_error_pos(&parser_) - data);
      if (head_scan_from_ != nullptr && !ScanHead(head_scan_from_, data + used)) {
        Fail(400);
        return;
      }
      Consume(data, used);
      data += used;
      len -= used;
      if (stream_dispatch_pending_) DispatchStreamed();
      if (closed_ || failed_) return;

      if (err == HPE_OK) {
        // Whitespace runs make no callbacks; catch an over-long head here too.
        if (current_ && in_head_ && head_started_ &&
            consumed_ - head_start_ > limits_.max_header_bytes) {
          Fail(431);
        }
        return;
      }
      if (err == HPE_PAUSED_UPGRADE) {
        // An Upgrade request was served as a plain request; the connection stays HTTP/1.1.
        llhttp_resume_after_upgrade(&parser_);
        continue;
      }
      if (event_ == Event::kHeadersComplete) {
        if (!HandleHeadComplete()) return;
        llhttp_resume(&parser_);
        continue;
      }
      if (event_ != Event::kMessageComplete) {  // nothing else pauses llhttp
        Fail(400);
        return;
      }
      if (!HandleMessageComplete()) return;
      if (closed_ || failed_ || stop_parsing_ || draining_) return;
      if (in_flight_.size() >= limits_.max_pipelined) {
        // Backpressure: llhttp stays paused; the rest is parsed when a response has gone out.
        pending_input_.assign(data, len);
        paused_ = true;
        io_.PauseReading();
        return;
      }
      llhttp_resume(&parser_);
    }
  }

  int StatusForError(llhttp_errno_t err) const {
    if (reject_status_ != 0) return reject_status_;
    if (err == HPE_PAUSED_H2_UPGRADE) return 505;  // "PRI * HTTP/2.0": an h2c preface
    return 400;
  }

  // Offset in the request stream of a pointer into the buffer llhttp is executing.
  uint64_t Offset(const char* p) const {
    return consumed_ + static_cast<uint64_t>(p - exec_begin_);
  }

  // The stream byte `k` (1 or 2) positions before `p`, which may lie in an earlier buffer.
  char PrevByte(const char* p, int k) const {
    const ptrdiff_t i = (p - exec_begin_) - k;
    return i >= 0 ? exec_begin_[i] : tail_[2 + i];
  }

  void Consume(const char* data, size_t used) {
    if (used >= 2) {
      tail_[0] = data[used - 2];
      tail_[1] = data[used - 1];
    } else if (used == 1) {
      tail_[0] = tail_[1];
      tail_[1] = data[0];
    }
    consumed_ += used;
  }

  // llhttp 8.1 in strict mode still takes a bare LF ending the request line or the head, and
  // obsolete line folding (a line starting with SP/HTAB continues the previous value). Both are
  // request-smuggling material, so every LF of the head must follow a CR and must not be followed
  // by SP/HTAB. [from, to) lies in the buffer being executed.
  bool ScanHead(const char* from, const char* to) {
    const char* p = from;
    if (lf_pending_ && p < to) {
      if (*p == ' ' || *p == '\t') return false;
      lf_pending_ = false;
    }
    while (p < to) {
      p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(to - p)));
      if (p == nullptr) break;
      if (PrevByte(p, 1) != '\r') return false;
      ++p;
      if (p == to) {
        lf_pending_ = true;
        break;
      }
      if (*p == ' ' || *p == '\t') return false;
    }
    return true;
  }

  bool HandleHeadComplete() {
    in_head_ = false;
    lf_pending_ = false;
    HttpRequest& request = current_->request_;
    if (consumed_ - head_start_ > limits_.max_header_bytes) return Fail(431);
    // llhttp also takes HTTP/0.9-style "GET /" (no version) and HTTP/2.0 request lines.
    if (parser_.http_major != 1) return Fail(parser_.http_major == 0 ? 400 : 505);
    request.http_minor = parser_.http_minor;
    if (parser_.method == HTTP_CONNECT) return Fail(501);
    request.keep_alive = llhttp_should_keep_alive(&parser_) != 0;

    // RFC 9112 3.2: exactly one Host in HTTP/1.1, never more than one.
    if (host_count_ > 1 || (host_count_ == 0 && request.http_minor >= 1)) return Fail(400);
    if (!IsValidHostValue(request.host)) return Fail(400);
    std::string authority;
    if (!NormalizeRequestTarget(request.target, parser_.method == HTTP_OPTIONS, &authority)) {
      return Fail(400);
    }
    if (!authority.empty()) request.host = std::move(authority);  // absolute-form wins (3.2.2)

    if (te_seen_) {
      // RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 means faulty framing. llhttp has already
      // refused "chunked" that is repeated or not last; other codings are not implemented.
      if (request.http_minor == 0 || te_empty_) return Fail(400);
      if (te_unknown_) return Fail(501);
    }
    chunked_ = (parser_.flags & F_CHUNKED) != 0;
    const bool has_length = (parser_.flags & F_CONTENT_LENGTH) != 0;
    if (has_length && parser_.content_length > limits_.max_body_bytes) return Fail(413);

    if (has_length) {
      request.body.reserve(std::min<uint64_t>(parser_.content_length, kMaxBodyReserve));
    }

    // RFC 9110 10.1.1: Expect in an HTTP/1.0 request is ignored.
    if (request.http_minor >= 1 && expect_ != Expect::kNone) {
      if (expect_ == Expect::kOther) return Fail(417);
      if (chunked_ || parser_.content_length > 0) {
        continue_pending_ = true;
        Flush();  // last: it may reach the handler, which may drop `request`
      }
    }
    return true;
  }

  bool HandleMessageComplete() {
    // A chunked body ends with an empty line; llhttp accepts a bare LF for it.
    if (chunked_ && (tail_[0] != '\r' || tail_[1] != '\n')) return Fail(400);
    // Omit the 100 if the body arrived without it (RFC 9110 10.1.1 allows that); sending it now
    // could put it after this request's final response.
    continue_pending_ = false;
    std::shared_ptr<HttpExchange> exchange = std::move(current_);
    if (!exchange->request_.keep_alive) stop_parsing_ = true;
    if (exchange->body_streamed_) {
      // Handed out already; its reader gets the end in Settle().
      if (receiving_body_) receiving_body_->End();
      return true;
    }
    in_flight_.push_back(exchange);
    handler_.OnRequest(std::move(exchange));
    return true;
  }

  // The body outgrew limits.stream_body_after: hand the request out now with what has arrived
  // as the first bytes of its body stream; the rest follows as it is parsed.
  void DispatchStreamed() {
    stream_dispatch_pending_ = false;
    std::shared_ptr<HttpExchange> exchange = current_;
    HttpRequest& request = exchange->request_;
    auto body =
        std::make_shared<RequestBodyStream>(limits_.stream_body_after, [weak = weak_from_this()] {
          if (auto core = weak.lock()) core->OnBodyDrained();
        });
    body->Push(request.body);
    request.body.clear();
    request.body.shrink_to_fit();
    request.body_stream = body;
    receiving_body_ = std::move(body);
    exchange->body_streamed_ = true;
    continue_pending_ = false;  // the body is flowing: the client did not wait for a 100
    in_flight_.push_back(exchange);
    handler_.OnRequest(std::move(exchange));
  }

  // The worker took buffered body bytes: read the socket again if we had stopped.
  void OnBodyDrained() {
    Scope scope(this);
    if (!body_paused_) return;
    if (receiving_body_ && !receiving_body_->wants_more()) return;
    body_paused_ = false;
    if (!paused_ && !closed_ && AcceptsInput()) io_.ResumeReading();
  }

  // A streamed request body will not complete: its reader gets an error.
  void FailReceivingBody(std::string why) {
    if (std::shared_ptr<RequestBodyStream> body = std::move(receiving_body_)) {
      body->Fail(std::move(why));
      failed_bodies_.push_back(std::move(body));  // delivered in Settle()
    }
  }

  // ---- llhttp callbacks ----

  int Reject(int status) {
    reject_status_ = status;
    return HPE_USER;
  }

  int PauseFor(Event event) {
    event_ = event;
    return HPE_PAUSED;
  }

  bool HeadTooLarge(const char* end) const {
    return Offset(end) - head_start_ > limits_.max_header_bytes;
  }

  int OnMessageBegin() {
    current_ = std::make_shared<HttpExchange>();
    current_->connection_ = weak_from_this();
    current_->request_.headers.reserve(kHeaderReserve);
    in_head_ = true;
    head_started_ = false;
    url_started_ = false;
    version_started_ = false;
    lf_pending_ = false;
    head_deadline_set_ = false;
    values_done_ = 0;
    host_count_ = 0;
    expect_ = Expect::kNone;
    te_seen_ = te_empty_ = te_unknown_ = false;
    chunked_ = false;
    framing_bytes_ = 0;
    body_bytes_ = 0;
    return 0;
  }

  int OnMethod(const char* at, size_t n) {
    if (!head_started_) {
      head_started_ = true;
      head_start_ = Offset(at);
      head_scan_from_ = at;
    }
    if (HeadTooLarge(at + n)) return Reject(431);
    current_->request_.method.append(at, n);
    method_end_ = Offset(at + n);
    return 0;
  }

  int OnUrl(const char* at, size_t n) {
    // llhttp skips extra spaces around the target; the request-line grammar has exactly one.
    if (!url_started_) {
      url_started_ = true;
      if (Offset(at) != method_end_ + 1) return Reject(400);
    }
    if (HeadTooLarge(at + n)) return Reject(431);
    current_->request_.target.append(at, n);
    url_end_ = Offset(at + n);
    return 0;
  }

  int OnVersion(const char* at, size_t n) {
    if (!version_started_) {
      version_started_ = true;
      if (Offset(at) != url_end_ + std::strlen(" HTTP/")) return Reject(400);
    }
    if (HeadTooLarge(at + n)) return Reject(431);
    return 0;
  }

  int OnHeaderField(const char* at, size_t n) {
    if (!in_head_) return CountFraming(n, 431);  // trailer: discarded
    if (HeadTooLarge(at + n)) return Reject(431);
    HeaderList& headers = current_->request_.headers;
    if (headers.size() == values_done_) headers.emplace_back();
    headers.back().name.append(at, n);
    return 0;
  }

  int OnHeaderValue(const char* at, size_t n) {
    if (!in_head_) {
      // Trailers are not scanned by ScanHead; refuse a folded trailer line here.
      if (n > 0 && (at[0] == ' ' || at[0] == '\t') && PrevByte(at, 1) == '\n') return Reject(400);
      return CountFraming(n, 431);
    }
    if (HeadTooLarge(at + n)) return Reject(431);
    HeaderList& headers = current_->request_.headers;
    if (headers.size() != values_done_ + 1) return Reject(400);  // ": value" (empty name)
    headers.back().value.append(at, n);
    return 0;
  }

  int OnHeaderValueComplete() {
    if (!in_head_) return 0;
    HeaderList& headers = current_->request_.headers;
    if (headers.size() != values_done_ + 1 || headers.back().name.empty()) return Reject(400);
    ++values_done_;
    HeaderField& field = headers.back();
    // llhttp leaves trailing whitespace in the value; it is not part of it (RFC 9110 5.5).
    while (!field.value.empty() && (field.value.back() == ' ' || field.value.back() == '\t')) {
      field.value.pop_back();
    }
    NoteField(field);
    return 0;
  }

  void NoteField(const HeaderField& field) {
    switch (field.name.size()) {
      case 4:
        if (EqualsIgnoreCase(field.name, "host")) {
          ++host_count_;
          current_->request_.host = field.value;
        }
        break;
      case 6:
        if (EqualsIgnoreCase(field.name, "expect")) {
          expect_ = (expect_ != Expect::kOther && EqualsIgnoreCase(field.value, "100-continue"))
                        ? Expect::kContinue
                        : Expect::kOther;
        }
        break;
      case 17:
        if (EqualsIgnoreCase(field.name, "transfer-encoding")) NoteTransferEncoding(field.value);
        break;
      default:
        break;
    }
  }

  void NoteTransferEncoding(std::string_view value) {
    te_seen_ = true;
    bool any = false;
    while (true) {
      const size_t comma = value.find(',');
      const std::string_view coding = TrimOws(value.substr(0, comma));
      if (!coding.empty()) {
        any = true;
        if (!EqualsIgnoreCase(coding, "chunked")) te_unknown_ = true;
      }
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
    if (!any) te_empty_ = true;
  }

  int OnChunkHeader() {
    // llhttp puts the announced chunk size in content_length.
    const uint64_t room = limits_.max_body_bytes - body_bytes_;
    return parser_.content_length > room ? Reject(413) : 0;
  }

  int OnBody(const char* at, size_t n) {
    if (n > limits_.max_body_bytes - body_bytes_) return Reject(413);
    body_bytes_ += n;
    if (current_->body_streamed_) {
      if (receiving_body_) receiving_body_->Push(std::string_view(at, n));
      return 0;
    }
    std::string& body = current_->request_.body;
    body.append(at, n);
    if (body.size() > limits_.stream_body_after) stream_dispatch_pending_ = true;
    return 0;
  }

  int OnChunkExtension(size_t n) { return CountFraming(n, 413); }

  // Chunk extensions and trailers are dropped, but must not be an unbounded stream either.
  int CountFraming(size_t n, int status) {
    framing_bytes_ += n;
    return framing_bytes_ > limits_.max_header_bytes ? Reject(status) : 0;
  }

  // ---- responses ----

  // Queues a connection-made error response after the pending ones; the connection closes once it
  // is written. Returns false so callers can `return Fail(...)`.
  bool Fail(int status) {
    failed_ = true;
    continue_pending_ = false;
    pending_input_.clear();
    paused_ = false;
    stream_dispatch_pending_ = false;
    if (current_ && current_->body_streamed_) {
      // The worker has this request already and will answer it; its body ends in an error and
      // the connection closes after that answer (or now, if it has gone out).
      std::shared_ptr<HttpExchange> exchange = std::move(current_);
      FailReceivingBody(status == 413 ? "the request body is larger than limits.max_body_bytes"
                                      : "the request body is malformed");
      exchange->request_.keep_alive = false;
      exchange->close_after_ = true;
      if (std::find(in_flight_.begin(), in_flight_.end(), exchange) == in_flight_.end()) {
        CloseNow();
      }
      return false;
    }
    std::shared_ptr<HttpExchange> exchange = std::move(current_);
    if (!exchange) {
      exchange = std::make_shared<HttpExchange>();
      exchange->connection_ = weak_from_this();
    }
    exchange->request_.keep_alive = false;
    exchange->response_ = MakeErrorResponse(status);
    exchange->responded_ = true;
    exchange->close_after_ = true;
    in_flight_.push_back(std::move(exchange));
    Flush();
    return false;
  }

  // Writes the responses at the front of the queue that are ready, in request order.
  void Flush() {
    if (flushing_) return;  // OnResponseSent responded to another exchange: the loop picks it up
    flushing_ = true;
    while (!closed_ && !streaming_ && !in_flight_.empty() && in_flight_.front()->responded_) {
      std::shared_ptr<HttpExchange> exchange = std::move(in_flight_.front());
      in_flight_.pop_front();
      // Only the last response before we close says so: a client that reads "connection: close"
      // expects nothing after it (RFC 9112 9.6).
      const bool last = in_flight_.empty() && (draining_ || (eof_ && pending_input_.empty()));
      bool close = exchange->close_after_ || !exchange->request_.keep_alive || last;
      const int status = exchange->response_.status;
      if (exchange->response_.body_stream) {
        const bool bodyless = exchange->is_head() || status < 200 || status == 204 || status == 304;
        // HTTP/1.0 has no chunked coding: the end of the connection ends the body.
        if (!bodyless && exchange->request_.http_minor == 0) close = true;
        if (!bodyless) {
          StartStreaming(std::move(exchange), close);
          break;
        }
        exchange->response_.body_stream->Cancel();
        exchange->response_.body_stream.reset();
      }
      SerializedResponse out =
          SerializeResponseTakingBody(std::move(exchange->response_), exchange->is_head(), close,
                                      exchange->request_.http_minor);
      for (std::string& chunk : out.chunks)
        out_.push_back(std::move(chunk));
      handler_.OnResponseSent(*exchange, status, out.body_bytes);
      DiscardRequestBody(*exchange);
      if (close) CloseNow();
    }
    if (!closed_ && continue_pending_ && in_flight_.empty()) {
      continue_pending_ = false;
      out_.emplace_back(kContinue);
    }
    flushing_ = false;
  }

  // ---- streamed responses ----

  void StartStreaming(std::shared_ptr<HttpExchange> exchange, bool close) {
    SerializedResponse out =
        SerializeResponseTakingBody(HttpResponse(exchange->response_), /*head_request=*/false,
                                    close, exchange->request_.http_minor);
    for (std::string& chunk : out.chunks)
      out_.push_back(std::move(chunk));
    streaming_ = std::move(exchange);
    stream_close_ = close;
    stream_chunked_ = streaming_->request_.http_minor >= 1;
    stream_bytes_ = 0;
    PullBody();
  }

  // Asks the worker for the next chunk, unless one is awaited or the peer is behind. A stream
  // that answers at once would recurse here; the loop takes those answers instead.
  void PullBody() {
    if (pulling_) {
      pull_again_ = true;
      return;
    }
    pulling_ = true;
    do {
      pull_again_ = false;
      if (!streaming_ || chunk_pending_ || closed_) break;
      if (io_.QueuedBytes() >= kStreamHighWater) {
        wait_writable_ = true;
        break;
      }
      chunk_pending_ = true;
      std::shared_ptr<BodyStream> body = streaming_->response_.body_stream;
      body->Read([weak = weak_from_this()](BodyChunk chunk) {
        if (auto core = weak.lock()) core->OnBodyChunk(std::move(chunk));
      });
    } while (pull_again_);
    pulling_ = false;
  }

  void OnBodyChunk(BodyChunk chunk) {
    Scope scope(this);
    chunk_pending_ = false;
    if (closed_ || !streaming_) return;
    switch (chunk.kind) {
      case BodyChunk::Kind::kData:
        if (!chunk.data.empty()) {
          stream_bytes_ += chunk.data.size();
          if (stream_chunked_) {
            std::string frame;
            AppendChunkHeader(frame, chunk.data.size());
            out_.push_back(std::move(frame));
            out_.push_back(std::move(chunk.data));
            out_.emplace_back("\r\n");
          } else {
            out_.push_back(std::move(chunk.data));
          }
          // Out now, so that QueuedBytes() tells whether the peer keeps up.
          io_.Write(std::move(out_));
          out_.clear();
        }
        PullBody();
        return;
      case BodyChunk::Kind::kEnd: {
        if (stream_chunked_) out_.emplace_back("0\r\n\r\n");
        std::shared_ptr<HttpExchange> exchange = std::move(streaming_);
        streaming_.reset();
        exchange->response_.body_stream.reset();
        handler_.OnResponseSent(*exchange, exchange->response_.status, stream_bytes_);
        DiscardRequestBody(*exchange);
        if (stream_close_) {
          CloseNow();
        } else {
          Flush();
        }
        return;
      }
      case BodyChunk::Kind::kError: {
        // The status line is out: the only way left to tell the client is to cut the body
        // short (no last chunk), which it sees as an incomplete response.
        std::shared_ptr<HttpExchange> exchange = std::move(streaming_);
        streaming_.reset();
        exchange->response_.body_stream.reset();
        handler_.OnResponseSent(*exchange, exchange->response_.status, stream_bytes_);
        CloseNow();
        return;
      }
    }
  }

  // The answer is out: whatever of the request body is still to come is read and dropped, so
  // the connection can go on to the next request.
  static void DiscardRequestBody(HttpExchange& exchange) {
    if (!exchange.body_streamed_ || !exchange.request_.body_stream) return;
    std::shared_ptr<BodyStream> body = std::move(exchange.request_.body_stream);
    body->Cancel();
  }

  // The connection is going: the worker's stream is cancelled.
  void StopStreaming() {
    if (!streaming_) return;
    std::shared_ptr<HttpExchange> exchange = std::move(streaming_);
    streaming_.reset();
    chunk_pending_ = false;
    wait_writable_ = false;
    if (exchange->response_.body_stream) {
      std::shared_ptr<BodyStream> body = std::move(exchange->response_.body_stream);
      body->Cancel();
    }
  }

  void DropPartialRequest() {
    if (current_ && current_->body_streamed_) {
      FailReceivingBody("the client connection closed before the request body was complete");
    }
    current_.reset();
    in_head_ = false;
    continue_pending_ = false;
  }

  void CloseNow() {
    if (closed_) return;
    StopStreaming();
    for (const std::shared_ptr<HttpExchange>& exchange : in_flight_) {
      if (exchange->responded_ && exchange->response_.body_stream) {
        std::shared_ptr<BodyStream> body = std::move(exchange->response_.body_stream);
        body->Cancel();
      }
    }
    if (receiving_body_) {
      FailReceivingBody("the client connection closed before the request body was complete");
    }
    closed_ = true;
    in_flight_.clear();
    current_.reset();
    pending_input_.clear();
    paused_ = false;
    continue_pending_ = false;
    if (timer_ != TimerKind::kOff) {
      timer_ = TimerKind::kOff;
      io_.SetTimer(0);
    }
    if (!out_.empty()) io_.Write(std::move(out_));
    out_.clear();
    io_.Close();
  }

  // Runs when the outermost Scope ends.
  void Settle() {
    ++depth_;
    while (paused_ && !closed_ && in_flight_.size() < limits_.max_pipelined) {
      paused_ = false;
      std::string input = std::move(pending_input_);
      pending_input_.clear();
      llhttp_resume(&parser_);
      Parse(input.data(), input.size());
      if (!paused_ && !body_paused_ && !closed_ && AcceptsInput()) io_.ResumeReading();
    }
    SettleBodies();
    if (!closed_ && eof_ && !paused_) {
      DropPartialRequest();  // the peer will never finish it
      if (in_flight_.empty() && !streaming_) CloseNow();
    }
    if (!closed_ && draining_ && in_flight_.empty() && !streaming_) CloseNow();
    if (!closed_) UpdateTimer();
    --depth_;
    if (!closed_ && !out_.empty()) {
      io_.Write(std::move(out_));
      out_.clear();
    }
  }

  // Hands what was parsed to the reader of a streamed request body (here, never inside llhttp),
  // and stops reading the socket while too much of it waits unread.
  void SettleBodies() {
    if (receiving_body_) {
      std::shared_ptr<RequestBodyStream> body = receiving_body_;
      if (body->finished()) receiving_body_.reset();  // the reader takes the end from here on
      if (!closed_ && !body->wants_more() && !body_paused_) {
        body_paused_ = true;
        io_.PauseReading();
      }
      body->Deliver();
    }
    while (!failed_bodies_.empty()) {
      std::shared_ptr<RequestBodyStream> body = std::move(failed_bodies_.back());
      failed_bodies_.pop_back();
      body->Deliver();
    }
  }

  void UpdateTimer() {
    TimerKind want = TimerKind::kOff;
    uint64_t ms = 0;
    if (in_flight_.empty() && !paused_ && !streaming_) {
      if (current_) {
        want = TimerKind::kRequest;
        ms = RequestTimeoutMs();
      } else {
        want = TimerKind::kIdle;
        ms = limits_.idle_timeout_ms;
      }
      if (ms == 0) want = TimerKind::kOff;  // that timeout is disabled
    }
    // The idle-close timer is not pushed back by stray CRLFs; a request timer restarts with
    // every byte (it measures silence).
    const bool rearm = want != timer_ || (want == TimerKind::kRequest && bytes_arrived_);
    bytes_arrived_ = false;
    if (!rearm) return;
    timer_ = want;
    io_.SetTimer(ms);
  }

  // The sooner of "no byte for idle_timeout_ms" and "head not complete header_timeout_ms after
  // its first byte".
  uint64_t RequestTimeoutMs() {
    uint64_t ms = limits_.idle_timeout_ms;
    if (in_head_ && limits_.header_timeout_ms != 0) {
      const auto now = std::chrono::steady_clock::now();
      if (!head_deadline_set_) {
        head_deadline_set_ = true;
        head_deadline_ = now + std::chrono::milliseconds(limits_.header_timeout_ms);
      }
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(head_deadline_ - now).count();
      const uint64_t head_ms = left < 1 ? 1 : static_cast<uint64_t>(left);
      ms = ms == 0 ? head_ms : std::min(ms, head_ms);
    }
    return ms;
  }

  ConnectionIo& io_;
  RequestHandler& handler_;
  HttpLimits limits_;
  llhttp_t parser_;

  // Requests handed to the handler (and error responses), oldest first, until written.
  std::deque<std::shared_ptr<HttpExchange>> in_flight_;
  std::shared_ptr<HttpExchange> current_;              // the request being received
  std::shared_ptr<RequestBodyStream> receiving_body_;  // current_'s body, once it is streamed
  std::vector<std::shared_ptr<RequestBodyStream>> failed_bodies_;  // errors to deliver
  std::shared_ptr<HttpExchange> streaming_;  // its response body is being written
  std::vector<std::string> out_;             // gathered for the next Write()
  std::string pending_input_;                // unparsed bytes while paused for backpressure

  // Connection state.
  int depth_ = 0;
  bool closed_ = false;
  bool failed_ = false;        // an error response is queued; nothing more is parsed
  bool stop_parsing_ = false;  // the last request closes the connection
  bool draining_ = false;
  bool eof_ = false;
  bool paused_ = false;
  bool flushing_ = false;
  bool continue_pending_ = false;  // a 100 Continue waits for earlier responses
  bool bytes_arrived_ = false;
  TimerKind timer_ = TimerKind::kOff;

  // Streamed bodies.
  bool stream_dispatch_pending_ = false;  // current_'s body outgrew stream_body_after
  bool body_paused_ = false;              // reading stopped: the worker is behind on the body
  bool stream_close_ = false;             // close once streaming_'s body is written
  bool stream_chunked_ = false;
  bool chunk_pending_ = false;  // a Read() of streaming_'s body is outstanding
  bool wait_writable_ = false;  // the peer is behind: pull again on OnWritable()
  bool pulling_ = false;
  bool pull_again_ = false;
  uint64_t stream_bytes_ = 0;

  // Where llhttp is in the stream.
  const char* exec_begin_ = nullptr;  // the buffer llhttp_execute is running over
  uint64_t consumed_ = 0;             // stream offset of exec_begin_
  char tail_[2] = {0, 0};             // the two stream bytes before exec_begin_
  Event event_ = Event::kNone;
  int reject_status_ = 0;  // set by a callback that refused the request

  // The request being received.
  const char* head_scan_from_ = nullptr;
  uint64_t head_start_ = 0;
  uint64_t method_end_ = 0;
  uint64_t url_end_ = 0;
  uint64_t framing_bytes_ = 0;
  uint64_t body_bytes_ = 0;
  size_t values_done_ = 0;
  int host_count_ = 0;
  Expect expect_ = Expect::kNone;
  bool in_head_ = false;
  bool head_started_ = false;
  bool url_started_ = false;
  bool version_started_ = false;
  bool lf_pending_ = false;  // the head scanned so far ends with LF
  bool te_seen_ = false;
  bool te_empty_ = false;
  bool te_unknown_ = false;
  bool chunked_ = false;
  bool head_deadline_set_ = false;
  std::chrono::steady_clock::time_point head_deadline_;
};

}  // namespace internal

void HttpExchange::Respond(HttpResponse response) {
  if (responded_) return;
  responded_ = true;
  if (auto core = connection_.lock()) {
    core->Respond(*this, std::move(response));
  } else if (response.body_stream) {
    response.body_stream->Cancel();  // nobody will read it
  }
}

bool HttpExchange::connection_alive() const {
  auto core = connection_.lock();
  return core && !core->closed();
}

HttpConnection::HttpConnection(ConnectionIo& io, RequestHandler& handler, const HttpLimits& limits)
    : core_(std::make_shared<internal::HttpConnectionCore>(io, handler, limits)) {
  core_->Start();
}

HttpConnection::~HttpConnection() {
  core_->Detach();
}

void HttpConnection::Feed(std::string_view data) {
  core_->Feed(data);
}
void HttpConnection::OnEof() {
  core_->OnEof();
}
void HttpConnection::OnTimer() {
  core_->OnTimer();
}
void HttpConnection::OnWritable() {
  core_->OnWritable();
}
void HttpConnection::Drain() {
  core_->Drain();
}
bool HttpConnection::idle() const {
  return core_->idle();
}

}  // namespace edgerun::runtime
