#include "isolates/module_loader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "bindings/v8_util.h"
#include "isolates/code_cache.h"
#include "isolates/source_files.h"
#include "isolates/wasm_module_cache.h"

namespace edgerun::isolates {
namespace fs = std::filesystem;
using bindings::ToUtf8;
using bindings::Utf8String;

namespace {

ModuleLoader* LoaderOf(v8::Isolate* isolate) {
  return static_cast<ModuleLoader*>(isolate->GetData(ModuleLoader::kIsolateSlot));
}

void ThrowError(v8::Isolate* isolate, const std::string& message) {
  isolate->ThrowException(v8::Exception::Error(Utf8String(isolate, message)));
}

bool IsRegularFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

}  // namespace

ModuleLoader::ModuleLoader(fs::path root, std::string worker)
    : root_(std::move(root)), worker_(std::move(worker)) {}
ModuleLoader::~ModuleLoader() {
  Clear();
}

void ModuleLoader::Clear() {
  wasm_by_path_.clear();
  by_path_.clear();
  path_by_hash_.clear();
}

void ModuleLoader::Attach(v8::Isolate* isolate) {
  isolate_ = isolate;
  isolate->SetData(kIsolateSlot, this);
  isolate->SetHostImportModuleDynamicallyCallback(ImportCallback);
  isolate->SetHostInitializeImportMetaObjectCallback(ImportMetaCallback);
}

bool ModuleLoader::ReadFile(const fs::path& file, std::string* out, std::string* error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    *error = file.string() + ": cannot read: " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = std::move(buffer).str();
  return true;
}

fs::path ModuleLoader::Resolve(const std::string& specifier, const fs::path& referrer,
                               std::string* error) const {
  std::string spec = specifier;
  if (spec.rfind("file://", 0) == 0) spec = spec.substr(7);
  bool relative = spec.rfind("./", 0) == 0 || spec.rfind("../", 0) == 0;
  if (!relative && spec.rfind('/', 0) != 0) {
    if (spec.rfind("node:", 0) == 0 || spec.rfind("cloudflare:", 0) == 0) {
      *error = "\"" + specifier + "\" is not provided by edgerun (yet)";
    } else {
      *error = "cannot resolve \"" + specifier +
               "\": bare module specifiers need a bundler; edgerun loads the worker's own files "
               "by relative path (\"./lib.js\")";
    }
    return {};
  }
  fs::path base = relative ? referrer.parent_path() / spec : fs::path(spec);
  base = base.lexically_normal();
  // The worker may only load files under the directory of its main file.
  auto [root_end, ignored] = std::mismatch(root_.begin(), root_.end(), base.begin(), base.end());
  if (root_end != root_.end()) {
    *error = "cannot import \"" + specifier + "\": it is outside the worker's directory " +
             root_.string();
    return {};
  }
  for (const fs::path& candidate : {base, fs::path(base.string() + ".js"),
                                    fs::path(base.string() + ".mjs"), base / "index.js"}) {
    if (IsRegularFile(candidate)) return candidate;
  }
  *error = "cannot find module \"" + specifier + "\" (looked for " + base.string() + ")";
  return {};
}

const std::string* ModuleLoader::PathOf(v8::Local<v8::Module> module) const {
  auto [begin, end] = path_by_hash_.equal_range(module->GetIdentityHash());
  for (auto it = begin; it != end; ++it) {
    auto found = by_path_.find(it->second);
    if (found != by_path_.end() && found->second.Get(isolate_) == module) return &it->second;
  }
  return nullptr;
}

v8::MaybeLocal<v8::Module> ModuleLoader::CompileGraph(v8::Local<v8::Context> context,
                                                      const fs::path& file) {
  v8::Isolate* isolate = context->GetIsolate();
  const std::string key = file.string();
  if (auto it = by_path_.find(key); it != by_path_.end()) return it->second.Get(isolate);

  std::string text, error;
  if (!ReadFile(file, &text, &error)) {
    ThrowError(isolate, error);
    return {};
  }
  SourceFiles::Get().Record(worker_, file, text);
  if (file.extension() == ".wasm") return CompileWasm(context, file, text);
  v8::ScriptOrigin origin(isolate, Utf8String(isolate, key), 0, 0, false, -1, {}, false, false,
                          /*is_module=*/true);
  v8::Local<v8::Module> module;
  if (!CodeCache::Get()
           .CompileModule(isolate, Utf8String(isolate, text), text, origin)
           .ToLocal(&module)) {
    return {};
  }
  by_path_.emplace(key, v8::Global<v8::Module>(isolate, module));
  path_by_hash_.emplace(module->GetIdentityHash(), key);

  v8::Local<v8::FixedArray> requests = module->GetModuleRequests();
  for (int i = 0; i < requests->Length(); ++i) {
    v8::Local<v8::ModuleRequest> request = requests->Get(context, i).As<v8::ModuleRequest>();
    std::string specifier = ToUtf8(isolate, request->GetSpecifier());
    fs::path target = Resolve(specifier, file, &error);
    if (target.empty()) {
      ThrowError(isolate, key + ": " + error);
      return {};
    }
    if (CompileGraph(context, target).IsEmpty()) return {};
  }
  return module;
}

v8::MaybeLocal<v8::Module> ModuleLoader::CompileWasm(v8::Local<v8::Context> context,
                                                     const fs::path& file, std::string_view bytes) {
  v8::Isolate* isolate = context->GetIsolate();
  const std::string key = file.string();
  std::string error;
  v8::Local<v8::WasmModuleObject> wasm;
  if (!WasmModuleCache::Get().Load(isolate, bytes, key, &error).ToLocal(&wasm)) {
    ThrowError(isolate, error);
    return {};
  }
  v8::Local<v8::String> default_name = bindings::OneByteString(isolate, "default");
  v8::Local<v8::Module> module = v8::Module::CreateSyntheticModule(
      isolate, Utf8String(isolate, key), {default_name}, EvaluateWasm);
  by_path_.emplace(key, v8::Global<v8::Module>(isolate, module));
  path_by_hash_.emplace(module->GetIdentityHash(), key);
  wasm_by_path_.emplace(key, v8::Global<v8::WasmModuleObject>(isolate, wasm));
  return module;
}

v8::MaybeLocal<v8::Value> ModuleLoader::EvaluateWasm(v8::Local<v8::Context> context,
                                                     v8::Local<v8::Module> module) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleLoader* loader = LoaderOf(isolate);
  const std::string* path = loader->PathOf(module);
  auto it = path ? loader->wasm_by_path_.find(*path) : loader->wasm_by_path_.end();
  if (it == loader->wasm_by_path_.end()) {
    ThrowError(isolate, "internal error: a WebAssembly module import lost its module");
    return {};
  }
  if (module
          ->SetSyntheticModuleExport(isolate, bindings::OneByteString(isolate, "default"),
                                     it->second.Get(isolate))
          .IsNothing()) {
    return {};
  }
  // A synthetic module's evaluation result is a promise (top-level-await semantics).
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return {};
  resolver->Resolve(context, v8::Undefined(isolate)).Check();
  return resolver->GetPromise();
}

v8::MaybeLocal<v8::Module> ModuleLoader::Load(v8::Local<v8::Context> context,
                                              const fs::path& file) {
  v8::Local<v8::Module> module;
  if (!CompileGraph(context, file).ToLocal(&module)) return {};
  if (module->InstantiateModule(context, ResolveCallback).IsNothing()) return {};
  return module;
}

v8::MaybeLocal<v8::Module> ModuleLoader::ResolveCallback(v8::Local<v8::Context> context,
                                                         v8::Local<v8::String> specifier,
                                                         v8::Local<v8::FixedArray> assertions,
                                                         v8::Local<v8::Module> referrer) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleLoader* loader = LoaderOf(isolate);
  const std::string* referrer_path = loader->PathOf(referrer);
  std::string spec = ToUtf8(isolate, specifier), error;
  fs::path target = loader->Resolve(
      spec, referrer_path ? fs::path(*referrer_path) : loader->root_ / "main", &error);
  auto it = target.empty() ? loader->by_path_.end() : loader->by_path_.find(target.string());
  if (it == loader->by_path_.end()) {
    ThrowError(isolate, error.empty() ? "module \"" + spec + "\" was not loaded" : error);
    return {};
  }
  return it->second.Get(isolate);
}

v8::MaybeLocal<v8::Promise> ModuleLoader::ImportCallback(v8::Local<v8::Context> context,
                                                         v8::Local<v8::Data> host_defined_options,
                                                         v8::Local<v8::Value> resource_name,
                                                         v8::Local<v8::String> specifier,
                                                         v8::Local<v8::FixedArray> assertions) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleLoader* loader = LoaderOf(isolate);
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return {};

  v8::TryCatch try_catch(isolate);
  std::string error;
  fs::path referrer = ToUtf8(isolate, resource_name);
  fs::path target = loader->Resolve(ToUtf8(isolate, specifier), referrer, &error);
  v8::Local<v8::Module> module;
  v8::Local<v8::Value> evaluated;
  if (target.empty()) {
    ThrowError(isolate, error);
  } else if (loader->Load(context, target).ToLocal(&module) &&
             module->Evaluate(context).ToLocal(&evaluated)) {
    // Resolve with the namespace once evaluation (which may use top-level await) settles.
    v8::Local<v8::Function> to_namespace = v8::Function::New(
                                               context,
                                               [](const v8::FunctionCallbackInfo<v8::Value>& args) {
                                                 args.GetReturnValue().Set(args.Data());
                                               },
                                               module->GetModuleNamespace())
                                               .ToLocalChecked();
    v8::Local<v8::Promise> done;
    if (evaluated.As<v8::Promise>()->Then(context, to_namespace).ToLocal(&done)) {
      resolver->Resolve(context, done).Check();
      return resolver->GetPromise();
    }
  }
  if (try_catch.HasCaught() && !try_catch.HasTerminated()) {
    resolver->Reject(context, try_catch.Exception()).Check();
  }
  return resolver->GetPromise();
}

void ModuleLoader::ImportMetaCallback(v8::Local<v8::Context> context, v8::Local<v8::Module> module,
                                      v8::Local<v8::Object> meta) {
  v8::Isolate* isolate = context->GetIsolate();
  const std::string* path = LoaderOf(isolate)->PathOf(module);
  if (path == nullptr) return;
  meta->CreateDataProperty(context, bindings::OneByteString(isolate, "url"),
                           Utf8String(isolate, "file://" + *path))
      .Check();
}

}  // namespace edgerun::isolates
