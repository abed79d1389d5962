// The V8 startup snapshot built by isolates/mksnapshot at build time and embedded in the binary
// (cmake/Snapshot.cmake). Every worker isolate is created from it.
#pragma once

#include <v8.h>

namespace edgerun::isolates {

// Set on CreateParams: the embedded snapshot and the matching external references.
void UseStartupSnapshot(v8::Isolate::CreateParams* params);

}  // namespace edgerun::isolates
