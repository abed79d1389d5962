// Outbound fetch(): the JS side (bindings/js/65_fetch.js) builds the request; the host sends it.
#include "bindings/native_registry.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

// fetchStart(id, method, url, [name, value, ...], body: Uint8Array | null | a streamed body's id)
// -> undefined, or the reason it could not start (a string).
void FetchStart(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  if (!args[1]->IsString() || !args[2]->IsString() || !args[3]->IsArray()) {
    ThrowTypeError(isolate, "fetchStart: bad arguments");
    return;
  }
  OutboundRequest request;
  AppendOneByte(isolate, args[1].As<v8::String>(), &request.method);
  v8::String::Utf8Value url(isolate, args[2]);
  request.url.assign(*url, url.length());
  v8::Local<v8::Array> flat = args[3].As<v8::Array>();
  for (uint32_t i = 0; i + 1 < flat->Length(); i += 2) {
    v8::Local<v8::Value> name, value;
    if (!flat->Get(context, i).ToLocal(&name) || !flat->Get(context, i + 1).ToLocal(&value) ||
        !name->IsString() || !value->IsString()) {
      return;
    }
    HeaderField& field = request.headers.emplace_back();
    AppendOneByte(isolate, name.As<v8::String>(), &field.name);
    AppendOneByte(isolate, value.As<v8::String>(), &field.value);
  }
  if (args[4]->IsUint8Array()) {
    v8::Local<v8::Uint8Array> bytes = args[4].As<v8::Uint8Array>();
    request.body.resize(bytes->ByteLength());
    bytes->CopyContents(request.body.data(), request.body.size());
  }
  const uint32_t body_stream_id = args[4]->IsUint32() ? args[4].As<v8::Uint32>()->Value() : 0;
  const uint32_t id = args[0]->Uint32Value(context).FromMaybe(0);
  std::string error = HostOf(args)->StartFetch(id, std::move(request), body_stream_id);
  if (!error.empty()) args.GetReturnValue().Set(OneByteString(isolate, error));
}

// fetchCancel(id)
void FetchCancel(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Local<v8::Context> context = args.GetIsolate()->GetCurrentContext();
  HostOf(args)->CancelFetch(args[0]->Uint32Value(context).FromMaybe(0));
}

}  // namespace

void AppendFetchNatives(std::vector<NativeFunction>* out) {
  out->push_back({"fetchStart", FetchStart, 5});
  out->push_back({"fetchCancel", FetchCancel, 1});
}

}  // namespace edgerun::bindings
