// One compression or decompression stream (Compression Streams Standard formats: deflate,
// deflate-raw, gzip, brotli) over zlib and libbrotli, fed chunk by chunk. No V8 here except the
// ArrayBuffer allocator: every byte zlib/brotli allocate is taken from the isolate's allocator, so
// it counts against the tenant's ArrayBuffer budget like any ArrayBuffer, and a refusal surfaces
// as kNoMemory (a RangeError in JS) instead of growing the process.
#pragma once

#include <v8.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace edgerun::bindings {

enum class CompressionFormat { kDeflate, kDeflateRaw, kGzip, kBrotli };

class CompressionCodec {
 public:
  enum class Status {
    kOk,
    kDataError,     // the compressed input is invalid
    kTrailingData,  // input continues after the end of the compressed stream
    kTruncated,     // the input ended before the compressed stream did
    kNoMemory,      // the allocator refused (or `emit` failed)
  };

  // Output is handed out in pieces of at most this many bytes, so one call never builds one
  // unbounded buffer.
  static constexpr size_t kMaxPiece = 64 * 1024;

  // Returns false to stop (its own error is then pending); Process returns kNoMemory.
  using Emit = std::function<bool(const uint8_t* data, size_t size)>;

  // Null when the allocator refused the codec's initial state. `allocator` must outlive the
  // codec (the isolate's allocator outlives every backing store of the isolate).
  static std::unique_ptr<CompressionCodec> Create(CompressionFormat format, bool decompress,
                                                  v8::ArrayBuffer::Allocator* allocator);

  virtual ~CompressionCodec() = default;

  // Consumes all of `data` and emits the output it yields; `finish` ends the stream (compression:
  // writes the trailer; decompression: kTruncated unless the compressed stream was complete).
  // Output emitted before an error is still emitted (the spec's readable side sees it first).
  virtual Status Process(const uint8_t* data, size_t size, bool finish, const Emit& emit) = 0;
};

}  // namespace edgerun::bindings
