// ES modules of one worker: `import` between the worker's own files, resolved relative to the
// importing file and confined to the directory of the worker's main file. A `.wasm` file imports
// as a module whose default export is its WebAssembly.Module (from the process-wide cache). The
// whole static graph is compiled before instantiation, so a syntax error is reported at its own
// file:line.
#pragma once

#include <v8.h>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace edgerun::isolates {

class ModuleLoader {
 public:
  // Isolate data slot that points at the loader (the resolve callbacks find it there).
  static constexpr uint32_t kIsolateSlot = 1;

  // `worker` names the worker in SourceFiles (which files a reload must check).
  ModuleLoader(std::filesystem::path root, std::string worker);
  ~ModuleLoader();

  // Compiles `file` (absolute) and everything it imports statically, and instantiates it.
  // On failure the exception is pending in the caller's TryCatch.
  v8::MaybeLocal<v8::Module> Load(v8::Local<v8::Context> context,
                                  const std::filesystem::path& file);

  // Reads a file under the root; used for the main script of service-worker workers too.
  static bool ReadFile(const std::filesystem::path& file, std::string* out, std::string* error);

  // Installs the dynamic import() and import.meta callbacks on the isolate.
  void Attach(v8::Isolate* isolate);
  // Drops every module handle (before the isolate is disposed).
  void Clear();

 private:
  // Compiles `file` and, recursively, its static imports. Throws into the isolate on failure.
  v8::MaybeLocal<v8::Module> CompileGraph(v8::Local<v8::Context> context,
                                          const std::filesystem::path& file);
  // Resolves `specifier` imported from `referrer`; on failure returns empty and sets *error.
  std::filesystem::path Resolve(const std::string& specifier, const std::filesystem::path& referrer,
                                std::string* error) const;
  const std::string* PathOf(v8::Local<v8::Module> module) const;
  // `import mod from "./x.wasm"`: a synthetic module exporting the WebAssembly.Module.
  v8::MaybeLocal<v8::Module> CompileWasm(v8::Local<v8::Context> context,
                                         const std::filesystem::path& file, std::string_view bytes);
  static v8::MaybeLocal<v8::Value> EvaluateWasm(v8::Local<v8::Context> context,
                                                v8::Local<v8::Module> module);

  static v8::MaybeLocal<v8::Module> ResolveCallback(v8::Local<v8::Context> context,
                                                    v8::Local<v8::String> specifier,
                                                    v8::Local<v8::FixedArray> assertions,
                                                    v8::Local<v8::Module> referrer);
  static v8::MaybeLocal<v8::Promise> ImportCallback(v8::Local<v8::Context> context,
                                                    v8::Local<v8::Data> host_defined_options,
                                                    v8::Local<v8::Value> resource_name,
                                                    v8::Local<v8::String> specifier,
                                                    v8::Local<v8::FixedArray> assertions);
  static void ImportMetaCallback(v8::Local<v8::Context> context, v8::Local<v8::Module> module,
                                 v8::Local<v8::Object> meta);

  std::filesystem::path root_;
  std::string worker_;
  v8::Isolate* isolate_ = nullptr;
  std::map<std::string, v8::Global<v8::Module>> by_path_;
  std::unordered_multimap<int, std::string> path_by_hash_;  // Module::GetIdentityHash -> path
  std::map<std::string, v8::Global<v8::WasmModuleObject>> wasm_by_path_;
};

}  // namespace edgerun::isolates
