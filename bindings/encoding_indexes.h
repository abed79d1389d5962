// The WHATWG Encoding Standard's index tables (https://encoding.spec.whatwg.org/#indexes) as C++
// static data: one copy per process, none in any isolate's heap. Generated at build time by
// cmake/gen_encoding_indexes.mjs from a pinned npm package; 0 stands for "no code point" (no index
// maps a pointer to U+0000). Tables may be shorter than the spec's pointer range: a pointer past
// the end has no code point.
#pragma once

#include <cstddef>
#include <cstdint>

namespace edgerun::bindings::encoding {

// Rows in the order of the single-byte encodings in Encoding (encoding_labels.h), ISO-8859-8-I
// sharing ISO-8859-8's row: the code point of byte 0x80 + i is row[i].
extern const uint16_t kSingleByteIndexes[][128];

extern const uint16_t kIndexGb18030[];
extern const size_t kIndexGb18030Size;
extern const uint32_t kIndexBig5[];  // has code points above U+FFFF
extern const size_t kIndexBig5Size;
extern const uint16_t kIndexJis0208[];
extern const size_t kIndexJis0208Size;
extern const uint16_t kIndexJis0212[];
extern const size_t kIndexJis0212Size;
extern const uint16_t kIndexEucKr[];
extern const size_t kIndexEucKrSize;
extern const uint16_t kIndexIso2022JpKatakana[];
extern const size_t kIndexIso2022JpKatakanaSize;
// index gb18030 ranges as pairs (pointer, code point), sorted by pointer.
extern const uint32_t kGb18030Ranges[];
extern const size_t kGb18030RangesSize;  // number of uint32_t values (twice the pairs)

}  // namespace edgerun::bindings::encoding
