// A WASI reactor that counts the words of a UTF-8 text and reports the most frequent ones as
// JSON: the kind of CPU-bound string work a worker author offloads to C++ (libc++ containers and
// algorithms, compiled to wasm32-wasi).
//
// Calling convention (see ../worker.js): the host calls wf_alloc(n), copies n bytes of text into
// guest memory at the returned pointer, then wf_count(ptr, n, top). wf_count consumes the buffer
// (it lowercases in place and frees it) and returns 0 with the JSON in wf_result_ptr()/
// wf_result_len(), or an error code (kInvalidUtf8) with a message there instead. The result stays
// valid until the next wf_count.
//
// A word is a maximal run of ASCII letters and digits and non-ASCII letters (so "café" and "日本"
// are words; see Classify for the non-ASCII punctuation that separates words); an apostrophe
// (' or ’) between two word characters belongs to the word ("don't"). ASCII letters are
// lowercased; other characters are kept as they are.
//
// Stop words come from the WASI environment (STOPWORDS="the,a,of"), read once by a static
// constructor, which is what `wasi.initialize(instance)` (_initialize) runs: they count towards
// "words" but are left out of "unique" and "top".
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace {

constexpr int kOk = 0;
constexpr int kInvalidUtf8 = 1;

std::string g_result;

struct StopWords {
  StopWords() {
    const char* list = std::getenv("STOPWORDS");
    std::string_view rest = list ? list : "";
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string word(rest.substr(0, comma));
      for (char& c : word) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
      if (!word.empty()) words.insert(std::move(word));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  std::unordered_set<std::string> words;
};
const StopWords g_stop_words;

enum class CharClass { kWord, kApostrophe, kSeparator };

// Classifies the character at text[i] (valid UTF-8) and sets *len to its length in bytes.
// Non-ASCII characters are letters of some script, except the punctuation and spaces of Latin-1
// (U+00A0-U+00BF, U+00D7, U+00F7), General Punctuation (U+2000-U+206F: dashes, quotes, ellipsis)
// and CJK punctuation (U+3000-U+303F), which separate words. U+2019 (’) is an apostrophe.
CharClass Classify(const unsigned char* text, size_t i, size_t* len) {
  unsigned char c = text[i];
  if (c < 0x80) {
    *len = 1;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return CharClass::kWord;
    }
    return c == '\'' ? CharClass::kApostrophe : CharClass::kSeparator;
  }
  uint32_t cp;
  if (c < 0xE0) {
    *len = 2;
    cp = (c & 0x1Fu) << 6 | (text[i + 1] & 0x3Fu);
  } else if (c < 0xF0) {
    *len = 3;
    cp = (c & 0x0Fu) << 12 | (text[i + 1] & 0x3Fu) << 6 | (text[i + 2] & 0x3Fu);
  } else {
    *len = 4;
    return CharClass::kWord;  // beyond the BMP: letters and symbols, no separators listed
  }
  if (cp == 0x2019) return CharClass::kApostrophe;
  if ((cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
      (cp >= 0x3000 && cp <= 0x303F)) {
    return CharClass::kSeparator;
  }
  return CharClass::kWord;
}

// Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(const unsigned char* s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (n - i < len) return false;
    if (s[i + 1] < lo || s[i + 1] > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

// Words contain only letters, digits, apostrophes and non-ASCII characters of valid UTF-8: none
// needs escaping in a JSON string.
std::string ToJson(uint64_t words, const std::vector<std::pair<std::string_view, uint32_t>>& top,
                   size_t unique) {
  std::string out = "{\"words\":" + std::to_string(words) +
                    ",\"unique\":" + std::to_string(unique) + ",\"top\":[";
  for (size_t i = 0; i < top.size(); ++i) {
    if (i) out += ',';
    out += "{\"word\":\"";
    out.append(top[i].first);
    out += "\",\"count\":" + std::to_string(top[i].second) + '}';
  }
  out += "]}";
  return out;
}

int Count(unsigned char* text, size_t n, uint32_t top_n) {
  if (!IsValidUtf8(text, n)) {
    g_result = "the text is not valid UTF-8";
    return kInvalidUtf8;
  }
  std::unordered_map<std::string_view, uint32_t> counts;
  uint64_t words = 0;
  size_t i = 0;
  size_t len;
  while (i < n) {
    if (Classify(text, i, &len) != CharClass::kWord) {
      i += len;
      continue;
    }
    size_t start = i;
    while (i < n) {
      CharClass cls = Classify(text, i, &len);
      if (cls == CharClass::kWord) {
        if (text[i] >= 'A' && text[i] <= 'Z') text[i] = static_cast<unsigned char>(text[i] + 32);
        i += len;
        continue;
      }
      size_t next_len;
      if (cls == CharClass::kApostrophe && i + len < n &&
          Classify(text, i + len, &next_len) == CharClass::kWord) {
        i += len;
        continue;
      }
      break;
    }
    std::string_view word(reinterpret_cast<const char*>(text + start), i - start);
    ++words;
    if (!g_stop_words.words.empty() && g_stop_words.words.count(std::string(word))) continue;
    ++counts[word];
  }
  std::vector<std::pair<std::string_view, uint32_t>> ranked(counts.begin(), counts.end());
  auto by_count_then_word = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  size_t keep = std::min<size_t>(top_n, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(), by_count_then_word);
  ranked.resize(keep);
  g_result = ToJson(words, ranked, counts.size());
  return kOk;
}

}  // namespace

extern "C" {

__attribute__((export_name("wf_alloc"))) void* wf_alloc(size_t n) {
  return std::malloc(n ? n : 1);
}

__attribute__((export_name("wf_free"))) void wf_free(void* p) {
  std::free(p);
}

__attribute__((export_name("wf_count"))) int wf_count(unsigned char* text, size_t n,
                                                      uint32_t top_n) {
  int rc = Count(text, n, top_n);
  std::free(text);
  return rc;
}

__attribute__((export_name("wf_result_ptr"))) const char* wf_result_ptr() {
  return g_result.data();
}

__attribute__((export_name("wf_result_len"))) size_t wf_result_len() {
  return g_result.size();
}
}
