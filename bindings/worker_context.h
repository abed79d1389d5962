// A worker's JS context: the global object with edgerun's Web APIs, deserialized from the
// startup snapshot (the builtins already ran at build time, see builtins.h). The embedder
// reaches back into the builtins through the handles below.
#pragma once

#include <v8.h>

#include <string>

#include "bindings/host.h"

namespace edgerun::bindings {

// Context embedder-data slot holding the Host* (read by natives through HostOf()).
constexpr int kHostEmbedderSlot = 1;
// Context embedder-data slots holding the time origin (performance.now/timeOrigin), as Numbers
// of milliseconds: on the steady clock, and on the wall clock (since the Unix epoch).
constexpr int kSteadyOriginSlot = 2;
constexpr int kWallOriginSlot = 3;
// Context embedder-data slot holding the object the next internal.PlatformObject construction
// adopts (see platform_object.h); undefined otherwise.
constexpr int kAdoptEmbedderSlot = 4;

struct WorkerContextHandles {
  // dispatch(handler, receiver, method, url, headers, body, env, requestId)
  //     -> parts | Promise<parts>
  //   handler: the module's fetch function, or undefined for service-worker scripts (the
  //   "fetch" event listeners run instead). parts = [status, statusText, [name, value, ...],
  //   body: string | Uint8Array | null]. Throws/rejects with TypeError if the handler's result
  //   is not a Response.
  v8::Global<v8::Function> dispatch;
  // fire_timer(id, dropped): runs the callback of timer `id`, or (dropped) forgets it.
  v8::Global<v8::Function> fire_timer;
  // has_fetch_listener() -> bool: whether a service-worker script registered a fetch listener.
  v8::Global<v8::Function> has_fetch_listener;
  // body_chunk(id, Uint8Array | null | string): the next piece of streamed request body `id`
  // (see Host::ReadBody): bytes, the end, or why it failed.
  v8::Global<v8::Function> body_chunk;
  // pull_body(id, cancel): read the next chunk of response body `id` (answered through
  // Host::BodyChunkOut), or (cancel) cancel it: nobody will read it.
  v8::Global<v8::Function> pull_body;
  // fetch_done(id, status, statusText, [name, value, ...], bodyId) or fetch_done(id, error):
  // the answer to outbound fetch `id` (see Host::StartFetch).
  v8::Global<v8::Function> fetch_done;
  // wagi_handler(module, scriptName) -> fetch(request, env, ctx): the handler of a WAGI worker
  // (46_wagi.js), running the WASI command `module` once per request.
  v8::Global<v8::Function> wagi_handler;

  void Reset() {
    dispatch.Reset();
    fire_timer.Reset();
    has_fetch_listener.Reset();
    body_chunk.Reset();
    pull_body.Reset();
    fetch_done.Reset();
    wagi_handler.Reset();
  }
};

// Deserializes a worker context from the snapshot the isolate was created with. The Host is
// attached later (AttachHost), so a context can be made before its worker is known. On failure
// (a snapshot that does not match this build) returns an empty handle and sets *error.
v8::MaybeLocal<v8::Context> NewWorkerContext(v8::Isolate* isolate, WorkerContextHandles* handles,
                                             std::string* error);

// Sets the context's time origin to now (NewWorkerContext does this).
void RecordTimeOrigin(v8::Local<v8::Context> context);

// Makes `host` the target of the context's natives; `host` must outlive the context's use.
void AttachHost(v8::Local<v8::Context> context, Host* host);

}  // namespace edgerun::bindings
