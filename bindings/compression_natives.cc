// CompressionStream / DecompressionStream natives: a codec per stream, held by JS through a
// private ArrayBuffer handle whose backing-store deleter destroys the codec (so it goes when the
// stream is collected, or with the isolate), fed one chunk per call.
#include <cstring>
#include <memory>

#include "bindings/array_buffer_alloc.h"
#include "bindings/compression_codec.h"
#include "bindings/native_registry.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

// The handle's bytes. The magic lets a native check that an ArrayBuffer is one of its handles
// by reading only that buffer's own bytes.
struct CodecHandle {
  static constexpr uint64_t kMagic = 0x65646765'7a6c6962;  // "edgezlib"
  uint64_t magic = kMagic;
  std::unique_ptr<CompressionCodec> codec;
};

void DeleteHandle(void* data, size_t, void*) {
  delete static_cast<CodecHandle*>(data);
}

CompressionCodec* CodecOf(v8::Local<v8::Value> value) {
  if (!value->IsArrayBuffer()) return nullptr;
  std::shared_ptr<v8::BackingStore> store = value.As<v8::ArrayBuffer>()->GetBackingStore();
  if (store->ByteLength() != sizeof(CodecHandle) || store->Data() == nullptr) return nullptr;
  auto* handle = static_cast<CodecHandle*>(store->Data());
  return handle->magic == CodecHandle::kMagic ? handle->codec.get() : nullptr;
}

// compressionCreate(format: 0 deflate | 1 deflate-raw | 2 gzip | 3 brotli, decompress) -> handle
void CompressionCreate(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  int32_t format = args[0]->Int32Value(isolate->GetCurrentContext()).FromMaybe(-1);
  if (format < 0 || format > 3) {
    ThrowTypeError(isolate, "Unsupported compression format");
    return;
  }
  auto handle = std::make_unique<CodecHandle>();
  auto create = [&] {
    return CompressionCodec::Create(static_cast<CompressionFormat>(format),
                                    args[1]->BooleanValue(isolate),
                                    isolate->GetArrayBufferAllocator());
  };
  handle->codec = create();
  if (!handle->codec) {
    // The budget may be full of codecs of streams that are already garbage: V8 does not see
    // their memory (it is not in ArrayBuffers it knows the size of), so collect and retry once,
    // as V8 itself does before refusing an ArrayBuffer.
    isolate->LowMemoryNotification();
    handle->codec = create();
  }
  if (!handle->codec) {
    ThrowRangeError(isolate, "Array buffer allocation failed (compression state)");
    return;
  }
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
      handle.release(), sizeof(CodecHandle), &DeleteHandle, nullptr);
  args.GetReturnValue().Set(v8::ArrayBuffer::New(isolate, std::move(store)));
}

// compressionProcess(handle, chunk | undefined, finish) -> [Uint8Array..., error?]
// The output pieces come first; when the input is bad the last element is a string naming
// why ('data', 'trailing' or 'truncated'), so JS can hand out the output before erroring the
// stream, as the spec orders it. A refused allocation throws a RangeError.
void CompressionProcess(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  CompressionCodec* codec = CodecOf(args[0]);
  if (codec == nullptr) {
    ThrowTypeError(isolate, "compressionProcess: not a compression handle");
    return;
  }
  const uint8_t* data = nullptr;
  size_t size = 0;
  std::shared_ptr<v8::BackingStore> input;  // keeps the chunk's bytes alive while we read them
  v8::Local<v8::Value> chunk = args[1];
  if (chunk->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = chunk.As<v8::ArrayBufferView>();
    input = view->Buffer()->GetBackingStore();
    if (input->IsShared()) {
      ThrowTypeError(isolate,
                     "The chunk must be an ArrayBuffer or ArrayBufferView that is not "
                     "backed by a SharedArrayBuffer");
      return;
    }
    size = view->ByteLength();
    if (size > 0) data = static_cast<const uint8_t*>(input->Data()) + view->ByteOffset();
  } else if (chunk->IsArrayBuffer()) {
    input = chunk.As<v8::ArrayBuffer>()->GetBackingStore();
    size = input->ByteLength();
    data = static_cast<const uint8_t*>(input->Data());
  } else if (!chunk->IsUndefined()) {
    ThrowTypeError(isolate,
                   "The chunk must be an ArrayBuffer or ArrayBufferView that is not "
                   "backed by a SharedArrayBuffer");
    return;
  }
  bool finish = args[2]->BooleanValue(isolate);

  v8::Local<v8::Array> out = v8::Array::New(isolate);
  uint32_t count = 0;
  auto emit = [&](const uint8_t* bytes, size_t length) {
    v8::Local<v8::ArrayBuffer> buffer;
    if (!NewArrayBufferUninitialized(isolate, length).ToLocal(&buffer)) return false;
    std::memcpy(buffer->GetBackingStore()->Data(), bytes, length);
    return out->Set(context, count++, v8::Uint8Array::New(buffer, 0, length)).FromMaybe(false);
  };
  CompressionCodec::Status status = codec->Process(data, size, finish, emit);
  const char* error = nullptr;
  switch (status) {
    case CompressionCodec::Status::kOk:
      break;
    case CompressionCodec::Status::kNoMemory:
      if (!isolate->IsExecutionTerminating()) {
        ThrowRangeError(isolate, "Array buffer allocation failed (compression output)");
      }
      return;
    case CompressionCodec::Status::kDataError:
      error = "data";
      break;
    case CompressionCodec::Status::kTrailingData:
      error = "trailing";
      break;
    case CompressionCodec::Status::kTruncated:
      error = "truncated";
      break;
  }
  if (error != nullptr) out->Set(context, count++, OneByteString(isolate, error)).Check();
  args.GetReturnValue().Set(out);
}

}  // namespace

void AppendCompressionNatives(std::vector<NativeFunction>* out) {
  out->push_back({"compressionCreate", CompressionCreate, 2});
  out->push_back({"compressionProcess", CompressionProcess, 3});
}

}  // namespace edgerun::bindings
