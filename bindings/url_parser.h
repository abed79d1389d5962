// The basic URL parser (URL Standard §4.4) over UTF-8 input, and the URL setters built on its
// state overrides.
#pragma once

#include <optional>
#include <string_view>

#include "bindings/url_record.h"

namespace edgerun::bindings::url {

enum class State {
  kSchemeStart,
  kScheme,
  kNoScheme,
  kSpecialRelativeOrAuthority,
  kPathOrAuthority,
  kRelative,
  kRelativeSlash,
  kSpecialAuthoritySlashes,
  kSpecialAuthorityIgnoreSlashes,
  kAuthority,
  kHost,
  kHostname,
  kPort,
  kFile,
  kFileSlash,
  kFileHost,
  kPathStart,
  kPath,
  kOpaquePath,
  kQuery,
  kFragment,
};

// Parses `input` (UTF-8, lone surrogates already replaced) against `base` (may be null).
std::optional<UrlRecord> Parse(std::string_view input, const UrlRecord* base);

// Runs the parser on an existing record with a state override. False means failure; `url` may
// then be partly changed, which is what the setters want.
bool ParseWithOverride(std::string_view input, UrlRecord* url, State state_override);

enum class Setter {
  kProtocol,
  kUsername,
  kPassword,
  kHost,
  kHostname,
  kPort,
  kPathname,
  kSearch,
  kHash,
};

// The URL setters (URL Standard §6.1) other than href. False: the value was (partly) rejected.
bool ApplySetter(UrlRecord* url, Setter setter, std::string_view value);

}  // namespace edgerun::bindings::url
