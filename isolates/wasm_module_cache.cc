#include "isolates/wasm_module_cache.h"

#include <openssl/evp.h>

#include <algorithm>

#include "bindings/v8_util.h"

namespace edgerun::isolates {
namespace {

thread_local bool compiling = false;

// V8 prefixes its compile errors with the API that compiled ("WasmModuleObject::Compile(): ");
// the user wants the reason.
std::string CompileErrorReason(v8::Isolate* isolate, const v8::TryCatch& try_catch) {
  if (!try_catch.HasCaught()) {
    return "invalid WebAssembly module (V8 refused to compile it and gave no reason)";
  }
  v8::Local<v8::Value> text = try_catch.Exception();
  if (!try_catch.Message().IsEmpty()) text = try_catch.Message()->Get();
  std::string message = bindings::ToUtf8(isolate, text);
  for (std::string_view prefix : {"Uncaught ", "CompileError: ", "WasmModuleObject::Compile(): "}) {
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
  }
  return "invalid WebAssembly module: " + message;
}

}  // namespace

WasmModuleCache& WasmModuleCache::Get() {
  static WasmModuleCache* cache = new WasmModuleCache();  // never destroyed: threads may outlive
  return *cache;
}

bool WasmModuleCache::CompilingOnThisThread() {
  return compiling;
}

v8::MaybeLocal<v8::WasmModuleObject> WasmModuleCache::Load(v8::Isolate* isolate,
                                                           std::string_view bytes,
                                                           const std::string& label,
                                                           std::string* error) {
  return Instantiate(isolate, *Compile(isolate, bytes), label, error);
}

v8::MaybeLocal<v8::WasmModuleObject> WasmModuleCache::Instantiate(v8::Isolate* isolate,
                                                                  const Entry& entry,
                                                                  const std::string& label,
                                                                  std::string* error) {
  if (!entry.module) {
    *error = label + ": " + entry.error;
    return {};
  }
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::WasmModuleObject> module;
  if (!v8::WasmModuleObject::FromCompiledModule(isolate, *entry.module).ToLocal(&module)) {
    *error = label + ": cannot create a WebAssembly.Module from the compiled code" +
             (try_catch.HasTerminated() ? " (the worker was stopped)" : "");
    return {};
  }
  return module;
}

std::shared_ptr<WasmModuleCache::Entry> WasmModuleCache::Compile(v8::Isolate* isolate,
                                                                 std::string_view bytes) {
  Key key;
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), key.data(), &length, EVP_sha256(), nullptr);

  std::shared_ptr<Entry> entry;
  {
    std::unique_lock lock(mutex_);
    auto [it, inserted] = entries_.try_emplace(key);
    if (!inserted) {
      entry = it->second;
      entry->last_used = ++use_clock_;
      // Another thread is compiling the same bytes: wait for its result.
      ready_.wait(lock, [&] { return entry->ready; });
      ++stats_.reused;
      return entry;
    }
    it->second = entry = std::make_shared<Entry>();
    entry->last_used = ++use_clock_;
    ++stats_.compiled;
    EvictLocked();
  }

  // Compiled outside the lock, in the asking isolate (V8 compiles in a context); the compiled
  // NativeModule outlives that isolate, so any isolate can use it afterwards.
  std::optional<v8::CompiledWasmModule> compiled;
  std::string error;
  bool interrupted = false;
  {
    v8::TryCatch try_catch(isolate);
    compiling = true;
    v8::Local<v8::WasmModuleObject> module;
    bool ok = v8::WasmModuleObject::Compile(
                  isolate, v8::MemorySpan<const uint8_t>(
                               reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()))
                  .ToLocal(&module);
    compiling = false;
    if (ok) {
      compiled.emplace(module->GetCompiledModule());
    } else {
      interrupted = try_catch.HasTerminated();
      error = interrupted ? "compilation was interrupted (the worker was stopped)"
                          : CompileErrorReason(isolate, try_catch);
    }
  }
  {
    std::lock_guard lock(mutex_);
    // Not a property of the bytes: let the next asker compile again.
    if (interrupted) entries_.erase(key);
    if (compiled) entry->module.emplace(*compiled);
    entry->error = std::move(error);
    entry->ready = true;
  }
  ready_.notify_all();
  return entry;
}

void WasmModuleCache::EvictLocked() {
  while (entries_.size() > capacity_) {
    // A linear scan: the capacity is a few hundred and this runs only when a new module comes.
    auto victim = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (!it->second->ready) continue;  // being compiled: its waiters need it
      if (victim == entries_.end() || it->second->last_used < victim->second->last_used) {
        victim = it;
      }
    }
    if (victim == entries_.end()) return;
    entries_.erase(victim);  // callers holding the entry keep it alive
    ++stats_.evicted;
  }
}

size_t WasmModuleCache::capacity() const {
  std::lock_guard lock(mutex_);
  return capacity_;
}

void WasmModuleCache::SetCapacity(size_t modules) {
  std::lock_guard lock(mutex_);
  capacity_ = std::max<size_t>(modules, 1);
  EvictLocked();
}

WasmModuleCache::Stats WasmModuleCache::stats() const {
  std::lock_guard lock(mutex_);
  Stats stats = stats_;
  stats.modules = entries_.size();
  return stats;
}

void WasmModuleCache::Clear() {
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = it->second->ready ? entries_.erase(it) : std::next(it);
  }
  stats_ = {};
}

}  // namespace edgerun::isolates
