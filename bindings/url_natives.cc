// URL natives: the parser, the setters and the application/x-www-form-urlencoded codec. A parsed
// URL travels to JS as [href, ...offsets] (see url_record.h); hrefs are always ASCII.
#include <string>
#include <vector>

#include "bindings/native_registry.h"
#include "bindings/url_parser.h"
#include "bindings/url_percent_encode.h"
#include "bindings/utf8.h"
#include "bindings/v8_util.h"

namespace edgerun::bindings {
namespace {

// USVString conversion: lone surrogates become U+FFFD.
bool ToUsvUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value, std::string* out) {
  v8::Local<v8::String> s;
  if (!value->ToString(isolate->GetCurrentContext()).ToLocal(&s)) return false;
  if (s->IsOneByte() && s->ContainsOnlyOneByte()) {
    // Latin-1 fast path for the common all-ASCII input.
    int len = s->Length();
    out->resize(len);
    s->WriteOneByte(isolate, reinterpret_cast<uint8_t*>(out->data()), 0, len,
                    v8::String::NO_NULL_TERMINATION);
    uint8_t any = 0;  // an OR over all bytes: vectorizes, unlike an early exit
    for (char c : *out)
      any |= static_cast<uint8_t>(c);
    if (any < 0x80) return true;
  }
  int length = s->Utf8Length(isolate);
  out->resize(length);
  s->WriteUtf8(isolate, out->data(), length, nullptr,
               v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  return true;
}

v8::Local<v8::Value> ToJs(v8::Isolate* isolate, const url::SerializedUrl& s) {
  v8::Local<v8::Value> values[url::kOffsetCount + 1];
  values[0] = OneByteString(isolate, s.href);
  for (int i = 0; i < url::kOffsetCount; ++i)
    values[i + 1] = v8::Integer::New(isolate, s.offsets[i]);
  return v8::Array::New(isolate, values, url::kOffsetCount + 1);
}

// urlParse(input, base?) -> [href, ...offsets] | undefined (failure)
void UrlParse(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::string input;
  if (!ToUsvUtf8(isolate, args[0], &input)) return;
  std::optional<url::UrlRecord> base;
  if (args.Length() > 1 && !args[1]->IsUndefined()) {
    std::string base_input;
    if (!ToUsvUtf8(isolate, args[1], &base_input)) return;
    base = url::Parse(base_input, nullptr);
    if (!base) return;
  }
  std::optional<url::UrlRecord> record = url::Parse(input, base ? &*base : nullptr);
  if (!record) return;
  args.GetReturnValue().Set(ToJs(isolate, url::Serialize(*record)));
}

// urlSet(href, setter, value) -> [href, ...offsets]
void UrlSet(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::string href, value;
  if (!ToUsvUtf8(isolate, args[0], &href)) return;
  int setter = args[1]->Int32Value(isolate->GetCurrentContext()).FromMaybe(-1);
  if (setter < 0 || setter > static_cast<int>(url::Setter::kHash)) return;
  if (!ToUsvUtf8(isolate, args[2], &value)) return;
  std::optional<url::UrlRecord> record = url::Parse(href, nullptr);
  if (!record) return;
  // A setter keeps what the parser changed before it failed (the host setter's host survives a
  // bad port: "example.com:65536" changes the host only).
  url::ApplySetter(&*record, static_cast<url::Setter>(setter), value);
  args.GetReturnValue().Set(ToJs(isolate, url::Serialize(*record)));
}

v8::Local<v8::String> DecodeComponent(v8::Isolate* isolate, std::string_view raw) {
  std::string bytes;
  if (raw.find_first_of("+%") != std::string_view::npos) {
    bytes.reserve(raw.size());
    for (char c : raw)
      bytes.push_back(c == '+' ? ' ' : c);
    bytes = url::PercentDecode(bytes);
    raw = bytes;
  }
  uint8_t any = 0;
  for (char c : raw)
    any |= static_cast<uint8_t>(c);
  if (any < 0x80) return OneByteString(isolate, raw);
  // UTF-8 decode without BOM, invalid sequences becoming U+FFFD.
  std::u16string utf16;
  DecodeUtf8(reinterpret_cast<const uint8_t*>(raw.data()), raw.size(), false, false, &utf16);
  return v8::String::NewFromTwoByte(isolate, reinterpret_cast<const uint16_t*>(utf16.data()),
                                    v8::NewStringType::kNormal, static_cast<int>(utf16.size()))
      .ToLocalChecked();
}

// formDecode(string) -> [name, value, name, value, ...]
void FormDecode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::string input;
  if (!ToUsvUtf8(isolate, args[0], &input)) return;
  std::vector<v8::Local<v8::Value>> out;
  std::string_view rest(input);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view sequence = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (sequence.empty()) continue;
    size_t eq = sequence.find('=');
    std::string_view name = sequence.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : sequence.substr(eq + 1);
    out.push_back(DecodeComponent(isolate, name));
    out.push_back(DecodeComponent(isolate, value));
  }
  args.GetReturnValue().Set(v8::Array::New(isolate, out.data(), out.size()));
}

// formEncode([name, value, ...]) -> "name=value&..."
void FormEncode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  if (!args[0]->IsArray()) return;
  v8::Local<v8::Array> list = args[0].As<v8::Array>();
  std::string out, item;
  uint32_t length = list->Length();
  for (uint32_t i = 0; i < length; ++i) {
    v8::Local<v8::Value> v;
    if (!list->Get(context, i).ToLocal(&v) || !ToUsvUtf8(isolate, v, &item)) return;
    if (i > 0) out.push_back(i % 2 == 0 ? '&' : '=');
    url::AppendFormUrlencoded(item, &out);
  }
  args.GetReturnValue().Set(OneByteString(isolate, out));
}

}  // namespace

void AppendUrlNatives(std::vector<NativeFunction>* out) {
  out->push_back({"urlParse", UrlParse, 2});
  out->push_back({"urlSet", UrlSet, 3});
  out->push_back({"formDecode", FormDecode, 1});
  out->push_back({"formEncode", FormEncode, 1});
}

}  // namespace edgerun::bindings
