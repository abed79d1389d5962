#include "runtime/json_error_position.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>

namespace edgerun::runtime {
namespace {

using ::testing::HasSubstr;

struct Located {
  const char* json;
  size_t line;
  size_t column;
  const char* message;
};

std::ostream& operator<<(std::ostream& out, const Located& located) {
  return out << '"' << located.json << '"';
}

class JsonErrorPosition : public testing::TestWithParam<Located> {};

TEST_P(JsonErrorPosition, PointsAtTheFirstError) {
  const Located& want = GetParam();
  std::optional<JsonSyntaxError> error = FindJsonSyntaxError(want.json);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->line, want.line) << error->message;
  EXPECT_EQ(error->column, want.column) << error->message;
  EXPECT_THAT(error->message, HasSubstr(want.message));
}

INSTANTIATE_TEST_SUITE_P(
    Table, JsonErrorPosition,
    testing::Values(
        Located{"{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3,
                "expected ',' or '}' after an object member, got '\"'"},
        Located{"{\"a\": 1", 1, 8, "expected ',' or '}' after an object member, got the end"},
        Located{"[1 2]", 1, 4, "expected ',' or ']' after an array element, got '2'"},
        Located{"{\"a\" 1}", 1, 6, "expected ':' after an object key, got '1'"},
        Located{"{\"a\": 1,\n}", 1, 8, "trailing comma before '}'"},
        Located{"[1, 2, ]", 1, 6, "trailing comma before ']'"},
        Located{"{\n  // note\n  \"a\": 1\n}", 2, 3, "comments are not allowed in JSON"},
        Located{"{\"a\": 1 /* x */}", 1, 9, "comments are not allowed in JSON (found '/*')"},
        Located{"{\"a\": 1} // end", 1, 10, "comments are not allowed"},
        Located{"{'a': 1}", 1, 2, "strings need double quotes"},
        Located{"{\"a\": 'x'}", 1, 7, "strings need double quotes"},
        Located{"{a: 1}", 1, 2, "object keys need double quotes"},
        Located{"{\"a\": True}", 1, 7, "'True' is not JSON; write true"},
        Located{"{\"a\": undefined}", 1, 7, "'undefined' is not a JSON value"},
        Located{"[tru]", 1, 2, "'tru' is not a JSON value"},
        Located{"{\"a\": 01}", 1, 7, "leading zeros"},
        Located{"[-]", 1, 3, "expected a digit after '-'"},
        Located{"[1.]", 1, 4, "after the decimal point"}, Located{"[1e]", 1, 4, "in the exponent"},
        Located{"[+1]", 1, 2, "cannot start with '+'"},
        Located{"[.5]", 1, 2, "digit before the decimal point"},
        Located{"[18446744073709551616]", 1, 2, "integer out of range"},
        Located{"[-9223372036854775809]", 1, 2, "integer out of range"},
        Located{"[1e400]", 1, 2, "number out of range"},
        Located{"{\"a\": \"x", 1, 7, "unterminated string"},
        Located{"{\"a\": \"x\ny\"}", 1, 9, "strings cannot span lines"},
        Located{"[\"a\tb\"]", 1, 4, "unescaped control character"},
        Located{"[\"\\x\"]", 1, 3, "invalid escape"},
        Located{"[\"\\u12\"]", 1, 3, "\\u must be followed by 4 hex digits"},
        Located{"[\"\\ud800\"]", 1, 3, "unpaired UTF-16 surrogate"},
        Located{"[\"\\udc00\"]", 1, 3, "unpaired UTF-16 surrogate"},
        Located{"[\"\xff\"]", 1, 3, "invalid UTF-8"},
        // Columns count characters, not bytes: each "\xc3\xa4" is one.
        Located{"[\"\xc3\xa4\xc3\xa4\", x]", 1, 8, "'x' is not a JSON value"},
        Located{"\t{\"a\": [1,\r\n  2,,]}", 2, 5, "expected a value"},
        Located{"{} {}", 1, 4, "unexpected content after the end of the JSON document"},
        Located{"{}}", 1, 3, "unexpected content"}, Located{"   ", 1, 4, "the document is empty"},
        Located{"", 1, 1, "the document is empty"}, Located{"{", 1, 2, "got the end of the file"},
        Located{"[\x01]", 1, 2, "got a control character (0x01)"}));

TEST(JsonErrorPosition, DepthLimitMatchesSimdjson) {
  std::string ok = std::string(1024, '[') + std::string(1024, ']');
  std::string deep = std::string(1025, '[') + std::string(1025, ']');
  EXPECT_FALSE(FindJsonSyntaxError(ok).has_value());
  std::optional<JsonSyntaxError> error = FindJsonSyntaxError(deep);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->column, 1025u);
  EXPECT_THAT(error->message, HasSubstr("nesting is deeper than 1024 levels"));
}

// The validator runs only after simdjson rejected a document; it must find an error exactly when
// simdjson does, or the user gets no position.
TEST(JsonErrorPosition, AgreesWithSimdjson) {
  const char* corpus[] = {
      "{}",
      "[]",
      "{\"a\": [1, -2, 3.5, -0, 0.0e+1, 1E-2, true, false, null, \"x\\n\\u00e9\\ud83d\\ude00\"]}",
      "\"\xf0\x9f\x98\x80\"",
      "18446744073709551615",
      "-9223372036854775808",
      " \r\n\t{\"k\" : {\"n\" : [ ] } } \n",
      "0",
      "\"\\/\\b\\f\\r\\t\\\"\\\\\"",
      "[1,]",
      "{\"a\":1,}",
      "{\"a\":1}x",
      "01",
      "1.",
      "-",
      "tru",
      "nulll",
      "[1 2]",
      "{\"a\" 1}",
      "\"\\u00\"",
      "\"\xed\xa0\x80\"",  // encoded surrogate
      "\"\xc0\xaf\"",      // overlong
      "\"\xf4\x90\x80\x80\"",
      "18446744073709551616",
      "1e400",
      "[\"a\"\"b\"]",
      "{\"a\":}",
      "{,}",
      "[,1]",
      "\"",
      "{\"a\":1}}",
  };
  for (const char* json : corpus) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    bool simdjson_ok =
        parser.parse(simdjson::padded_string(std::string(json))).get(root) == simdjson::SUCCESS;
    std::optional<JsonSyntaxError> error = FindJsonSyntaxError(json);
    EXPECT_EQ(simdjson_ok, !error.has_value())
        << json << (error ? ": " + error->message : std::string());
  }
}

// The same property on random edits of a realistic document (fixed seed, so reproducible).
TEST(JsonErrorPosition, AgreesWithSimdjsonOnMutatedDocuments) {
  const std::string base = R"({"listen": ["127.0.0.1:8080", {"address": "[::1]:8081"}],
    "threads": 2, "x": -0.5e+3, "t": true, "f": false, "n": null,
    "workers": [{"name": "h\u00e9llo\n", "routes": ["*/hello*"],
                 "vars": {"A": [1, 2.5, {"b": "\ud83d\ude00"}]}}], "s": "café"})";
  const char alphabet[] = "{}[],:\"\\ -+.eE0123456789abtrufnls/*'\n\t\x01\xc3\xa9\xff";
  ASSERT_FALSE(FindJsonSyntaxError(base).has_value());
  std::mt19937 random(42);
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string json = base;
    for (unsigned edits = 1 + random() % 3; edits > 0; --edits) {
      size_t at = random() % (json.size() + 1);
      char c = alphabet[random() % (sizeof alphabet - 1)];
      unsigned kind = random() % 3;
      if (kind == 0 && at < json.size()) json.erase(at, 1);
      if (kind == 1) json.insert(at, 1, c);
      if (kind == 2 && at < json.size()) json[at] = c;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    bool simdjson_ok = parser.parse(simdjson::padded_string(json)).get(root) == simdjson::SUCCESS;
    std::optional<JsonSyntaxError> error = FindJsonSyntaxError(json);
    ASSERT_EQ(simdjson_ok, !error.has_value())
        << json << (error ? ": " + error->message : std::string());
  }
}

}  // namespace
}  // namespace edgerun::runtime
