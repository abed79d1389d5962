// The per-suite table (suite | files | subtests | passed | % | Node 20 passes | expected
// failures): one row per suite run, saved as a small file so the rows of separate ctest runs can
// be combined into build/.../wpt-summary.md and the README.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace edgerun::wpt {

struct SuiteRow {
  std::string suite;
  size_t files = 0;
  size_t subtests = 0;
  size_t passed = 0;
  long node20 = -1;              // -1: none
  size_t expected_subtests = 0;  // listed failing subtests
  size_t expected_files = 0;     // files listed as a whole
};

std::string FormatRow(const SuiteRow& row);  // one tab-separated line
bool ParseRow(std::string_view line, SuiteRow* row);

// The markdown table, rows in the given order plus a total row when there is more than one.
std::string FormatTable(const std::vector<SuiteRow>& rows);

// Replaces the text between `<!-- wpt-table:begin -->` and `<!-- wpt-table:end -->` in
// `document`; false if the markers are missing.
bool ReplaceBetweenMarkers(std::string* document, std::string_view table);

inline constexpr std::string_view kBeginMarker = "<!-- wpt-table:begin -->";
inline constexpr std::string_view kEndMarker = "<!-- wpt-table:end -->";

}  // namespace edgerun::wpt
