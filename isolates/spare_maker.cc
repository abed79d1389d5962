#include "isolates/spare_maker.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace edgerun::isolates {

SpareMaker::SpareMaker(size_t target, size_t heap_limit_mb)
    : target_(target), heap_limit_mb_(heap_limit_mb) {
  thread_ = std::thread([this] { Run(); });
}

SpareMaker::~SpareMaker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::unique_ptr<WorkerIsolate> SpareMaker::Take() {
  std::unique_ptr<WorkerIsolate> spare;
  {
    std::lock_guard lock(mutex_);
    if (ready_.empty()) return nullptr;
    spare = std::move(ready_.front());
    ready_.pop_front();
  }
  wake_.notify_one();
  return spare;
}

void SpareMaker::Configure(size_t target, size_t heap_limit_mb) {
  std::deque<std::unique_ptr<WorkerIsolate>> dropped;
  {
    std::lock_guard lock(mutex_);
    if (heap_limit_mb != heap_limit_mb_) dropped.swap(ready_);
    target_ = target;
    heap_limit_mb_ = heap_limit_mb;
  }
  wake_.notify_one();
}

size_t SpareMaker::ready() const {
  std::lock_guard lock(mutex_);
  return ready_.size();
}

size_t SpareMaker::ready_collected() const {
  std::lock_guard lock(mutex_);
  return std::count_if(ready_.begin(), ready_.end(),
                       [](const auto& s) { return s->startup_garbage_collected(); });
}

void SpareMaker::Run() {
  // Below the loop threads (nice 10: about a tenth of their weight when both want a core), but
  // not idle-only: under load an idle-only maker never runs, and every cold start then pays for
  // its isolate on the loop (measured with bench/coldstart: p99 +5 ms idle-only, +2.5 ms nice 10).
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
  pthread_setname_np(pthread_self(), "edgerun-spares");
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || ready_.size() < target_ || UncollectedSpare(); });
    if (stop_) break;
    if (ready_.size() >= target_) {
      // Every spare is there: tidy one up. Done only now, because the GC (~2 ms) before handing
      // a spare out made sequential cold starts outrun the maker (bench/coldstart: p50 +2.4 ms
      // over warm instead of +0.6 ms). While out of the queue the loop cannot take it.
      auto it = std::find_if(ready_.begin(), ready_.end(),
                             [](const auto& s) { return !s->startup_garbage_collected(); });
      std::unique_ptr<WorkerIsolate> spare = std::move(*it);
      ready_.erase(it);
      size_t made_for_mb = heap_limit_mb_;
      lock.unlock();
      spare->CollectStartupGarbage();
      lock.lock();
      if (made_for_mb == heap_limit_mb_) ready_.push_front(std::move(spare));
      continue;
    }
    size_t heap_limit_mb = heap_limit_mb_;
    lock.unlock();
    std::string error;
    std::unique_ptr<WorkerIsolate> spare = WorkerIsolate::Create(heap_limit_mb, &error);
    lock.lock();
    if (spare == nullptr) break;  // the pool makes its own; it logs the reason then
    if (heap_limit_mb == heap_limit_mb_) ready_.push_back(std::move(spare));
  }
  ready_.clear();
}

bool SpareMaker::UncollectedSpare() const {
  for (const auto& spare : ready_) {
    if (!spare->startup_garbage_collected()) return true;
  }
  return false;
}

}  // namespace edgerun::isolates
