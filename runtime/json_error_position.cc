#include "runtime/json_error_position.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace edgerun::runtime {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '$';
}

JsonSyntaxError Locate(std::string_view text, size_t offset, std::string message) {
  JsonSyntaxError error;
  error.message = std::move(message);
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++error.line;
      error.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++error.column;  // continuation bytes belong to the character before them
    }
  }
  return error;
}

// Length of the valid UTF-8 sequence at `s[0]`, or 0 if it is not one (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF).
size_t Utf8SequenceLength(std::string_view s) {
  auto byte = [&](size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
  auto cont = [&](size_t i, unsigned lo = 0x80, unsigned hi = 0xBF) {
    return byte(i) >= lo && byte(i) <= hi;
  };
  unsigned lead = byte(0);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return cont(1) ? 2 : 0;
  if (lead == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if (lead == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (lead >= 0xE1 && lead <= 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (lead == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (lead >= 0xF1 && lead <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (lead == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

class Validator {
 public:
  Validator(std::string_view text, size_t max_depth) : text_(text), max_depth_(max_depth) {}

  std::optional<JsonSyntaxError> Run() {
    SkipWhitespace();
    if (AtEnd()) return Locate(text_, pos_, "the document is empty");
    if (Value(0)) {
      SkipWhitespace();
      if (AtEnd()) return std::nullopt;
      Fail(pos_, Hint().value_or(
                     "unexpected content after the end of the JSON document (only one top-level "
                     "value is allowed)"));
    }
    return Locate(text_, error_pos_, std::move(error_));
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  void SkipWhitespace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++pos_;
    }
  }

  bool Fail(size_t at, std::string message) {
    error_pos_ = at;
    error_ = std::move(message);
    return false;
  }

  // What the user most likely wrote at pos_ when it is a well-known non-JSON habit.
  std::optional<std::string> Hint() const {
    if (Peek() == '/' && (Peek(1) == '/' || Peek(1) == '*')) {
      return "comments are not allowed in JSON (found '" + std::string(text_.substr(pos_, 2)) +
             "')";
    }
    if (Peek() == '\'') return "strings need double quotes (\"), not single quotes";
    return std::nullopt;
  }

  std::string Found() const {
    if (AtEnd()) return "got the end of the file";
    auto byte = static_cast<unsigned char>(Peek());
    if (byte >= 0x20 && byte < 0x7f) return "got '" + std::string(1, Peek()) + "'";
    if (byte >= 0x80) return "got a non-ASCII character";
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", byte);
    return std::string("got a control character (") + hex + ")";
  }

  bool Expected(std::string_view what) {
    return Fail(pos_, Hint().value_or(std::string(what) + ", " + Found()));
  }

  bool Value(size_t depth) {
    switch (Peek()) {
      case '{':
        return Object(depth + 1);
      case '[':
        return Array(depth + 1);
      case '"':
        return String();
      case '-':
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        return Number();
      case '+':
        return Fail(pos_, "numbers cannot start with '+'");
      case '.':
        return Fail(pos_, "numbers need a digit before the decimal point, such as 0.5");
      default:
        break;
    }
    if (IsWordChar(Peek())) return Word();
    return Expected("expected a value (a string, number, object, array, true, false or null)");
  }

  bool Word() {
    size_t start = pos_;
    while (!AtEnd() && IsWordChar(Peek()))
      ++pos_;
    std::string_view word = text_.substr(start, pos_ - start);
    if (word == "true" || word == "false" || word == "null") return true;
    std::string lower(word);
    for (char& c : lower)
      c = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    if (lower == "true" || lower == "false" || lower == "null") {
      return Fail(start, "'" + std::string(word) + "' is not JSON; write " + lower);
    }
    return Fail(start, "'" + std::string(word) +
                           "' is not a JSON value; strings need double quotes, and the only "
                           "literals are true, false and null");
  }

  bool EnterContainer(size_t depth) {
    if (depth > max_depth_) {
      return Fail(pos_, "nesting is deeper than " + std::to_string(max_depth_) + " levels");
    }
    ++pos_;
    SkipWhitespace();
    return true;
  }

  bool Object(size_t depth) {
    if (!EnterContainer(depth)) return false;
    if (Peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      if (Peek() != '"') {
        if (IsWordChar(Peek()))
          return Fail(pos_, "object keys need double quotes, such as \"key\"");
        return Expected("expected a string key in double quotes or '}'");
      }
      if (!String()) return false;
      SkipWhitespace();
      if (Peek() != ':') return Expected("expected ':' after an object key");
      ++pos_;
      SkipWhitespace();
      if (!Value(depth)) return false;
      SkipWhitespace();
      if (Peek() == '}') {
        ++pos_;
        return true;
      }
      if (Peek() != ',') return Expected("expected ',' or '}' after an object member");
      size_t comma = pos_++;
      SkipWhitespace();
      if (Peek() == '}') return Fail(comma, "trailing comma before '}' is not allowed in JSON");
    }
  }

  bool Array(size_t depth) {
    if (!EnterContainer(depth)) return false;
    if (Peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      if (!Value(depth)) return false;
      SkipWhitespace();
      if (Peek() == ']') {
        ++pos_;
        return true;
      }
      if (Peek() != ',') return Expected("expected ',' or ']' after an array element");
      size_t comma = pos_++;
      SkipWhitespace();
      if (Peek() == ']') return Fail(comma, "trailing comma before ']' is not allowed in JSON");
    }
  }

  // Reads \uXXXX at pos_ (pointing at the backslash); returns the code unit or -1.
  long UnicodeEscape() {
    if (Peek(1) != 'u') return -1;
    for (size_t i = 2; i < 6; ++i) {
      if (!IsHexDigit(Peek(i))) return -1;
    }
    return std::strtol(std::string(text_.substr(pos_ + 2, 4)).c_str(), nullptr, 16);
  }

  bool Escape() {
    size_t start = pos_;
    char kind = Peek(1);
    if (kind != 'u') {
      if (kind == '\0' || std::string_view("\"\\/bfnrt").find(kind) == std::string_view::npos) {
        return Fail(start,
                    "invalid escape in a string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
                    "\\uXXXX)");
      }
      pos_ += 2;
      return true;
    }
    long unit = UnicodeEscape();
    if (unit < 0) return Fail(start, "\\u must be followed by 4 hex digits");
    pos_ += 6;
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return Fail(start, "unpaired UTF-16 surrogate in a \\u escape");
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      long low = Peek() == '\\' ? UnicodeEscape() : -1;
      if (low < 0xDC00 || low > 0xDFFF) {
        return Fail(start, "unpaired UTF-16 surrogate in a \\u escape");
      }
      pos_ += 6;
    }
    return true;
  }

  bool String() {
    size_t start = pos_++;
    while (true) {
      if (AtEnd()) return Fail(start, "unterminated string");
      auto byte = static_cast<unsigned char>(Peek());
      if (byte == '"') {
        ++pos_;
        return true;
      }
      if (byte == '\\') {
        if (!Escape()) return false;
        continue;
      }
      if (byte == '\n') return Fail(pos_, "strings cannot span lines; write a newline as \\n");
      if (byte < 0x20) return Fail(pos_, "unescaped control character in a string");
      size_t length = Utf8SequenceLength(text_.substr(pos_));
      if (length == 0) return Fail(pos_, "invalid UTF-8 in a string");
      pos_ += length;
    }
  }

  bool Digits() {
    if (!IsDigit(Peek())) return false;
    while (IsDigit(Peek()))
      ++pos_;
    return true;
  }

  bool Number() {
    size_t start = pos_;
    if (Peek() == '-') ++pos_;
    if (Peek() == '0' && IsDigit(Peek(1))) return Fail(pos_, "numbers cannot have leading zeros");
    if (!Digits()) return Fail(pos_, "expected a digit after '-'");
    bool integer = true;
    if (Peek() == '.') {
      ++pos_;
      integer = false;
      if (!Digits()) return Fail(pos_, "expected a digit after the decimal point");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      integer = false;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!Digits()) return Fail(pos_, "expected a digit in the exponent");
    }
    std::string_view number = text_.substr(start, pos_ - start);
    if (integer ? !IntegerFits(number)
                : std::isinf(std::strtod(std::string(number).c_str(), nullptr))) {
      return Fail(start, integer ? "integer out of range: JSON integers must fit in 64 bits"
                                 : "number out of range");
    }
    return true;
  }

  // simdjson keeps integers exact: from -2^63 to 2^64-1, and rejects the rest.
  static bool IntegerFits(std::string_view number) {
    bool negative = number.front() == '-';
    std::string_view digits = negative ? number.substr(1) : number;
    std::string_view limit = negative ? "9223372036854775808" : "18446744073709551615";
    if (digits.size() != limit.size()) return digits.size() < limit.size();
    return digits <= limit;
  }

  std::string_view text_;
  size_t max_depth_;
  size_t pos_ = 0;
  size_t error_pos_ = 0;
  std::string error_;
};

}  // namespace

std::optional<JsonSyntaxError> FindJsonSyntaxError(std::string_view text, size_t max_depth) {
  return Validator(text, max_depth).Run();
}

}  // namespace edgerun::runtime
