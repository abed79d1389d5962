// The base constructor of edgerun's Web IDL classes (internal.PlatformObject). Instances made
// through it are V8 "API objects" with an embedder field, which is what makes V8's
// ValueSerializer hand them to the embedder (structured_clone.cc) instead of copying their own
// properties: a platform object is either cloned by its registered serializer or refused with
// a DataCloneError, as HTML requires. JS classes extend it and then restore their prototype's
// parent (internal.platformClass in 00_internal.js).
//
// Adoption: V8 runs no JS while deserializing, so a cloned platform object starts as a bare
// placeholder; afterwards the builtin JS calls platformAdopt(placeholder) and constructs the
// real object, and the next PlatformObject construction returns the placeholder (with the
// constructing class's prototype) instead of a new object, so the class's private fields land
// on the object the clone's graph already points at.
#pragma once

#include <v8.h>

#include <cstdint>
#include <vector>

#include "bindings/native_registry.h"

namespace edgerun::bindings {

v8::MaybeLocal<v8::Function> NewPlatformObjectConstructor(v8::Local<v8::Context> context);

// The constructor's C++ callback, for the snapshot's external references.
intptr_t PlatformObjectCallbackAddress();

// platformAdopt(object | undefined)
void AppendPlatformObjectNatives(std::vector<NativeFunction>* out);

}  // namespace edgerun::bindings
