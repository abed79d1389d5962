// Streamed bodies of a tenant's requests. A request body that is still arriving is registered
// under an id that JS reads through Host::ReadBody; a response body that is a ReadableStream is
// handed to the connection as a BodyStream that pulls one chunk from JS per read, so the client's
// pace sets the worker's. Every entry into JS for a body is charged to the request it belongs to.
#include "bindings/http_conversion.h"
#include "bindings/v8_util.h"
#include "isolates/js_error.h"
#include "isolates/tenant.h"
#include "isolates/tenant_guard.h"

namespace edgerun::isolates {

using bindings::LogLevel;

namespace {

// Calls one of the context's handles with (id, value); false if it threw.
bool CallHandle(const v8::Global<v8::Function>& handle, v8::Local<v8::Context> context,
                v8::Local<v8::Value> (&args)[2]) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Value> ignored;
  return handle.Get(isolate)->Call(context, v8::Undefined(isolate), 2, args).ToLocal(&ignored);
}

}  // namespace

class Tenant::ResponseBody final : public BodyStream {
 public:
  ResponseBody(std::shared_ptr<Tenant*> tenant, uint32_t id)
      : tenant_(std::move(tenant)), id_(id) {}
  ~ResponseBody() override { Cancel(); }

  void Read(ReadFn done) override {
    Tenant* tenant = *tenant_;
    if (tenant == nullptr || cancelled_) {
      done(BodyChunk{BodyChunk::Kind::kError, "the worker was stopped"});
      return;
    }
    tenant->PullResponseBody(id_, std::move(done));
  }
  void Cancel() override {
    if (cancelled_) return;
    cancelled_ = true;
    if (Tenant* tenant = *tenant_) tenant->CancelResponseBody(id_);
  }

 private:
  std::shared_ptr<Tenant*> tenant_;
  uint32_t id_;
  bool cancelled_ = false;
};

// ---- request bodies (client -> worker) ----

uint32_t Tenant::AdoptRequestBody(std::shared_ptr<BodyStream> body, uint64_t request) {
  uint32_t id = next_body_id_++;
  if (next_body_id_ > 0x7fffffff) next_body_id_ = 1;
  incoming_bodies_[id] = IncomingBody{std::move(body), request};
  return id;
}

void Tenant::ReadBody(uint32_t id) {
  auto it = incoming_bodies_.find(id);
  if (it == incoming_bodies_.end()) {
    // The request ended (or the body was cancelled): the read fails rather than hanging.
    RunJs(current_request_, [&](v8::Local<v8::Context> context) {
      v8::Local<v8::Value> args[] = {
          v8::Integer::NewFromUnsigned(isolate_, id),
          bindings::OneByteString(isolate_, "the request it belongs to has ended")};
      CallHandle(worker_isolate_->handles().body_chunk, context, args);
    });
    return;
  }
  std::shared_ptr<BodyStream> stream = it->second.stream;
  stream->Read([alive = alive_, id](BodyChunk chunk) {
    if (Tenant* tenant = *alive) tenant->DeliverBodyChunk(id, std::move(chunk));
  });
}

void Tenant::CancelBody(uint32_t id) {
  auto it = incoming_bodies_.find(id);
  if (it == incoming_bodies_.end()) return;
  std::shared_ptr<BodyStream> stream = std::move(it->second.stream);
  incoming_bodies_.erase(it);
  stream->Cancel();
}

void Tenant::DeliverBodyChunk(uint32_t id, BodyChunk chunk) {
  auto it = incoming_bodies_.find(id);
  if (it == incoming_bodies_.end()) return;
  const uint64_t request = it->second.request;
  if (chunk.kind != BodyChunk::Kind::kData) incoming_bodies_.erase(it);
  if (stopped_ != StopReason::kNone) return;
  RunJs(request, [&](v8::Local<v8::Context> context) {
    v8::Local<v8::Value> value;
    {
      v8::TryCatch refused(isolate_);
      if (!bindings::BodyChunkToJs(isolate_, chunk).ToLocal(&value)) {
        // The tenant's ArrayBuffer budget refused the chunk: the body fails, the worker lives.
        value = bindings::OneByteString(
            isolate_, "a chunk did not fit in the worker's memory limit (limits.memory_mb)");
        CancelBody(id);
      }
    }
    v8::Local<v8::Value> args[] = {v8::Integer::NewFromUnsigned(isolate_, id), value};
    CallHandle(worker_isolate_->handles().body_chunk, context, args);
  });
}

// ---- response bodies (worker -> client) ----

std::shared_ptr<BodyStream> Tenant::AdoptResponseBody(uint32_t id, uint64_t request) {
  outgoing_bodies_[id] = OutgoingBody{request, nullptr};
  if (RequestContext* rc = requests_.Find(request)) ++rc->streams;
  return std::make_shared<ResponseBody>(alive_, id);
}

void Tenant::PullResponseBody(uint32_t id, BodyStream::ReadFn done) {
  auto it = outgoing_bodies_.find(id);
  if (it == outgoing_bodies_.end() || stopped_ != StopReason::kNone) {
    done(BodyChunk{BodyChunk::Kind::kError, "the response body is no longer available"});
    return;
  }
  it->second.pending = std::move(done);
  if (guard_ != nullptr) {
    // Asked from inside JS (the previous chunk was delivered from a promise reaction): a stream
    // with chunks ready would be pumped to the end in one microtask checkpoint, starving the
    // event loop and every other connection on it. Pull on the next loop turn instead.
    deferred_pulls_.push_back(id);
    if (deferred_pulls_.size() == 1) {
      uv_timer_start(
          pull_timer_, [](uv_timer_t* t) { static_cast<Tenant*>(t->data)->RunDeferredPulls(); }, 0,
          0);
    }
    return;
  }
  StartPull(id);
}

void Tenant::RunDeferredPulls() {
  std::vector<uint32_t> ids = std::move(deferred_pulls_);
  deferred_pulls_.clear();
  for (uint32_t id : ids)
    StartPull(id);
}

void Tenant::StartPull(uint32_t id) {
  auto it = outgoing_bodies_.find(id);
  if (it == outgoing_bodies_.end() || !it->second.pending) return;
  if (stopped_ != StopReason::kNone) {
    BodyStream::ReadFn done = std::move(it->second.pending);
    it->second.pending = nullptr;
    done(BodyChunk{BodyChunk::Kind::kError, "the worker was stopped"});
    return;
  }
  const uint64_t request = it->second.request;
  RunJs(request, [&](v8::Local<v8::Context> context) {
    v8::Local<v8::Value> args[] = {v8::Integer::NewFromUnsigned(isolate_, id), v8::False(isolate_)};
    if (!CallHandle(worker_isolate_->handles().pull_body, context, args)) {
      BodyChunkOut(id, BodyChunk{BodyChunk::Kind::kError, "the response body could not be read"});
    }
  });
}

void Tenant::BodyChunkOut(uint32_t id, BodyChunk chunk) {
  auto it = outgoing_bodies_.find(id);
  if (it == outgoing_bodies_.end()) return;
  BodyStream::ReadFn done = std::move(it->second.pending);
  it->second.pending = nullptr;
  if (chunk.kind == BodyChunk::Kind::kError) {
    log_.Log(LogLevel::kError, spec_.name, chunk.data + ": the response was cut short");
  }
  if (chunk.kind != BodyChunk::Kind::kData) FinishResponseBody(id);
  if (done) done(std::move(chunk));
}

void Tenant::CancelResponseBody(uint32_t id) {
  auto it = outgoing_bodies_.find(id);
  if (it == outgoing_bodies_.end()) return;
  const uint64_t request = it->second.request;
  FinishResponseBody(id);  // drops a pending read unanswered, as Cancel() promises
  if (stopped_ != StopReason::kNone) return;
  RunJs(request, [&](v8::Local<v8::Context> context) {
    v8::Local<v8::Value> args[] = {v8::Integer::NewFromUnsigned(isolate_, id), v8::True(isolate_)};
    CallHandle(worker_isolate_->handles().pull_body, context, args);
  });
}

// The body is done (ended, failed or cancelled): its request may end now.
void Tenant::FinishResponseBody(uint32_t id) {
  auto it = outgoing_bodies_.find(id);
  if (it == outgoing_bodies_.end()) return;
  const uint64_t request = it->second.request;
  outgoing_bodies_.erase(it);
  RequestContext* rc = requests_.Find(request);
  if (rc == nullptr || --rc->streams > 0 || !rc->answered()) return;
  if (rc->wait_until > 0) {
    requests_.MoveToLingering(request, uv_now(loop_) + limits_.wait_until_ms);
    ArmDeadlines();
  } else {
    End(request);
  }
}

void Tenant::DropBodiesOf(uint64_t request) {
  std::vector<std::shared_ptr<BodyStream>> cancel;
  for (auto it = incoming_bodies_.begin(); it != incoming_bodies_.end();) {
    if (it->second.request == request) {
      cancel.push_back(std::move(it->second.stream));
      it = incoming_bodies_.erase(it);
    } else {
      ++it;
    }
  }
  std::vector<BodyStream::ReadFn> fail;
  for (auto it = outgoing_bodies_.begin(); it != outgoing_bodies_.end();) {
    if (it->second.request == request) {
      if (it->second.pending) fail.push_back(std::move(it->second.pending));
      it = outgoing_bodies_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& stream : cancel)
    stream->Cancel();
  for (auto& done : fail)
    done(BodyChunk{BodyChunk::Kind::kError, "the request ended before its response body did"});
}

void Tenant::RunJs(uint64_t request, const std::function<void(v8::Local<v8::Context>)>& body) {
  if (isolate_ == nullptr || stopped_ != StopReason::kNone) return;
  const bool outermost = guard_ == nullptr;
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handle_scope(isolate_);
  v8::Local<v8::Context> context = worker_isolate_->context();
  v8::Context::Scope context_scope(context);
  {
    Guard guard(this, request, limits_.cpu_ms);
    v8::TryCatch try_catch(isolate_);
    body(context);
    if (try_catch.HasCaught() && !try_catch.HasTerminated()) {
      log_.Log(LogLevel::kError, spec_.name,
               "Uncaught exception in a body stream: " +
                   FormatException(isolate_, context, try_catch.Exception(), try_catch.Message()));
    }
    if (outermost && (try_catch.HasTerminated() || stopped_ != StopReason::kNone)) {
      if (RequestContext* rc = requests_.Find(request); rc != nullptr && !rc->answered()) {
        FailTerminated(request);
      }
    }
    if (outermost) AfterJs(context);
  }
  if (outermost && stopped_ != StopReason::kNone) Poison();
}

}  // namespace edgerun::isolates
