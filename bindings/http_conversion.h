// Converting the runtime's HTTP messages to the arguments of internal.dispatch and its result
// back (see worker_context.h for the shapes).
#pragma once

#include <v8.h>

#include <string>
#include <string_view>

#include "bindings/http_types.h"

namespace edgerun::bindings {

// Fills args[0..3] = method, url, [name, value, ...], body (Uint8Array or null). Moves the body.
void MakeDispatchArgs(v8::Isolate* isolate, HttpRequest& request, std::string_view url,
                      v8::Local<v8::Value> args[4]);

// Reads a parts array. Returns false and sets *error if it is malformed (status out of range).
bool ReadResponseParts(v8::Isolate* isolate, v8::Local<v8::Context> context,
                       v8::Local<v8::Value> parts, HttpResponse* out, std::string* error);

}  // namespace edgerun::bindings
