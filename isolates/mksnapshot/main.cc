// Build-time tool: runs edgerun's builtin JS (bindings/js) into a context and writes a V8
// startup snapshot of it. The build embeds the file in the binary (isolates/snapshot.h), so a
// worker isolate starts with every Web API already defined instead of compiling and running
// the builtins each time.
//
//   edgerun_mksnapshot OUT.bin
#include <libplatform/libplatform.h>
#include <v8.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "bindings/builtins.h"

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "edgerun_mksnapshot: %s\n", message.c_str());
  return 1;
}

// Runs requests through the dispatch path (sync and async handlers, headers, JSON and text
// bodies) so that V8 compiles those builtins now and the snapshot carries their bytecode: every
// worker's first request would otherwise compile them again, in its own isolate. Only natives
// that need no Host may run here (no console, timers or waitUntil).
bool WarmUp(v8::Isolate* isolate, v8::Local<v8::Context> context, v8::Local<v8::Function> dispatch,
            std::string* error) {
  v8::Context::Scope context_scope(context);
  v8::TryCatch try_catch(isolate);
  const char* handlers =
      "[(request, env, ctx) => {"
      "   request.headers.get('accept'); new Headers({a: '1'}).forEach(() => {});"
      "   return new Response('ok', {headers: {'content-type': 'text/plain'}});"
      " },"
      " async (request) => {"
      "   const body = await request.json();"
      "   return Response.json({echo: body, url: request.url, m: request.method}, {status: 201});"
      " },"
      " async (request) => new Response(new TextEncoder().encode(await request.text()))]";
  v8::Local<v8::Value> list;
  if (!v8::Script::Compile(context, v8::String::NewFromUtf8(isolate, handlers).ToLocalChecked())
           .ToLocalChecked()
           ->Run(context)
           .ToLocal(&list)) {
    *error = "warm-up handlers failed to compile";
    return false;
  }
  v8::Local<v8::Array> fns = list.As<v8::Array>();
  for (uint32_t round = 0; round < 3; ++round) {
    for (uint32_t i = 0; i < fns->Length(); ++i) {
      v8::Local<v8::Value> headers[] = {v8::String::NewFromUtf8Literal(isolate, "Host"),
                                        v8::String::NewFromUtf8Literal(isolate, "warm.up"),
                                        v8::String::NewFromUtf8Literal(isolate, "Accept"),
                                        v8::String::NewFromUtf8Literal(isolate, "*/*")};
      const char json[] = "{\"a\":[1,2,3]}";
      std::unique_ptr<v8::BackingStore> store =
          v8::ArrayBuffer::NewBackingStore(isolate, sizeof json - 1);
      std::memcpy(store->Data(), json, sizeof json - 1);
      v8::Local<v8::Value> body =
          i == 0 ? v8::Null(isolate).As<v8::Value>()
                 : v8::Uint8Array::New(v8::ArrayBuffer::New(isolate, std::move(store)), 0,
                                       sizeof json - 1)
                       .As<v8::Value>();
      v8::Local<v8::Value> args[] = {fns->Get(context, i).ToLocalChecked(),
                                     v8::Undefined(isolate),
                                     v8::String::NewFromUtf8Literal(isolate, "POST"),
                                     v8::String::NewFromUtf8Literal(isolate, "http://warm.up/x"),
                                     v8::Array::New(isolate, headers, 4),
                                     body,
                                     v8::Object::New(isolate),
                                     v8::Number::New(isolate, 0)};
      if (dispatch->Call(context, v8::Undefined(isolate), 8, args).IsEmpty()) {
        v8::String::Utf8Value message(isolate, try_catch.Exception());
        *error = std::string("warm-up request failed: ") + (*message ? *message : "?");
        return false;
      }
      isolate->PerformMicrotaskCheckpoint();
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace edgerun::bindings;
  if (argc != 2) return Fail("usage: edgerun_mksnapshot OUT.bin");
  std::unique_ptr<v8::Platform> platform = v8::platform::NewDefaultPlatform();
  // CreateBlob collects garbage several times, and each full GC ages the bytecode of functions
  // that did not run since: by the last one V8 had flushed the warm-up's code, and every worker
  // re-parsed and re-compiled dispatch, Request, Response... on its first request.
  v8::V8::SetFlagsFromString("--no-flush-bytecode");
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
      if (!WarmUp(isolate, context, handles[kDispatch], &error)) return Fail(error);
      // Every worker context calls it once (bindings/worker_context.cc); run here, it is
      // compiled here. (WebAssembly is not there yet, so it returns at once.)
      {
        v8::Context::Scope context_scope(context);
        if (handles[kInstallWasmStreaming]
                ->Call(context, v8::Undefined(isolate), 0, nullptr)
                .IsEmpty()) {
          return Fail("internal.installWasmStreaming failed");
        }
      }
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
