// Brand checks the ES2023+ built-ins (bindings/js/05_es_*.js) cannot do in JS.
#include "bindings/native_registry.h"

namespace edgerun::bindings {
namespace {

// isError(value) -> bool: has an [[ErrorData]] slot (Error.isError). Proxies are not errors.
void IsError(const v8::FunctionCallbackInfo<v8::Value>& args) {
  args.GetReturnValue().Set(args[0]->IsNativeError());
}

// isConstructor(value) -> bool (IsConstructor, without touching value.prototype).
void IsConstructor(const v8::FunctionCallbackInfo<v8::Value>& args) {
  args.GetReturnValue().Set(args[0]->IsObject() && args[0].As<v8::Object>()->IsConstructor());
}

// isUint8Array(value) -> bool (ValidateUint8Array: Uint8Array or a subclass; not Clamped).
void IsUint8Array(const v8::FunctionCallbackInfo<v8::Value>& args) {
  args.GetReturnValue().Set(args[0]->IsUint8Array());
}

}  // namespace

void AppendEsNatives(std::vector<NativeFunction>* out) {
  out->push_back({"isError", IsError, 1});
  out->push_back({"isConstructor", IsConstructor, 1});
  out->push_back({"isUint8Array", IsUint8Array, 1});
}

}  // namespace edgerun::bindings
