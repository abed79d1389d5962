#include "isolates/worker_check.h"

#include <uv.h>

#include "isolates/tenant.h"

namespace edgerun::isolates {
namespace {

class CheckOwner final : public TenantOwner {
 public:
  void WakeTenant(Tenant*, double) override {}
  void RetireTenant(Tenant*) override {}
};

}  // namespace

bool CheckWorker(const WorkerSpec& spec, const TenantLimits& limits, LogSink& log,
                 std::string* error) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  CheckOwner owner;
  bool ok;
  {
    Tenant tenant(spec, &loop, log, &owner, limits);
    ok = tenant.Start(nullptr, error);
  }
  // Let handles the worker opened at top level (timers) finish closing.
  uv_run(&loop, UV_RUN_NOWAIT);
  uv_loop_close(&loop);
  return ok;
}

}  // namespace edgerun::isolates
