// The isolates of one event-loop thread: a tenant per worker, created on the worker's first
// request on this thread and reused afterwards. Owns the libuv handles through which V8's
// background threads wake this loop for foreground tasks, and disposes tenants that became
// unusable (out of memory) so the next request gets a fresh isolate.
#pragma once

#include <uv.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "isolates/log_sink.h"
#include "isolates/tenant.h"
#include "isolates/worker_spec.h"

namespace edgerun::isolates {

class IsolatePool final : public TenantOwner {
 public:
  IsolatePool(uv_loop_t* loop, LogSink& log, TenantLimits limits);
  ~IsolatePool() override;  // disposes every tenant; call Close() first to release the handles
  IsolatePool(const IsolatePool&) = delete;
  IsolatePool& operator=(const IsolatePool&) = delete;

  // Runs `spec`'s worker for `request`; `respond` is called exactly once.
  void Dispatch(const WorkerSpec& spec, HttpRequest request, std::string url, RespondFn respond);

  // Requests awaiting a response plus pending ctx.waitUntil() work, over all tenants.
  size_t busy() const;
  size_t tenant_count() const { return tenants_.size(); }

  // Disposes every tenant and closes the pool's libuv handles (the loop can then finish).
  void Close();

 private:
  void WakeTenant(Tenant* tenant, double delay_s) override;
  void RetireTenant(Tenant* tenant) override;
  Tenant* GetOrStart(const WorkerSpec& spec);
  void OnWake();
  void RunDelayed();

  uv_loop_t* loop_;
  LogSink& log_;
  TenantLimits limits_;
  std::unordered_map<const WorkerSpec*, std::unique_ptr<Tenant>> tenants_;
  std::vector<std::unique_ptr<Tenant>> retired_;

  uv_async_t* wake_async_ = nullptr;   // closed in Close()
  uv_timer_t* delay_timer_ = nullptr;  // for delayed platform tasks
  std::mutex wake_mutex_;              // guards the three fields below (V8 threads write them)
  std::unordered_set<Tenant*> wake_now_;
  std::unordered_set<Tenant*> wake_later_;
  double next_deadline_s_ = 0;  // uv_now-based seconds of the earliest delayed wake, 0: none
};

}  // namespace edgerun::isolates
