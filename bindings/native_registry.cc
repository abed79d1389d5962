#include "bindings/native_registry.h"

#include "bindings/platform_object.h"
#include "bindings/worker_context.h"

namespace edgerun::bindings {

const std::vector<NativeFunction>& AllNatives() {
  static const std::vector<NativeFunction> natives = [] {
    std::vector<NativeFunction> out;
    AppendArrayBufferNatives(&out);
    AppendAtobNatives(&out);
    AppendBase64Natives(&out);
    AppendBodyNatives(&out);
    AppendCompressionNatives(&out);
    AppendConsoleNatives(&out);
    AppendEncodingNatives(&out);
    AppendEsNatives(&out);
    AppendFetchNatives(&out);
    AppendPerformanceNatives(&out);
    AppendPlatformObjectNatives(&out);
    AppendStructuredCloneNatives(&out);
    AppendTimerNatives(&out);
    AppendCryptoNatives(&out);
    AppendUrlNatives(&out);
    AppendWasiNatives(&out);
    return out;
  }();
  return natives;
}

Host* HostOf(v8::Local<v8::Context> context) {
  return static_cast<Host*>(context->GetAlignedPointerFromEmbedderData(kHostEmbedderSlot));
}

}  // namespace edgerun::bindings
