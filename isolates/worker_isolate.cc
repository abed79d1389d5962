#include "isolates/worker_isolate.h"

#include <optional>

#include "isolates/snapshot.h"
#include "isolates/v8_platform.h"

namespace edgerun::isolates {

std::unique_ptr<WorkerIsolate> WorkerIsolate::Create(size_t heap_limit_mb, std::string* error) {
  std::unique_ptr<WorkerIsolate> self(new WorkerIsolate());
  self->allocator_ = std::make_unique<CountingAllocator>(heap_limit_mb << 20);
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = self->allocator_.get();
  params.constraints.ConfigureDefaultsFromHeapSize(0, heap_limit_mb << 20);
  UseStartupSnapshot(&params);
  self->isolate_ = v8::Isolate::New(params);
  v8::Locker locker(self->isolate_);
  self->isolate_->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);

  v8::Isolate::Scope isolate_scope(self->isolate_);
  v8::HandleScope handle_scope(self->isolate_);
  v8::Local<v8::Context> context;
  if (!bindings::NewWorkerContext(self->isolate_, &self->handles_, error).ToLocal(&context)) {
    return nullptr;
  }
  self->context_.Reset(self->isolate_, context);
  return self;
}

void WorkerIsolate::CollectStartupGarbage() {
  v8::Locker locker(isolate_);
  v8::Isolate::Scope isolate_scope(isolate_);
  isolate_->LowMemoryNotification();
  startup_garbage_collected_ = true;
}

void WorkerIsolate::Adopt() {
  if (locker_ == nullptr) locker_ = std::make_unique<v8::Locker>(isolate_);
}

WorkerIsolate::~WorkerIsolate() {
  if (isolate_ == nullptr) return;
  {
    // A spare that was never adopted is disposed by whichever thread owns it now.
    std::optional<v8::Locker> locker;
    if (locker_ == nullptr) locker.emplace(isolate_);
    v8::Isolate::Scope isolate_scope(isolate_);
    handles_.Reset();
    context_.Reset();
  }
  locker_.reset();
  V8Platform::NotifyIsolateShutdown(isolate_);
  isolate_->Dispose();
}

size_t WorkerIsolate::MemoryBytes() const {
  v8::HeapStatistics stats;
  isolate_->GetHeapStatistics(&stats);
  return stats.total_physical_size() + allocator_->used();
}

}  // namespace edgerun::isolates
