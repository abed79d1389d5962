#include "bindings/url_parser.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "bindings/url_host.h"
#include "bindings/url_percent_encode.h"

namespace edgerun::bindings::url {
namespace {

constexpr int kEof = -1;

bool IsAsciiAlpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiDigit(int c) {
  return c >= '0' && c <= '9';
}
char ToLower(int c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

bool IsWindowsDriveLetter(std::string_view s) {
  return s.size() == 2 && IsAsciiAlpha(s[0]) && (s[1] == ':' || s[1] == '|');
}
bool IsNormalizedWindowsDriveLetter(std::string_view s) {
  return s.size() == 2 && IsAsciiAlpha(s[0]) && s[1] == ':';
}
bool StartsWithWindowsDriveLetter(std::string_view s) {
  if (s.size() < 2 || !IsWindowsDriveLetter(s.substr(0, 2))) return false;
  if (s.size() == 2) return true;
  char c = s[2];
  return c == '/' || c == '\\' || c == '?' || c == '#';
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLower(a[i]) != ToLower(b[i])) return false;
  }
  return true;
}
bool IsSingleDot(std::string_view s) {
  return s == "." || EqualsIgnoreCase(s, "%2e");
}
bool IsDoubleDot(std::string_view s) {
  return s == ".." || EqualsIgnoreCase(s, ".%2e") || EqualsIgnoreCase(s, "%2e.") ||
         EqualsIgnoreCase(s, "%2e%2e");
}

void ShortenPath(UrlRecord* url) {
  if (url->scheme == "file" && url->path.size() == 1 &&
      IsNormalizedWindowsDriveLetter(url->path[0])) {
    return;
  }
  if (!url->path.empty()) url->path.pop_back();
}

// Trims (for a plain parse) and removes ASCII tab or newline. Most inputs have neither, and then
// the result is a view of the input; `storage` holds the copy otherwise.
std::string_view Preprocess(std::string_view input, bool trim, std::string* storage) {
  if (trim) {
    while (!input.empty() && static_cast<uint8_t>(input.front()) <= 0x20)
      input.remove_prefix(1);
    while (!input.empty() && static_cast<uint8_t>(input.back()) <= 0x20)
      input.remove_suffix(1);
  }
  size_t first = std::min({input.find('\t'), input.find('\n'), input.find('\r')});
  if (first == std::string_view::npos) return input;
  storage->reserve(input.size());
  storage->append(input.data(), first);
  for (size_t i = first; i < input.size(); ++i) {
    char c = input[i];
    if (c != '\t' && c != '\n' && c != '\r') storage->push_back(c);
  }
  return *storage;
}

// Returns false on failure. `state_override` is nullopt for a plain parse.
bool BasicParse(std::string_view raw, const UrlRecord* base, UrlRecord* url,
                std::optional<State> state_override) {
  const bool has_override = state_override.has_value();
  std::string storage;
  const std::string_view input = Preprocess(raw, !has_override, &storage);
  const ptrdiff_t size = static_cast<ptrdiff_t>(input.size());
  State state = has_override ? *state_override : State::kSchemeStart;
  std::string buffer;
  bool at_sign_seen = false, inside_brackets = false, password_token_seen = false;
  // IsSpecial() compares strings; the state machine asks per code point, so it is cached and
  // refreshed wherever the scheme changes.
  bool special = url->IsSpecial();
  auto remaining_starts_with = [&](ptrdiff_t pointer, char ch) {
    return pointer + 1 < size && input[pointer + 1] == ch;
  };

  for (ptrdiff_t pointer = 0;; ++pointer) {
    const int c = pointer < size ? static_cast<uint8_t>(input[pointer]) : kEof;
    switch (state) {
      case State::kSchemeStart:
        if (IsAsciiAlpha(c)) {
          buffer.push_back(ToLower(c));
          state = State::kScheme;
        } else if (!has_override) {
          state = State::kNoScheme;
          --pointer;
        } else {
          return false;
        }
        break;

      case State::kScheme:
        if (IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '+' || c == '-' || c == '.') {
          buffer.push_back(ToLower(c));
        } else if (c == ':') {
          if (has_override) {
            if (special != IsSpecialScheme(buffer)) return true;
            if ((url->IncludesCredentials() || url->port) && buffer == "file") return true;
            if (url->scheme == "file" && url->host && url->host->empty()) return true;
          }
          url->scheme = buffer;
          special = IsSpecialScheme(url->scheme);
          if (has_override) {
            if (url->port && *url->port == DefaultPort(url->scheme)) url->port.reset();
            return true;
          }
          buffer.clear();
          if (url->scheme == "file") {
            state = State::kFile;
          } else if (special && base != nullptr && base->scheme == url->scheme) {
            state = State::kSpecialRelativeOrAuthority;
          } else if (special) {
            state = State::kSpecialAuthoritySlashes;
          } else if (remaining_starts_with(pointer, '/')) {
            state = State::kPathOrAuthority;
            ++pointer;
          } else {
            url->opaque_path = true;
            url->opaque.clear();
            state = State::kOpaquePath;
          }
        } else if (!has_override) {
          buffer.clear();
          state = State::kNoScheme;
          pointer = -1;
        } else {
          return false;
        }
        break;

      case State::kNoScheme:
        if (base == nullptr || (base->opaque_path && c != '#')) return false;
        if (base->opaque_path && c == '#') {
          url->scheme = base->scheme;
          special = IsSpecialScheme(url->scheme);
          url->opaque_path = true;
          url->opaque = base->opaque;
          url->query = base->query;
          url->fragment = "";
          state = State::kFragment;
        } else if (base->scheme != "file") {
          state = State::kRelative;
          --pointer;
        } else {
          state = State::kFile;
          --pointer;
        }
        break;

      case State::kSpecialRelativeOrAuthority:
        if (c == '/' && remaining_starts_with(pointer, '/')) {
          state = State::kSpecialAuthorityIgnoreSlashes;
          ++pointer;
        } else {
          state = State::kRelative;
          --pointer;
        }
        break;

      case State::kPathOrAuthority:
        if (c == '/') {
          state = State::kAuthority;
        } else {
          state = State::kPath;
          --pointer;
        }
        break;

      case State::kRelative:
        url->scheme = base->scheme;
        special = IsSpecialScheme(url->scheme);
        if (c == '/' || (special && c == '\\')) {
          state = State::kRelativeSlash;
        } else {
          url->username = base->username;
          url->password = base->password;
          url->host = base->host;
          url->port = base->port;
          url->path = base->path;
          url->query = base->query;
          if (c == '?') {
            url->query = "";
            state = State::kQuery;
          } else if (c == '#') {
            url->fragment = "";
            state = State::kFragment;
          } else if (c != kEof) {
            url->query.reset();
            ShortenPath(url);
            state = State::kPath;
            --pointer;
          }
        }
        break;

      case State::kRelativeSlash:
        if (special && (c == '/' || c == '\\')) {
          state = State::kSpecialAuthorityIgnoreSlashes;
        } else if (c == '/') {
          state = State::kAuthority;
        } else {
          url->username = base->username;
          url->password = base->password;
          url->host = base->host;
          url->port = base->port;
          state = State::kPath;
          --pointer;
        }
        break;

      case State::kSpecialAuthoritySlashes:
        state = State::kSpecialAuthorityIgnoreSlashes;
        if (c == '/' && remaining_starts_with(pointer, '/')) {
          ++pointer;
        } else {
          --pointer;
        }
        break;

      case State::kSpecialAuthorityIgnoreSlashes:
        if (c != '/' && c != '\\') {
          state = State::kAuthority;
          --pointer;
        }
        break;

      case State::kAuthority:
        if (c == '@') {
          if (at_sign_seen) buffer.insert(0, "%40");
          at_sign_seen = true;
          for (char b : buffer) {
            if (b == ':' && !password_token_seen) {
              password_token_seen = true;
              continue;
            }
            AppendPercentEncoded(EncodeSet::kUserinfo, static_cast<uint8_t>(b),
                                 password_token_seen ? &url->password : &url->username);
          }
          buffer.clear();
        } else if (c == kEof || c == '/' || c == '?' || c == '#' || (special && c == '\\')) {
          if (at_sign_seen && buffer.empty()) return false;
          pointer -= static_cast<ptrdiff_t>(buffer.size()) + 1;
          buffer.clear();
          state = State::kHost;
        } else {
          ptrdiff_t end = pointer + 1;
          while (end < size) {
            char d = input[end];
            if (d == '@' || d == '/' || d == '?' || d == '#' || (special && d == '\\')) break;
            ++end;
          }
          buffer.append(input, pointer, end - pointer);
          pointer = end - 1;
        }
        break;

      case State::kHost:
      case State::kHostname:
        if (has_override && url->scheme == "file") {
          --pointer;
          state = State::kFileHost;
        } else if (c == ':' && !inside_brackets) {
          if (buffer.empty()) return false;
          if (has_override && *state_override == State::kHostname) return false;
          std::optional<std::string> host = ParseHost(buffer, !special);
          if (!host) return false;
          url->host = std::move(*host);
          buffer.clear();
          state = State::kPort;
        } else if (c == kEof || c == '/' || c == '?' || c == '#' || (special && c == '\\')) {
          --pointer;
          if (special && buffer.empty()) return false;
          if (has_override && buffer.empty() && (url->IncludesCredentials() || url->port)) {
            return false;
          }
          std::optional<std::string> host = ParseHost(buffer, !special);
          if (!host) return false;
          url->host = std::move(*host);
          buffer.clear();
          state = State::kPathStart;
          if (has_override) return true;
        } else {
          ptrdiff_t end = pointer;
          while (end < size) {
            char d = input[end];
            if (end > pointer && ((d == ':' && !inside_brackets) || d == '/' || d == '?' ||
                                  d == '#' || (special && d == '\\'))) {
              break;
            }
            if (d == '[') inside_brackets = true;
            if (d == ']') inside_brackets = false;
            ++end;
          }
          buffer.append(input, pointer, end - pointer);
          pointer = end - 1;
        }
        break;

      case State::kPort:
        if (IsAsciiDigit(c)) {
          buffer.push_back(static_cast<char>(c));
        } else if (c == kEof || c == '/' || c == '?' || c == '#' || (special && c == '\\') ||
                   has_override) {
          if (!buffer.empty()) {
            uint32_t port = 0;
            for (char d : buffer) {
              port = port * 10 + (d - '0');
              if (port > 65535) return false;
            }
            if (static_cast<int>(port) == DefaultPort(url->scheme)) {
              url->port.reset();
            } else {
              url->port = static_cast<uint16_t>(port);
            }
            buffer.clear();
            if (has_override) return true;
          }
          if (has_override) return false;
          state = State::kPathStart;
          --pointer;
        } else {
          return false;
        }
        break;

      case State::kFile:
        url->scheme = "file";
        special = true;
        url->host = "";
        if (c == '/' || c == '\\') {
          state = State::kFileSlash;
        } else if (base != nullptr && base->scheme == "file") {
          url->host = base->host;
          url->path = base->path;
          url->query = base->query;
          if (c == '?') {
            url->query = "";
            state = State::kQuery;
          } else if (c == '#') {
            url->fragment = "";
            state = State::kFragment;
          } else if (c != kEof) {
            url->query.reset();
            if (!StartsWithWindowsDriveLetter(input.substr(pointer))) {
              ShortenPath(url);
            } else {
              url->path.clear();
            }
            state = State::kPath;
            --pointer;
          }
        } else {
          state = State::kPath;
          --pointer;
        }
        break;

      case State::kFileSlash:
        if (c == '/' || c == '\\') {
          state = State::kFileHost;
        } else {
          if (base != nullptr && base->scheme == "file") {
            url->host = base->host;
            if (!StartsWithWindowsDriveLetter(input.substr(pointer)) && !base->path.empty() &&
                IsNormalizedWindowsDriveLetter(base->path[0])) {
              url->path.push_back(base->path[0]);
            }
          }
          state = State::kPath;
          --pointer;
        }
        break;

      case State::kFileHost:
        if (c == kEof || c == '/' || c == '\\' || c == '?' || c == '#') {
          --pointer;
          if (!has_override && IsWindowsDriveLetter(buffer)) {
            state = State::kPath;
          } else if (buffer.empty()) {
            url->host = "";
            if (has_override) return true;
            state = State::kPathStart;
          } else {
            std::optional<std::string> host = ParseHost(buffer, !special);
            if (!host) return false;
            if (*host == "localhost") host->clear();
            url->host = std::move(*host);
            if (has_override) return true;
            buffer.clear();
            state = State::kPathStart;
          }
        } else {
          buffer.push_back(static_cast<char>(c));
        }
        break;

      case State::kPathStart:
        if (special) {
          state = State::kPath;
          if (c != '/' && c != '\\') --pointer;
        } else if (!has_override && c == '?') {
          url->query = "";
          state = State::kQuery;
        } else if (!has_override && c == '#') {
          url->fragment = "";
          state = State::kFragment;
        } else if (c != kEof) {
          state = State::kPath;
          if (c != '/') --pointer;
        } else if (has_override && !url->host) {
          url->path.emplace_back();
        }
        break;

      case State::kPath: {
        const bool slash = c == '/' || (special && c == '\\');
        if (c == kEof || slash || (!has_override && (c == '?' || c == '#'))) {
          if (IsDoubleDot(buffer)) {
            ShortenPath(url);
            if (!slash) url->path.emplace_back();
          } else if (IsSingleDot(buffer) && !slash) {
            url->path.emplace_back();
          } else if (!IsSingleDot(buffer)) {
            if (url->scheme == "file" && url->path.empty() && IsWindowsDriveLetter(buffer)) {
              buffer[1] = ':';
            }
            url->path.push_back(std::move(buffer));
          }
          buffer.clear();
          if (c == '?') {
            url->query = "";
            state = State::kQuery;
          }
          if (c == '#') {
            url->fragment = "";
            state = State::kFragment;
          }
        } else {
          // The rest of the segment in one go (each code point is handled alike).
          ptrdiff_t end = pointer + 1;
          while (end < size) {
            char d = input[end];
            if (d == '/' || (special && d == '\\') || (!has_override && (d == '?' || d == '#'))) {
              break;
            }
            ++end;
          }
          AppendPercentEncoded(EncodeSet::kPath, input.substr(pointer, end - pointer), &buffer);
          pointer = end - 1;
        }
        break;
      }

      case State::kOpaquePath:
        if (c == '?') {
          url->query = "";
          state = State::kQuery;
        } else if (c == '#') {
          url->fragment = "";
          state = State::kFragment;
        } else if (c == ' ') {
          // A space right before the query or fragment is encoded so that it survives
          // reparsing (trailing spaces of an opaque path would otherwise be stripped).
          if (remaining_starts_with(pointer, '?') || remaining_starts_with(pointer, '#')) {
            url->opaque += "%20";
          } else {
            url->opaque.push_back(' ');
          }
        } else if (c != kEof) {
          AppendPercentEncoded(EncodeSet::kC0Control, static_cast<uint8_t>(c), &url->opaque);
        }
        break;

      case State::kQuery:
        if ((!has_override && c == '#') || c == kEof) {
          AppendPercentEncoded(special ? EncodeSet::kSpecialQuery : EncodeSet::kQuery, buffer,
                               &url->query.value());
          buffer.clear();
          if (c == '#') {
            url->fragment = "";
            state = State::kFragment;
          }
        } else {
          // Up to the fragment (or the end) in one go.
          ptrdiff_t end = pointer + 1;
          while (end < size && (has_override || input[end] != '#'))
            ++end;
          buffer.append(input, pointer, end - pointer);
          pointer = end - 1;
        }
        break;

      case State::kFragment:
        if (c != kEof) {
          AppendPercentEncoded(EncodeSet::kFragment, input.substr(pointer), &url->fragment.value());
          pointer = size - 1;
        }
        break;
    }
    if (pointer >= size) break;
  }
  return true;
}

}  // namespace

std::optional<UrlRecord> Parse(std::string_view input, const UrlRecord* base) {
  UrlRecord url;
  if (!BasicParse(input, base, &url, std::nullopt)) return std::nullopt;
  return url;
}

bool ParseWithOverride(std::string_view input, UrlRecord* url, State state_override) {
  return BasicParse(input, nullptr, url, state_override);
}

bool ApplySetter(UrlRecord* url, Setter setter, std::string_view value) {
  switch (setter) {
    case Setter::kProtocol: {
      std::string input(value);
      input.push_back(':');
      return ParseWithOverride(input, url, State::kSchemeStart);
    }
    case Setter::kUsername:
      if (url->CannotHaveUsernamePasswordPort()) return false;
      url->username.clear();
      AppendPercentEncoded(EncodeSet::kUserinfo, value, &url->username);
      return true;
    case Setter::kPassword:
      if (url->CannotHaveUsernamePasswordPort()) return false;
      url->password.clear();
      AppendPercentEncoded(EncodeSet::kUserinfo, value, &url->password);
      return true;
    case Setter::kHost:
      if (url->opaque_path) return false;
      return ParseWithOverride(value, url, State::kHost);
    case Setter::kHostname:
      if (url->opaque_path) return false;
      return ParseWithOverride(value, url, State::kHostname);
    case Setter::kPort:
      if (url->CannotHaveUsernamePasswordPort()) return false;
      if (value.empty()) {
        url->port.reset();
        return true;
      }
      return ParseWithOverride(value, url, State::kPort);
    case Setter::kPathname:
      if (url->opaque_path) return false;
      url->path.clear();
      return ParseWithOverride(value, url, State::kPathStart);
    case Setter::kSearch:
      if (value.empty()) {
        url->query.reset();
        return true;
      }
      if (value[0] == '?') value.remove_prefix(1);
      url->query = "";
      return ParseWithOverride(value, url, State::kQuery);
    case Setter::kHash:
      if (value.empty()) {
        url->fragment.reset();
        return true;
      }
      if (value[0] == '#') value.remove_prefix(1);
      url->fragment = "";
      return ParseWithOverride(value, url, State::kFragment);
  }
  return false;
}

}  // namespace edgerun::bindings::url
