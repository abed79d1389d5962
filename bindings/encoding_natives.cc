// TextEncoder / TextDecoder natives: UTF-8 fast paths, labels, and the other encodings' decoders.
#include <cstring>
#include <string>

#include "bindings/array_buffer_alloc.h"
#include "bindings/encoding_labels.h"
#include "bindings/native_registry.h"
#include "bindings/text_decoder.h"
#include "bindings/utf8.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

// Points at the bytes of an ArrayBuffer or ArrayBufferView without copying.
bool GetBytes(v8::Local<v8::Value> value, const uint8_t** data, size_t* size) {
  if (value->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = value.As<v8::ArrayBufferView>();
    std::shared_ptr<v8::BackingStore> store = view->Buffer()->GetBackingStore();
    *data = static_cast<const uint8_t*>(store->Data()) + view->ByteOffset();
    *size = view->ByteLength();
    return true;
  }
  if (value->IsArrayBuffer() || value->IsSharedArrayBuffer()) {
    std::shared_ptr<v8::BackingStore> store =
        value->IsArrayBuffer() ? value.As<v8::ArrayBuffer>()->GetBackingStore()
                               : value.As<v8::SharedArrayBuffer>()->GetBackingStore();
    *data = static_cast<const uint8_t*>(store->Data());
    *size = store->ByteLength();
    return true;
  }
  return false;
}

// Strings past V8's maximum length fail (V8 throws a RangeError) instead of aborting the process.
bool NewLatin1String(v8::Isolate* isolate, const uint8_t* data, size_t size,
                     v8::Local<v8::String>* out) {
  if (size > static_cast<size_t>(v8::String::kMaxLength)) {
    isolate->ThrowException(v8::Exception::RangeError(
        OneByteString(isolate, "decode: the result is longer than the longest possible string")));
    return false;
  }
  return v8::String::NewFromOneByte(isolate, data, v8::NewStringType::kNormal,
                                    static_cast<int>(size))
      .ToLocal(out);
}

bool NewUtf16String(v8::Isolate* isolate, const std::u16string& s, v8::Local<v8::String>* out) {
  if (s.size() > static_cast<size_t>(v8::String::kMaxLength)) {
    isolate->ThrowException(v8::Exception::RangeError(
        OneByteString(isolate, "decode: the result is longer than the longest possible string")));
    return false;
  }
  return v8::String::NewFromTwoByte(isolate, reinterpret_cast<const uint16_t*>(s.data()),
                                    v8::NewStringType::kNormal, static_cast<int>(s.size()))
      .ToLocal(out);
}

// utf8Encode(string) -> Uint8Array. Lone surrogates become U+FFFD (USVString conversion).
void Utf8Encode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::String> s;
  if (!args[0]->ToString(isolate->GetCurrentContext()).ToLocal(&s)) return;
  int length = s->Utf8Length(isolate);
  v8::Local<v8::ArrayBuffer> buffer;
  if (!NewArrayBufferUninitialized(isolate, length).ToLocal(&buffer)) return;
  if (length > 0) {
    s->WriteUtf8(isolate, static_cast<char*>(buffer->GetBackingStore()->Data()), length, nullptr,
                 v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  }
  args.GetReturnValue().Set(v8::Uint8Array::New(buffer, 0, length));
}

// utf8EncodeInto(string, Uint8Array) -> [read (UTF-16 units), written (bytes)]
void Utf8EncodeInto(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::String> s;
  if (!args[0]->ToString(context).ToLocal(&s)) return;
  if (!args[1]->IsUint8Array()) {
    ThrowTypeError(isolate, "encodeInto: destination must be a Uint8Array");
    return;
  }
  v8::Local<v8::Uint8Array> dest = args[1].As<v8::Uint8Array>();
  std::shared_ptr<v8::BackingStore> store = dest->Buffer()->GetBackingStore();
  char* out = static_cast<char*>(store->Data()) + dest->ByteOffset();
  int read = 0;
  int written = s->WriteUtf8(isolate, out, static_cast<int>(dest->ByteLength()), &read,
                             v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  v8::Local<v8::Value> result[] = {v8::Integer::New(isolate, read),
                                   v8::Integer::New(isolate, written)};
  args.GetReturnValue().Set(v8::Array::New(isolate, result, 2));
}

// utf8Decode(bytes, fatal, stream) -> string, or [string, consumedBytes] when stream is true.
void Utf8Decode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  const uint8_t* data = nullptr;
  size_t size = 0;
  if (!args[0]->IsUndefined() && !GetBytes(args[0], &data, &size)) {
    ThrowTypeError(isolate, "decode: input must be an ArrayBuffer or ArrayBufferView");
    return;
  }
  bool fatal = args[1]->BooleanValue(isolate);
  bool stream = args[2]->BooleanValue(isolate);
  v8::Local<v8::String> text;
  size_t consumed = size;
  // Fast path: pure ASCII needs no UTF-16 buffer.
  size_t ascii = 0;
  while (ascii < size && data[ascii] < 0x80)
    ++ascii;
  if (ascii == size) {
    if (!NewLatin1String(isolate, data, size, &text)) return;
  } else {
    std::u16string utf16;
    Utf8DecodeResult r = DecodeUtf8(data, size, fatal, stream, &utf16);
    if (!r.ok) {
      ThrowTypeError(isolate, "The encoded data was not valid for encoding utf-8");
      return;
    }
    consumed = r.consumed;
    if (!NewUtf16String(isolate, utf16, &text)) return;
  }
  if (!stream) {
    args.GetReturnValue().Set(text);
    return;
  }
  v8::Local<v8::Value> result[] = {text, v8::Number::New(isolate, static_cast<double>(consumed))};
  args.GetReturnValue().Set(v8::Array::New(isolate, result, 2));
}

// encodingForLabel(label) -> [id, name] for a known label (name ASCII lowercase), else null.
void EncodingForLabel(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::String> s;
  if (!args[0]->ToString(isolate->GetCurrentContext()).ToLocal(&s)) return;
  args.GetReturnValue().SetNull();
  v8::String::Utf8Value utf8(isolate, s);
  std::optional<encoding::Encoding> e =
      encoding::EncodingForLabel(std::string_view(*utf8, utf8.length()));
  if (!e) return;
  v8::Local<v8::Value> result[] = {v8::Integer::New(isolate, static_cast<int>(*e)),
                                   OneByteString(isolate, encoding::LowercaseName(*e))};
  args.GetReturnValue().Set(v8::Array::New(isolate, result, 2));
}

// textDecode(encodingId, state: Uint32Array(4), bytes | undefined, fatal, stream) -> string.
// `state` carries the decoder's state from one stream: true call to the next.
void TextDecode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  int id = args[0]->Int32Value(isolate->GetCurrentContext()).FromMaybe(-1);
  if (id < 0 || id >= encoding::kEncodingCount || !args[1]->IsUint32Array() ||
      args[1].As<v8::Uint32Array>()->Length() != 4) {
    ThrowTypeError(isolate, "textDecode: bad arguments");
    return;
  }
  const uint8_t* data = nullptr;
  size_t size = 0;
  if (!args[2]->IsUndefined() && !GetBytes(args[2], &data, &size)) {
    ThrowTypeError(isolate, "decode: input must be an ArrayBuffer or ArrayBufferView");
    return;
  }
  bool fatal = args[3]->BooleanValue(isolate);
  bool stream = args[4]->BooleanValue(isolate);
  v8::Local<v8::Uint32Array> state_array = args[1].As<v8::Uint32Array>();
  encoding::DecoderState state;
  state_array->CopyContents(&state, sizeof(state));
  auto enc = static_cast<encoding::Encoding>(id);
  if (encoding::IsAsciiCompatible(enc) && encoding::IsInitial(state)) {
    // All ASCII (the common case for many legacy documents' markup): no UTF-16 buffer, no state.
    size_t ascii = 0;
    while (ascii < size && data[ascii] < 0x80)
      ++ascii;
    if (ascii == size) {
      v8::Local<v8::String> text;
      if (NewLatin1String(isolate, data, size, &text)) args.GetReturnValue().Set(text);
      return;
    }
  }
  std::u16string out;
  out.reserve(size);
  bool ok = encoding::Decode(enc, &state, data, size, !stream, fatal, &out);
  std::shared_ptr<v8::BackingStore> store = state_array->Buffer()->GetBackingStore();
  std::memcpy(static_cast<uint8_t*>(store->Data()) + state_array->ByteOffset(), &state,
              sizeof(state));
  if (!ok) {
    std::string message = "The encoded data was not valid for encoding ";
    message += encoding::LowercaseName(enc);
    ThrowTypeError(isolate, message.c_str());
    return;
  }
  v8::Local<v8::String> text;
  if (!NewUtf16String(isolate, out, &text)) return;
  args.GetReturnValue().Set(text);
}

}  // namespace

void AppendEncodingNatives(std::vector<NativeFunction>* out) {
  out->push_back({"utf8Encode", Utf8Encode, 1});
  out->push_back({"utf8EncodeInto", Utf8EncodeInto, 2});
  out->push_back({"utf8Decode", Utf8Decode, 3});
  out->push_back({"encodingForLabel", EncodingForLabel, 1});
  out->push_back({"textDecode", TextDecode, 5});
}

}  // namespace edgerun::bindings
