// Loading a worker's code into its isolate: module workers (with their imports) and
// service-worker scripts, and building `env`.
#include "bindings/v8_util.h"
#include "isolates/code_cache.h"
#include "isolates/js_error.h"
#include "isolates/source_files.h"
#include "isolates/tenant.h"
#include "isolates/wasm_module_cache.h"

namespace edgerun::isolates {

using bindings::OneByteString;
using bindings::Utf8String;

bool Tenant::BuildEnv(v8::Local<v8::Context> context, v8::Local<v8::Object>* out,
                      std::string* error) {
  v8::Local<v8::Object> env = v8::Object::New(isolate_);
  for (const auto* list : {&spec_.vars, &spec_.secrets}) {
    for (const EnvBinding& binding : *list) {
      v8::Local<v8::Value> value = Utf8String(isolate_, binding.value);
      if (binding.kind == EnvBinding::Kind::kJson) {
        v8::Local<v8::Value> parsed;
        if (v8::JSON::Parse(context, value.As<v8::String>()).ToLocal(&parsed)) value = parsed;
      }
      env->CreateDataProperty(context, Utf8String(isolate_, binding.name), value).Check();
    }
  }
  for (const WasmModuleBinding& binding : spec_.wasm_modules) {
    v8::Local<v8::WasmModuleObject> module;
    if (!LoadWasmFile(binding.path, &module, error)) {
      *error += " (wasm_modules." + binding.name + ")";
      return false;
    }
    env->CreateDataProperty(context, Utf8String(isolate_, binding.name), module).Check();
  }
  *out = env;
  return true;
}

bool Tenant::LoadWasmFile(const std::filesystem::path& file,
                          v8::Local<v8::WasmModuleObject>* module, std::string* error) {
  std::string bytes;
  if (!ModuleLoader::ReadFile(file, &bytes, error)) return false;
  SourceFiles::Get().Record(spec_.name, file, bytes);
  return WasmModuleCache::Get().Load(isolate_, bytes, file.string(), error).ToLocal(module);
}

bool Tenant::LoadWorker(v8::Local<v8::Context> context, std::string* error) {
  if (spec_.type == WorkerType::kWagi) return LoadWagi(context, error);
  v8::TryCatch try_catch(isolate_);
  if (spec_.format == ScriptFormat::kServiceWorker) {
    std::string source;
    if (!ModuleLoader::ReadFile(spec_.main, &source, error)) return false;
    return LoadServiceWorker(context, source, error);
  }
  v8::Local<v8::Module> module;
  if (loader_->Load(context, spec_.main).ToLocal(&module)) {
    // "auto": a file without imports or exports is a service-worker script.
    if (spec_.format == ScriptFormat::kAuto && module->GetModuleRequests()->Length() == 0) {
      v8::Local<v8::Array> exports;
      if (module->GetModuleNamespace().As<v8::Object>()->GetOwnPropertyNames(context).ToLocal(
              &exports) &&
          exports->Length() == 0) {
        std::string source;
        if (!ModuleLoader::ReadFile(spec_.main, &source, error)) return false;
        return LoadServiceWorker(context, source, error);
      }
    }
    return LoadModule(context, module, error);
  }
  std::string module_error = FormatCompileError(isolate_, context, try_catch);
  if (spec_.format == ScriptFormat::kAuto && !try_catch.HasTerminated()) {
    // Sloppy-mode scripts can be invalid as modules but fine as classic scripts.
    std::string source;
    v8::TryCatch classic_try(isolate_);
    v8::ScriptOrigin origin(isolate_, Utf8String(isolate_, spec_.main.string()));
    if (ModuleLoader::ReadFile(spec_.main, &source, error) &&
        !v8::Script::Compile(context, Utf8String(isolate_, source), &origin).IsEmpty()) {
      return LoadServiceWorker(context, source, error);
    }
  }
  *error = module_error;
  return false;
}

bool Tenant::LoadModule(v8::Local<v8::Context> context, v8::Local<v8::Module> module,
                        std::string* error) {
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Value> result;
  if (!module->Evaluate(context).ToLocal(&result)) {
    *error = FormatCompileError(isolate_, context, try_catch);
    return false;
  }
  isolate_->PerformMicrotaskCheckpoint();
  v8::Local<v8::Promise> promise = result.As<v8::Promise>();
  if (promise->State() == v8::Promise::kRejected) {
    promise->MarkAsHandled();
    ForgetUnhandled(promise);
    *error = spec_.main.string() + ": uncaught exception while loading: " +
             FormatException(isolate_, context, promise->Result(), {});
    return false;
  }
  if (promise->State() == v8::Promise::kPending) {
    *error = spec_.main.string() +
             ": top-level await did not finish while loading (module loading can't wait for "
             "timers or I/O)";
    return false;
  }
  v8::Local<v8::Value> default_export;
  v8::Local<v8::Value> fetch;
  v8::Local<v8::Object> ns = module->GetModuleNamespace().As<v8::Object>();
  if (!ns->Get(context, OneByteString(isolate_, "default")).ToLocal(&default_export) ||
      !default_export->IsObject() ||
      !default_export.As<v8::Object>()
           ->Get(context, OneByteString(isolate_, "fetch"))
           .ToLocal(&fetch) ||
      !fetch->IsFunction()) {
    *error = spec_.main.string() +
             ": the module's default export has no fetch() handler (expected `export default "
             "{ async fetch(request, env, ctx) { ... } }`)";
    return false;
  }
  handler_.Reset(isolate_, fetch);
  receiver_.Reset(isolate_, default_export);
  return true;
}

bool Tenant::LoadServiceWorker(v8::Local<v8::Context> context, const std::string& source,
                               std::string* error) {
  SourceFiles::Get().Record(spec_.name, spec_.main, source);
  // As on Cloudflare, a service-worker script sees its WebAssembly modules as globals.
  v8::Local<v8::Object> env = env_.Get(isolate_);
  for (const WasmModuleBinding& binding : spec_.wasm_modules) {
    v8::Local<v8::String> name = Utf8String(isolate_, binding.name);
    v8::Local<v8::Value> module;
    if (!env->Get(context, name).ToLocal(&module) ||
        context->Global()->CreateDataProperty(context, name, module).IsNothing()) {
      *error = spec_.main.string() + ": cannot define the global " + binding.name;
      return false;
    }
  }
  v8::TryCatch try_catch(isolate_);
  v8::ScriptOrigin origin(isolate_, Utf8String(isolate_, spec_.main.string()));
  v8::Local<v8::Script> script;
  if (!CodeCache::Get()
           .CompileScript(context, Utf8String(isolate_, source), source, origin)
           .ToLocal(&script) ||
      script->Run(context).IsEmpty()) {
    *error = FormatCompileError(isolate_, context, try_catch);
    return false;
  }
  v8::Local<v8::Value> has_listener;
  if (!worker_isolate_->handles()
           .has_fetch_listener.Get(isolate_)
           ->Call(context, v8::Undefined(isolate_), 0, nullptr)
           .ToLocal(&has_listener) ||
      !has_listener->IsTrue()) {
    *error = spec_.main.string() +
             ": no fetch handler: the script neither has `export default { fetch() {...} }` nor "
             "calls addEventListener('fetch', event => event.respondWith(...))";
    return false;
  }
  handler_.Reset(isolate_, v8::Undefined(isolate_));
  receiver_.Reset(isolate_, v8::Undefined(isolate_));
  return true;
}

}  // namespace edgerun::isolates
