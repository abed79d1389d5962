#include "runtime/config_watcher.h"

namespace edgerun::runtime {
namespace {

template <typename T>
void CloseAndDelete(T* handle) {
  uv_close(reinterpret_cast<uv_handle_t*>(handle),
           [](uv_handle_t* h) { delete reinterpret_cast<T*>(h); });
}

}  // namespace

ConfigWatcher::ConfigWatcher(uv_loop_t* loop, std::function<void()> on_change)
    : loop_(loop), on_change_(std::move(on_change)) {
  debounce_ = new uv_timer_t;
  uv_timer_init(loop_, debounce_);
  debounce_->data = this;
}

ConfigWatcher::~ConfigWatcher() {
  Close();
}

void ConfigWatcher::Close() {
  for (uv_fs_event_t* event : events_)
    CloseAndDelete(event);
  events_.clear();
  if (debounce_ != nullptr) CloseAndDelete(debounce_);
  debounce_ = nullptr;
}

std::vector<std::filesystem::path> ConfigWatcher::Watch(
    const std::set<std::filesystem::path>& directories) {
  for (uv_fs_event_t* event : events_)
    CloseAndDelete(event);
  events_.clear();
  std::vector<std::filesystem::path> failed;
  for (const std::filesystem::path& dir : directories) {
    auto* event = new uv_fs_event_t;
    uv_fs_event_init(loop_, event);
    event->data = this;
    int rc = uv_fs_event_start(
        event,
        [](uv_fs_event_t* h, const char*, int, int) {
          static_cast<ConfigWatcher*>(h->data)->Changed();
        },
        dir.c_str(), 0);
    if (rc != 0) {
      failed.push_back(dir);
      CloseAndDelete(event);
      continue;
    }
    events_.push_back(event);
  }
  return failed;
}

void ConfigWatcher::Changed() {
  if (debounce_ == nullptr) return;
  // A save is often several events (write, rename, chmod): reload once they stop.
  uv_timer_start(
      debounce_, [](uv_timer_t* t) { static_cast<ConfigWatcher*>(t->data)->on_change_(); },
      kDebounceMs, 0);
}

}  // namespace edgerun::runtime
