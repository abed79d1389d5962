#include "bindings/url_percent_encode.h"

#include <array>

namespace edgerun::bindings::url {
namespace {

using Table = std::array<bool, 256>;

constexpr Table MakeTable(EncodeSet set) {
  Table t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = c < 0x20 || c > 0x7E;
  }
  auto add = [&t](std::string_view chars) {
    for (char ch : chars)
      t[static_cast<uint8_t>(ch)] = true;
  };
  switch (set) {
    case EncodeSet::kC0Control:
      break;
    case EncodeSet::kFragment:
      add(" \"<>`");
      break;
    case EncodeSet::kFormUrlencoded:
      add("!'()~");
      [[fallthrough]];
    case EncodeSet::kComponent:
      add("$%&+,");
      [[fallthrough]];
    case EncodeSet::kUserinfo:
      add("/:;=@[\\]|");
      [[fallthrough]];
    case EncodeSet::kPath:
      add("?^`{}");
      add(" \"#<>");
      break;
    case EncodeSet::kSpecialQuery:
      add("'");
      [[fallthrough]];
    case EncodeSet::kQuery:
      add(" \"#<>");
      break;
  }
  return t;
}

constexpr std::array<Table, 8> kTables = {
    MakeTable(EncodeSet::kC0Control), MakeTable(EncodeSet::kFragment),
    MakeTable(EncodeSet::kQuery),     MakeTable(EncodeSet::kSpecialQuery),
    MakeTable(EncodeSet::kPath),      MakeTable(EncodeSet::kUserinfo),
    MakeTable(EncodeSet::kComponent), MakeTable(EncodeSet::kFormUrlencoded),
};

constexpr char kHex[] = "0123456789ABCDEF";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool InEncodeSet(EncodeSet set, uint8_t c) {
  return kTables[static_cast<size_t>(set)][c];
}

void AppendPercentEncoded(EncodeSet set, uint8_t c, std::string* out) {
  if (!InEncodeSet(set, c)) {
    out->push_back(static_cast<char>(c));
    return;
  }
  out->push_back('%');
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 15]);
}

void AppendPercentEncoded(EncodeSet set, std::string_view input, std::string* out) {
  const Table& table = kTables[static_cast<size_t>(set)];
  size_t start = 0;
  for (size_t i = 0; i < input.size(); ++i) {
    uint8_t c = static_cast<uint8_t>(input[i]);
    if (!table[c]) continue;
    out->append(input.data() + start, i - start);
    const char escaped[3] = {'%', kHex[c >> 4], kHex[c & 15]};
    out->append(escaped, 3);
    start = i + 1;
  }
  out->append(input.data() + start, input.size() - start);
}

std::string PercentDecode(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  size_t start = 0;
  for (size_t i = input.find('%'); i != std::string_view::npos; i = input.find('%', i + 1)) {
    if (i + 2 >= input.size()) break;
    int hi = HexValue(input[i + 1]);
    int lo = HexValue(input[i + 2]);
    if (hi < 0 || lo < 0) continue;
    out.append(input.data() + start, i - start);
    out.push_back(static_cast<char>(hi * 16 + lo));
    start = i + 3;
    i += 2;
  }
  out.append(input.data() + start, input.size() - start);
  return out;
}

void AppendFormUrlencoded(std::string_view input, std::string* out) {
  for (char c : input) {
    if (c == ' ') {
      out->push_back('+');
    } else {
      AppendPercentEncoded(EncodeSet::kFormUrlencoded, static_cast<uint8_t>(c), out);
    }
  }
}

}  // namespace edgerun::bindings::url
