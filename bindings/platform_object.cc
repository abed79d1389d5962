#include "bindings/platform_object.h"

#include "bindings/v8_util.h"
#include "bindings/worker_context.h"

namespace edgerun::bindings {
namespace {

v8::Local<v8::Value> TakeAdoptTarget(v8::Local<v8::Context> context) {
  if (context->GetNumberOfEmbedderDataFields() <= static_cast<uint32_t>(kAdoptEmbedderSlot)) {
    return v8::Undefined(context->GetIsolate());
  }
  v8::Local<v8::Value> target = context->GetEmbedderData(kAdoptEmbedderSlot);
  context->SetEmbedderData(kAdoptEmbedderSlot, v8::Undefined(context->GetIsolate()));
  return target;
}

void Construct(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (!args.IsConstructCall()) {
    ThrowTypeError(isolate, "Illegal constructor");
    return;
  }
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> target = TakeAdoptTarget(context);
  if (!target->IsObject() || !args.NewTarget()->IsObject()) return;
  v8::Local<v8::Value> proto;
  if (!args.NewTarget()
           .As<v8::Object>()
           ->Get(context, OneByteString(isolate, "prototype"))
           .ToLocal(&proto) ||
      !proto->IsObject() ||
      !target.As<v8::Object>()->SetPrototype(context, proto).FromMaybe(false)) {
    return;
  }
  args.GetReturnValue().Set(target);
}

// platformAdopt(object | undefined): the next PlatformObject construction returns `object`.
void PlatformAdopt(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Local<v8::Context> context = args.GetIsolate()->GetCurrentContext();
  context->SetEmbedderData(
      kAdoptEmbedderSlot,
      args[0]->IsObject() ? args[0] : v8::Undefined(args.GetIsolate()).As<v8::Value>());
}

}  // namespace

v8::MaybeLocal<v8::Function> NewPlatformObjectConstructor(v8::Local<v8::Context> context) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::FunctionTemplate> tmpl = v8::FunctionTemplate::New(isolate, Construct);
  tmpl->SetClassName(OneByteString(isolate, "PlatformObject"));
  tmpl->InstanceTemplate()->SetInternalFieldCount(1);
  return tmpl->GetFunction(context);
}

intptr_t PlatformObjectCallbackAddress() {
  return reinterpret_cast<intptr_t>(Construct);
}

void AppendPlatformObjectNatives(std::vector<NativeFunction>* out) {
  out->push_back({"platformAdopt", PlatformAdopt, 1});
}

}  // namespace edgerun::bindings
