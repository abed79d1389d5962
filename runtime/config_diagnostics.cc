#include "runtime/config_diagnostics.h"

#include <cstdio>

namespace edgerun::runtime {
namespace {

bool IsIdentifier(std::string_view key) {
  if (key.empty()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

void ConfigDiagnostics::Error(std::string_view json_path, std::string_view message) {
  errors_.push_back(file_ + ": " + std::string(json_path) + ": " + std::string(message));
}

void ConfigDiagnostics::Warning(std::string_view json_path, std::string_view message) {
  warnings_.push_back(file_ + ": " + std::string(json_path) + ": " + std::string(message));
}

void ConfigDiagnostics::FileError(std::string_view message) {
  errors_.push_back(file_ + ": " + std::string(message));
}

void ConfigDiagnostics::SyntaxError(size_t line, size_t column, std::string_view message) {
  errors_.push_back(file_ + ":" + std::to_string(line) + ":" + std::to_string(column) +
                    ": invalid JSON: " + std::string(message));
}

std::string JsonMember(std::string_view parent, std::string_view key) {
  if (IsIdentifier(key)) return std::string(parent) + "." + std::string(key);
  return std::string(parent) + "[" + JsonQuote(key) + "]";
}

std::string JsonIndex(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string JsonQuote(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\r':
        quoted += "\\r";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned char>(c));
          quoted += escape;
        } else {
          quoted += c;
        }
    }
  }
  return quoted + "\"";
}

}  // namespace edgerun::runtime
