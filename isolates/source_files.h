// The files each worker's code was loaded from, with a hash of their content, so that a config
// reload can tell which workers changed on disk even when their config entry did not.
// Process-wide and thread-safe: every loop thread loads workers.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "isolates/code_cache.h"

namespace edgerun::isolates {

class SourceFiles {
 public:
  static SourceFiles& Get();

  void Record(std::string_view worker, const std::filesystem::path& file, std::string_view content);
  // True if a file recorded for `worker` now reads differently (or not at all).
  bool Changed(std::string_view worker) const;
  void Forget(std::string_view worker);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::map<std::filesystem::path, CodeCache::Key>, std::less<>> files_;
};

}  // namespace edgerun::isolates
