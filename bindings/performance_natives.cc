// performance.now() / performance.timeOrigin: a monotonic clock relative to the moment the
// worker context was made (its time origin), which NewWorkerContext records in the context.
// Also navigator.userAgent, the other fact about the runtime a worker can ask for.
#include <chrono>

#include "bindings/native_registry.h"
#include "bindings/v8_util.h"
#include "bindings/worker_context.h"

namespace edgerun::bindings {
namespace {

double SteadyMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

double WallMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(system_clock::now().time_since_epoch()).count();
}

// The number stored in `slot`, or `fallback` when the context has none (the build-time context
// of the snapshot tool, which never reads the clock for a worker).
double SlotNumber(v8::Local<v8::Context> context, int slot, double fallback) {
  if (context->GetNumberOfEmbedderDataFields() <= static_cast<uint32_t>(slot)) return fallback;
  v8::Local<v8::Value> value = context->GetEmbedderData(slot);
  return value->IsNumber() ? value.As<v8::Number>()->Value() : fallback;
}

// performanceNow() -> milliseconds since the time origin (fractional, monotonic)
void PerformanceNow(const v8::FunctionCallbackInfo<v8::Value>& args) {
  double now = SteadyMs();
  double origin = SlotNumber(args.GetIsolate()->GetCurrentContext(), kSteadyOriginSlot, now);
  args.GetReturnValue().Set(now - origin);
}

// timeOrigin() -> the time origin in milliseconds since the Unix epoch
void TimeOrigin(const v8::FunctionCallbackInfo<v8::Value>& args) {
  args.GetReturnValue().Set(
      SlotNumber(args.GetIsolate()->GetCurrentContext(), kWallOriginSlot, WallMs()));
}

// userAgent() -> "edgerun/<version>" (navigator.userAgent)
void UserAgent(const v8::FunctionCallbackInfo<v8::Value>& args) {
  args.GetReturnValue().Set(OneByteString(args.GetIsolate(), "edgerun/" EDGERUN_VERSION));
}

}  // namespace

void RecordTimeOrigin(v8::Local<v8::Context> context) {
  v8::Isolate* isolate = context->GetIsolate();
  // Read together so that timeOrigin + now() tracks the wall clock at the origin.
  double steady = SteadyMs();
  double wall = WallMs();
  context->SetEmbedderData(kSteadyOriginSlot, v8::Number::New(isolate, steady));
  context->SetEmbedderData(kWallOriginSlot, v8::Number::New(isolate, wall));
}

void AppendPerformanceNatives(std::vector<NativeFunction>* out) {
  out->push_back({"performanceNow", PerformanceNow, 0});
  out->push_back({"timeOrigin", TimeOrigin, 0});
  out->push_back({"userAgent", UserAgent, 0});
}

}  // namespace edgerun::bindings
