#include "bindings/builtins.h"

#include <vector>

#include "bindings/builtin_sources.h"
#include "bindings/native_registry.h"
#include "bindings/platform_object.h"
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

// The builtins' source text, as external strings over the bytes embedded in the binary. Their
// addresses are in ExternalReferences(), so the snapshot keeps them external: every isolate
// points at the one copy in the binary instead of holding its own copy of the source (which V8
// keeps for lazy compilation and Function.prototype.toString).
class StaticSource final : public v8::String::ExternalOneByteStringResource {
 public:
  StaticSource(const char* data, size_t length) : data_(data), length_(length) {}
  const char* data() const override { return data_; }
  size_t length() const override { return length_; }
  void Dispose() override {}  // static storage: never freed

 private:
  const char* data_;
  size_t length_;
};

StaticSource* SourceResource(size_t i) {
  // Never freed: isolates refer to them until the process exits.
  static std::vector<StaticSource*>* resources = [] {
    auto* out = new std::vector<StaticSource*>();
    for (size_t j = 0; j < kBuiltinSourceCount; ++j) {
      out->push_back(new StaticSource(kBuiltinSources[j].source, kBuiltinSources[j].length));
    }
    return out;
  }();
  return (*resources)[i];
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

  v8::Local<v8::Function> platform_object;
  if (!NewPlatformObjectConstructor(context).ToLocal(&platform_object)) {
    *error = "cannot create internal.PlatformObject";
    return false;
  }
  internal->Set(context, OneByteString(isolate, "PlatformObject"), platform_object).Check();

  v8::Local<v8::Object> global = context->Global();
  for (size_t i = 0; i < kBuiltinSourceCount; ++i) {
    const BuiltinSource& builtin = kBuiltinSources[i];
    v8::TryCatch try_catch(isolate);
    v8::ScriptOrigin origin(isolate,
                            OneByteString(isolate, std::string("edgerun:") + builtin.name));
    v8::Local<v8::String> source =
        v8::String::NewExternalOneByte(isolate, SourceResource(i)).ToLocalChecked();
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
    out.push_back(PlatformObjectCallbackAddress());
    for (size_t i = 0; i < kBuiltinSourceCount; ++i) {
      out.push_back(reinterpret_cast<intptr_t>(SourceResource(i)));
    }
    out.push_back(0);
    return out;
  }();
  return refs.data();
}

}  // namespace edgerun::bindings
