#include "tests/conformance/wpt_expectations.h"

#include <simdjson.h>

#include <regex>
#include <set>

namespace edgerun::wpt {
namespace {

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  *out += '"';
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          *out += "\\u00";
          *out += kHex[u >> 4];
          *out += kHex[u & 15];
        } else {
          *out += c;
        }
    }
  }
  *out += '"';
}

std::string OneLine(std::string_view s, size_t max = 160) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

std::string Placeholder(std::string_view what) {
  return std::string(kPlaceholderPrefix) + " " + OneLine(what);
}

// A failure whose message says a global is missing explains itself; anything else needs a
// person to say why.
std::string ReasonFor(std::string_view what, const std::string& message) {
  static const std::regex kMissing(R"((?:^|ReferenceError: )(\w+) is not defined)");
  std::smatch m;
  if (std::regex_search(message, m, kMissing)) {
    return m[1].str() + " is not implemented yet (ReferenceError: " + m[1].str() +
           " is not defined)";
  }
  return Placeholder(std::string(what) + ": " + message);
}

// A reason ReasonFor() derived from a missing global: it goes stale once the global exists, so
// --update derives it again from the current message instead of keeping it.
bool IsDerivedReason(const std::string& reason) {
  static const std::regex kDerived(
      R"(^(\w+) is not implemented yet \(ReferenceError: \1 is not defined\)$)");
  return std::regex_match(reason, kDerived);
}

// The reason to keep for a still-failing entry: a person's reason stays; a derived one is
// derived again.
std::string KeptReason(const std::string& old, std::string_view what, const std::string& message) {
  if (old.empty() || IsDerivedReason(old)) return ReasonFor(what, message);
  return old;
}

bool IsFailure(const SubtestResult& s) {
  return s.status != SubtestStatus::kPass;
}

}  // namespace

const char* SubtestStatusName(SubtestStatus status) {
  switch (status) {
    case SubtestStatus::kPass:
      return "PASS";
    case SubtestStatus::kFail:
      return "FAIL";
    case SubtestStatus::kTimeout:
      return "TIMEOUT";
    case SubtestStatus::kNotRun:
      return "NOTRUN";
    case SubtestStatus::kPrecondition:
      return "PRECONDITION_FAILED";
  }
  return "?";
}

const char* FileStatusName(FileStatus status) {
  switch (status) {
    case FileStatus::kOk:
      return "OK";
    case FileStatus::kLoadError:
      return "load error";
    case FileStatus::kHarnessError:
      return "harness error";
    case FileStatus::kTimeout:
      return "timeout";
    case FileStatus::kCrash:
      return "crash";
  }
  return "?";
}

bool ParseExpectations(std::string_view json, Expectations* out, std::string* error) {
  out->clear();
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (auto e = parser.parse(padded).get(root); e != simdjson::SUCCESS) {
    *error = std::string("invalid JSON: ") + simdjson::error_message(e);
    return false;
  }
  simdjson::dom::object files;
  if (root.get(files) != simdjson::SUCCESS) {
    *error = "the top level must be an object keyed by test file";
    return false;
  }
  for (auto [file, value] : files) {
    FileExpectation& fe = (*out)[std::string(file)];
    std::string_view reason;
    simdjson::dom::object subtests;
    if (value.get(reason) == simdjson::SUCCESS) {
      fe.whole_file = true;
      fe.reason = reason;
    } else if (value.get(subtests) == simdjson::SUCCESS) {
      for (auto [name, r] : subtests) {
        if (r.get(reason) != simdjson::SUCCESS) {
          *error = std::string(file) + ": " + std::string(name) + ": the reason must be a string";
          return false;
        }
        fe.subtests[std::string(name)] = reason;
      }
    } else {
      *error = std::string(file) + ": expected a reason string or an object of subtests";
      return false;
    }
  }
  return true;
}

std::string SerializeExpectations(const Expectations& expectations) {
  std::string out = "{";
  bool first_file = true;
  for (const auto& [file, fe] : expectations) {
    if (!fe.whole_file && fe.subtests.empty()) continue;
    out += first_file ? "\n  " : ",\n  ";
    first_file = false;
    AppendJsonString(file, &out);
    out += ": ";
    if (fe.whole_file) {
      AppendJsonString(fe.reason, &out);
      continue;
    }
    out += "{";
    bool first = true;
    for (const auto& [name, reason] : fe.subtests) {
      out += first ? "\n    " : ",\n    ";
      first = false;
      AppendJsonString(name, &out);
      out += ": ";
      AppendJsonString(reason, &out);
    }
    out += "\n  }";
  }
  out += first_file ? "}\n" : "\n}\n";
  return out;
}

Diff Compare(const std::vector<FileResult>& results, const Expectations& expectations,
             bool complete) {
  Diff diff;
  std::set<std::string> seen_files;
  for (const FileResult& r : results) {
    seen_files.insert(r.path);
    auto it = expectations.find(r.path);
    const FileExpectation* fe = it == expectations.end() ? nullptr : &it->second;
    if (r.status != FileStatus::kOk) {
      if (fe == nullptr || !fe->whole_file) {
        diff.unexpected_failures.push_back(r.path + ": " + FileStatusName(r.status) + ": " +
                                           OneLine(r.message, 400));
      }
      continue;
    }
    if (fe != nullptr && fe->whole_file) {
      size_t failing = 0;
      for (const auto& s : r.subtests)
        failing += IsFailure(s);
      if (failing == 0) {
        diff.unexpected_passes.push_back(r.path + " (whole file)");
      } else {
        diff.unexpected_passes.push_back(
            r.path + " (whole file): it now completes with " + std::to_string(failing) +
            " failing subtest(s); list those instead of the whole file (edgerun_wpt --update)");
      }
      continue;
    }
    std::set<std::string> reported;
    for (const auto& s : r.subtests) {
      reported.insert(s.name);
      bool listed = fe != nullptr && fe->subtests.count(s.name);
      if (IsFailure(s) && !listed) {
        diff.unexpected_failures.push_back(r.path + ": " + s.name + ": " +
                                           SubtestStatusName(s.status) + ": " +
                                           OneLine(s.message, 400));
      }
    }
    // A name reported twice counts as failing if any report failed.
    std::set<std::string> failing;
    for (const auto& s : r.subtests)
      if (IsFailure(s)) failing.insert(s.name);
    if (fe != nullptr) {
      for (const auto& [name, reason] : fe->subtests) {
        if (!reported.count(name)) {
          diff.stale.push_back(r.path + ": " + name + ": listed but not reported by the file");
        } else if (!failing.count(name)) {
          diff.unexpected_passes.push_back(r.path + ": " + name);
        }
      }
    }
  }
  if (complete) {
    for (const auto& [file, fe] : expectations) {
      if (!seen_files.count(file)) diff.stale.push_back(file + ": listed but not in the suite");
    }
  }
  return diff;
}

Expectations Update(const std::vector<FileResult>& results, const Expectations& old,
                    bool complete) {
  Expectations out;
  if (!complete) out = old;
  for (const FileResult& r : results) {
    out.erase(r.path);
    auto it = old.find(r.path);
    const FileExpectation* prev = it == old.end() ? nullptr : &it->second;
    if (r.status != FileStatus::kOk) {
      FileExpectation& fe = out[r.path];
      fe.whole_file = true;
      fe.reason = KeptReason(prev != nullptr && prev->whole_file ? prev->reason : "",
                             FileStatusName(r.status), r.message);
      continue;
    }
    FileExpectation fe;
    for (const auto& s : r.subtests) {
      if (!IsFailure(s) || fe.subtests.count(s.name)) continue;
      std::string reason;
      if (prev != nullptr && !prev->whole_file) {
        auto p = prev->subtests.find(s.name);
        if (p != prev->subtests.end()) reason = p->second;
      }
      reason = KeptReason(reason, SubtestStatusName(s.status), s.message);
      fe.subtests[s.name] = reason;
    }
    if (!fe.subtests.empty()) out[r.path] = std::move(fe);
  }
  return out;
}

std::vector<std::string> UnexplainedEntries(const Expectations& expectations) {
  auto bad = [](const std::string& reason) {
    return reason.find_first_not_of(" \t") == std::string::npos ||
           std::string_view(reason).substr(0, kPlaceholderPrefix.size()) == kPlaceholderPrefix;
  };
  std::vector<std::string> out;
  for (const auto& [file, fe] : expectations) {
    if (fe.whole_file && bad(fe.reason)) out.push_back(file + " (whole file)");
    for (const auto& [name, reason] : fe.subtests)
      if (bad(reason)) out.push_back(file + ": " + name);
  }
  return out;
}

ExpectationCounts Count(const Expectations& expectations) {
  ExpectationCounts c;
  for (const auto& [file, fe] : expectations) {
    if (fe.whole_file) {
      ++c.files;
    } else {
      c.subtests += fe.subtests.size();
    }
  }
  return c;
}

}  // namespace edgerun::wpt
