// setTimeout/setInterval (the JS side keeps callbacks; the host keeps the clock), microtasks and
// ctx.waitUntil bookkeeping.
#include <cmath>

#include "bindings/native_registry.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

// timerStart(id, delayMs, repeat)
void TimerStart(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Local<v8::Context> context = args.GetIsolate()->GetCurrentContext();
  uint32_t id = args[0]->Uint32Value(context).FromMaybe(0);
  double delay = args[1]->NumberValue(context).FromMaybe(0);
  if (!std::isfinite(delay) || delay < 0) delay = 0;
  HostOf(args)->StartTimer(id, delay, args[2]->BooleanValue(args.GetIsolate()));
}

// timerStop(id)
void TimerStop(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Local<v8::Context> context = args.GetIsolate()->GetCurrentContext();
  HostOf(args)->StopTimer(args[0]->Uint32Value(context).FromMaybe(0));
}

// enqueueMicrotask(fn)
void EnqueueMicrotask(const v8::FunctionCallbackInfo<v8::Value>& args) {
  if (!args[0]->IsFunction()) {
    ThrowTypeError(args.GetIsolate(), "queueMicrotask: callback is not a function");
    return;
  }
  args.GetIsolate()->EnqueueMicrotask(args[0].As<v8::Function>());
}

// waitUntilDelta(requestId, +1 | -1)
void WaitUntilDelta(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Local<v8::Context> context = args.GetIsolate()->GetCurrentContext();
  auto request = static_cast<uint64_t>(args[0]->NumberValue(context).FromMaybe(0));
  HostOf(args)->WaitUntilDelta(request, args[1]->Int32Value(context).FromMaybe(0));
}

}  // namespace

void AppendTimerNatives(std::vector<NativeFunction>* out) {
  out->push_back({"timerStart", TimerStart, 3});
  out->push_back({"timerStop", TimerStop, 1});
  out->push_back({"enqueueMicrotask", EnqueueMicrotask, 1});
  out->push_back({"waitUntilDelta", WaitUntilDelta, 2});
}

}  // namespace edgerun::bindings
