// A ~50 KB WebAssembly reactor for bench/wasm-instantiate: ordinary C++ with libc++ containers
// and algorithms (what a real module pulls in), a few exports. Its size, not its work, matters.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

std::map<std::string, int> words;
std::unordered_map<uint32_t, std::string> names;
std::vector<double> samples;

template <typename T>
T Median(std::vector<T> v) {
  if (v.empty()) return T{};
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

}  // namespace

extern "C" {

__attribute__((export_name("count_words"))) int count_words(const char* text, int length) {
  std::string word;
  for (int i = 0; i <= length; ++i) {
    char c = i < length ? text[i] : ' ';
    if (c == ' ' || c == '\n' || c == '\t') {
      if (!word.empty()) ++words[word];
      word.clear();
    } else {
      word += c;
    }
  }
  return static_cast<int>(words.size());
}

__attribute__((export_name("name_of"))) const char* name_of(uint32_t id) {
  auto it = names.find(id);
  if (it == names.end()) {
    char text[32];
    std::snprintf(text, sizeof text, "item-%u", id);
    it = names.emplace(id, text).first;
  }
  return it->second.c_str();
}

__attribute__((export_name("add_sample"))) void add_sample(double x) {
  samples.push_back(x);
}

__attribute__((export_name("median"))) double median() {
  return Median(samples);
}

__attribute__((export_name("sorted_checksum"))) int64_t sorted_checksum(int n) {
  std::vector<int64_t> v(n);
  uint64_t x = 88172645463325252ull;
  for (auto& e : v) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    e = static_cast<int64_t>(x % 1000003);
  }
  std::stable_sort(v.begin(), v.end());
  std::vector<std::string> s;
  for (int i = 0; i < n && i < 64; ++i)
    s.push_back(std::to_string(v[i]));
  std::sort(s.begin(), s.end());
  int64_t sum = 0;
  for (size_t i = 0; i < v.size(); ++i)
    sum += v[i] * static_cast<int64_t>(i + 1);
  for (const auto& t : s)
    sum += static_cast<int64_t>(std::stod(t));
  return sum;
}

__attribute__((export_name("format"))) int format(char* out, int size, double value) {
  return std::snprintf(out, static_cast<size_t>(size), "%.6g|%08.3f|%e", value, value, value);
}

}  // extern "C"
