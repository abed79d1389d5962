// console.* output and errors the worker did not catch go to the Host's log.
#include "bindings/native_registry.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

// log(level: 0..3, message: string)
void Log(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  int level = args[0]->Int32Value(isolate->GetCurrentContext()).FromMaybe(1);
  if (level < 0 || level > 3) level = 1;
  HostOf(args)->Log(static_cast<LogLevel>(level), ToUtf8(isolate, args[1]));
}

}  // namespace

void AppendConsoleNatives(std::vector<NativeFunction>* out) {
  out->push_back({"log", Log, 2});
}

}  // namespace edgerun::bindings
