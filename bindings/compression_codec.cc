#include "bindings/compression_codec.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace edgerun::bindings {
namespace {

// Every block zlib/brotli allocate, behind a header that remembers its size and origin.
struct alignas(16) BlockHeader {
  size_t size;
  bool from_malloc;
};

struct Memory {
  v8::ArrayBuffer::Allocator* allocator;
  // libbrotli's encoder calls exit() when an allocation fails (BROTLI_ENCODER_EXIT_ON_OOM is
  // its default), so for it a refusal falls back to malloc, is remembered, and
  // the next Process() reports kNoMemory: at most one encoder step over the budget, never a
  // process exit.
  bool never_fail = false;
  bool refused = false;

  void* Allocate(size_t size) {
    size_t total = sizeof(BlockHeader) + size;
    void* block = allocator->AllocateUninitialized(total);
    bool from_malloc = false;
    if (block == nullptr) {
      refused = true;
      if (!never_fail) return nullptr;
      block = std::malloc(total);
      if (block == nullptr) std::abort();  // the whole process is out of memory
      from_malloc = true;
    }
    auto* header = static_cast<BlockHeader*>(block);
    header->size = total;
    header->from_malloc = from_malloc;
    return header + 1;
  }

  void Free(void* address) {
    if (address == nullptr) return;
    BlockHeader* header = static_cast<BlockHeader*>(address) - 1;
    if (header->from_malloc) {
      std::free(header);
    } else {
      allocator->Free(header, header->size);
    }
  }
};

void* ZAlloc(void* opaque, uInt items, uInt size) {
  return static_cast<Memory*>(opaque)->Allocate(static_cast<size_t>(items) * size);
}
void ZFree(void* opaque, void* address) {
  static_cast<Memory*>(opaque)->Free(address);
}
void* BrotliAlloc(void* opaque, size_t size) {
  return static_cast<Memory*>(opaque)->Allocate(size);
}
void BrotliFree(void* opaque, void* address) {
  static_cast<Memory*>(opaque)->Free(address);
}

// Output is produced here and copied out piece by piece; processing is synchronous on the
// isolate's thread, so one buffer per thread serves every stream.
uint8_t* Scratch() {
  static thread_local uint8_t scratch[CompressionCodec::kMaxPiece];
  return scratch;
}

using Status = CompressionCodec::Status;

class ZlibCodec final : public CompressionCodec {
 public:
  ZlibCodec(bool decompress, v8::ArrayBuffer::Allocator* allocator) : decompress_(decompress) {
    memory_.allocator = allocator;
  }
  ~ZlibCodec() override {
    if (!initialized_) return;
    if (decompress_) {
      inflateEnd(&stream_);
    } else {
      deflateEnd(&stream_);
    }
  }

  bool Init(int window_bits) {
    stream_.zalloc = ZAlloc;
    stream_.zfree = ZFree;
    stream_.opaque = &memory_;
    int result = decompress_ ? inflateInit2(&stream_, window_bits)
                             : deflateInit2(&stream_, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
                                            window_bits, 8, Z_DEFAULT_STRATEGY);
    initialized_ = result == Z_OK;
    return initialized_;
  }

  Status Process(const uint8_t* data, size_t size, bool finish, const Emit& emit) override {
    // avail_in is 32-bit: feed larger chunks in slices.
    constexpr size_t kSlice = 1u << 30;
    do {
      size_t slice = std::min(size, kSlice);
      size -= slice;
      Status status = decompress_ ? Inflate(data, slice, finish && size == 0, emit)
                                  : Deflate(data, slice, finish && size == 0, emit);
      if (status != Status::kOk) return status;
      data += slice;
    } while (size > 0);
    return Status::kOk;
  }

 private:
  Status Deflate(const uint8_t* data, size_t size, bool finish, const Emit& emit) {
    if (ended_) return Status::kOk;
    stream_.next_in = const_cast<Bytef*>(data);
    stream_.avail_in = static_cast<uInt>(size);
    for (;;) {
      uint8_t* out = Scratch();
      stream_.next_out = out;
      stream_.avail_out = kMaxPiece;
      int result = deflate(&stream_, finish ? Z_FINISH : Z_NO_FLUSH);
      size_t produced = kMaxPiece - stream_.avail_out;
      if (produced > 0 && !emit(out, produced)) return Status::kNoMemory;
      if (result == Z_MEM_ERROR || memory_.refused) return Status::kNoMemory;
      if (result == Z_STREAM_END) {
        ended_ = true;
        return Status::kOk;
      }
      if (result != Z_OK && result != Z_BUF_ERROR) return Status::kDataError;
      if (!finish && stream_.avail_in == 0 && stream_.avail_out != 0) return Status::kOk;
    }
  }

  Status Inflate(const uint8_t* data, size_t size, bool finish, const Emit& emit) {
    if (ended_) return size > 0 ? Status::kTrailingData : Status::kOk;
    stream_.next_in = const_cast<Bytef*>(data);
    stream_.avail_in = static_cast<uInt>(size);
    for (;;) {
      uint8_t* out = Scratch();
      stream_.next_out = out;
      stream_.avail_out = kMaxPiece;
      int result = inflate(&stream_, Z_NO_FLUSH);
      size_t produced = kMaxPiece - stream_.avail_out;
      if (produced > 0 && !emit(out, produced)) return Status::kNoMemory;
      if (result == Z_STREAM_END) {
        ended_ = true;
        return stream_.avail_in > 0 ? Status::kTrailingData : Status::kOk;
      }
      if (result == Z_MEM_ERROR) return Status::kNoMemory;
      if (result == Z_NEED_DICT || result == Z_DATA_ERROR || result == Z_STREAM_ERROR) {
        return Status::kDataError;
      }
      // Z_BUF_ERROR: no progress possible until more input arrives.
      if (result == Z_BUF_ERROR || (stream_.avail_in == 0 && stream_.avail_out != 0)) break;
    }
    return finish ? Status::kTruncated : Status::kOk;
  }

  const bool decompress_;
  bool initialized_ = false;
  bool ended_ = false;
  Memory memory_;
  z_stream stream_{};
};

class BrotliEncoder final : public CompressionCodec {
 public:
  explicit BrotliEncoder(v8::ArrayBuffer::Allocator* allocator) {
    memory_.allocator = allocator;
    memory_.never_fail = true;
    state_ = BrotliEncoderCreateInstance(BrotliAlloc, BrotliFree, &memory_);
    if (state_ == nullptr) return;
    // Quality 5, 256 KiB window, 64 KiB input blocks: ~3.5 MiB of encoder state at its peak
    // (measured with 16 KiB chunks), counted against the worker's budget. With the default 4 MiB
    // window the same quality peaks at ~34 MiB per stream, and 256 KiB blocks add ~2.5 MiB; on
    // our test data neither changed the compressed size by more than 1%.
    BrotliEncoderSetParameter(state_, BROTLI_PARAM_QUALITY, 5);
    BrotliEncoderSetParameter(state_, BROTLI_PARAM_LGWIN, 18);
    BrotliEncoderSetParameter(state_, BROTLI_PARAM_LGBLOCK, 16);
  }
  ~BrotliEncoder() override {
    if (state_ != nullptr) BrotliEncoderDestroyInstance(state_);
  }
  bool ok() const { return state_ != nullptr && !memory_.refused; }

  Status Process(const uint8_t* data, size_t size, bool finish, const Emit& emit) override {
    if (memory_.refused) return Status::kNoMemory;
    size_t avail_in = size;
    const uint8_t* next_in = data;
    for (;;) {
      uint8_t* out = Scratch();
      uint8_t* next_out = out;
      size_t avail_out = kMaxPiece;
      BROTLI_BOOL ok = BrotliEncoderCompressStream(
          state_, finish ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_PROCESS, &avail_in, &next_in,
          &avail_out, &next_out, nullptr);
      size_t produced = kMaxPiece - avail_out;
      if (produced > 0 && !emit(out, produced)) return Status::kNoMemory;
      if (memory_.refused) return Status::kNoMemory;
      if (!ok) return Status::kDataError;
      if (finish) {
        if (BrotliEncoderIsFinished(state_)) return Status::kOk;
      } else if (avail_in == 0 && !BrotliEncoderHasMoreOutput(state_)) {
        return Status::kOk;
      }
    }
  }

 private:
  Memory memory_;
  BrotliEncoderState* state_ = nullptr;
};

class BrotliDecoder final : public CompressionCodec {
 public:
  explicit BrotliDecoder(v8::ArrayBuffer::Allocator* allocator) {
    memory_.allocator = allocator;
    state_ = BrotliDecoderCreateInstance(BrotliAlloc, BrotliFree, &memory_);
  }
  ~BrotliDecoder() override {
    if (state_ != nullptr) BrotliDecoderDestroyInstance(state_);
  }
  bool ok() const { return state_ != nullptr; }

  Status Process(const uint8_t* data, size_t size, bool finish, const Emit& emit) override {
    if (ended_) return size > 0 ? Status::kTrailingData : Status::kOk;
    size_t avail_in = size;
    const uint8_t* next_in = data;
    for (;;) {
      uint8_t* out = Scratch();
      uint8_t* next_out = out;
      size_t avail_out = kMaxPiece;
      BrotliDecoderResult result = BrotliDecoderDecompressStream(state_, &avail_in, &next_in,
                                                                 &avail_out, &next_out, nullptr);
      size_t produced = kMaxPiece - avail_out;
      if (produced > 0 && !emit(out, produced)) return Status::kNoMemory;
      if (result == BROTLI_DECODER_RESULT_SUCCESS) {
        ended_ = true;
        return avail_in > 0 ? Status::kTrailingData : Status::kOk;
      }
      if (result == BROTLI_DECODER_RESULT_ERROR) {
        BrotliDecoderErrorCode code = BrotliDecoderGetErrorCode(state_);
        bool allocation = code <= BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES &&
                          code >= BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES;
        return allocation ? Status::kNoMemory : Status::kDataError;
      }
      if (result == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) break;
      // BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: go round with an empty buffer.
    }
    return finish ? Status::kTruncated : Status::kOk;
  }

 private:
  Memory memory_;
  BrotliDecoderState* state_ = nullptr;
  bool ended_ = false;
};

}  // namespace

std::unique_ptr<CompressionCodec> CompressionCodec::Create(CompressionFormat format,
                                                           bool decompress,
                                                           v8::ArrayBuffer::Allocator* allocator) {
  if (format == CompressionFormat::kBrotli) {
    if (decompress) {
      auto codec = std::make_unique<BrotliDecoder>(allocator);
      return codec->ok() ? std::move(codec) : nullptr;
    }
    auto codec = std::make_unique<BrotliEncoder>(allocator);
    return codec->ok() ? std::move(codec) : nullptr;
  }
  // zlib's windowBits: 15 = zlib wrapper (RFC 1950), -15 = raw deflate (RFC 1951),
  // 15 + 16 = gzip (RFC 1952) only.
  int window_bits = format == CompressionFormat::kDeflate      ? 15
                    : format == CompressionFormat::kDeflateRaw ? -15
                                                               : 15 + 16;
  auto codec = std::make_unique<ZlibCodec>(decompress, allocator);
  return codec->Init(window_bits) ? std::move(codec) : nullptr;
}

}  // namespace edgerun::bindings
