#include "bindings/builtins.h"

#include <vector>

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

}  // namespace

bool InstallBuiltins(v8::Local<v8::Context> context,
                     v8::Local<v8::Function> handles[kContextHandleCount], std::string* error) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Context::Scope context_scope(context);

  v8::Local<v8::Object> internal = v8::Object::New(isolate);
  for (const NativeFunction& native : AllNatives()) {
    v8::Local<v8::Function> fn;
    if (!v8::Function::New(context, native.callback, v8::Local<v8::Value>(), native.length,
                           v8::ConstructorBehavior::kThrow)
             .ToLocal(&fn)) {
      *error = std::string("cannot create native ") + native.name;
      return false;
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
      return false;
    }
  }

  for (size_t i = 0; i < kContextHandleCount; ++i) {
    v8::Local<v8::Value> value;
    if (!internal->Get(context, OneByteString(isolate, kContextHandleNames[i])).ToLocal(&value) ||
        !value->IsFunction()) {
      *error = std::string("builtins did not define internal.") + kContextHandleNames[i];
      return false;
    }
    handles[i] = value.As<v8::Function>();
  }
  return true;
}

const intptr_t* ExternalReferences() {
  static const std::vector<intptr_t> refs = [] {
    std::vector<intptr_t> out;
    for (const NativeFunction& native : AllNatives()) {
      out.push_back(reinterpret_cast<intptr_t>(native.callback));
    }
    out.push_back(0);
    return out;
  }();
  return refs.data();
}

}  // namespace edgerun::bindings
