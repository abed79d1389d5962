#include "isolates/js_error.h"

#include "bindings/v8_util.h"

namespace edgerun::isolates {
namespace {

using bindings::ToUtf8;

std::string Location(v8::Isolate* isolate, v8::Local<v8::Context> context,
                     v8::Local<v8::Message> message) {
  std::string file = ToUtf8(isolate, message->GetScriptResourceName());
  int line = message->GetLineNumber(context).FromMaybe(0);
  int column = message->GetStartColumn(context).FromMaybe(0) + 1;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

std::string FormatCompileError(v8::Isolate* isolate, v8::Local<v8::Context> context,
                               const v8::TryCatch& try_catch) {
  if (try_catch.HasTerminated()) return "execution was terminated";
  v8::Local<v8::Message> message = try_catch.Message();
  std::string text = ToUtf8(isolate, try_catch.Exception());
  if (message.IsEmpty()) return text;
  std::string out = Location(isolate, context, message) + ": " + text;
  v8::Local<v8::String> source_line;
  if (message->GetSourceLine(context).ToLocal(&source_line)) {
    std::string line = ToUtf8(isolate, source_line);
    int start = message->GetStartColumn(context).FromMaybe(0);
    int end = message->GetEndColumn(context).FromMaybe(start + 1);
    if (!line.empty() && line.size() < 300 && start >= 0 &&
        start <= static_cast<int>(line.size())) {
      out += "\n    " + line + "\n    " + std::string(start, ' ') +
             std::string(std::max(1, std::min(end, static_cast<int>(line.size())) - start), '^');
    }
  }
  return out;
}

std::string FormatException(v8::Isolate* isolate, v8::Local<v8::Context> context,
                            v8::Local<v8::Value> exception, v8::Local<v8::Message> message) {
  if (exception->IsObject() && exception->IsNativeError()) {
    v8::Local<v8::Value> stack;
    if (exception.As<v8::Object>()
            ->Get(context, bindings::OneByteString(isolate, "stack"))
            .ToLocal(&stack) &&
        stack->IsString()) {
      return ToUtf8(isolate, stack);
    }
  }
  std::string out = ToUtf8(isolate, exception);
  if (!message.IsEmpty()) out += "\n    at " + Location(isolate, context, message);
  return out;
}

}  // namespace edgerun::isolates
