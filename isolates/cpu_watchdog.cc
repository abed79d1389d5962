#include "isolates/cpu_watchdog.h"

#include <pthread.h>
#include <time.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace edgerun::isolates {

// One per thread that ever ran guarded JS. Guarded by `mutex` so that termination can only be
// requested while the entry it was measured for is still running.
struct Slot {
  std::mutex mutex;
  clockid_t clock{};
  v8::Isolate* isolate = nullptr;  // non-null while armed
  uint64_t budget_ns = 0;
  uint64_t start_wall_ns = 0;  // CLOCK_MONOTONIC when the entry began
  uint64_t generation = 0;     // bumped per entry, so the watchdog notices a new one
  // Watchdog side: the first sample of the current entry.
  uint64_t seen_generation = 0;
  uint64_t base_cpu_ns = 0;
  uint64_t base_wall_ns = 0;
  bool fired = false;
  int depth = 0;  // owner side: nesting count

  // CPU used by the entry as of `cpu_now`, once it has been sampled.
  uint64_t Used(uint64_t cpu_now) const {
    return (cpu_now - base_cpu_ns) + (base_wall_ns - start_wall_ns);
  }
};

namespace {

uint64_t ClockNs(clockid_t clock) {
  timespec ts;
  if (clock_gettime(clock, &ts) != 0) return 0;
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

class Registry {
 public:
  static Registry& Get() {
    static Registry* registry = new Registry();  // lives until exit; threads may outlive main
    return *registry;
  }

  void Add(Slot* slot) {
    std::lock_guard lock(mutex_);
    slots_.push_back(slot);
    if (!started_) {
      started_ = true;
      std::thread([this] { Run(); }).detach();
    }
  }

  void Remove(Slot* slot) {
    std::lock_guard lock(mutex_);
    std::erase(slots_, slot);
  }

  // Called by an entry that has just armed its slot: wakes the watchdog if it went idle.
  void EntryArmed() {
    if (!idle_.load()) return;
    {
      std::lock_guard lock(mutex_);
      idle_.store(false);
    }
    wake_.notify_one();
  }

 private:
  // The watchdog sleeps for good after this many samples in a row found nothing armed, so an
  // idle server does not wake a thousand times a second.
  static constexpr int kIdleSamples = 100;

  void Run() {
    pthread_setname_np(pthread_self(), "edgerun-watchdg");
    timespec period{0, static_cast<long>(CpuWatchdog::kSampleNs)};
    int idle_samples = 0;
    for (;;) {
      nanosleep(&period, nullptr);
      std::unique_lock lock(mutex_);
      if (Sample()) {
        idle_samples = 0;
        continue;
      }
      if (++idle_samples < kIdleSamples) continue;
      // Going idle. idle_ is set before the slots are looked at once more, and an entry reads
      // it after arming its slot (both under the slot's mutex or after it), so either this
      // sample sees the entry or the entry sees idle_ and wakes us: none is missed.
      idle_.store(true);
      if (Sample()) {
        idle_.store(false);
        idle_samples = 0;
        continue;
      }
      wake_.wait(lock, [&] { return !idle_.load(); });
      idle_samples = 0;
    }
  }

  // One sample of every armed slot (with mutex_ held); false if none was armed.
  bool Sample() {
    bool armed = false;
    for (Slot* slot : slots_) {
      std::lock_guard slot_lock(slot->mutex);
      if (slot->isolate == nullptr) continue;
      armed = true;
      if (slot->fired) continue;
      uint64_t cpu = ClockNs(slot->clock);
      if (slot->seen_generation != slot->generation) {
        slot->seen_generation = slot->generation;
        slot->base_cpu_ns = cpu;
        slot->base_wall_ns = ClockNs(CLOCK_MONOTONIC);
      }
      if (slot->Used(cpu) >= slot->budget_ns) {
        slot->fired = true;
        slot->isolate->TerminateExecution();
      }
    }
    return armed;
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> idle_{false};
  std::vector<Slot*> slots_;
  bool started_ = false;
};

struct ThreadSlot {
  Slot slot;
  bool registered = false;
  ~ThreadSlot() {
    if (registered) Registry::Get().Remove(&slot);
  }
  Slot* Get() {
    if (!registered) {
      pthread_getcpuclockid(pthread_self(), &slot.clock);
      Registry::Get().Add(&slot);
      registered = true;
    }
    return &slot;
  }
};

thread_local ThreadSlot t_slot;

}  // namespace

CpuWatchdog::Scope::Scope(v8::Isolate* isolate, uint64_t budget_ns) {
  Slot* slot = t_slot.Get();
  start_wall_ns_ = ClockNs(CLOCK_MONOTONIC);
  if (slot->depth++ > 0) return;
  slot_ = slot;
  {
    std::lock_guard lock(slot->mutex);
    slot->isolate = isolate;
    slot->budget_ns = budget_ns;
    slot->start_wall_ns = start_wall_ns_;
    slot->fired = false;
    ++slot->generation;
  }
  Registry::Get().EntryArmed();
}

CpuWatchdog::Scope::~Scope() {
  Slot* slot = t_slot.Get();
  --slot->depth;
  if (slot_ == nullptr) return;
  std::lock_guard lock(slot->mutex);
  // A termination requested after JS already returned would hit the isolate's next script.
  if (slot->fired) slot->isolate->CancelTerminateExecution();
  slot->isolate = nullptr;
}

bool CpuWatchdog::Scope::fired() const {
  if (slot_ == nullptr) return false;
  std::lock_guard lock(slot_->mutex);
  return slot_->fired;
}

uint64_t CpuWatchdog::Scope::ElapsedCpuNs() const {
  if (slot_ != nullptr) {
    std::lock_guard lock(slot_->mutex);
    if (slot_->seen_generation == slot_->generation) {
      return slot_->Used(ClockNs(CLOCK_THREAD_CPUTIME_ID));
    }
  }
  return ClockNs(CLOCK_MONOTONIC) - start_wall_ns_;
}

}  // namespace edgerun::isolates
