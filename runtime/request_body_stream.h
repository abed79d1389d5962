// A request body that is still arriving, handed to the worker as a BodyStream. The connection
// pushes what it parses; the worker reads. When more than `high_water` bytes wait unread, the
// connection stops reading the socket (it asks wants_more()), and starts again when the reader
// has taken them (the on_drained callback): memory stays bounded however large the body.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "bindings/http_types.h"

namespace edgerun::runtime {

class RequestBodyStream final : public BodyStream {
 public:
  RequestBodyStream(size_t high_water, std::function<void()> on_drained)
      : high_water_(high_water), on_drained_(std::move(on_drained)) {}

  // From the connection. Nothing is delivered to a waiting reader until Deliver(), so the reader
  // never runs inside the parser.
  void Push(std::string_view data);
  void End();
  void Fail(std::string why);
  // Hands buffered bytes (or the end, or the failure) to a reader waiting in Read().
  void Deliver();
  // Everything buffered, taken out (for a body that arrived whole before anyone read it).
  std::string TakeBuffered() {
    std::string out = std::move(buffered_);
    buffered_.clear();
    return out;
  }

  bool wants_more() const { return cancelled_ || buffered_.size() < high_water_; }
  bool finished() const { return state_ != State::kOpen; }
  bool cancelled() const { return cancelled_; }
  // Drops the drained callback (the connection is going away).
  void Detach() { on_drained_ = nullptr; }

  // BodyStream
  void Read(ReadFn done) override;
  void Cancel() override;

 private:
  enum class State { kOpen, kEnded, kFailed };

  size_t high_water_;
  std::function<void()> on_drained_;
  std::string buffered_;
  ReadFn waiting_;
  State state_ = State::kOpen;
  std::string error_;
  bool cancelled_ = false;
  bool delivered_end_ = false;
};

}  // namespace edgerun::runtime
