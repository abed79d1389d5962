// Build-time tool: runs edgerun's builtin JS (bindings/js) into a context and writes a V8
// startup snapshot of it. The build embeds the file in the binary (isolates/snapshot.h), so a
// worker isolate starts with every Web API already defined instead of compiling and running
// the builtins each time.
//
//   edgerun_mksnapshot OUT.bin
#include <libplatform/libplatform.h>
#include <v8.h>

#include <cstdio>
#include <memory>
#include <string>

#include "bindings/builtins.h"

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "edgerun_mksnapshot: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace edgerun::bindings;
  if (argc != 2) return Fail("usage: edgerun_mksnapshot OUT.bin");
  std::unique_ptr<v8::Platform> platform = v8::platform::NewDefaultPlatform();
  v8::V8::InitializePlatform(platform.get());
  v8::V8::Initialize();
  int status = 0;
  {
    v8::SnapshotCreator creator(ExternalReferences());
    v8::Isolate* isolate = creator.GetIsolate();
    {
      v8::HandleScope handle_scope(isolate);
      creator.SetDefaultContext(v8::Context::New(isolate));
      v8::Local<v8::Context> context = v8::Context::New(isolate);
      v8::Local<v8::Function> handles[kContextHandleCount];
      std::string error;
      if (!InstallBuiltins(context, handles, &error)) return Fail(error);
      if (creator.AddContext(context) != kWorkerContextSnapshotIndex) {
        return Fail("unexpected context index");
      }
      for (size_t i = 0; i < kContextHandleCount; ++i) {
        if (creator.AddData(context, handles[i]) != i) return Fail("unexpected data index");
      }
    }
    // kKeep: the builtins' compiled code is kept, so workers don't recompile it on first use.
    v8::StartupData blob = creator.CreateBlob(v8::SnapshotCreator::FunctionCodeHandling::kKeep);
    if (blob.data == nullptr || blob.raw_size <= 0) return Fail("CreateBlob failed");
    std::FILE* out = std::fopen(argv[1], "wb");
    if (out == nullptr ||
        std::fwrite(blob.data, 1, static_cast<size_t>(blob.raw_size), out) !=
            static_cast<size_t>(blob.raw_size) ||
        std::fclose(out) != 0) {
      status = Fail(std::string("cannot write ") + argv[1]);
    }
    delete[] blob.data;
  }
  v8::V8::Dispose();
  v8::V8::DisposePlatform();
  return status;
}
