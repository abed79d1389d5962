// One process-wide cache of compiled WebAssembly modules keyed by the SHA-256 of their bytes:
// every isolate on every thread instantiates from the same compiled code (GetCompiledModule /
// FromCompiledModule, TOOLCHAINS §2(d)) instead of compiling again. Thread-safe.
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
    size_t modules = 0;     // distinct contents held (compiled, or known invalid)
  };
  Stats stats() const;

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
    std::optional<v8::CompiledWasmModule> module;  // empty when the bytes did not compile
    std::string error;                             // the reason, without the label
  };

  std::shared_ptr<Entry> Compile(v8::Isolate* isolate, std::string_view bytes);
  v8::MaybeLocal<v8::WasmModuleObject> Instantiate(v8::Isolate* isolate, const Entry& entry,
                                                   const std::string& label, std::string* error);

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::unordered_map<Key, std::shared_ptr<Entry>, KeyHash> entries_;
  Stats stats_;
};

}  // namespace edgerun::isolates
