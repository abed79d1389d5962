// Compiled code of worker scripts, shared by every isolate of the process, so a worker's later
// isolates (another thread, or after an eviction) skip parsing and compiling. Keyed by the
// SHA-256 of the source and its kind: V8 validates a code cache only by the source's length, so
// an edited script of the same length would otherwise run stale code. Optionally also kept in a
// directory (isolates.code_cache_dir), where entries carry the V8 version in their name.
//
// Making an entry costs a second compile and a serialization on a background thread (about as
// much CPU as the compile it saves). In memory only, an entry is made when a source is compiled
// the second time, so a worker that is started once (most of 1,000 tenants after a restart) costs
// nothing extra; with a directory, it is made at once, for the next process.
#pragma once

#include <v8.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace edgerun::isolates {

class CodeCache {
 public:
  enum class Kind : char { kModule = 'm', kScript = 's' };
  using Key = std::array<uint8_t, 32>;

  static CodeCache& Get();

  // Persist entries in `dir` too (created if missing); empty: memory only.
  void SetDirectory(std::filesystem::path dir);

  static Key KeyOf(Kind kind, std::string_view source);
  std::shared_ptr<const std::string> Find(const Key& key);
  void Put(const Key& key, std::string data);
  void Clear();  // for tests

  // Compiles `source` as a module or classic script, consuming a cached compilation when there
  // is one and storing a new one otherwise. Throws into the isolate on a syntax error.
  v8::MaybeLocal<v8::Module> CompileModule(v8::Isolate* isolate, v8::Local<v8::String> source,
                                           std::string_view text, v8::ScriptOrigin& origin);
  v8::MaybeLocal<v8::Script> CompileScript(v8::Local<v8::Context> context,
                                           v8::Local<v8::String> source, std::string_view text,
                                           v8::ScriptOrigin& origin);

  // A miss that is to be cached (see above) is, shortly after, by a background thread: this
  // waits until every such miss so far is (for tests).
  void WaitForSerializing();

  uint64_t hits() const { return hits_.load(); }
  uint64_t misses() const { return misses_.load(); }
  uint64_t rejected() const { return rejected_.load(); }

 private:
  struct KeyHash {
    size_t operator()(const Key& key) const {
      size_t h;
      std::memcpy(&h, key.data(), sizeof h);
      return h;
    }
  };
  class Serializer;
  std::filesystem::path PathOf(const Key& key) const;
  void SerializeLater(Kind kind, const Key& key, std::string_view text);
  template <typename Compiled, typename CompileFn>
  v8::MaybeLocal<Compiled> CompileCached(Kind kind, std::string_view text,
                                         v8::Local<v8::String> source, v8::ScriptOrigin& origin,
                                         CompileFn compile);

  std::mutex mutex_;
  std::unordered_map<Key, std::shared_ptr<const std::string>, KeyHash> entries_;
  std::unordered_set<Key, KeyHash> compiled_once_;  // missed once, no entry made yet
  std::filesystem::path dir_;
  Serializer* serializer_ = nullptr;  // made on the first miss, never freed
  std::atomic<uint64_t> hits_{0}, misses_{0}, rejected_{0};
};

}  // namespace edgerun::isolates
