// Host::RunOffThread: work on the libuv thread pool, its completion back in the worker's JS,
// charged to the request that asked for it like a timer callback is.
#include "bindings/v8_util.h"
#include "isolates/tenant.h"
#include "isolates/tenant_guard.h"

namespace edgerun::isolates {

struct Tenant::OffThreadWork {
  uv_work_t req;
  Tenant* tenant;  // null once the tenant is gone: the completion is dropped
  uint64_t owner;
  std::function<void()> work;
  std::function<void()> done;
};

void Tenant::RunOffThread(std::function<void()> work, std::function<void()> done) {
  auto* item = new OffThreadWork{{}, this, current_request_, std::move(work), std::move(done)};
  item->req.data = item;
  off_thread_.insert(item);
  uv_queue_work(
      loop_, &item->req, [](uv_work_t* req) { static_cast<OffThreadWork*>(req->data)->work(); },
      OnOffThreadDone);
}

// The work item is freed by its completion callback, which libuv runs even for a loop whose
// tenant is gone; the tenant only drops the JS side (it holds V8 handles of its isolate).
void Tenant::OrphanOffThreadWork() {
  for (OffThreadWork* item : off_thread_) {
    item->tenant = nullptr;
    item->done = nullptr;
  }
  off_thread_.clear();
}

void Tenant::OnOffThreadDone(uv_work_t* req, int) {
  std::unique_ptr<OffThreadWork> item(static_cast<OffThreadWork*>(req->data));
  Tenant* tenant = item->tenant;
  if (tenant == nullptr) return;
  tenant->off_thread_.erase(item.get());
  if (tenant->stopped_ != StopReason::kNone) return;
  v8::Isolate* isolate = tenant->isolate_;
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope handle_scope(isolate);
  v8::Local<v8::Context> context = tenant->worker_isolate_->context();
  v8::Context::Scope context_scope(context);
  {
    Guard guard(tenant, item->owner, tenant->limits_.cpu_ms);
    v8::TryCatch try_catch(isolate);
    item->done();
    if (try_catch.HasTerminated() || tenant->stopped_ != StopReason::kNone) {
      if (RequestContext* rc = tenant->requests_.Find(item->owner)) {
        if (!rc->answered()) tenant->FailTerminated(item->owner);
      }
    }
    tenant->AfterJs(context);
  }
  if (tenant->stopped_ != StopReason::kNone) tenant->Poison();
}

}  // namespace edgerun::isolates
