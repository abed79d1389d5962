#include "runtime/metrics.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "isolates/wasm_module_cache.h"

namespace edgerun::runtime {
namespace {

void Header(std::string* out, const char* name, const char* type, const char* help) {
  *out += "# HELP ";
  *out += name;
  *out += " ";
  *out += help;
  *out += "\n# TYPE ";
  *out += name;
  *out += " ";
  *out += type;
  *out += "\n";
}

// One sample line: `name` may carry labels, e.g. `edgerun_isolates{state="live"}`.
void Sample(std::string* out, const std::string& name, uint64_t value) {
  *out += name + " " + std::to_string(value) + "\n";
}

// A metric with one unlabelled sample.
void Single(std::string* out, const char* name, const char* type, const char* help,
            uint64_t value) {
  Header(out, name, type, help);
  Sample(out, name, value);
}

std::string Number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.9g", value);
  return text;
}

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

void ThreadMetrics::RecordResponse(std::string_view worker, int status,
                                   std::chrono::steady_clock::duration duration) {
  double seconds = std::chrono::duration<double>(duration).count();
  int klass = status / 100;
  std::lock_guard lock(mutex_);
  auto it = data_.responses.find(worker);
  if (it == data_.responses.end()) {
    it = data_.responses.emplace(std::string(worker), std::array<uint64_t, 5>{}).first;
  }
  if (klass >= 1 && klass <= 5) ++it->second[klass - 1];
  size_t bucket = 0;
  while (bucket < kDurationBuckets.size() && seconds > kDurationBuckets[bucket])
    ++bucket;
  ++data_.duration_buckets[bucket];
  data_.duration_sum += seconds;
  ++data_.duration_count;
}

void ThreadMetrics::PublishPool(isolates::PoolStats stats) {
  std::lock_guard lock(mutex_);
  data_.pool = std::move(stats);
}

ThreadMetrics::Snapshot ThreadMetrics::Take() const {
  std::lock_guard lock(mutex_);
  return data_;
}

std::string RenderMetrics(const std::vector<ThreadMetrics::Snapshot>& threads,
                          const ProcessGauges& process) {
  // Sum over threads; std::map keeps the output sorted and stable.
  std::map<std::string, std::array<uint64_t, 5>> responses;
  std::array<uint64_t, kDurationBuckets.size() + 1> buckets{};
  double duration_sum = 0;
  uint64_t duration_count = 0;
  isolates::PoolStats pool;
  std::map<std::string, uint64_t> cpu_by_worker;
  for (const ThreadMetrics::Snapshot& t : threads) {
    for (const auto& [worker, counts] : t.responses) {
      auto& sum = responses[worker];
      for (size_t i = 0; i < 5; ++i)
        sum[i] += counts[i];
    }
    for (size_t i = 0; i < buckets.size(); ++i)
      buckets[i] += t.duration_buckets[i];
    duration_sum += t.duration_sum;
    duration_count += t.duration_count;
    pool.live += t.pool.live;
    pool.spares += t.pool.spares;
    pool.retiring += t.pool.retiring;
    pool.created += t.pool.created;
    pool.evicted += t.pool.evicted;
    pool.replaced += t.pool.replaced;
    pool.memory_bytes += t.pool.memory_bytes;
    pool.limits.cpu += t.pool.limits.cpu;
    pool.limits.memory += t.pool.limits.memory;
    pool.limits.wall += t.pool.limits.wall;
    for (const auto& [worker, ns] : t.pool.cpu_ns_by_worker)
      cpu_by_worker[worker] += ns;
  }

  std::string out;
  Header(&out, "edgerun_requests_total", "counter",
         "Responses sent, by worker (\"\" when no worker handled the request) and status class.");
  for (const auto& [worker, counts] : responses) {
    for (size_t i = 0; i < 5; ++i) {
      if (counts[i] == 0) continue;
      out += "edgerun_requests_total{worker=\"" + worker + "\",status=\"" + std::to_string(i + 1) +
             "xx\"} " + std::to_string(counts[i]) + "\n";
    }
  }
  Header(&out, "edgerun_request_duration_seconds", "histogram",
         "Time from a complete request to its response being handed to the socket.");
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
    cumulative += buckets[i];
    out += "edgerun_request_duration_seconds_bucket{le=\"" + Number(kDurationBuckets[i]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  cumulative += buckets.back();
  out +=
      "edgerun_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += "edgerun_request_duration_seconds_sum " + Number(duration_sum) + "\n";
  out += "edgerun_request_duration_seconds_count " + std::to_string(duration_count) + "\n";

  Header(&out, "edgerun_worker_cpu_seconds_total", "counter",
         "CPU time of workers' JS, charged to their requests.");
  for (const auto& [worker, ns] : cpu_by_worker) {
    out += "edgerun_worker_cpu_seconds_total{worker=\"" + worker + "\"} " + Number(ns / 1e9) + "\n";
  }
  Header(&out, "edgerun_isolates", "gauge",
         "Isolates by state: live (a worker's), spare (warm, no worker yet), retiring.");
  Sample(&out, "edgerun_isolates{state=\"live\"}", pool.live);
  Sample(&out, "edgerun_isolates{state=\"spare\"}", pool.spares);
  Sample(&out, "edgerun_isolates{state=\"retiring\"}", pool.retiring);
  Single(&out, "edgerun_isolates_created_total", "counter", "Worker isolates created.",
         pool.created);
  Single(&out, "edgerun_isolates_evicted_total", "counter",
         "Idle worker isolates disposed to stay within the pool budget.", pool.evicted);
  Single(&out, "edgerun_isolates_replaced_total", "counter",
         "Worker isolates replaced by a config reload.", pool.replaced);
  Header(&out, "edgerun_limit_terminations_total", "counter",
         "Requests ended by a limit: cpu (limits.cpu_ms), memory (limits.memory_mb), wall "
         "(limits.wall_ms).");
  Sample(&out, "edgerun_limit_terminations_total{kind=\"cpu\"}", pool.limits.cpu);
  Sample(&out, "edgerun_limit_terminations_total{kind=\"memory\"}", pool.limits.memory);
  Sample(&out, "edgerun_limit_terminations_total{kind=\"wall\"}", pool.limits.wall);
  Single(&out, "edgerun_isolate_memory_bytes", "gauge",
         "V8 heap and ArrayBuffer memory of live worker isolates (sampled).", pool.memory_bytes);
  isolates::WasmModuleCache::Stats wasm = isolates::WasmModuleCache::Get().stats();
  Single(&out, "edgerun_wasm_modules_compiled_total", "counter",
         "WebAssembly modules compiled for the process-wide cache (once per distinct content).",
         wasm.compiled);
  Single(&out, "edgerun_wasm_module_cache_hits_total", "counter",
         "WebAssembly modules handed to an isolate from the cache without compiling.", wasm.reused);
  Single(&out, "edgerun_wasm_modules_evicted_total", "counter",
         "WebAssembly modules dropped from the cache to stay within its capacity.", wasm.evicted);
  Single(&out, "edgerun_wasm_modules", "gauge",
         "Distinct WebAssembly modules in the process-wide cache.", wasm.modules);
  Single(&out, "edgerun_open_connections", "gauge", "Open client connections.",
         process.open_connections);
  Single(&out, "process_resident_memory_bytes", "gauge", "Resident memory of the process.",
         ResidentBytes());
  return out;
}

}  // namespace edgerun::runtime
