#include "isolates/source_files.h"

#include "isolates/module_loader.h"

namespace edgerun::isolates {

SourceFiles& SourceFiles::Get() {
  static SourceFiles* files = new SourceFiles();
  return *files;
}

void SourceFiles::Record(std::string_view worker, const std::filesystem::path& file,
                         std::string_view content) {
  CodeCache::Key hash = CodeCache::KeyOf(CodeCache::Kind::kScript, content);
  std::lock_guard lock(mutex_);
  auto it = files_.find(worker);
  if (it == files_.end())
    it = files_.emplace(std::string(worker), decltype(files_)::mapped_type()).first;
  it->second[file] = hash;
}

bool SourceFiles::Changed(std::string_view worker) const {
  std::map<std::filesystem::path, CodeCache::Key> recorded;
  {
    std::lock_guard lock(mutex_);
    auto it = files_.find(worker);
    if (it == files_.end()) return false;  // never loaded: nothing stale to replace
    recorded = it->second;
  }
  for (const auto& [file, hash] : recorded) {
    std::string content, error;
    if (!ModuleLoader::ReadFile(file, &content, &error)) return true;
    if (CodeCache::KeyOf(CodeCache::Kind::kScript, content) != hash) return true;
  }
  return false;
}

void SourceFiles::Forget(std::string_view worker) {
  std::lock_guard lock(mutex_);
  auto it = files_.find(worker);
  if (it != files_.end()) files_.erase(it);
}

}  // namespace edgerun::isolates
