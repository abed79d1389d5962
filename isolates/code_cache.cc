#include "isolates/code_cache.h"

#include <openssl/evp.h>

#include <fstream>
#include <sstream>

namespace edgerun::isolates {
namespace {

std::string Hex(const CodeCache::Key& key) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : key) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

// V8 rejects a cache made by another V8 build; this keeps such files apart instead.
std::string VersionTag() {
  std::string version = v8::V8::GetVersion();
  for (char& c : version) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
  }
  return version;
}

}  // namespace

CodeCache& CodeCache::Get() {
  static CodeCache* cache = new CodeCache();  // lives until exit: isolates may outlive main
  return *cache;
}

void CodeCache::SetDirectory(std::filesystem::path dir) {
  std::lock_guard lock(mutex_);
  dir_ = std::move(dir);
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
  }
}

CodeCache::Key CodeCache::KeyOf(Kind kind, std::string_view source) {
  Key key{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  char tag = static_cast<char>(kind);
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, &tag, 1);
  EVP_DigestUpdate(ctx, source.data(), source.size());
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, key.data(), &length);
  EVP_MD_CTX_free(ctx);
  return key;
}

std::filesystem::path CodeCache::PathOf(const Key& key) const {
  return dir_ / (Hex(key) + ".v8-" + VersionTag() + ".codecache");
}

std::shared_ptr<const std::string> CodeCache::Find(const Key& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second;
  if (dir_.empty()) return nullptr;
  std::ifstream in(PathOf(key), std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream data;
  data << in.rdbuf();
  auto entry = std::make_shared<const std::string>(std::move(data).str());
  entries_.emplace(key, entry);
  return entry;
}

void CodeCache::Put(const Key& key, std::string data) {
  std::lock_guard lock(mutex_);
  auto entry = std::make_shared<const std::string>(std::move(data));
  entries_[key] = entry;
  if (dir_.empty()) return;
  // Write then rename: another process reading the directory never sees half a file.
  std::filesystem::path path = PathOf(key);
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(entry->data(), static_cast<std::streamsize>(entry->size()));
    if (!out) return;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
}

void CodeCache::Clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  hits_ = misses_ = rejected_ = 0;
}

// Compiles with `compile(source, options)`, consuming a cached compilation when there is one,
// and stores a fresh one (made from `unbound(compiled)`) when there was none or V8 rejected it.
template <typename Compiled, typename CompileFn, typename UnboundFn>
v8::MaybeLocal<Compiled> CodeCache::CompileCached(Kind kind, std::string_view text,
                                                  v8::Local<v8::String> source,
                                                  v8::ScriptOrigin& origin, CompileFn compile,
                                                  UnboundFn unbound) {
  Key key = KeyOf(kind, text);
  std::shared_ptr<const std::string> cached = Find(key);  // outlives the compile (not owned)
  auto* data =
      cached ? new v8::ScriptCompiler::CachedData(reinterpret_cast<const uint8_t*>(cached->data()),
                                                  static_cast<int>(cached->size()),
                                                  v8::ScriptCompiler::CachedData::BufferNotOwned)
             : nullptr;
  v8::ScriptCompiler::Source compile_source(source, origin, data);  // owns `data`
  v8::Local<Compiled> compiled;
  if (!compile(&compile_source,
               data ? v8::ScriptCompiler::kConsumeCodeCache : v8::ScriptCompiler::kNoCompileOptions)
           .ToLocal(&compiled)) {
    return {};
  }
  bool accepted = data != nullptr && !compile_source.GetCachedData()->rejected;
  if (data != nullptr && !accepted) ++rejected_;
  if (accepted) {
    ++hits_;
    return compiled;
  }
  ++misses_;
  std::unique_ptr<v8::ScriptCompiler::CachedData> fresh(
      v8::ScriptCompiler::CreateCodeCache(unbound(compiled)));
  if (fresh && fresh->length > 0) {
    Put(key, std::string(reinterpret_cast<const char*>(fresh->data), fresh->length));
  }
  return compiled;
}

v8::MaybeLocal<v8::Module> CodeCache::CompileModule(v8::Isolate* isolate,
                                                    v8::Local<v8::String> source,
                                                    std::string_view text,
                                                    v8::ScriptOrigin& origin) {
  return CompileCached<v8::Module>(
      Kind::kModule, text, source, origin,
      [&](v8::ScriptCompiler::Source* s, v8::ScriptCompiler::CompileOptions options) {
        return v8::ScriptCompiler::CompileModule(isolate, s, options);
      },
      // Taken before the module is evaluated, as V8 requires for modules.
      [](v8::Local<v8::Module> m) { return m->GetUnboundModuleScript(); });
}

v8::MaybeLocal<v8::Script> CodeCache::CompileScript(v8::Local<v8::Context> context,
                                                    v8::Local<v8::String> source,
                                                    std::string_view text,
                                                    v8::ScriptOrigin& origin) {
  return CompileCached<v8::Script>(
      Kind::kScript, text, source, origin,
      [&](v8::ScriptCompiler::Source* s, v8::ScriptCompiler::CompileOptions options) {
        return v8::ScriptCompiler::Compile(context, s, options);
      },
      [](v8::Local<v8::Script> script) { return script->GetUnboundScript(); });
}

}  // namespace edgerun::isolates
