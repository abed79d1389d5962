// The isolates of one event-loop thread.
//
// - A tenant per worker, created on the worker's first request on this thread from a warm spare
//   (an isolate already deserialized from the snapshot), so the request only pays for loading
//   the worker's own code. Spares are made on a background thread (SpareMaker).
// - A budget: past `max_isolates` tenants or `max_memory_mb` of their memory, the least
//   recently used idle tenants are disposed; their next request re-creates them.
// - Tenants that a limit stopped, or that a config reload replaced, stop taking requests and
//   are disposed once their open requests are done.
// - V8's background threads wake this loop for foreground tasks through a uv_async.
#pragma once

#include <uv.h>

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "isolates/log_sink.h"
#include "isolates/spare_maker.h"
#include "isolates/tenant.h"
#include "isolates/worker_spec.h"

namespace edgerun::isolates {

struct PoolOptions {
  TenantLimits limits;
  size_t spares = 2;            // warm isolates kept ready
  size_t max_isolates = 1000;   // live tenants; past it idle ones are evicted, LRU first
  size_t max_memory_mb = 4096;  // memory of live tenants (V8 heap + ArrayBuffers)
};

struct PoolStats {
  size_t live = 0;      // tenants serving
  size_t spares = 0;    // warm isolates ready
  size_t retiring = 0;  // replaced/stopped tenants finishing their requests
  uint64_t created = 0;
  uint64_t evicted = 0;
  uint64_t replaced = 0;
  uint64_t stopped_cpu = 0;     // tenants terminated by limits.cpu_ms
  uint64_t stopped_memory = 0;  // tenants terminated by limits.memory_mb
  uint64_t cpu_ns = 0;          // CPU charged to requests, disposed tenants included
  size_t memory_bytes = 0;      // of live tenants (sampled)
  LimitCounts limits;           // requests ended by a limit, disposed tenants included
  // CPU charged per worker (disposed tenants included), nanoseconds.
  std::unordered_map<std::string, uint64_t> cpu_ns_by_worker;
};

class IsolatePool final : public TenantOwner {
 public:
  IsolatePool(uv_loop_t* loop, LogSink& log, PoolOptions options);
  ~IsolatePool() override;  // = Close()
  IsolatePool(const IsolatePool&) = delete;
  // The HTTP client tenants' fetch() goes through (owned by the caller, outlives the pool).
  void SetOutbound(OutboundHttp* outbound) { outbound_ = outbound; }
  OutboundHttp* outbound() override { return outbound_; }
  IsolatePool& operator=(const IsolatePool&) = delete;

  // Runs `spec`'s worker for `request`; `respond` is called exactly once.
  void Dispatch(const WorkerSpec& spec, HttpRequest request, std::string url, RespondFn respond);

  // Config reload: the tenants of these workers take no new requests (the next request gets a
  // fresh tenant with the new spec); they finish their open requests and are disposed.
  void Replace(const std::vector<std::string>& worker_names);

  // New options (config reload): tenants created from now on use them; spares made for another
  // heap limit are dropped.
  void SetOptions(const PoolOptions& options);

  // Open requests (unanswered, or with waitUntil() work left) over all tenants.
  size_t busy() const;
  PoolStats stats() const;

  // Disposes every tenant and spare and closes the pool's libuv handles.
  void Close();

 private:
  struct Entry {
    std::unique_ptr<Tenant> tenant;
    std::list<Tenant*>::iterator lru;
  };

  void WakeTenant(Tenant* tenant, double delay_s) override;
  void RetireTenant(Tenant* tenant) override;
  void MemorySampled(Tenant* tenant, size_t before) override;
  Tenant* StartTenant(const WorkerSpec& spec);
  void Remove(std::unordered_map<std::string, Entry>::iterator it, bool dispose_now);
  void EnforceBudget();
  void SweepRetiring();
  void OnWake();
  void RunDelayed();
  void Account(const Tenant& tenant);

  uv_loop_t* loop_;
  OutboundHttp* outbound_ = nullptr;
  LogSink& log_;
  PoolOptions options_;
  bool closed_ = false;

  std::unordered_map<std::string, Entry> tenants_;  // by worker name
  std::list<Tenant*> lru_;                          // most recently used first
  size_t lru_memory_ = 0;  // the sum of memory_bytes() over lru_, kept as samples change
  std::vector<std::unique_ptr<Tenant>> retiring_;
  std::unordered_set<Tenant*> live_;  // every tenant not yet disposed (for wake-ups)
  std::unique_ptr<SpareMaker> spares_;
  PoolStats stats_;
  bool budget_warned_ = false;

  uv_check_t* sweep_check_ = nullptr;  // active while tenants are retiring
  uv_async_t* wake_async_ = nullptr;   // V8 threads: tasks due
  uv_timer_t* delay_timer_ = nullptr;  // delayed platform tasks
  std::mutex wake_mutex_;              // guards the three fields below (V8 threads write them)
  std::unordered_set<Tenant*> wake_now_;
  std::unordered_set<Tenant*> wake_later_;
  double next_deadline_s_ = 0;  // steady-clock seconds of the earliest delayed wake, 0: none
};

}  // namespace edgerun::isolates
