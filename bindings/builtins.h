// Running edgerun's builtin JS (bindings/js) into a fresh context. This happens once, at build
// time, in the snapshot tool (isolates/mksnapshot); every worker context is then deserialized
// from the snapshot with the builtins already in place (see worker_context.h).
#pragma once

#include <v8.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace edgerun::bindings {

// The functions of the builtins that the embedder calls, in snapshot-data order: they are
// attached to the snapshot with SnapshotCreator::AddData in this order and read back with
// Context::GetDataFromSnapshotOnce(index).
enum ContextHandle : size_t {
  kDispatch = 0,
  kFireTimer = 1,
  kHasFetchListener = 2,
  kBodyChunk = 3,
  kPullBody = 4,
  kFetchDone = 5,
  kInstallWasmStreaming = 6,
  kWagiHandler = 7,
};
inline constexpr const char* kContextHandleNames[] = {
    "dispatch", "fireTimer", "hasFetchListener",     "bodyChunk",
    "pullBody", "fetchDone", "installWasmStreaming", "wagiHandler"};
inline constexpr size_t kContextHandleCount = 8;

// The index of the worker context among the snapshot's contexts (SnapshotCreator::AddContext).
inline constexpr size_t kWorkerContextSnapshotIndex = 0;

// Runs every builtin file in `context` with the internal binding object, and returns the
// functions named in kContextHandleNames in `handles`. On failure (a bug in the builtins)
// returns false and sets *error.
bool InstallBuiltins(v8::Local<v8::Context> context,
                     v8::Local<v8::Function> handles[kContextHandleCount], std::string* error);

// Null-terminated list of every C++ address the builtins' heap points at (the natives, and the
// resources of the builtins' external source strings), for SnapshotCreator and
// Isolate::CreateParams::external_references. Same order in both.
const intptr_t* ExternalReferences();

}  // namespace edgerun::bindings
