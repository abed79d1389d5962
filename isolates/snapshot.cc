#include "isolates/snapshot.h"

#include "bindings/builtins.h"

// Defined by the generated assembly file that .incbin's the snapshot (cmake/Snapshot.cmake).
extern "C" const char edgerun_snapshot_blob[];
extern "C" const char edgerun_snapshot_blob_end[];

namespace edgerun::isolates {

void UseStartupSnapshot(v8::Isolate::CreateParams* params) {
  static v8::StartupData blob = {
      edgerun_snapshot_blob, static_cast<int>(edgerun_snapshot_blob_end - edgerun_snapshot_blob)};
  params->snapshot_blob = &blob;
  params->external_references = bindings::ExternalReferences();
}

}  // namespace edgerun::isolates
