// A WAGI command (a WASI `main` run once per request): CGI variables in the environment, the
// request body on stdin, a CGI response on stdout (headers, a blank line, the body).
//
//   GET  ?name=Ada   ->  200 "Hello, Ada!"  (no name: "Hello, World!")
//   POST <text>      ->  200 {"lines":L,"words":W,"bytes":B}, counted as wc(1) does
//   other methods    ->  405 with an Allow header; a malformed query -> 400 with the reason
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

constexpr size_t kMaxName = 100;

void Respond(std::string_view status, std::string_view content_type, std::string_view body,
             std::string_view extra_header = {}) {
  std::printf("Status: %.*s\n", static_cast<int>(status.size()), status.data());
  std::printf("Content-Type: %.*s\n", static_cast<int>(content_type.size()), content_type.data());
  if (!extra_header.empty()) {
    std::printf("%.*s\n", static_cast<int>(extra_header.size()), extra_header.data());
  }
  std::printf("\n");
  std::fwrite(body.data(), 1, body.size(), stdout);
}

void BadRequest(const std::string& why) {
  Respond("400 Bad Request", "text/plain; charset=utf-8", why + "\n");
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding; nullopt on a malformed %-escape.
std::optional<std::string> FormDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = HexDigit(s[i + 1]), lo = HexDigit(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void Hello(std::string_view query) {
  std::string name = "World";
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) != "name") continue;
    auto value =
        FormDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value) return BadRequest("the query string has a malformed %-escape");
    if (value->empty()) return BadRequest("name must not be empty");
    if (value->size() > kMaxName) {
      return BadRequest("name is longer than " + std::to_string(kMaxName) + " bytes");
    }
    name = *value;
  }
  Respond("200 OK", "text/plain; charset=utf-8", "Hello, " + name + "!");
}

void WordCount() {
  unsigned long long lines = 0, words = 0, bytes = 0;
  bool in_word = false;
  char buf[16384];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    bytes += n;
    for (size_t i = 0; i < n; ++i) {
      char c = buf[i];
      bool space = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
      if (c == '\n') ++lines;
      if (space) {
        in_word = false;
      } else if (!in_word) {
        in_word = true;
        ++words;
      }
    }
  }
  Respond("200 OK", "application/json",
          "{\"lines\":" + std::to_string(lines) + ",\"words\":" + std::to_string(words) +
              ",\"bytes\":" + std::to_string(bytes) + "}");
}

std::string_view Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

int main() {
  std::string_view method = Env("REQUEST_METHOD");
  if (method == "GET" || method == "HEAD") {
    Hello(Env("QUERY_STRING"));
  } else if (method == "POST") {
    WordCount();
  } else {
    Respond("405 Method Not Allowed", "text/plain; charset=utf-8",
            "use GET (?name=...) or POST a text to count\n", "Allow: GET, HEAD, POST");
  }
  return 0;
}
