// Loading a WAGI worker ("type": "wagi"): `main` is a WASI command, compiled once per process by
// the WasmModuleCache; its request handler is the builtin wagi handler (bindings/js/47_wagi.js),
// so requests go through the same dispatch, limits, logs and metrics as JavaScript workers.
#include "bindings/v8_util.h"
#include "isolates/js_error.h"
#include "isolates/tenant.h"

namespace edgerun::isolates {

bool Tenant::LoadWagi(v8::Local<v8::Context> context, std::string* error) {
  v8::Local<v8::WasmModuleObject> module;
  if (!LoadWasmFile(spec_.main, &module, error)) return false;
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Value> args[] = {module,
                                 bindings::Utf8String(isolate_, spec_.main.filename().string())};
  v8::Local<v8::Value> handler;
  if (!worker_isolate_->handles()
           .wagi_handler.Get(isolate_)
           ->Call(context, v8::Undefined(isolate_), 2, args)
           .ToLocal(&handler) ||
      !handler->IsFunction()) {
    *error = spec_.main.string() + ": " +
             (try_catch.HasCaught()
                  ? FormatException(isolate_, context, try_catch.Exception(), try_catch.Message())
                  : std::string("cannot make the WAGI handler"));
    return false;
  }
  handler_.Reset(isolate_, handler);
  receiver_.Reset(isolate_, v8::Undefined(isolate_));
  return true;
}

}  // namespace edgerun::isolates
