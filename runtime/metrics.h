// Counters for /metrics. Each loop thread owns a ThreadMetrics and updates it on its own
// thread (an uncontended mutex per response); the admin listener on the main thread takes
// snapshots of all of them and renders the Prometheus text format.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "isolates/isolate_pool.h"
#include "runtime/string_hash.h"

namespace edgerun::runtime {

// Upper bounds (seconds) of the request-duration histogram buckets; +Inf is implied.
inline constexpr std::array<double, 14> kDurationBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

class ThreadMetrics {
 public:
  struct Snapshot {
    // worker ("" for requests no worker handled) -> responses by status class 1xx..5xx
    std::unordered_map<std::string, std::array<uint64_t, 5>, StringHash, std::equal_to<>> responses;
    std::array<uint64_t, kDurationBuckets.size() + 1> duration_buckets{};  // last: +Inf
    double duration_sum = 0;
    uint64_t duration_count = 0;
    isolates::PoolStats pool;
  };

  void RecordResponse(std::string_view worker, int status,
                      std::chrono::steady_clock::duration duration);
  // Called by the owning thread every second (the pool is not thread-safe to read).
  void PublishPool(isolates::PoolStats stats);
  Snapshot Take() const;

 private:
  mutable std::mutex mutex_;
  Snapshot data_;
};

struct ProcessGauges {
  size_t open_connections = 0;
  bool draining = false;
};

// The Prometheus text exposition (format 0.0.4) of all threads' snapshots.
std::string RenderMetrics(const std::vector<ThreadMetrics::Snapshot>& threads,
                          const ProcessGauges& process);

}  // namespace edgerun::runtime
