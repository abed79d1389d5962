// Uint8Array base64 / hex (ES2026: Uint8Array.fromBase64 / fromHex, prototype toBase64 / toHex /
// setFromBase64 / setFromHex). bindings/js/05_es_uint8_base64.js reads the options in the spec's
// order; the encoding and decoding (the FromBase64 / FromHex algorithms) are here because they
// are hot in workers.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bindings/array_buffer_alloc.h"
#include "bindings/native_registry.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kHexDigits[] = "0123456789abcdef";

enum class LastChunk { kLoose = 0, kStrict = 1, kStopBeforePartial = 2 };

struct DecodeResult {
  size_t read = 0;
  size_t written = 0;
  std::string error;  // empty: none (then a SyntaxError with this message)
};

// The 6-bit value of a base64 character of `alphabet`, or -1.
constexpr int Base64Value(uint32_t c, bool url) {
  if (c >= 'A' && c <= 'Z') return static_cast<int>(c - 'A');
  if (c >= 'a' && c <= 'z') return static_cast<int>(c - 'a' + 26);
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0' + 52);
  if (c == (url ? '-' : '+')) return 62;
  if (c == (url ? '_' : '/')) return 63;
  return -1;
}

// Base64Value as a table for characters < 256: 0xFF for anything outside the alphabet.
struct Base64Table {
  uint8_t value[256];
  constexpr explicit Base64Table(bool url) : value() {
    for (int c = 0; c < 256; ++c) {
      int v = Base64Value(static_cast<uint32_t>(c), url);
      value[c] = v < 0 ? 0xFF : static_cast<uint8_t>(v);
    }
  }
};
constexpr Base64Table kBase64Table(false);
constexpr Base64Table kBase64UrlTable(true);

inline bool IsAsciiWhitespace(uint32_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x20;
}

inline int HexValue(uint32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return -1;
}

std::string CharAt(uint32_t c, size_t index) {
  std::string out = "invalid character ";
  if (c >= 0x21 && c < 0x7F) {
    out += '\'';
    out += static_cast<char>(c);
    out += '\'';
  } else {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", c);
    out += buf;
  }
  return out + " at index " + std::to_string(index);
}

// FromBase64(string, alphabet, lastChunkHandling, maxLength), step by step; writes at most
// `max_length` bytes to `out`, or only counts them when `out` is null.
template <typename Char>
DecodeResult FromBase64(const Char* s, size_t length, bool url, LastChunk mode, uint8_t* out,
                        size_t max_length) {
  DecodeResult r;
  if (max_length == 0) return r;
  auto put = [&](uint8_t byte) {
    if (out != nullptr) out[r.written] = byte;
    ++r.written;
  };
  uint32_t chunk = 0;
  int chunk_length = 0;
  size_t index = 0;
  auto skip_whitespace = [&](size_t i) {
    while (i < length && IsAsciiWhitespace(s[i]))
      ++i;
    return i;
  };
  // DecodeFinalBase64Chunk for 2 or 3 characters: 1 or 2 bytes.
  auto final_chunk = [&](bool throw_on_extra_bits) {
    if (chunk_length == 2) {
      if (throw_on_extra_bits && (chunk & 0x0F) != 0) return false;
      put(static_cast<uint8_t>(chunk >> 4));
    } else {
      if (throw_on_extra_bits && (chunk & 0x03) != 0) return false;
      put(static_cast<uint8_t>(chunk >> 10));
      put(static_cast<uint8_t>(chunk >> 2));
    }
    return true;
  };
  const uint8_t* table = url ? kBase64UrlTable.value : kBase64Table.value;
  auto value_of = [table](Char c) -> uint32_t {
    return static_cast<uint32_t>(c) < 256 ? table[static_cast<uint32_t>(c)] : 0xFF;
  };
  for (;;) {
    // Fast path: whole chunks of four alphabet characters (the spec's steps for them, at once).
    if (chunk_length == 0) {
      while (index + 4 <= length && max_length - r.written >= 3) {
        uint32_t a = value_of(s[index]), b = value_of(s[index + 1]), c = value_of(s[index + 2]),
                 d = value_of(s[index + 3]);
        if ((a | b | c | d) > 63) break;
        uint32_t n = a << 18 | b << 12 | c << 6 | d;
        put(static_cast<uint8_t>(n >> 16));
        put(static_cast<uint8_t>(n >> 8));
        put(static_cast<uint8_t>(n));
        index += 4;
        r.read = index;
      }
      if (r.written == max_length) return r;
    }
    index = skip_whitespace(index);
    if (index == length) {
      if (chunk_length > 0) {
        if (mode == LastChunk::kStopBeforePartial) return r;
        if (mode == LastChunk::kStrict) {
          r.error =
              "the last chunk is incomplete (missing '=' padding) and lastChunkHandling is "
              "'strict'";
          return r;
        }
        if (chunk_length == 1) {
          r.error = "the input ends with a single base64 character, which does not encode a byte";
          return r;
        }
        final_chunk(false);
      }
      r.read = length;
      return r;
    }
    uint32_t c = s[index++];
    if (c == '=') {
      if (chunk_length < 2) {
        r.error = "unexpected '=' at index " + std::to_string(index - 1);
        return r;
      }
      index = skip_whitespace(index);
      if (chunk_length == 2) {
        if (index == length) {
          if (mode == LastChunk::kStopBeforePartial) return r;
          r.error = "the padding is incomplete (expected a second '=')";
          return r;
        }
        if (s[index] == '=') index = skip_whitespace(index + 1);
      }
      if (index < length) {
        r.error = "unexpected data after the padding at index " + std::to_string(index);
        return r;
      }
      if (!final_chunk(mode == LastChunk::kStrict)) {
        r.error = "the last chunk has non-zero padding bits and lastChunkHandling is 'strict'";
        return r;
      }
      r.read = length;
      return r;
    }
    int value = Base64Value(c, url);
    if (value < 0) {
      r.error = CharAt(c, index - 1);
      if (c == (url ? '+' : '-') || c == (url ? '/' : '_')) {
        r.error += url ? " (not in the base64url alphabet; use alphabet: 'base64')"
                       : " (not in the base64 alphabet; use alphabet: 'base64url')";
      }
      return r;
    }
    size_t remaining = max_length - r.written;
    if ((remaining == 1 && chunk_length == 2) || (remaining == 2 && chunk_length == 3)) return r;
    chunk = (chunk << 6) | static_cast<uint32_t>(value);
    if (++chunk_length == 4) {
      put(static_cast<uint8_t>(chunk >> 16));
      put(static_cast<uint8_t>(chunk >> 8));
      put(static_cast<uint8_t>(chunk));
      chunk = 0;
      chunk_length = 0;
      r.read = index;
      if (r.written == max_length) return r;
    }
  }
}

template <typename Char>
DecodeResult FromHex(const Char* s, size_t length, uint8_t* out, size_t max_length) {
  DecodeResult r;
  auto put = [&](uint8_t byte) {
    if (out != nullptr) out[r.written] = byte;
    ++r.written;
  };
  if (length % 2 != 0) {
    r.error = "the string has an odd number of hex digits (" + std::to_string(length) + ")";
    return r;
  }
  while (r.read < length && r.written < max_length) {
    int hi = HexValue(s[r.read]);
    int lo = HexValue(s[r.read + 1]);
    if (hi < 0 || lo < 0) {
      size_t bad = hi < 0 ? r.read : r.read + 1;
      r.error = CharAt(s[bad], bad);
      return r;
    }
    put(static_cast<uint8_t>(hi << 4 | lo));
    r.read += 2;
  }
  return r;
}

// The bytes of a Uint8Array; TypeError (false) if it is not one or its buffer is detached.
// Small typed arrays live on the V8 heap: those are copied into `scratch`.
bool GetUint8ArrayBytes(v8::Isolate* isolate, v8::Local<v8::Value> value, const char* method,
                        std::vector<uint8_t>* scratch, const uint8_t** data, size_t* size) {
  if (!value->IsUint8Array()) {
    ThrowTypeError(isolate, std::string(method) + ": the receiver is not a Uint8Array");
    return false;
  }
  v8::Local<v8::Uint8Array> array = value.As<v8::Uint8Array>();
  *size = array->ByteLength();
  if (!array->HasBuffer()) {
    scratch->resize(*size);
    array->CopyContents(scratch->data(), *size);
    *data = scratch->data();
    return true;
  }
  v8::Local<v8::ArrayBuffer> buffer = array->Buffer();
  if (buffer->WasDetached()) {
    ThrowTypeError(isolate, std::string(method) + ": the Uint8Array's buffer is detached");
    return false;
  }
  *data = static_cast<const uint8_t*>(buffer->Data()) + array->ByteOffset();
  return true;
}

// Checked before building a result that could not become a string anyway.
bool FitsInAString(v8::Isolate* isolate, size_t length) {
  if (length <= static_cast<size_t>(v8::String::kMaxLength)) return true;
  ThrowRangeError(isolate, "Invalid string length");
  return false;
}

bool ReturnString(v8::Isolate* isolate, const std::string& s,
                  v8::ReturnValue<v8::Value> return_value) {
  v8::Local<v8::String> result;
  if (s.size() > static_cast<size_t>(v8::String::kMaxLength) ||
      !v8::String::NewFromOneByte(isolate, reinterpret_cast<const uint8_t*>(s.data()),
                                  v8::NewStringType::kNormal, static_cast<int>(s.size()))
           .ToLocal(&result)) {
    if (!isolate->IsExecutionTerminating()) ThrowRangeError(isolate, "Invalid string length");
    return false;
  }
  return_value.Set(result);
  return true;
}

// base64Encode(uint8Array, url, omitPadding) -> string
void Base64Encode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::vector<uint8_t> scratch;
  const uint8_t* data;
  size_t size;
  if (!GetUint8ArrayBytes(isolate, args[0], "Uint8Array.prototype.toBase64", &scratch, &data,
                          &size))
    return;
  const char* alphabet = args[1]->IsTrue() ? kBase64Url : kBase64;
  bool pad = !args[2]->IsTrue();
  if (!FitsInAString(isolate, (size + 2) / 3 * 4)) return;
  std::string out;
  out.resize((size + 2) / 3 * 4);
  char* p = out.data();
  size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    uint32_t n = uint32_t{data[i]} << 16 | uint32_t{data[i + 1]} << 8 | data[i + 2];
    p[0] = alphabet[n >> 18];
    p[1] = alphabet[(n >> 12) & 63];
    p[2] = alphabet[(n >> 6) & 63];
    p[3] = alphabet[n & 63];
    p += 4;
  }
  if (size - i == 1) {
    uint32_t n = uint32_t{data[i]} << 16;
    *p++ = alphabet[n >> 18];
    *p++ = alphabet[(n >> 12) & 63];
    if (pad) {
      *p++ = '=';
      *p++ = '=';
    }
  } else if (size - i == 2) {
    uint32_t n = uint32_t{data[i]} << 16 | uint32_t{data[i + 1]} << 8;
    *p++ = alphabet[n >> 18];
    *p++ = alphabet[(n >> 12) & 63];
    *p++ = alphabet[(n >> 6) & 63];
    if (pad) *p++ = '=';
  }
  out.resize(static_cast<size_t>(p - out.data()));
  ReturnString(isolate, out, args.GetReturnValue());
}

// hexEncode(uint8Array) -> string (lower case)
void HexEncode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::vector<uint8_t> scratch;
  const uint8_t* data;
  size_t size;
  if (!GetUint8ArrayBytes(isolate, args[0], "Uint8Array.prototype.toHex", &scratch, &data, &size))
    return;
  if (!FitsInAString(isolate, size * 2)) return;
  std::string out(size * 2, '\0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kHexDigits[data[i] >> 4];
    out[2 * i + 1] = kHexDigits[data[i] & 15];
  }
  ReturnString(isolate, out, args.GetReturnValue());
}

// Runs `decode(chars, length, out, max_length)` over the string's code units, into a new
// Uint8Array (`into` undefined: a first pass counts the bytes, so that the result is allocated
// once, from the tenant's ArrayBuffer budget) or straight into `into` (then returns {read,
// written}). A decoding error is a SyntaxError, thrown after the bytes decoded before it were
// written (setFromBase64/Hex). Decoding runs no JS, so `into` cannot change meanwhile.
template <typename Decode>
void DecodeString(const v8::FunctionCallbackInfo<v8::Value>& args, v8::Local<v8::Value> into_value,
                  const char* method, Decode decode) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::String> string = args[0].As<v8::String>();
  size_t length = static_cast<size_t>(string->Length());
  std::vector<uint8_t> one_byte;
  std::vector<uint16_t> two_byte;
  if (string->IsOneByte()) {
    one_byte.resize(length);
    string->WriteOneByte(isolate, one_byte.data(), 0, static_cast<int>(length),
                         v8::String::NO_NULL_TERMINATION);
  } else {
    two_byte.resize(length);
    string->Write(isolate, two_byte.data(), 0, static_cast<int>(length),
                  v8::String::NO_NULL_TERMINATION);
  }
  auto run = [&](uint8_t* out, size_t max_length) {
    return one_byte.size() == length ? decode(one_byte.data(), length, out, max_length)
                                     : decode(two_byte.data(), length, out, max_length);
  };
  auto throw_syntax_error = [&](const std::string& error) {
    isolate->ThrowException(
        v8::Exception::SyntaxError(Utf8String(isolate, std::string(method) + ": " + error)));
  };

  if (!into_value->IsUint8Array()) {
    DecodeResult counted = run(nullptr, SIZE_MAX);
    if (!counted.error.empty()) return throw_syntax_error(counted.error);
    v8::Local<v8::ArrayBuffer> buffer;
    if (!NewArrayBufferUninitialized(isolate, counted.written).ToLocal(&buffer)) return;
    if (counted.written > 0) run(static_cast<uint8_t*>(buffer->Data()), SIZE_MAX);
    args.GetReturnValue().Set(v8::Uint8Array::New(buffer, 0, counted.written));
    return;
  }
  v8::Local<v8::Uint8Array> into = into_value.As<v8::Uint8Array>();
  // Buffer() first moves an on-heap (small) typed array's elements off the heap.
  v8::Local<v8::ArrayBuffer> buffer = into->Buffer();
  if (buffer->WasDetached()) {
    ThrowTypeError(isolate, std::string(method) + ": the Uint8Array's buffer is detached");
    return;
  }
  size_t max_length = into->ByteLength();
  uint8_t* out =
      max_length == 0 ? nullptr : static_cast<uint8_t*>(buffer->Data()) + into->ByteOffset();
  DecodeResult r = run(out, max_length);
  if (!r.error.empty()) return throw_syntax_error(r.error);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> result = v8::Object::New(isolate);
  if (result
          ->CreateDataProperty(context, OneByteString(isolate, "read"),
                               v8::Number::New(isolate, static_cast<double>(r.read)))
          .IsNothing() ||
      result
          ->CreateDataProperty(context, OneByteString(isolate, "written"),
                               v8::Number::New(isolate, static_cast<double>(r.written)))
          .IsNothing())
    return;
  args.GetReturnValue().Set(result);
}

// base64Decode(string, url, lastChunkHandling (0 loose, 1 strict, 2 stop-before-partial),
//              into | undefined) -> Uint8Array | {read, written}
void Base64Decode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  bool url = args[1]->IsTrue();
  auto mode = static_cast<LastChunk>(
      args[2]->Int32Value(args.GetIsolate()->GetCurrentContext()).FromMaybe(0));
  DecodeString(
      args, args[3],
      args[3]->IsUint8Array() ? "Uint8Array.prototype.setFromBase64" : "Uint8Array.fromBase64",
      [&](const auto* s, size_t length, uint8_t* out, size_t max_length) {
        return FromBase64(s, length, url, mode, out, max_length);
      });
}

// hexDecode(string, into | undefined) -> Uint8Array | {read, written}
void HexDecode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  DecodeString(args, args[1],
               args[1]->IsUint8Array() ? "Uint8Array.prototype.setFromHex" : "Uint8Array.fromHex",
               [](const auto* s, size_t length, uint8_t* out, size_t max_length) {
                 return FromHex(s, length, out, max_length);
               });
}

}  // namespace

void AppendBase64Natives(std::vector<NativeFunction>* out) {
  out->push_back({"base64Encode", Base64Encode, 3});
  out->push_back({"base64Decode", Base64Decode, 4});
  out->push_back({"hexEncode", HexEncode, 1});
  out->push_back({"hexDecode", HexDecode, 2});
}

}  // namespace edgerun::bindings
