// Collects everything wrong with a config file, so the user sees all of it in one run.
// Every line names the file and, where there is one, the JSON path:
//   config.json: $.workers[0].routes[1]: expected a string, got number
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace edgerun::runtime {

class ConfigDiagnostics {
 public:
  explicit ConfigDiagnostics(std::string file) : file_(std::move(file)) {}

  void Error(std::string_view json_path, std::string_view message);
  void Warning(std::string_view json_path, std::string_view message);
  // An error about the file as a whole ("cannot read config: ...").
  void FileError(std::string_view message);
  void SyntaxError(size_t line, size_t column, std::string_view message);

  bool has_errors() const { return !errors_.empty(); }
  std::vector<std::string> TakeErrors() { return std::move(errors_); }
  std::vector<std::string> TakeWarnings() { return std::move(warnings_); }

 private:
  std::string file_;
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
};

// JSON path of a member / an element: JsonMember("$", "workers") is "$.workers",
// JsonIndex("$.workers", 0) is "$.workers[0]"; keys that are not identifiers are quoted:
// $.vars["my-var"].
std::string JsonMember(std::string_view parent, std::string_view key);
std::string JsonIndex(std::string_view parent, size_t index);

// `text` as a JSON string literal, for showing user values unambiguously in messages.
std::string JsonQuote(std::string_view text);

}  // namespace edgerun::runtime
