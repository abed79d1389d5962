// fetch() from a worker: requests go out through the pool's OutboundHttp; answers come back into
// the worker's JS for the request that made them (its CPU budget, its lifetime: a request that
// ends cancels its fetches), with the response body as a stream read from the connection.
#include <tuple>

#include "bindings/http_conversion.h"
#include "bindings/v8_util.h"
#include "isolates/tenant.h"

namespace edgerun::isolates {

std::string Tenant::StartFetch(uint32_t id, OutboundRequest request, uint32_t body_stream_id) {
  OutboundHttp* outbound = owner_ != nullptr ? owner_->outbound() : nullptr;
  if (outbound == nullptr) return "fetch() is not available in this process";
  const uint64_t owner = current_request_;
  RequestContext* rc = requests_.Find(owner);
  if (rc == nullptr) {
    // As on Workers: I/O belongs to a request (top-level code and timers of ended requests
    // have none to charge it to or to end it with).
    return "fetch() can only be called while handling a request";
  }
  if (++rc->subrequests > limits_.subrequests) {
    return "this request has made more than " + std::to_string(limits_.subrequests) +
           " fetch() calls (limits.subrequests)";
  }
  request.allow_private = spec_.outbound_allow_private;
  // A streamed body is pulled by the connection like a response body, for this request.
  if (body_stream_id != 0) request.body_stream = AdoptResponseBody(body_stream_id, owner);
  const uint64_t client_id =
      outbound->Start(std::move(request), [alive = alive_, id](OutboundResult result) {
        if (Tenant* tenant = *alive) tenant->FetchDone(id, std::move(result));
      });
  fetches_[id] = PendingFetch{client_id, owner};
  return {};
}

void Tenant::CancelFetch(uint32_t id) {
  auto it = fetches_.find(id);
  if (it == fetches_.end()) return;
  const uint64_t client_id = it->second.client_id;
  fetches_.erase(it);
  if (OutboundHttp* outbound = owner_ != nullptr ? owner_->outbound() : nullptr) {
    outbound->Cancel(client_id);
  }
}

void Tenant::CancelFetchesOf(uint64_t request) {
  std::vector<uint32_t> ids;
  for (const auto& [id, fetch] : fetches_) {
    if (fetch.request == request) ids.push_back(id);
  }
  for (uint32_t id : ids)
    CancelFetch(id);
}

void Tenant::FetchDone(uint32_t id, OutboundResult result) {
  auto it = fetches_.find(id);
  if (it == fetches_.end()) return;
  const uint64_t request = it->second.request;
  fetches_.erase(it);
  if (!result.error.empty()) {
    log_.Log(bindings::LogLevel::kWarn, spec_.name, "fetch() failed: " + result.error);
  }
  uint32_t body_id = 0;
  if (result.error.empty() && result.body)
    body_id = AdoptRequestBody(std::move(result.body), request);
  const bool whole = result.error.empty() && !result.body;
  RunJs(request, [&](v8::Local<v8::Context> context) {
    std::string error = std::move(result.error);
    v8::Local<v8::Value> body = v8::Integer::NewFromUnsigned(isolate_, body_id);
    if (whole && !result.body_bytes.empty()) {
      // The body came whole: a Uint8Array, counted against the worker's memory like any other.
      v8::TryCatch refused(isolate_);
      const size_t size = result.body_bytes.size();
      BodyChunk chunk{BodyChunk::Kind::kData, std::move(result.body_bytes)};
      if (!bindings::BodyChunkToJs(isolate_, chunk).ToLocal(&body)) {
        error = "the response body (" + std::to_string(size) +
                " bytes) does not fit in the worker's memory limit (limits.memory_mb)";
      }
    }
    v8::Local<v8::Value> args[5] = {v8::Integer::NewFromUnsigned(isolate_, id)};
    int argc = 2;
    if (!error.empty()) {
      args[1] = bindings::OneByteString(isolate_, error);
    } else {
      std::vector<v8::Local<v8::Value>> flat;
      flat.reserve(result.headers.size() * 2);
      for (const HeaderField& field : result.headers) {
        flat.push_back(bindings::OneByteString(isolate_, field.name));
        flat.push_back(bindings::OneByteString(isolate_, field.value));
      }
      args[1] = v8::Integer::New(isolate_, result.status);
      args[2] = bindings::OneByteString(isolate_, result.status_text);
      args[3] = v8::Array::New(isolate_, flat.data(), flat.size());
      args[4] = body;
      argc = 5;
    }
    v8::Local<v8::Value> ignored;  // an exception there is logged by RunJs
    std::ignore = worker_isolate_->handles()
                      .fetch_done.Get(isolate_)
                      ->Call(context, v8::Undefined(isolate_), argc, args)
                      .ToLocal(&ignored);
  });
}

}  // namespace edgerun::isolates
