#include "bindings/http_conversion.h"

#include <cstring>

#include "bindings/array_buffer_alloc.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {

void MakeDispatchArgs(v8::Isolate* isolate, HttpRequest& request, std::string_view url,
                      uint32_t body_stream_id, v8::Local<v8::Value> args[4]) {
  args[0] = OneByteString(isolate, request.method, v8::NewStringType::kInternalized);
  args[1] = OneByteString(isolate, url);
  std::vector<v8::Local<v8::Value>> flat;
  flat.reserve(request.headers.size() * 2);
  for (const HeaderField& field : request.headers) {
    flat.push_back(OneByteString(isolate, field.name));
    flat.push_back(OneByteString(isolate, field.value));
  }
  args[2] = v8::Array::New(isolate, flat.data(), flat.size());
  if (body_stream_id != 0) {
    args[3] = v8::Integer::NewFromUnsigned(isolate, body_stream_id);
  } else if (request.body.empty()) {
    args[3] = v8::Null(isolate);
  } else {
    // Hand the body's heap buffer to V8 instead of copying it.
    auto* owned = new std::string(std::move(request.body));
    std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
        owned->data(), owned->size(),
        [](void*, size_t, void* deleter_data) { delete static_cast<std::string*>(deleter_data); },
        owned);
    size_t size = owned->size();
    args[3] = v8::Uint8Array::New(v8::ArrayBuffer::New(isolate, std::move(store)), 0, size);
  }
}

bool ReadResponseParts(v8::Isolate* isolate, v8::Local<v8::Context> context,
                       v8::Local<v8::Value> value, HttpResponse* out, uint32_t* body_stream_id,
                       std::string* error) {
  *body_stream_id = 0;
  if (!value->IsArray() || value.As<v8::Array>()->Length() != 4) {
    *error = "internal error: malformed response parts";
    return false;
  }
  v8::Local<v8::Array> parts = value.As<v8::Array>();
  v8::Local<v8::Value> status, status_text, headers, body;
  if (!parts->Get(context, 0).ToLocal(&status) || !parts->Get(context, 1).ToLocal(&status_text) ||
      !parts->Get(context, 2).ToLocal(&headers) || !parts->Get(context, 3).ToLocal(&body) ||
      !status->IsInt32() || !status_text->IsString() || !headers->IsArray()) {
    *error = "internal error: malformed response parts";
    return false;
  }
  out->status = status.As<v8::Int32>()->Value();
  if (out->status < 200 || out->status > 599) {
    *error = "the worker returned a Response with status " + std::to_string(out->status);
    return false;
  }
  out->status_text.clear();
  AppendOneByte(isolate, status_text.As<v8::String>(), &out->status_text);

  v8::Local<v8::Array> flat = headers.As<v8::Array>();
  uint32_t n = flat->Length();
  out->headers.clear();
  out->headers.reserve(n / 2);
  for (uint32_t i = 0; i + 1 < n; i += 2) {
    v8::Local<v8::Value> name, field_value;
    if (!flat->Get(context, i).ToLocal(&name) || !flat->Get(context, i + 1).ToLocal(&field_value) ||
        !name->IsString() || !field_value->IsString()) {
      *error = "internal error: malformed response headers";
      return false;
    }
    HeaderField& field = out->headers.emplace_back();
    AppendOneByte(isolate, name.As<v8::String>(), &field.name);
    AppendOneByte(isolate, field_value.As<v8::String>(), &field.value);
  }

  out->body.clear();
  if (body->IsString()) {
    v8::Local<v8::String> s = body.As<v8::String>();
    int length = s->Utf8Length(isolate);
    out->body.resize(length);
    s->WriteUtf8(isolate, out->body.data(), length, nullptr,
                 v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  } else if (body->IsUint8Array()) {
    v8::Local<v8::Uint8Array> bytes = body.As<v8::Uint8Array>();
    out->body.resize(bytes->ByteLength());
    bytes->CopyContents(out->body.data(), out->body.size());
  } else if (body->IsUint32() && body.As<v8::Uint32>()->Value() != 0) {
    *body_stream_id = body.As<v8::Uint32>()->Value();
  } else if (!body->IsNull()) {
    *error = "internal error: malformed response body";
    return false;
  }
  return true;
}

v8::MaybeLocal<v8::Value> BodyChunkToJs(v8::Isolate* isolate, const BodyChunk& chunk) {
  switch (chunk.kind) {
    case BodyChunk::Kind::kEnd:
      return v8::Null(isolate);
    case BodyChunk::Kind::kError:
      return OneByteString(isolate, chunk.data);
    case BodyChunk::Kind::kData:
      break;
  }
  v8::Local<v8::ArrayBuffer> buffer;
  if (!NewArrayBufferUninitialized(isolate, chunk.data.size()).ToLocal(&buffer)) return {};
  std::memcpy(buffer->Data(), chunk.data.data(), chunk.data.size());
  return v8::Uint8Array::New(buffer, 0, chunk.data.size());
}

}  // namespace edgerun::bindings
