#include "bindings/url_parser.h"

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

std::string Preprocess(std::string_view input, bool trim) {
  if (trim) {
    while (!input.empty() && static_cast<uint8_t>(input.front()) <= 0x20)
      input.remove_prefix(1);
    while (!input.empty() && static_cast<uint8_t>(input.back()) <= 0x20)
      input.remove_suffix(1);
  }
  std::string out;
  out.reserve(input.size());
  for (char c : input) {
    if (c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

// Returns false on failure. `state_override` is nullopt for a plain parse.
bool BasicParse(std::string_view raw, const UrlRecord* base, UrlRecord* url,
                std::optional<State> state_override) {
  const bool has_override = state_override.has_value();
  const std::string input = Preprocess(raw, !has_override);
  const ptrdiff_t size = static_cast<ptrdiff_t>(input.size());
  State state = has_override ? *state_override : State::kSchemeStart;
  std::string buffer;
  bool at_sign_seen = false, inside_brackets = false, password_token_seen = false;
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
            if (url->IsSpecial() != IsSpecialScheme(buffer)) return true;
            if ((url->IncludesCredentials() || url->port) && buffer == "file") return true;
            if (url->scheme == "file" && url->host && url->host->empty()) return true;
          }
          url->scheme = buffer;
          if (has_override) {
            if (url->port && *url->port == DefaultPort(url->scheme)) url->port.reset();
            return true;
          }
          buffer.clear();
          if (url->scheme == "file") {
            state = State::kFile;
          } else if (url->IsSpecial() && base != nullptr && base->scheme == url->scheme) {
            state = State::kSpecialRelativeOrAuthority;
          } else if (url->IsSpecial()) {
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
        if (c == '/' || (url->IsSpecial() && c == '\\')) {
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
        if (url->IsSpecial() && (c == '/' || c == '\\')) {
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
        } else if (c == kEof || c == '/' || c == '?' || c == '#' ||
                   (url->IsSpecial() && c == '\\')) {
          if (at_sign_seen && buffer.empty()) return false;
          pointer -= static_cast<ptrdiff_t>(buffer.size()) + 1;
          buffer.clear();
          state = State::kHost;
        } else {
          buffer.push_back(static_cast<char>(c));
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
          std::optional<std::string> host = ParseHost(buffer, !url->IsSpecial());
          if (!host) return false;
          url->host = std::move(*host);
          buffer.clear();
          state = State::kPort;
        } else if (c == kEof || c == '/' || c == '?' || c == '#' ||
                   (url->IsSpecial() && c == '\\')) {
          --pointer;
          if (url->IsSpecial() && buffer.empty()) return false;
          if (has_override && buffer.empty() && (url->IncludesCredentials() || url->port)) {
            return false;
          }
          std::optional<std::string> host = ParseHost(buffer, !url->IsSpecial());
          if (!host) return false;
          url->host = std::move(*host);
          buffer.clear();
          state = State::kPathStart;
          if (has_override) return true;
        } else {
          if (c == '[') inside_brackets = true;
          if (c == ']') inside_brackets = false;
          buffer.push_back(static_cast<char>(c));
        }
        break;

      case State::kPort:
        if (IsAsciiDigit(c)) {
          buffer.push_back(static_cast<char>(c));
        } else if (c == kEof || c == '/' || c == '?' || c == '#' ||
                   (url->IsSpecial() && c == '\\') || has_override) {
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
            if (!StartsWithWindowsDriveLetter(std::string_view(input).substr(pointer))) {
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
            if (!StartsWithWindowsDriveLetter(std::string_view(input).substr(pointer)) &&
                !base->path.empty() && IsNormalizedWindowsDriveLetter(base->path[0])) {
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
            std::optional<std::string> host = ParseHost(buffer, !url->IsSpecial());
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
        if (url->IsSpecial()) {
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
        const bool slash = c == '/' || (url->IsSpecial() && c == '\\');
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
            url->path.push_back(buffer);
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
          AppendPercentEncoded(EncodeSet::kPath, static_cast<uint8_t>(c), &buffer);
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
          AppendPercentEncoded(url->IsSpecial() ? EncodeSet::kSpecialQuery : EncodeSet::kQuery,
                               buffer, &url->query.value());
          buffer.clear();
          if (c == '#') {
            url->fragment = "";
            state = State::kFragment;
          }
        } else {
          buffer.push_back(static_cast<char>(c));
        }
        break;

      case State::kFragment:
        if (c != kEof) {
          AppendPercentEncoded(EncodeSet::kFragment, static_cast<uint8_t>(c),
                               &url->fragment.value());
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
