#include "runtime/did_you_mean.h"

#include <gtest/gtest.h>

namespace edgerun::runtime {
namespace {

TEST(EditDistance, CountsSwapsAsOneAndIgnoresCase) {
  EXPECT_EQ(EditDistance("main", "main"), 0u);
  EXPECT_EQ(EditDistance("mian", "main"), 1u);
  EXPECT_EQ(EditDistance("Main", "main"), 0u);
  EXPECT_EQ(EditDistance("route", "routes"), 1u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(ClosestMatch, SuggestsOnlyPlausibleTypos) {
  constexpr std::string_view keys[] = {"name", "main", "format", "routes", "vars", "secrets"};
  EXPECT_EQ(ClosestMatch("mian", keys), "main");
  EXPECT_EQ(ClosestMatch("route", keys), "routes");
  EXPECT_EQ(ClosestMatch("secret", keys), "secrets");
  EXPECT_EQ(ClosestMatch("FORMAT", keys), "format");
  EXPECT_EQ(ClosestMatch("xyz", keys), std::nullopt);
  EXPECT_EQ(ClosestMatch("kv_namespaces", keys), std::nullopt);
  // Two-letter words get no slack beyond case.
  constexpr std::string_view short_keys[] = {"ab", "cd"};
  EXPECT_EQ(ClosestMatch("ax", short_keys), std::nullopt);
  EXPECT_EQ(ClosestMatch("AB", short_keys), "ab");
  // Ties go to the earlier candidate.
  constexpr std::string_view tied[] = {"abcd", "abce"};
  EXPECT_EQ(ClosestMatch("abcx", tied), "abcd");
}

}  // namespace
}  // namespace edgerun::runtime
