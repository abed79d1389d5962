#include "runtime/tcp_connection.h"

#include <memory>
#include <utility>

namespace edgerun::runtime {

// ---- TcpConnectionSet ----

TcpConnectionSet::~TcpConnectionSet() {
  while (head_ != nullptr)
    Remove(head_);
}

void TcpConnectionSet::Add(TcpConnection* connection) {
  connection->set_ = this;
  connection->prev_ = nullptr;
  connection->next_ = head_;
  if (head_ != nullptr) head_->prev_ = connection;
  head_ = connection;
  ++size_;
}

void TcpConnectionSet::Remove(TcpConnection* connection) {
  if (connection->prev_ != nullptr) {
    connection->prev_->next_ = connection->next_;
  } else {
    head_ = connection->next_;
  }
  if (connection->next_ != nullptr) connection->next_->prev_ = connection->prev_;
  connection->prev_ = connection->next_ = nullptr;
  connection->set_ = nullptr;
  --size_;
}

// Connections leave the set only when deleted (asynchronously), so the walk is safe even if one
// closes while we call it.
void TcpConnectionSet::DrainAll() {
  for (TcpConnection* c = head_; c != nullptr;) {
    TcpConnection* next = c->next_;
    c->Drain();
    c = next;
  }
}

void TcpConnectionSet::CloseAll() {
  for (TcpConnection* c = head_; c != nullptr;) {
    TcpConnection* next = c->next_;
    c->CloseNow();
    c = next;
  }
}

// ---- TcpConnection ----

// Keeps the chunks alive until libuv is done with them (libuv copies the uv_buf_t array itself).
struct TcpConnection::WriteRequest {
  uv_write_t req;
  TcpConnection* connection;
  std::vector<std::string> chunks;
};

TcpConnection* TcpConnection::Accept(uv_loop_t* loop, uv_stream_t* listener,
                                     RequestHandler& handler, const HttpLimits& limits,
                                     TcpConnectionSet* set, std::function<void()> on_closed) {
  auto connection = std::make_unique<TcpConnection>(PassKey());
  TcpConnection* c = connection.get();
  if (uv_tcp_init(loop, &c->tcp_) != 0) return nullptr;  // no handle to close yet
  c->tcp_.data = c;
  ++c->open_handles_;
  uv_timer_init(loop, &c->timer_);
  c->timer_.data = c;
  ++c->open_handles_;
  // From here on the handles own the connection: it is deleted from their close callbacks.
  connection.release();
  if (uv_accept(listener, c->stream()) != 0) {
    c->CloseHandles();
    return nullptr;
  }
  uv_tcp_nodelay(&c->tcp_, 1);
  c->http_.emplace(static_cast<ConnectionIo&>(*c), handler, limits);
  if (!c->StartReading()) {
    c->CloseHandles();
    return nullptr;
  }
  c->accepted_ = true;
  c->on_closed_ = std::move(on_closed);
  if (set != nullptr) set->Add(c);
  return c;
}

TcpConnection::TcpConnection(PassKey) {}

TcpConnection::~TcpConnection() {
  if (set_ != nullptr) set_->Remove(this);
}

void TcpConnection::Drain() {
  if (state_ == State::kOpen && http_) http_->Drain();
}

void TcpConnection::CloseNow() {
  CloseHandles();
}

void TcpConnection::Reject(const HttpResponse& response) {
  if (state_ != State::kOpen) return;
  Write(SerializeResponse(response, /*head_request=*/false, /*close_connection=*/true, 1));
  Close();
}

void TcpConnection::Write(std::vector<std::string> chunks) {
  if (chunks.empty() || state_ == State::kClosed) return;

  constexpr size_t kInline = 8;
  uv_buf_t inline_bufs[kInline];
  std::vector<uv_buf_t> heap_bufs;
  auto make_bufs = [&](std::vector<std::string>& from) {
    uv_buf_t* bufs = inline_bufs;
    if (from.size() > kInline) {
      heap_bufs.resize(from.size());
      bufs = heap_bufs.data();
    }
    for (size_t i = 0; i < from.size(); ++i) {
      bufs[i] = uv_buf_init(from[i].data(), static_cast<unsigned int>(from[i].size()));
    }
    return bufs;
  };

  // Fast path: with nothing queued, write now. A response that fits in the socket buffer (nearly
  // all of them) then needs no write request and no completion callback, and spares an
  // epoll_ctl per response: libuv 1.44 re-arms the stream's watcher after every queued write
  // drains, even when its events did not change.
  if (pending_writes_ == 0) {
    int written =
        uv_try_write(stream(), make_bufs(chunks), static_cast<unsigned int>(chunks.size()));
    if (written == UV_EAGAIN) written = 0;
    if (written < 0) {
      CloseHandles();
      return;
    }
    size_t left = static_cast<size_t>(written);
    size_t done = 0;
    while (done < chunks.size() && left >= chunks[done].size())
      left -= chunks[done++].size();
    if (done == chunks.size()) return;
    chunks.erase(chunks.begin(), chunks.begin() + static_cast<std::ptrdiff_t>(done));
    chunks.front().erase(0, left);
  }

  auto request = std::make_unique<WriteRequest>();
  request->connection = this;
  request->chunks = std::move(chunks);
  request->req.data = request.get();
  const size_t count = request->chunks.size();
  uv_buf_t* bufs = make_bufs(request->chunks);
  if (uv_write(&request->req, stream(), bufs, static_cast<unsigned int>(count), &OnWrite) != 0) {
    CloseHandles();  // the callback will not run; `request` frees the chunks
    return;
  }
  request.release();  // OnWrite owns it now
  ++pending_writes_;
}

size_t TcpConnection::QueuedBytes() const {
  // Closed (a write failed: the peer is gone): nothing more can be taken, so a streamed response
  // stops being pulled until the connection is torn down and cancels it.
  if (state_ == State::kClosed) return SIZE_MAX;
  return tcp_.write_queue_size;
}

void TcpConnection::PauseReading() {
  if (!reading_) return;
  uv_read_stop(stream());
  reading_ = false;
}

void TcpConnection::ResumeReading() {
  if (state_ == State::kOpen && !reading_ && !peer_eof_ && !StartReading()) CloseHandles();
}

void TcpConnection::Close() {
  if (state_ != State::kOpen) return;
  state_ = State::kClosing;
  uv_timer_stop(&timer_);
  if (pending_writes_ == 0) Shutdown();
}

void TcpConnection::SetTimer(uint64_t ms) {
  if (state_ != State::kOpen) return;
  if (ms == 0) {
    uv_timer_stop(&timer_);
  } else {
    uv_timer_start(&timer_, &OnTimer, ms, 0);
  }
}

bool TcpConnection::StartReading() {
  if (reading_) return true;
  if (uv_read_start(stream(), &OnAlloc, &OnRead) != 0) return false;
  reading_ = true;
  return true;
}

void TcpConnection::Shutdown() {
  state_ = State::kShutdown;
  shutdown_req_.data = this;
  if (uv_shutdown(&shutdown_req_, stream(), &OnShutdown) != 0) CloseHandles();
}

void TcpConnection::CloseHandles() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  reading_ = false;
  // Pending write and shutdown requests complete with UV_ECANCELED before the close callbacks.
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), &OnHandleClosed);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), &OnHandleClosed);
}

void TcpConnection::OnAlloc(uv_handle_t*, size_t, uv_buf_t* buf) {
  // One buffer per thread is enough: OnRead consumes (copies what it keeps) before returning, and
  // libuv reads one stream at a time.
  thread_local char buffer[64 * 1024];
  *buf = uv_buf_init(buffer, sizeof(buffer));
}

void TcpConnection::OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* self = static_cast<TcpConnection*>(stream->data);
  if (nread > 0) {
    // After Close() input is only drained so that it does not turn our close into a reset.
    if (self->state_ == State::kOpen && self->http_) {
      self->http_->Feed(std::string_view(buf->base, static_cast<size_t>(nread)));
    }
    return;
  }
  if (nread == 0) return;  // EAGAIN
  if (nread == UV_EOF) {
    self->peer_eof_ = true;
    self->reading_ = false;  // libuv stops reading at EOF
    if (self->state_ == State::kOpen && self->http_) {
      self->http_->OnEof();
    } else if (self->state_ == State::kLinger) {
      self->CloseHandles();
    }
    return;
  }
  self->CloseHandles();  // ECONNRESET and friends: nobody is left to read what we would write
}

void TcpConnection::OnWrite(uv_write_t* req, int status) {
  std::unique_ptr<WriteRequest> request(static_cast<WriteRequest*>(req->data));
  TcpConnection* self = request->connection;
  --self->pending_writes_;
  if (status < 0) {
    self->CloseHandles();
    return;
  }
  if (self->state_ == State::kClosing && self->pending_writes_ == 0) self->Shutdown();
  if (self->state_ == State::kOpen && self->http_) self->http_->OnWritable();
}

void TcpConnection::OnShutdown(uv_shutdown_t* req, int status) {
  auto* self = static_cast<TcpConnection*>(req->data);
  if (self->state_ != State::kShutdown) return;  // already closing (ECANCELED)
  if (status < 0 || self->peer_eof_) {
    self->CloseHandles();
    return;
  }
  self->state_ = State::kLinger;
  if (!self->StartReading()) {
    self->CloseHandles();
    return;
  }
  uv_timer_start(&self->timer_, &OnTimer, kLingerMs, 0);
}

void TcpConnection::OnTimer(uv_timer_t* timer) {
  auto* self = static_cast<TcpConnection*>(timer->data);
  if (self->state_ == State::kOpen && self->http_) {
    self->http_->OnTimer();
  } else if (self->state_ == State::kLinger) {
    self->CloseHandles();
  }
}

void TcpConnection::OnHandleClosed(uv_handle_t* handle) {
  auto* self = static_cast<TcpConnection*>(handle->data);
  if (--self->open_handles_ > 0) return;
  std::function<void()> on_closed = self->accepted_ ? std::move(self->on_closed_) : nullptr;
  std::unique_ptr<TcpConnection>(self).reset();
  if (on_closed) on_closed();
}

}  // namespace edgerun::runtime
