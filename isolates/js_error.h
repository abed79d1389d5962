// Human-readable text for JS errors: compile errors as "file:line:column: message" with the
// source line and a caret, uncaught exceptions with their stack.
#pragma once

#include <v8.h>

#include <string>

namespace edgerun::isolates {

// For a failed compile/instantiate/evaluate caught by `try_catch`.
std::string FormatCompileError(v8::Isolate* isolate, v8::Local<v8::Context> context,
                               const v8::TryCatch& try_catch);

// For an exception thrown by worker code: the Error's stack if it has one, else the value and
// where it was thrown.
std::string FormatException(v8::Isolate* isolate, v8::Local<v8::Context> context,
                            v8::Local<v8::Value> exception, v8::Local<v8::Message> message);

}  // namespace edgerun::isolates
