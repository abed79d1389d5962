#include "tests/conformance/wpt_report.h"

#include <cstdio>
#include <sstream>

namespace edgerun::wpt {
namespace {

std::string Percent(size_t part, size_t whole) {
  if (whole == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) / whole);
  return buf;
}

std::string Expected(const SuiteRow& row) {
  std::string s = std::to_string(row.expected_subtests) + " subtests";
  if (row.expected_files > 0) s += " + " + std::to_string(row.expected_files) + " whole files";
  return s;
}

}  // namespace

std::string FormatRow(const SuiteRow& row) {
  std::ostringstream s;
  s << row.suite << '\t' << row.files << '\t' << row.subtests << '\t' << row.passed << '\t'
    << row.node20 << '\t' << row.expected_subtests << '\t' << row.expected_files << '\n';
  return s.str();
}

bool ParseRow(std::string_view line, SuiteRow* row) {
  std::istringstream s{std::string(line)};
  return static_cast<bool>(std::getline(s, row->suite, '\t') >> row->files >> row->subtests >>
                           row->passed >> row->node20 >> row->expected_subtests >>
                           row->expected_files);
}

std::string FormatTable(const std::vector<SuiteRow>& rows) {
  std::string out =
      "| suite | files | subtests | passed | % | Node 20 passes | expected failures |\n"
      "| --- | ---: | ---: | ---: | ---: | ---: | --- |\n";
  SuiteRow total;
  total.suite = "**total**";
  total.node20 = 0;
  for (const SuiteRow& r : rows) {
    out += "| " + r.suite + " | " + std::to_string(r.files) + " | " + std::to_string(r.subtests) +
           " | " + std::to_string(r.passed) + " | " + Percent(r.passed, r.subtests) + " | " +
           (r.node20 < 0 ? std::string("-") : std::to_string(r.node20)) + " | " + Expected(r) +
           " |\n";
    total.files += r.files;
    total.subtests += r.subtests;
    total.passed += r.passed;
    total.node20 += r.node20 < 0 ? 0 : r.node20;
    total.expected_subtests += r.expected_subtests;
    total.expected_files += r.expected_files;
  }
  if (rows.size() > 1) {
    out += "| " + total.suite + " | " + std::to_string(total.files) + " | " +
           std::to_string(total.subtests) + " | " + std::to_string(total.passed) + " | " +
           Percent(total.passed, total.subtests) + " | " + std::to_string(total.node20) + " | " +
           Expected(total) + " |\n";
  }
  return out;
}

bool ReplaceBetweenMarkers(std::string* document, std::string_view table) {
  size_t begin = document->find(kBeginMarker);
  if (begin == std::string::npos) return false;
  size_t end = document->find(kEndMarker, begin);
  if (end == std::string::npos) return false;
  begin += kBeginMarker.size();
  document->replace(begin, end - begin, "\n" + std::string(table));
  return true;
}

}  // namespace edgerun::wpt
