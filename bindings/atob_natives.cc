// atob/btoa: HTML's forgiving-base64 decode and base64 encode over Latin-1 strings. Native, so
// the alphabet tables live in static data rather than in every isolate's heap.
#include <array>
#include <cstdint>
#include <string>

#include "bindings/native_registry.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> table{};
  for (auto& v : table)
    v = -1;
  for (int i = 0; i < 64; ++i)
    table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

bool IsAsciiWhitespace(uint16_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x20;
}

v8::Local<v8::String> NewLatin1(v8::Isolate* isolate, const std::string& bytes) {
  return v8::String::NewFromOneByte(isolate, reinterpret_cast<const uint8_t*>(bytes.data()),
                                    v8::NewStringType::kNormal, static_cast<int>(bytes.size()))
      .ToLocalChecked();
}

// base64Encode(string) -> string, or null when a code unit is above U+00FF
void Base64Encode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::String::Value input(isolate, args[0]);
  const uint16_t* in = *input;
  size_t n = static_cast<size_t>(input.length());
  for (size_t i = 0; i < n; ++i) {
    if (in[i] > 0xFF) {
      args.GetReturnValue().SetNull();
      return;
    }
  }
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t{in[i]} << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (n - i == 2) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  args.GetReturnValue().Set(NewLatin1(isolate, out));
}

// base64Decode(string) -> Latin-1 string, or null when the input is not forgiving-base64
void Base64Decode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::String::Value input(isolate, args[0]);
  const uint16_t* in = *input;
  size_t n = static_cast<size_t>(input.length());
  // Strip ASCII whitespace; anything outside the alphabet (other than '=') fails right away.
  std::string data;
  data.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    uint16_t c = in[i];
    if (IsAsciiWhitespace(c)) continue;
    if (c > 0xFF || (c != '=' && kDecode[c] < 0)) {
      args.GetReturnValue().SetNull();
      return;
    }
    data += static_cast<char>(c);
  }
  if (data.size() % 4 == 0 && !data.empty() && data.back() == '=') {
    data.pop_back();
    if (!data.empty() && data.back() == '=') data.pop_back();
  }
  if (data.size() % 4 == 1 || data.find('=') != std::string::npos) {
    args.GetReturnValue().SetNull();
    return;
  }
  std::string out;
  out.reserve(data.size() / 4 * 3 + 2);
  uint32_t buffer = 0;
  int bits = 0;
  for (char ch : data) {
    buffer = (buffer << 6) | static_cast<uint32_t>(kDecode[static_cast<uint8_t>(ch)]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  args.GetReturnValue().Set(NewLatin1(isolate, out));
}

}  // namespace

void AppendAtobNatives(std::vector<NativeFunction>* out) {
  out->push_back({"btoaEncode", Base64Encode, 1});
  out->push_back({"atobDecode", Base64Decode, 1});
}

}  // namespace edgerun::bindings
