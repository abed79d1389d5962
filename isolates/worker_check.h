// `edgerun check`: load a worker the way serving would (compile its modules, run its top-level
// code, find its fetch handler) in a throw-away isolate, and report what would fail.
#pragma once

#include <string>

#include "isolates/log_sink.h"
#include "isolates/tenant.h"
#include "isolates/worker_spec.h"

namespace edgerun::isolates {

// Returns false and sets *error (file:line:column for syntax errors) if the worker can't start.
// Output of the worker's top-level console.* calls goes to `log`.
bool CheckWorker(const WorkerSpec& spec, const TenantLimits& limits, LogSink& log,
                 std::string* error);

}  // namespace edgerun::isolates
