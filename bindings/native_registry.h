// Every C++ function the builtin JS can call, by name. The same table installs the functions on
// the internal binding object and (later) lists the external references of the startup snapshot,
// so a native can never be installed without being listed.
#pragma once

#include <v8.h>

#include <vector>

#include "bindings/host.h"

namespace edgerun::bindings {

struct NativeFunction {
  const char* name;
  v8::FunctionCallback callback;
  int length = 0;  // JS-visible arity
};

// All natives, in a stable order.
const std::vector<NativeFunction>& AllNatives();

// Per-group tables (one file each), concatenated by AllNatives().
void AppendArrayBufferNatives(std::vector<NativeFunction>* out);
void AppendAtobNatives(std::vector<NativeFunction>* out);
void AppendBase64Natives(std::vector<NativeFunction>* out);
void AppendBodyNatives(std::vector<NativeFunction>* out);
void AppendCompressionNatives(std::vector<NativeFunction>* out);
void AppendConsoleNatives(std::vector<NativeFunction>* out);
void AppendEncodingNatives(std::vector<NativeFunction>* out);
void AppendEsNatives(std::vector<NativeFunction>* out);
void AppendFetchNatives(std::vector<NativeFunction>* out);
void AppendPerformanceNatives(std::vector<NativeFunction>* out);
void AppendStructuredCloneNatives(std::vector<NativeFunction>* out);
void AppendTimerNatives(std::vector<NativeFunction>* out);
void AppendCryptoNatives(std::vector<NativeFunction>* out);  // crypto_natives.cc
void AppendUrlNatives(std::vector<NativeFunction>* out);
void AppendWasiNatives(std::vector<NativeFunction>* out);

// The Host of the context a native was called in (set when the context was created).
Host* HostOf(v8::Local<v8::Context> context);
inline Host* HostOf(const v8::FunctionCallbackInfo<v8::Value>& args) {
  return HostOf(args.GetIsolate()->GetCurrentContext());
}

}  // namespace edgerun::bindings
