// Each decoder is the spec's "handler" for one byte (or end-of-queue), run by the spec's "process
// a queue" loop. Steps are numbered as in https://encoding.spec.whatwg.org/ so they can be checked
// against it.
#include "bindings/text_decoder.h"

#include <initializer_list>

#include "bindings/encoding_indexes.h"

namespace edgerun::bindings::encoding {
namespace {

constexpr int kEndOfQueue = -1;
constexpr int kNeedMore = -2;  // input used up but the stream goes on: keep the state

// The input plus the bytes that handlers "prepend to the stream" (at most 3 at a time, some of
// them from an earlier chunk, so they cannot be a rewind of the input position).
class ByteQueue {
 public:
  ByteQueue(const uint8_t* data, size_t size, bool flush)
      : data_(data), size_(size), flush_(flush) {}

  int Read() {
    if (pre_pos_ < pre_len_) return pre_[pre_pos_++];
    if (pos_ < size_) return data_[pos_++];
    return flush_ ? kEndOfQueue : kNeedMore;
  }

  void Prepend(std::initializer_list<int> bytes) {
    uint8_t merged[sizeof(pre_)] = {};
    size_t n = 0;
    for (int b : bytes)
      merged[n++] = static_cast<uint8_t>(b);
    for (size_t i = pre_pos_; i < pre_len_; ++i)
      merged[n++] = pre_[i];
    for (size_t i = 0; i < n; ++i)
      pre_[i] = merged[i];
    pre_pos_ = 0;
    pre_len_ = n;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  bool flush_;
  uint8_t pre_[8] = {};
  size_t pre_pos_ = 0;
  size_t pre_len_ = 0;
};

enum class Result { kContinue, kError, kFinished };

class Output {
 public:
  explicit Output(std::u16string* out) : out_(out) {}
  Result Emit(uint32_t cp) {
    if (cp < 0x10000) {
      out_->push_back(static_cast<char16_t>(cp));
    } else {
      cp -= 0x10000;
      out_->push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out_->push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    }
    return Result::kContinue;
  }
  std::u16string* out_;
};

bool InRange(int b, int lo, int hi) {
  return b >= lo && b <= hi;
}
bool IsAscii(int b) {
  return b >= 0 && b < 0x80;
}

// Index lookups: 0 is "null" (no code point).
template <typename T>
uint32_t IndexCodePoint(const T* index, size_t size, long pointer) {
  return pointer >= 0 && static_cast<size_t>(pointer) < size ? index[pointer] : 0;
}

// The spec's "process a queue" loop around `handler(byte, queue, output)`.
template <typename Handler>
bool Run(ByteQueue& queue, bool fatal, std::u16string* out, Handler handler) {
  Output output(out);
  for (;;) {
    int byte = queue.Read();
    if (byte == kNeedMore) return true;
    Result r = handler(byte, queue, output);
    if (r == Result::kFinished) return true;
    if (r == Result::kError) {
      if (fatal) return false;
      out->push_back(u'\uFFFD');
    }
  }
}

// Single-byte decoders keep no state and never prepend: a table lookup per byte, no queue.
bool DecodeSingleByte(const uint16_t* index, const uint8_t* data, size_t size, bool fatal,
                      std::u16string* out) {
  size_t start = out->size();
  out->resize(start + size);
  char16_t* p = out->data() + start;
  for (size_t i = 0; i < size; ++i) {
    uint8_t byte = data[i];
    uint16_t cp = byte < 0x80 ? byte : index[byte - 0x80];
    if (cp == 0 && byte != 0) {
      if (fatal) return false;
      cp = 0xFFFD;
    }
    p[i] = static_cast<char16_t>(cp);
  }
  return true;
}

void DecodeXUserDefined(const uint8_t* data, size_t size, std::u16string* out) {
  size_t start = out->size();
  out->resize(start + size);
  char16_t* p = out->data() + start;
  for (size_t i = 0; i < size; ++i)
    p[i] = static_cast<char16_t>(data[i] < 0x80 ? data[i] : 0xF780 + data[i] - 0x80);
}

// State: a = UTF-16 lead byte (0x100 | byte, or 0), b = UTF-16 lead surrogate (or 0).
bool DecodeUtf16(bool big_endian, DecoderState* s, ByteQueue& q, bool fatal, std::u16string* out) {
  return Run(q, fatal, out, [s, big_endian](int byte, ByteQueue& queue, Output& o) {
    if (byte == kEndOfQueue) {  // 1-2
      if (s->a != 0 || s->b != 0) {
        s->a = s->b = 0;
        return Result::kError;
      }
      return Result::kFinished;
    }
    if (s->a == 0) {  // 3
      s->a = 0x100 | static_cast<uint32_t>(byte);
      return Result::kContinue;
    }
    uint32_t lead = s->a & 0xFF;  // 4
    uint32_t unit = big_endian ? (lead << 8) + byte : (static_cast<uint32_t>(byte) << 8) + lead;
    s->a = 0;
    if (s->b != 0) {  // 5
      uint32_t lead_surrogate = s->b;
      s->b = 0;
      if (InRange(unit, 0xDC00, 0xDFFF)) {
        return o.Emit(0x10000 + ((lead_surrogate - 0xD800) << 10) + (unit - 0xDC00));
      }
      int byte1 = unit >> 8;
      int byte2 = unit & 0xFF;
      if (big_endian) {
        queue.Prepend({byte1, byte2});
      } else {
        queue.Prepend({byte2, byte1});
      }
      return Result::kError;
    }
    if (InRange(unit, 0xD800, 0xDBFF)) {  // 6
      s->b = unit;
      return Result::kContinue;
    }
    if (InRange(unit, 0xDC00, 0xDFFF)) return Result::kError;  // 7
    return o.Emit(unit);                                       // 8
  });
}

// index gb18030 ranges code point; 0 for null.
uint32_t Gb18030RangesCodePoint(uint32_t pointer) {
  if ((pointer > 39419 && pointer < 189000) || pointer > 1237575) return 0;
  if (pointer == 7457) return 0xE7C7;
  size_t pairs = kGb18030RangesSize / 2;
  // Last range whose pointer is <= `pointer` (the first range starts at 0).
  size_t lo = 0, hi = pairs;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (kGb18030Ranges[mid * 2] <= pointer) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return kGb18030Ranges[lo * 2 + 1] + pointer - kGb18030Ranges[lo * 2];
}

// State: a, b, c = gb18030 first, second, third (0x00 when unset).
bool DecodeGb18030(DecoderState* s, ByteQueue& q, bool fatal, std::u16string* out) {
  return Run(q, fatal, out, [s](int byte, ByteQueue& queue, Output& o) {
    uint32_t& first = s->a;
    uint32_t& second = s->b;
    uint32_t& third = s->c;
    if (byte == kEndOfQueue) {  // 1-2
      if (first == 0 && second == 0 && third == 0) return Result::kFinished;
      first = second = third = 0;
      return Result::kError;
    }
    if (third != 0) {  // 3
      if (!InRange(byte, 0x30, 0x39)) {
        queue.Prepend({static_cast<int>(second), static_cast<int>(third), byte});
        first = second = third = 0;
        return Result::kError;
      }
      uint32_t cp = Gb18030RangesCodePoint(((first - 0x81) * (10 * 126 * 10)) +
                                           ((second - 0x30) * (10 * 126)) + ((third - 0x81) * 10) +
                                           byte - 0x30);
      first = second = third = 0;
      return cp == 0 ? Result::kError : o.Emit(cp);
    }
    if (second != 0) {  // 4
      if (InRange(byte, 0x81, 0xFE)) {
        third = byte;
        return Result::kContinue;
      }
      queue.Prepend({static_cast<int>(second), byte});
      first = second = 0;
      return Result::kError;
    }
    if (first != 0) {  // 5
      if (InRange(byte, 0x30, 0x39)) {
        second = byte;
        return Result::kContinue;
      }
      long lead = first;
      long pointer = -1;
      first = 0;
      int offset = byte < 0x7F ? 0x40 : 0x41;
      if (InRange(byte, 0x40, 0x7E) || InRange(byte, 0x80, 0xFE)) {
        pointer = (lead - 0x81) * 190 + (byte - offset);
      }
      uint32_t cp = IndexCodePoint(kIndexGb18030, kIndexGb18030Size, pointer);
      if (cp != 0) return o.Emit(cp);
      if (IsAscii(byte)) queue.Prepend({byte});
      return Result::kError;
    }
    if (IsAscii(byte)) return o.Emit(byte);   // 6
    if (byte == 0x80) return o.Emit(0x20AC);  // 7
    if (InRange(byte, 0x81, 0xFE)) {          // 8
      first = byte;
      return Result::kContinue;
    }
    return Result::kError;  // 9
  });
}

// State: a = Big5 lead.
bool DecodeBig5(DecoderState* s, ByteQueue& q, bool fatal, std::u16string* out) {
  return Run(q, fatal, out, [s](int byte, ByteQueue& queue, Output& o) {
    if (byte == kEndOfQueue) {  // 1-2
      if (s->a == 0) return Result::kFinished;
      s->a = 0;
      return Result::kError;
    }
    if (s->a != 0) {  // 3
      long lead = s->a;
      long pointer = -1;
      s->a = 0;
      int offset = byte < 0x7F ? 0x40 : 0x62;
      if (InRange(byte, 0x40, 0x7E) || InRange(byte, 0xA1, 0xFE)) {
        pointer = (lead - 0x81) * 157 + (byte - offset);
      }
      switch (pointer) {  // code points that are two code points
        case 1133:
          o.Emit(0x00CA);
          return o.Emit(0x0304);
        case 1135:
          o.Emit(0x00CA);
          return o.Emit(0x030C);
        case 1164:
          o.Emit(0x00EA);
          return o.Emit(0x0304);
        case 1166:
          o.Emit(0x00EA);
          return o.Emit(0x030C);
        default:
          break;
      }
      uint32_t cp = IndexCodePoint(kIndexBig5, kIndexBig5Size, pointer);
      if (cp != 0) return o.Emit(cp);
      if (IsAscii(byte)) queue.Prepend({byte});
      return Result::kError;
    }
    if (IsAscii(byte)) return o.Emit(byte);  // 4
    if (InRange(byte, 0x81, 0xFE)) {         // 5
      s->a = byte;
      return Result::kContinue;
    }
    return Result::kError;  // 6
  });
}

// State: a = EUC-JP lead, b = jis0212 flag.
bool DecodeEucJp(DecoderState* s, ByteQueue& q, bool fatal, std::u16string* out) {
  return Run(q, fatal, out, [s](int byte, ByteQueue& queue, Output& o) {
    if (byte == kEndOfQueue) {  // 1-2
      if (s->a == 0) return Result::kFinished;
      s->a = 0;
      return Result::kError;
    }
    if (s->a == 0x8E && InRange(byte, 0xA1, 0xDF)) {  // 3
      s->a = 0;
      return o.Emit(0xFF61 - 0xA1 + byte);
    }
    if (s->a == 0x8F && InRange(byte, 0xA1, 0xFE)) {  // 4
      s->b = 1;
      s->a = byte;
      return Result::kContinue;
    }
    if (s->a != 0) {  // 5
      long lead = s->a;
      s->a = 0;
      uint32_t cp = 0;
      if (InRange(lead, 0xA1, 0xFE) && InRange(byte, 0xA1, 0xFE)) {
        long pointer = (lead - 0xA1) * 94 + byte - 0xA1;
        cp = s->b == 0 ? IndexCodePoint(kIndexJis0208, kIndexJis0208Size, pointer)
                       : IndexCodePoint(kIndexJis0212, kIndexJis0212Size, pointer);
      }
      s->b = 0;
      if (cp != 0) return o.Emit(cp);
      if (IsAscii(byte)) queue.Prepend({byte});
      return Result::kError;
    }
    if (IsAscii(byte)) return o.Emit(byte);                           // 6
    if (byte == 0x8E || byte == 0x8F || InRange(byte, 0xA1, 0xFE)) {  // 7
      s->a = byte;
      return Result::kContinue;
    }
    return Result::kError;  // 8
  });
}

enum Iso2022JpState : uint32_t {
  kAscii,
  kRoman,
  kKatakana,
  kLeadByte,
  kTrailByte,
  kEscapeStart,
  kEscape
};

// State: a = decoder state, b = output state, c = lead, d = output flag.
bool DecodeIso2022Jp(DecoderState* s, ByteQueue& q, bool fatal, std::u16string* out) {
  return Run(q, fatal, out, [s](int byte, ByteQueue& queue, Output& o) {
    uint32_t& state = s->a;
    uint32_t& output_state = s->b;
    uint32_t& lead = s->c;
    uint32_t& output_flag = s->d;
    switch (state) {
      case kAscii:
        if (byte == 0x1B) {
          state = kEscapeStart;
          return Result::kContinue;
        }
        if (InRange(byte, 0x00, 0x7F) && byte != 0x0E && byte != 0x0F) {
          output_flag = 0;
          return o.Emit(byte);
        }
        if (byte == kEndOfQueue) return Result::kFinished;
        output_flag = 0;
        return Result::kError;
      case kRoman:
        if (byte == 0x1B) {
          state = kEscapeStart;
          return Result::kContinue;
        }
        if (byte == 0x5C) {
          output_flag = 0;
          return o.Emit(0x00A5);
        }
        if (byte == 0x7E) {
          output_flag = 0;
          return o.Emit(0x203E);
        }
        if (InRange(byte, 0x00, 0x7F) && byte != 0x0E && byte != 0x0F) {
          output_flag = 0;
          return o.Emit(byte);
        }
        if (byte == kEndOfQueue) return Result::kFinished;
        output_flag = 0;
        return Result::kError;
      case kKatakana:
        if (byte == 0x1B) {
          state = kEscapeStart;
          return Result::kContinue;
        }
        if (InRange(byte, 0x21, 0x5F)) {
          output_flag = 0;
          return o.Emit(0xFF61 - 0x21 + byte);
        }
        if (byte == kEndOfQueue) return Result::kFinished;
        output_flag = 0;
        return Result::kError;
      case kLeadByte:
        if (byte == 0x1B) {
          state = kEscapeStart;
          return Result::kContinue;
        }
        if (InRange(byte, 0x21, 0x7E)) {
          output_flag = 0;
          lead = byte;
          state = kTrailByte;
          return Result::kContinue;
        }
        if (byte == kEndOfQueue) return Result::kFinished;
        output_flag = 0;
        return Result::kError;
      case kTrailByte: {
        if (byte == 0x1B) {
          state = kEscapeStart;
          return Result::kError;
        }
        if (InRange(byte, 0x21, 0x7E)) {
          state = kLeadByte;
          long pointer = (static_cast<long>(lead) - 0x21) * 94 + byte - 0x21;
          uint32_t cp = IndexCodePoint(kIndexJis0208, kIndexJis0208Size, pointer);
          return cp == 0 ? Result::kError : o.Emit(cp);
        }
        state = kLeadByte;  // end-of-queue or anything else
        return Result::kError;
      }
      case kEscapeStart:
        if (byte == 0x24 || byte == 0x28) {
          lead = byte;
          state = kEscape;
          return Result::kContinue;
        }
        if (byte != kEndOfQueue) queue.Prepend({byte});
        output_flag = 0;
        state = output_state;
        return Result::kError;
      case kEscape: {
        int escape_lead = static_cast<int>(lead);
        lead = 0;
        int next = -1;
        if (escape_lead == 0x28 && byte == 0x42) next = kAscii;
        if (escape_lead == 0x28 && byte == 0x4A) next = kRoman;
        if (escape_lead == 0x28 && byte == 0x49) next = kKatakana;
        if (escape_lead == 0x24 && (byte == 0x40 || byte == 0x42)) next = kLeadByte;
        if (next != -1) {
          state = output_state = static_cast<uint32_t>(next);
          bool output = output_flag != 0;
          output_flag = 1;
          return output ? Result::kError : Result::kContinue;
        }
        if (byte == kEndOfQueue) {
          queue.Prepend({escape_lead});
        } else {
          queue.Prepend({escape_lead, byte});
        }
        output_flag = 0;
        state = output_state;
        return Result::kError;
      }
    }
    return Result::kError;
  });
}

// State: a = Shift_JIS lead.
bool DecodeShiftJis(DecoderState* s, ByteQueue& q, bool fatal, std::u16string* out) {
  return Run(q, fatal, out, [s](int byte, ByteQueue& queue, Output& o) {
    if (byte == kEndOfQueue) {  // 1-2
      if (s->a == 0) return Result::kFinished;
      s->a = 0;
      return Result::kError;
    }
    if (s->a != 0) {  // 3
      long lead = s->a;
      long pointer = -1;
      s->a = 0;
      int offset = byte < 0x7F ? 0x40 : 0x41;
      int lead_offset = lead < 0xA0 ? 0x81 : 0xC1;
      if (InRange(byte, 0x40, 0x7E) || InRange(byte, 0x80, 0xFC)) {
        pointer = (lead - lead_offset) * 188 + byte - offset;
      }
      if (pointer >= 8836 && pointer <= 10715) return o.Emit(0xE000 - 8836 + pointer);
      uint32_t cp = IndexCodePoint(kIndexJis0208, kIndexJis0208Size, pointer);
      if (cp != 0) return o.Emit(cp);
      if (IsAscii(byte)) queue.Prepend({byte});
      return Result::kError;
    }
    if (IsAscii(byte) || byte == 0x80) return o.Emit(byte);              // 4
    if (InRange(byte, 0xA1, 0xDF)) return o.Emit(0xFF61 - 0xA1 + byte);  // 5
    if (InRange(byte, 0x81, 0x9F) || InRange(byte, 0xE0, 0xFC)) {        // 6
      s->a = byte;
      return Result::kContinue;
    }
    return Result::kError;  // 7
  });
}

// State: a = EUC-KR lead.
bool DecodeEucKr(DecoderState* s, ByteQueue& q, bool fatal, std::u16string* out) {
  return Run(q, fatal, out, [s](int byte, ByteQueue& queue, Output& o) {
    if (byte == kEndOfQueue) {  // 1-2
      if (s->a == 0) return Result::kFinished;
      s->a = 0;
      return Result::kError;
    }
    if (s->a != 0) {  // 3
      long lead = s->a;
      long pointer = -1;
      s->a = 0;
      if (InRange(byte, 0x41, 0xFE)) pointer = (lead - 0x81) * 190 + (byte - 0x41);
      uint32_t cp = IndexCodePoint(kIndexEucKr, kIndexEucKrSize, pointer);
      if (cp != 0) return o.Emit(cp);
      if (IsAscii(byte)) queue.Prepend({byte});
      return Result::kError;
    }
    if (IsAscii(byte)) return o.Emit(byte);  // 4
    if (InRange(byte, 0x81, 0xFE)) {         // 5
      s->a = byte;
      return Result::kContinue;
    }
    return Result::kError;  // 6
  });
}

const uint16_t* SingleByteIndex(Encoding e) {
  int row = static_cast<int>(e) - static_cast<int>(Encoding::kIbm866);
  if (e > Encoding::kIso88598) --row;  // ISO-8859-8-I shares ISO-8859-8's index
  return kSingleByteIndexes[row];
}

bool DecodeWith(Encoding encoding, DecoderState* s, ByteQueue& q, bool fatal, std::u16string* out) {
  switch (encoding) {
    case Encoding::kGbk:
    case Encoding::kGb18030:
      return DecodeGb18030(s, q, fatal, out);
    case Encoding::kBig5:
      return DecodeBig5(s, q, fatal, out);
    case Encoding::kEucJp:
      return DecodeEucJp(s, q, fatal, out);
    case Encoding::kIso2022Jp:
      return DecodeIso2022Jp(s, q, fatal, out);
    case Encoding::kShiftJis:
      return DecodeShiftJis(s, q, fatal, out);
    case Encoding::kEucKr:
      return DecodeEucKr(s, q, fatal, out);
    case Encoding::kUtf16Be:
      return DecodeUtf16(true, s, q, fatal, out);
    case Encoding::kUtf16Le:
      return DecodeUtf16(false, s, q, fatal, out);
    default:
      return false;  // UTF-8 and replacement are decoded elsewhere
  }
}

}  // namespace

bool Decode(Encoding encoding, DecoderState* state, const uint8_t* data, size_t size, bool flush,
            bool fatal, std::u16string* out) {
  if (IsSingleByte(encoding))
    return DecodeSingleByte(SingleByteIndex(encoding), data, size, fatal, out);
  if (encoding == Encoding::kXUserDefined) {
    DecodeXUserDefined(data, size, out);
    return true;
  }
  // In their initial state the ASCII-compatible decoders map a run of ASCII bytes to itself.
  if (IsAsciiCompatible(encoding) && IsInitial(*state)) {
    size_t ascii = 0;
    while (ascii < size && data[ascii] < 0x80)
      ++ascii;
    out->append(data, data + ascii);
    data += ascii;
    size -= ascii;
  }
  ByteQueue queue(data, size, flush);
  bool ok = DecodeWith(encoding, state, queue, fatal, out);
  if (flush || !ok) *state = DecoderState();
  return ok;
}

}  // namespace edgerun::bindings::encoding
