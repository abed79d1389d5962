#include "bindings/worker_context.h"

#include "bindings/builtin_sources.h"
#include "bindings/native_registry.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

std::string DescribeException(v8::Isolate* isolate, const v8::TryCatch& try_catch,
                              const char* file) {
  std::string out = std::string("builtin ") + file + ": ";
  if (try_catch.HasCaught()) {
    v8::Local<v8::Message> message = try_catch.Message();
    if (!message.IsEmpty()) {
      out +=
          std::to_string(message->GetLineNumber(isolate->GetCurrentContext()).FromMaybe(0)) + ": ";
    }
    out += ToUtf8(isolate, try_catch.Exception());
  }
  return out;
}

bool GetFunction(v8::Isolate* isolate, v8::Local<v8::Context> context,
                 v8::Local<v8::Object> internal, const char* name, v8::Global<v8::Function>* out,
                 std::string* error) {
  v8::Local<v8::Value> value;
  if (!internal->Get(context, OneByteString(isolate, name)).ToLocal(&value) ||
      !value->IsFunction()) {
    *error = std::string("builtins did not define internal.") + name;
    return false;
  }
  out->Reset(isolate, value.As<v8::Function>());
  return true;
}

}  // namespace

v8::MaybeLocal<v8::Context> NewWorkerContext(v8::Isolate* isolate, Host* host,
                                             WorkerContextHandles* handles, std::string* error) {
  v8::EscapableHandleScope scope(isolate);
  v8::Local<v8::Context> context = v8::Context::New(isolate);
  context->SetAlignedPointerInEmbedderData(kHostEmbedderSlot, host);
  v8::Context::Scope context_scope(context);

  v8::Local<v8::Object> internal = v8::Object::New(isolate);
  for (const NativeFunction& native : AllNatives()) {
    v8::Local<v8::Function> fn;
    if (!v8::Function::New(context, native.callback, v8::Local<v8::Value>(), native.length,
                           v8::ConstructorBehavior::kThrow)
             .ToLocal(&fn)) {
      *error = std::string("cannot create native ") + native.name;
      return {};
    }
    internal->Set(context, OneByteString(isolate, native.name), fn).Check();
  }

  v8::Local<v8::Object> global = context->Global();
  for (size_t i = 0; i < kBuiltinSourceCount; ++i) {
    const BuiltinSource& builtin = kBuiltinSources[i];
    v8::TryCatch try_catch(isolate);
    v8::ScriptOrigin origin(isolate,
                            OneByteString(isolate, std::string("edgerun:") + builtin.name));
    v8::Local<v8::String> source =
        OneByteString(isolate, std::string_view(builtin.source, builtin.length));
    v8::Local<v8::Script> script;
    v8::Local<v8::Value> fn;
    v8::Local<v8::Value> args[] = {internal, global};
    if (!v8::Script::Compile(context, source, &origin).ToLocal(&script) ||
        !script->Run(context).ToLocal(&fn) || !fn->IsFunction() ||
        fn.As<v8::Function>()->Call(context, global, 2, args).IsEmpty()) {
      *error = DescribeException(isolate, try_catch, builtin.name);
      return {};
    }
  }

  if (!GetFunction(isolate, context, internal, "dispatch", &handles->dispatch, error) ||
      !GetFunction(isolate, context, internal, "fireTimer", &handles->fire_timer, error) ||
      !GetFunction(isolate, context, internal, "hasFetchListener", &handles->has_fetch_listener,
                   error)) {
    return {};
  }
  return scope.Escape(context);
}

}  // namespace edgerun::bindings
