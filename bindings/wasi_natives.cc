// The V8 glue of the WASI host (wasi_host.h). A WASI object's state lives in C++ behind a
// private ArrayBuffer handle (its backing-store deleter destroys the state, so it goes with the
// WASI object or the isolate). The import functions are these natives bound by 46_wasi.js to a
// `[handle, memory]` pair: wasm calls them directly, and each call takes the memory's current
// backing store (memory.grow replaces it) and checks every guest pointer against its length.
#include <cstring>
#include <memory>

#include "bindings/array_buffer_alloc.h"
#include "bindings/native_registry.h"
#include "bindings/v8_util.h"
#include "bindings/wasi_host.h"

namespace edgerun::bindings {
namespace {

using wasi::GuestMemory;
using wasi::WasiHost;

struct WasiHandle {
  static constexpr uint64_t kMagic = 0x65646765'77617369;  // "edgewasi"
  uint64_t magic = kMagic;
  std::unique_ptr<WasiHost> host;
};

void DeleteHandle(void* data, size_t, void*) {
  delete static_cast<WasiHandle*>(data);
}

WasiHost* HostFromHandle(v8::Local<v8::Value> value) {
  if (!value->IsArrayBuffer()) return nullptr;
  std::shared_ptr<v8::BackingStore> store = value.As<v8::ArrayBuffer>()->GetBackingStore();
  if (store->ByteLength() != sizeof(WasiHandle) || store->Data() == nullptr) return nullptr;
  auto* handle = static_cast<WasiHandle*>(store->Data());
  return handle->magic == WasiHandle::kMagic ? handle->host.get() : nullptr;
}

// What one import call works on: the host and the guest memory (empty before start()).
struct Call {
  v8::Isolate* isolate;
  v8::Local<v8::Context> context;
  WasiHost* host = nullptr;
  std::shared_ptr<v8::BackingStore> store;  // keeps the memory alive during the call
  GuestMemory memory{nullptr, 0};
};

bool Begin(const v8::FunctionCallbackInfo<v8::Value>& args, Call* call) {
  call->isolate = args.GetIsolate();
  call->context = call->isolate->GetCurrentContext();
  if (!args[0]->IsArray()) return false;
  v8::Local<v8::Array> pair = args[0].As<v8::Array>();
  v8::Local<v8::Value> handle, memory;
  if (!pair->Get(call->context, 0).ToLocal(&handle) ||
      !pair->Get(call->context, 1).ToLocal(&memory)) {
    return false;
  }
  call->host = HostFromHandle(handle);
  if (call->host == nullptr) return false;
  if (memory->IsWasmMemoryObject()) {
    call->store = memory.As<v8::WasmMemoryObject>()->Buffer()->GetBackingStore();
    call->memory =
        GuestMemory(static_cast<uint8_t*>(call->store->Data()), call->store->ByteLength());
  }
  return true;
}

// Argument i (after the bound pair) as wasm passed it: i32 as a Number, i64 as a BigInt.
uint32_t U32(const v8::FunctionCallbackInfo<v8::Value>& args, int i, const Call& call) {
  v8::Local<v8::Value> v = args[i + 1];
  if (v->IsInt32()) return static_cast<uint32_t>(v.As<v8::Int32>()->Value());
  return v->Uint32Value(call.context).FromMaybe(0);
}

uint64_t U64(const v8::FunctionCallbackInfo<v8::Value>& args, int i, const Call&) {
  v8::Local<v8::Value> v = args[i + 1];
  if (v->IsBigInt()) return v.As<v8::BigInt>()->Uint64Value();
  if (v->IsNumber()) return static_cast<uint64_t>(v.As<v8::Number>()->Value());
  return 0;
}

void Return(const v8::FunctionCallbackInfo<v8::Value>& args, uint16_t errno_value) {
  args.GetReturnValue().Set(static_cast<int32_t>(errno_value));
}

#define WASI_NATIVE(name, expr)                                          \
  void name(const v8::FunctionCallbackInfo<v8::Value>& args) {           \
    Call call;                                                           \
    if (!Begin(args, &call)) {                                           \
      ThrowTypeError(args.GetIsolate(), "WASI: not a WASI import call"); \
      return;                                                            \
    }                                                                    \
    const GuestMemory& m = call.memory;                                  \
    WasiHost& h = *call.host;                                            \
    static_cast<void>(m);                                                \
    Return(args, (expr));                                                \
  }

#define A32(i) U32(args, i, call)
#define A64(i) U64(args, i, call)

WASI_NATIVE(ArgsGet, h.ArgsGet(m, A32(0), A32(1)))
WASI_NATIVE(ArgsSizesGet, h.ArgsSizesGet(m, A32(0), A32(1)))
WASI_NATIVE(EnvironGet, h.EnvironGet(m, A32(0), A32(1)))
WASI_NATIVE(EnvironSizesGet, h.EnvironSizesGet(m, A32(0), A32(1)))
WASI_NATIVE(ClockResGet, h.ClockResGet(m, A32(0), A32(1)))
WASI_NATIVE(ClockTimeGet, h.ClockTimeGet(m, A32(0), A64(1), A32(2)))
WASI_NATIVE(RandomGet, h.RandomGet(m, A32(0), A32(1)))
WASI_NATIVE(FdRead, h.FdRead(m, A32(0), A32(1), A32(2), A32(3)))
WASI_NATIVE(FdPread, h.FdPread(m, A32(0), A32(1), A32(2), A64(3), A32(4)))
WASI_NATIVE(FdSeek, h.FdSeek(m, A32(0), static_cast<int64_t>(A64(1)), A32(2), A32(3)))
WASI_NATIVE(FdTell, h.FdTell(m, A32(0), A32(1)))
WASI_NATIVE(FdClose, h.FdClose(A32(0)))
WASI_NATIVE(FdFdstatGet, h.FdFdstatGet(m, A32(0), A32(1)))
WASI_NATIVE(FdFdstatSetFlags, h.FdFdstatSetFlags(A32(0), A32(1)))
WASI_NATIVE(FdFilestatGet, h.FdFilestatGet(m, A32(0), A32(1)))
WASI_NATIVE(FdPrestatGet, h.FdPrestatGet(m, A32(0), A32(1)))
WASI_NATIVE(FdPrestatDirName, h.FdPrestatDirName(m, A32(0), A32(1), A32(2)))
WASI_NATIVE(PathOpen,
            h.PathOpen(m, A32(0), A32(1), A32(2), A32(3), A32(4), A64(5), A64(6), A32(7), A32(8)))
WASI_NATIVE(PathFilestatGet, h.PathFilestatGet(m, A32(0), A32(1), A32(2), A32(3), A32(4)))
WASI_NATIVE(FdReaddir, h.FdReaddir(m, A32(0), A32(1), A32(2), A64(3), A32(4)))
WASI_NATIVE(PollOneoff, h.PollOneoff(m, A32(0), A32(1), A32(2), A32(3)))
WASI_NATIVE(SchedYield, (static_cast<void>(h), static_cast<void>(m), wasi::kSuccess))

// fd_write: past the output cap the guest is stopped with a RangeError rather than left to
// spin on failing writes.
void FdWrite(const v8::FunctionCallbackInfo<v8::Value>& args) {
  Call call;
  if (!Begin(args, &call)) {
    ThrowTypeError(args.GetIsolate(), "WASI: not a WASI import call");
    return;
  }
  uint32_t fd = A32(0);
  uint16_t result = call.host->FdWrite(call.memory, fd, A32(1), A32(2), A32(3));
  if (result == wasi::kFbig && call.host->output_overflowed()) {
    ThrowRangeError(call.isolate, std::string("WASI: the program wrote more than ") +
                                      std::to_string(call.host->output_limit() >> 20) + " MiB to " +
                                      (fd == 2 ? "stderr" : "stdout") +
                                      " without it being read; output is capped");
    return;
  }
  Return(args, result);
}

// proc_exit(code): records the code and unwinds the guest with an exception that start()
// recognizes by asking wasiExitCode.
void ProcExit(const v8::FunctionCallbackInfo<v8::Value>& args) {
  Call call;
  if (!Begin(args, &call)) {
    ThrowTypeError(args.GetIsolate(), "WASI: not a WASI import call");
    return;
  }
  uint32_t code = A32(0);
  call.host->ProcExit(code);
  call.isolate->ThrowException(v8::Exception::Error(
      Utf8String(call.isolate, "WASI: the program exited with code " + std::to_string(code))));
}

#undef A32
#undef A64
#undef WASI_NATIVE

bool StringList(v8::Local<v8::Context> context, v8::Local<v8::Value> value,
                std::vector<std::string>* out) {
  if (!value->IsArray()) return false;
  v8::Local<v8::Array> array = value.As<v8::Array>();
  for (uint32_t i = 0; i < array->Length(); i++) {
    v8::Local<v8::Value> item;
    if (!array->Get(context, i).ToLocal(&item) || !item->IsString()) return false;
    out->push_back(ToUtf8(context->GetIsolate(), item));
  }
  return true;
}

// wasiCreate(args: string[], env: string[] ("K=V"), stdin: Uint8Array | undefined) -> handle
// The worker's configured preopens come from the Host; JS cannot choose them.
void WasiCreate(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  wasi::Options options;
  if (!StringList(context, args[0], &options.args) || !StringList(context, args[1], &options.env)) {
    ThrowTypeError(isolate, "wasiCreate: args and env must be arrays of strings");
    return;
  }
  if (args[2]->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> view = args[2].As<v8::ArrayBufferView>();
    options.stdin_bytes.resize(view->ByteLength());
    view->CopyContents(options.stdin_bytes.data(), options.stdin_bytes.size());
  }
  if (Host* host = HostOf(context)) options.preopens = host->WasiPreopens();
  auto handle = std::make_unique<WasiHandle>();
  handle->host = std::make_unique<WasiHost>(std::move(options));
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
      handle.release(), sizeof(WasiHandle), &DeleteHandle, nullptr);
  args.GetReturnValue().Set(v8::ArrayBuffer::New(isolate, std::move(store)));
}

// wasiOutput(handle, fd: 1 | 2, take: boolean) -> Uint8Array of what the guest wrote (taken
// away when `take`, so a stream can drain it)
void WasiOutput(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  WasiHost* host = HostFromHandle(args[0]);
  if (host == nullptr) {
    ThrowTypeError(isolate, "wasiOutput: not a WASI handle");
    return;
  }
  int fd = args[1]->Int32Value(isolate->GetCurrentContext()).FromMaybe(1);
  std::string& bytes = host->output(fd);
  v8::Local<v8::ArrayBuffer> buffer;
  if (!NewArrayBufferUninitialized(isolate, bytes.size()).ToLocal(&buffer)) return;
  if (!bytes.empty()) std::memcpy(buffer->GetBackingStore()->Data(), bytes.data(), bytes.size());
  size_t size = bytes.size();
  if (args[2]->BooleanValue(isolate)) bytes.clear();
  args.GetReturnValue().Set(v8::Uint8Array::New(buffer, 0, size));
}

// wasiExitCode(handle) -> the code given to proc_exit, or -1 while it has not been called
void WasiExitCode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  WasiHost* host = HostFromHandle(args[0]);
  if (host == nullptr) {
    ThrowTypeError(args.GetIsolate(), "wasiExitCode: not a WASI handle");
    return;
  }
  args.GetReturnValue().Set(host->exited() ? static_cast<double>(host->exit_code()) : -1.0);
}

// wasiFunctionNames() -> every wasi_snapshot_preview1 import name
void WasiFunctionNames(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Array> names = v8::Array::New(isolate, wasi::kPreview1FunctionCount);
  for (size_t i = 0; i < wasi::kPreview1FunctionCount; i++) {
    names
        ->Set(isolate->GetCurrentContext(), static_cast<uint32_t>(i),
              OneByteString(isolate, wasi::kPreview1Functions[i]))
        .Check();
  }
  args.GetReturnValue().Set(names);
}

}  // namespace

void AppendWasiNatives(std::vector<NativeFunction>* out) {
  out->push_back({"wasiCreate", WasiCreate, 3});
  out->push_back({"wasiOutput", WasiOutput, 3});
  out->push_back({"wasiExitCode", WasiExitCode, 1});
  out->push_back({"wasiFunctionNames", WasiFunctionNames, 0});
  // The import functions, named wasi_<preview1 name>; the JS binds the first argument.
  out->push_back({"wasi_args_get", ArgsGet, 3});
  out->push_back({"wasi_args_sizes_get", ArgsSizesGet, 3});
  out->push_back({"wasi_environ_get", EnvironGet, 3});
  out->push_back({"wasi_environ_sizes_get", EnvironSizesGet, 3});
  out->push_back({"wasi_clock_res_get", ClockResGet, 3});
  out->push_back({"wasi_clock_time_get", ClockTimeGet, 4});
  out->push_back({"wasi_random_get", RandomGet, 3});
  out->push_back({"wasi_fd_write", FdWrite, 5});
  out->push_back({"wasi_fd_read", FdRead, 5});
  out->push_back({"wasi_fd_pread", FdPread, 6});
  out->push_back({"wasi_fd_seek", FdSeek, 5});
  out->push_back({"wasi_fd_tell", FdTell, 3});
  out->push_back({"wasi_fd_close", FdClose, 2});
  out->push_back({"wasi_fd_fdstat_get", FdFdstatGet, 3});
  out->push_back({"wasi_fd_fdstat_set_flags", FdFdstatSetFlags, 3});
  out->push_back({"wasi_fd_filestat_get", FdFilestatGet, 3});
  out->push_back({"wasi_fd_prestat_get", FdPrestatGet, 3});
  out->push_back({"wasi_fd_prestat_dir_name", FdPrestatDirName, 4});
  out->push_back({"wasi_path_open", PathOpen, 10});
  out->push_back({"wasi_path_filestat_get", PathFilestatGet, 6});
  out->push_back({"wasi_fd_readdir", FdReaddir, 6});
  out->push_back({"wasi_poll_oneoff", PollOneoff, 5});
  out->push_back({"wasi_sched_yield", SchedYield, 1});
  out->push_back({"wasi_proc_exit", ProcExit, 2});
}

}  // namespace edgerun::bindings
