// One process-wide cache of compiled WebAssembly modules keyed by the SHA-256 of their bytes:
// every isolate on every thread instantiates from the same compiled code (GetCompiledModule /
// FromCompiledModule, TOOLCHAINS §2(d)) instead of compiling again. Thread-safe.
//
// Bounded: past `capacity()` distinct modules the least recently loaded one is dropped, so a
// process that reloads changed .wasm files for weeks does not keep every old version. Dropping
// costs little while some isolate still uses the module: V8 keeps a NativeModule alive as long as
// a WebAssembly.Module refers to it and finds it again by its bytes instead of recompiling.
#pragma once

#include <v8.h>

#include <array>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace edgerun::isolates {

class WasmModuleCache {
 public:
  static WasmModuleCache& Get();

  // Compiles `bytes` at most once per distinct content for the whole process (two threads
  // asking at once: one compiles, the other waits) and returns a WebAssembly.Module for
  // `isolate`, whose context must be entered. On failure returns empty with
  // *error = "<label>: <reason>"; nothing is thrown into the isolate. Callers read the file
  // themselves (the tenant also records its bytes for reload detection).
  v8::MaybeLocal<v8::WasmModuleObject> Load(v8::Isolate* isolate, std::string_view bytes,
                                            const std::string& label, std::string* error);

  struct Stats {
    uint64_t compiled = 0;  // compilations (successful or not) of distinct contents
    uint64_t reused = 0;    // loads answered from the cache
    uint64_t evicted = 0;   // entries dropped to stay within capacity()
    size_t modules = 0;     // distinct contents held (compiled, or known invalid)
  };
  Stats stats() const;

  static constexpr size_t kDefaultCapacity = 256;
  size_t capacity() const;
  void SetCapacity(size_t modules);  // for tests; at least 1

  // True while this thread compiles for the cache: the isolates' "may this context generate
  // wasm code" callback lets the cache's own compile through even for workers that refuse
  // runtime compilation (wasm_runtime_compile: false).
  static bool CompilingOnThisThread();

  void Clear();  // for tests

 private:
  using Key = std::array<uint8_t, 32>;
  struct KeyHash {
    size_t operator()(const Key& key) const {
      size_t h;
      std::memcpy(&h, key.data(), sizeof h);
      return h;
    }
  };
  struct Entry {
    bool ready = false;
    uint64_t last_used = 0;                        // use_clock_ at the last load
    std::optional<v8::CompiledWasmModule> module;  // empty when the bytes did not compile
    std::string error;                             // the reason, without the label
  };

  std::shared_ptr<Entry> Compile(v8::Isolate* isolate, std::string_view bytes);
  void EvictLocked();  // with mutex_ held
  v8::MaybeLocal<v8::WasmModuleObject> Instantiate(v8::Isolate* isolate, const Entry& entry,
                                                   const std::string& label, std::string* error);

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::unordered_map<Key, std::shared_ptr<Entry>, KeyHash> entries_;
  uint64_t use_clock_ = 0;
  size_t capacity_ = kDefaultCapacity;
  Stats stats_;
};

}  // namespace edgerun::isolates
