#include "bindings/worker_context.h"

#include "bindings/builtins.h"

namespace edgerun::bindings {

v8::MaybeLocal<v8::Context> NewWorkerContext(v8::Isolate* isolate, WorkerContextHandles* handles,
                                             std::string* error) {
  v8::EscapableHandleScope scope(isolate);
  v8::Local<v8::Context> context;
  if (!v8::Context::FromSnapshot(isolate, kWorkerContextSnapshotIndex).ToLocal(&context)) {
    *error = "the startup snapshot has no worker context";
    return {};
  }
  v8::Global<v8::Function> install_wasm_streaming;
  v8::Global<v8::Function>* targets[kContextHandleCount] = {
      &handles->dispatch,      &handles->fire_timer,  &handles->has_fetch_listener,
      &handles->body_chunk,    &handles->pull_body,   &handles->fetch_done,
      &install_wasm_streaming, &handles->wagi_handler};
  for (size_t i = 0; i < kContextHandleCount; ++i) {
    v8::Local<v8::Function> fn;
    if (!context->GetDataFromSnapshotOnce<v8::Function>(i).ToLocal(&fn)) {
      *error = std::string("the startup snapshot lacks internal.") + kContextHandleNames[i];
      return {};
    }
    targets[i]->Reset(isolate, fn);
  }
  // V8 adds the WebAssembly object to a context made from a snapshot only now, after
  // deserializing it: the builtins' additions to it are installed here.
  {
    v8::Context::Scope context_scope(context);
    if (install_wasm_streaming.Get(isolate)
            ->Call(context, v8::Undefined(isolate), 0, nullptr)
            .IsEmpty()) {
      *error = "internal.installWasmStreaming failed";
      return {};
    }
  }
  RecordTimeOrigin(context);
  return scope.Escape(context);
}

void AttachHost(v8::Local<v8::Context> context, Host* host) {
  context->SetAlignedPointerInEmbedderData(kHostEmbedderSlot, host);
}

}  // namespace edgerun::bindings
