// Streamed bodies between the worker's JS and the host (see Host::ReadBody / BodyChunkOut).
#include "bindings/native_registry.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

uint32_t IdArg(const v8::FunctionCallbackInfo<v8::Value>& args) {
  return args[0]->Uint32Value(args.GetIsolate()->GetCurrentContext()).FromMaybe(0);
}

// bodyRead(id)
void BodyRead(const v8::FunctionCallbackInfo<v8::Value>& args) {
  HostOf(args)->ReadBody(IdArg(args));
}

// bodyCancel(id)
void BodyCancel(const v8::FunctionCallbackInfo<v8::Value>& args) {
  HostOf(args)->CancelBody(IdArg(args));
}

// bodyChunkOut(id, Uint8Array | null | string): the next chunk of a response body, its end, or
// why it failed.
void BodyChunkOut(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  BodyChunk chunk;
  if (args[1]->IsUint8Array()) {
    v8::Local<v8::Uint8Array> bytes = args[1].As<v8::Uint8Array>();
    chunk.kind = BodyChunk::Kind::kData;
    chunk.data.resize(bytes->ByteLength());
    bytes->CopyContents(chunk.data.data(), chunk.data.size());
  } else if (args[1]->IsString()) {
    chunk.kind = BodyChunk::Kind::kError;
    v8::String::Utf8Value text(isolate, args[1]);
    chunk.data.assign(*text, text.length());
  } else {
    chunk.kind = BodyChunk::Kind::kEnd;
  }
  HostOf(args)->BodyChunkOut(IdArg(args), std::move(chunk));
}

}  // namespace

void AppendBodyNatives(std::vector<NativeFunction>* out) {
  out->push_back({"bodyRead", BodyRead, 1});
  out->push_back({"bodyCancel", BodyCancel, 1});
  out->push_back({"bodyChunkOut", BodyChunkOut, 2});
}

}  // namespace edgerun::bindings
