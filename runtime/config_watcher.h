// `edgerun serve --watch`: watches the directories of the config file and of every worker's
// main file and bound .wasm files (libuv fs events, inotify on Linux) and calls back, debounced,
// when something in them changes. Directories rather than files: editors often save by writing a
// new file and renaming it over the old one, which ends a watch on the file itself.
#pragma once

#include <uv.h>

#include <filesystem>
#include <functional>
#include <set>
#include <vector>

namespace edgerun::runtime {

class ConfigWatcher {
 public:
  static constexpr uint64_t kDebounceMs = 200;

  ConfigWatcher(uv_loop_t* loop, std::function<void()> on_change);
  ~ConfigWatcher();  // = Close()
  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

  // Replaces the watched set. Returns the directories that could not be watched.
  std::vector<std::filesystem::path> Watch(const std::set<std::filesystem::path>& directories);
  void Close();

 private:
  void Changed();

  uv_loop_t* loop_;
  std::function<void()> on_change_;
  std::vector<uv_fs_event_t*> events_;
  uv_timer_t* debounce_ = nullptr;
};

}  // namespace edgerun::runtime
