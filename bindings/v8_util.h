// Small helpers for V8 calls used across the bindings and isolates.
#pragma once

#include <v8.h>

#include <string>
#include <string_view>

namespace edgerun::bindings {

inline v8::Local<v8::String> OneByteString(v8::Isolate* isolate, std::string_view s,
                                           v8::NewStringType type = v8::NewStringType::kNormal) {
  return v8::String::NewFromOneByte(isolate, reinterpret_cast<const uint8_t*>(s.data()), type,
                                    static_cast<int>(s.size()))
      .ToLocalChecked();
}

inline v8::Local<v8::String> Utf8String(v8::Isolate* isolate, std::string_view s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(s.size()))
      .ToLocalChecked();
}

inline std::string ToUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 ? std::string(*utf8, utf8.length()) : std::string();
}

// Latin-1 bytes of a string whose characters are all <= 0xFF (a WebIDL ByteString).
inline void AppendOneByte(v8::Isolate* isolate, v8::Local<v8::String> s, std::string* out) {
  size_t old = out->size();
  int len = s->Length();
  out->resize(old + len);
  s->WriteOneByte(isolate, reinterpret_cast<uint8_t*>(out->data() + old), 0, len,
                  v8::String::NO_NULL_TERMINATION);
}

inline void ThrowTypeError(v8::Isolate* isolate, std::string_view message) {
  isolate->ThrowException(v8::Exception::TypeError(Utf8String(isolate, message)));
}

inline void ThrowRangeError(v8::Isolate* isolate, std::string_view message) {
  isolate->ThrowException(v8::Exception::RangeError(Utf8String(isolate, message)));
}

}  // namespace edgerun::bindings
