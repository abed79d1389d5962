#include "runtime/request_body_stream.h"

#include <utility>

namespace edgerun::runtime {

void RequestBodyStream::Push(std::string_view data) {
  if (cancelled_ || state_ != State::kOpen || data.empty()) return;
  buffered_.append(data);
}

void RequestBodyStream::End() {
  if (state_ == State::kOpen) state_ = State::kEnded;
}

void RequestBodyStream::Fail(std::string why) {
  if (state_ != State::kOpen) return;
  state_ = State::kFailed;
  error_ = std::move(why);
}

void RequestBodyStream::Deliver() {
  if (!waiting_) return;
  BodyChunk chunk;
  if (!buffered_.empty()) {
    chunk.kind = BodyChunk::Kind::kData;
    chunk.data = std::move(buffered_);
    buffered_.clear();
  } else if (state_ == State::kEnded) {
    chunk.kind = BodyChunk::Kind::kEnd;
  } else if (state_ == State::kFailed) {
    chunk.kind = BodyChunk::Kind::kError;
    chunk.data = error_;
  } else {
    return;  // nothing yet: the reader keeps waiting
  }
  const bool drained = chunk.kind == BodyChunk::Kind::kData;
  ReadFn done = std::move(waiting_);
  waiting_ = nullptr;
  // The callback may destroy the connection (and with it on_drained_'s target): take it first.
  std::function<void()> on_drained = drained ? on_drained_ : nullptr;
  done(std::move(chunk));
  if (on_drained) on_drained();
}

void RequestBodyStream::Read(ReadFn done) {
  if (cancelled_) return;
  waiting_ = std::move(done);
  Deliver();
}

void RequestBodyStream::Cancel() {
  if (cancelled_) return;
  cancelled_ = true;
  waiting_ = nullptr;
  buffered_.clear();
  buffered_.shrink_to_fit();
  if (on_drained_) {
    std::function<void()> on_drained = on_drained_;
    on_drained();
  }
}

}  // namespace edgerun::runtime
