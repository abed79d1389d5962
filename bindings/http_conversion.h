// Converting the runtime's HTTP messages to the arguments of internal.dispatch and its result
// back (see worker_context.h for the shapes).
#pragma once

#include <v8.h>

#include <string>
#include <string_view>

#include "bindings/http_types.h"

namespace edgerun::bindings {

// Fills args[0..3] = method, url, [name, value, ...], body: Uint8Array or null, or, for a body
// that is still arriving, `body_stream_id` (a number; see Host::ReadBody). Moves the body.
void MakeDispatchArgs(v8::Isolate* isolate, HttpRequest& request, std::string_view url,
                      uint32_t body_stream_id, v8::Local<v8::Value> args[4]);

// Reads a parts array. Returns false and sets *error if it is malformed (status out of range).
// A body JS streams is returned as its id in *body_stream_id (0: the body is in out->body).
bool ReadResponseParts(v8::Isolate* isolate, v8::Local<v8::Context> context,
                       v8::Local<v8::Value> parts, HttpResponse* out, uint32_t* body_stream_id,
                       std::string* error);

// A body chunk as body_chunk's second argument: Uint8Array (in memory counted against the
// worker, so it may fail with a RangeError pending: empty result), null, or the error string.
v8::MaybeLocal<v8::Value> BodyChunkToJs(v8::Isolate* isolate, const BodyChunk& chunk);

}  // namespace edgerun::bindings
