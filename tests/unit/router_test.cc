#include "runtime/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace edgerun::runtime {
namespace {

using ::testing::HasSubstr;

class RouterAccepts : public testing::TestWithParam<const char*> {};

TEST_P(RouterAccepts, ValidPattern) {
  std::optional<std::string> error = Router::ValidatePattern(GetParam());
  EXPECT_FALSE(error.has_value()) << GetParam() << ": " << *error;
}

INSTANTIATE_TEST_SUITE_P(Table, RouterAccepts,
                         testing::Values("api.example.com/*", "*.example.com/v1/*",
                                         "*example.com/*", "*/hello*", "example.com/exact",
                                         "example.com/", "*/*", "http://example.com/*",
                                         "HTTPS://Example.COM/Path", "a-b_c.example.com/x-y/%20*",
                                         "localhost/*", "127.0.0.1/*", "example.com.x/a/b/c"));

struct Rejected {
  const char* pattern;
  const char* message;
};

std::ostream& operator<<(std::ostream& out, const Rejected& rejected) {
  return out << '"' << rejected.pattern << '"';
}

class RouterRejects : public testing::TestWithParam<Rejected> {};

TEST_P(RouterRejects, SaysWhatIsWrong) {
  std::optional<std::string> error = Router::ValidatePattern(GetParam().pattern);
  ASSERT_TRUE(error.has_value()) << GetParam().pattern;
  EXPECT_THAT(*error, HasSubstr(GetParam().message)) << GetParam().pattern;
  Router router;
  EXPECT_FALSE(router.Add(GetParam().pattern, 0));
  EXPECT_TRUE(router.empty());
}

constexpr const char* kStarRule =
    "'*' is only allowed at the start of the host and the end of the path";

INSTANTIATE_TEST_SUITE_P(
    Table, RouterRejects,
    testing::Values(Rejected{"", "cannot be empty"},
                    Rejected{"example.com", "a route needs a path: example.com/*"},
                    Rejected{"*example.com*", "a route needs a path: *example.com/*"},
                    Rejected{"*", "a route needs a path: */*"},
                    Rejected{"example.com /*", "cannot contain whitespace"},
                    Rejected{" example.com/*", "cannot contain whitespace"},
                    Rejected{"example.com/\t", "cannot contain whitespace"},
                    Rejected{"example.com/\x01", "control characters"},
                    Rejected{"ex\xc3\xa4mple.com/*", "must be ASCII"},
                    Rejected{"/hello", "a route needs a host; use '*' for any host: */path"},
                    Rejected{"ex*ample.com/*", kStarRule}, Rejected{"example.*/*", kStarRule},
                    Rejected{"**.example.com/*", kStarRule}, Rejected{"example.com/*/x", kStarRule},
                    Rejected{"example.com/a**", kStarRule}, Rejected{"*example.com/*a", kStarRule},
                    Rejected{"example.com:8080/*", "without its port; remove ':8080'"},
                    Rejected{"ftp://example.com/*", "only http:// or https://"},
                    Rejected{"http://https://example.com/*", "only http:// or https://"},
                    Rejected{"example.com/a?b=1",
                             "without the query string or fragment; remove '?b=1'"},
                    Rejected{"example.com/a#top", "remove '#top'"},
                    Rejected{"exa$mple.com/*", "invalid character '$' in host"},
                    Rejected{"[::1]/*", "IPv6 address hosts are not supported"},
                    Rejected{"[::1]:80/*", "IPv6 address hosts are not supported"},
                    Rejected{"*./*", "'*.' needs a domain"},
                    Rejected{".example.com/*", "for subdomains write *.example.com"},
                    Rejected{"a..b/*", "empty label"}, Rejected{"example.com./*", "empty label"},
                    Rejected{"*..example.com/*", "empty label"}));

TEST(Router, NormalizeDropsSchemeAndLowersOnlyTheHost) {
  EXPECT_EQ(Router::NormalizePattern("HTTPS://API.Example.com/V1/*"), "api.example.com/V1/*");
  EXPECT_EQ(Router::NormalizePattern("*/Hello*"), "*/Hello*");
}

TEST(Router, AddRejectsTheSameNormalizedPatternTwice) {
  Router router;
  EXPECT_TRUE(router.Add("example.com/*", 0));
  EXPECT_FALSE(router.Add("example.com/*", 1));
  EXPECT_FALSE(router.Add("https://EXAMPLE.com/*", 1));
  EXPECT_TRUE(router.Add("example.com/", 1));
  EXPECT_TRUE(router.Add("example.com/A*", 1));
  EXPECT_TRUE(router.Add("example.com/a*", 1));  // paths are case-sensitive
}

TEST(Router, EmptyRouterMatchesNothing) {
  Router router;
  EXPECT_TRUE(router.empty());
  EXPECT_EQ(router.Match("example.com", "/"), std::nullopt);
}

struct Case {
  const char* host;
  const char* target;
  std::optional<size_t> worker;
};

void ExpectMatches(const Router& router, std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(router.Match(c.host, c.target), c.worker)
        << "host=" << c.host << " target=" << c.target;
  }
}

constexpr std::optional<size_t> kNone = std::nullopt;

TEST(Router, ExactHostAndPath) {
  Router router;
  ASSERT_TRUE(router.Add("example.com/exact", 7));
  ExpectMatches(router, {
                            {"example.com", "/exact", 7},
                            {"example.com", "/exact?x=1", 7},
                            {"example.com", "/exact#frag", 7},
                            {"example.com:8080", "/exact", 7},
                            {"EXAMPLE.COM", "/exact", 7},
                            {"example.com.", "/exact", 7},
                            {"example.com", "/Exact", kNone},
                            {"example.com", "/exact/", kNone},
                            {"example.com", "/exactly", kNone},
                            {"www.example.com", "/exact", kNone},
                            {"example.org", "/exact", kNone},
                            {"", "/exact", kNone},
                        });
}

TEST(Router, PathPrefix) {
  Router router;
  ASSERT_TRUE(router.Add("*/hello*", 1));
  ExpectMatches(router, {
                            {"any.host", "/hello", 1},
                            {"any.host", "/hello/world", 1},
                            {"any.host", "/helloworld", 1},
                            {"any.host", "/hello?q", 1},
                            {"", "/hello", 1},
                            {"[::1]:8080", "/hello", 1},
                            {"any.host", "/hell", kNone},
                            {"any.host", "/Hello", kNone},
                            {"any.host", "/x/hello", kNone},
                            {"any.host", "/hell?o", kNone},
                        });
}

TEST(Router, HostWildcards) {
  Router subdomains;
  ASSERT_TRUE(subdomains.Add("*.example.com/*", 1));
  ExpectMatches(subdomains, {
                                {"a.example.com", "/", 1},
                                {"a.b.example.com", "/x", 1},
                                {"A.Example.Com:443", "/x", 1},
                                {"example.com", "/", kNone},
                                {"badexample.com", "/", kNone},
                                {"example.com.evil", "/", kNone},
                            });
  Router domain_and_subdomains;
  ASSERT_TRUE(domain_and_subdomains.Add("*example.com/*", 2));
  ExpectMatches(domain_and_subdomains, {
                                           {"example.com", "/", 2},
                                           {"www.example.com", "/a", 2},
                                           {"badexample.com", "/", kNone},
                                           {"example.org", "/", kNone},
                                       });
  Router any;
  ASSERT_TRUE(any.Add("*/*", 3));
  ExpectMatches(any, {{"whatever", "/", 3}, {"", "", 3}, {"x", "/a/b?c", 3}});
}

TEST(Router, TargetForms) {
  Router router;
  ASSERT_TRUE(router.Add("example.com/", 1));
  ASSERT_TRUE(router.Add("example.com/api/*", 2));
  ExpectMatches(router, {
                            {"example.com", "", 1},
                            {"example.com", "?q=1", 1},
                            {"example.com", "http://example.com", 1},
                            {"example.com", "http://example.com/api/x?y", 2},
                            {"example.com", "*", kNone},
                        });
}

TEST(Router, MostSpecificHostWinsBeforePath) {
  Router router;
  // Added least specific first, so order of addition cannot explain the results.
  ASSERT_TRUE(router.Add("*/*", 0));
  ASSERT_TRUE(router.Add("*/api/v1/users/exact", 1));
  ASSERT_TRUE(router.Add("*example.com/*", 2));
  ASSERT_TRUE(router.Add("*.example.com/*", 3));
  ASSERT_TRUE(router.Add("*.api.example.com/*", 4));
  ASSERT_TRUE(router.Add("api.example.com/*", 5));
  ExpectMatches(router, {
                            {"api.example.com", "/api/v1/users/exact", 5},  // exact host
                            {"x.api.example.com", "/", 4},                  // longer suffix
                            {"www.example.com", "/api/v1/users/exact", 3},
                            {"example.com", "/api/v1/users/exact", 2},
                            {"other.org", "/api/v1/users/exact", 1},
                            {"other.org", "/", 0},
                        });
}

TEST(Router, WithinAHostExactPathThenLongerPrefix) {
  Router router;
  ASSERT_TRUE(router.Add("example.com/*", 0));
  ASSERT_TRUE(router.Add("example.com/api*", 1));
  ASSERT_TRUE(router.Add("example.com/api/v1/*", 2));
  ASSERT_TRUE(router.Add("example.com/api/v1/health", 3));
  ASSERT_TRUE(router.Add("example.com/api/v1/health*", 4));
  ExpectMatches(router, {
                            {"example.com", "/api/v1/health", 3},
                            {"example.com", "/api/v1/healthz", 4},
                            {"example.com", "/api/v1/x", 2},
                            {"example.com", "/api/v2", 1},
                            {"example.com", "/apis", 1},
                            {"example.com", "/", 0},
                        });
}

// Two different patterns of equal rank can never both match one request (equal-length host
// suffixes or paths of the same request are the same text), so a tie is always the same
// normalized pattern: the first Add keeps it.
TEST(Router, EqualPatternTieGoesToTheFirstAdded) {
  Router router;
  ASSERT_TRUE(router.Add("*/a*", 1));
  EXPECT_FALSE(router.Add("http://*/a*", 2));
  EXPECT_FALSE(router.Add("*/a*", 3));
  EXPECT_EQ(router.Match("h", "/abc"), 1u);
}

TEST(Router, LongerWildcardSuffixBeatsShorterOneForTheSameHost) {
  Router router;
  ASSERT_TRUE(router.Add("*.a.example.com/x*", 1));
  ASSERT_TRUE(router.Add("*b.a.example.com/x*", 2));
  EXPECT_EQ(router.Match("b.a.example.com", "/x"), 2u);
  EXPECT_EQ(router.Match("z.b.a.example.com", "/x"), 2u);
  EXPECT_EQ(router.Match("c.a.example.com", "/x"), 1u);
}

TEST(Router, SchemeInPatternIsIgnored) {
  Router router;
  ASSERT_TRUE(router.Add("https://Example.com/a*", 1));
  EXPECT_EQ(router.Match("example.com", "/abc"), 1u);
  EXPECT_EQ(router.Match("EXAMPLE.com:80", "/a"), 1u);
}

}  // namespace
}  // namespace edgerun::runtime

namespace edgerun::runtime {
namespace {

TEST(RouterIndex, ExactHostOutranksAWildcardAddedEarlier) {
  Router router;
  ASSERT_TRUE(router.Add("*/*", 0));
  ASSERT_TRUE(router.Add("api.example.com/v1/*", 1));
  EXPECT_EQ(router.Match("API.Example.com:8080", "/v1/users?x=1"), 1u);
  // The exact host has no route for this path: the wildcard catches it.
  EXPECT_EQ(router.Match("api.example.com", "/other"), 0u);
  EXPECT_EQ(router.Match("other.example.com", "/v1/users"), 0u);
}

TEST(RouterIndex, ThousandsOfHostRoutes) {
  Router router;
  for (size_t i = 0; i < 5000; ++i) {
    ASSERT_TRUE(router.Add("w" + std::to_string(i) + ".test/*", i));
  }
  EXPECT_FALSE(router.Add("W42.test/*", 7));  // the same pattern, normalized
  EXPECT_EQ(router.Match("w0.test", "/"), 0u);
  EXPECT_EQ(router.Match("w4999.test", "/a/b"), 4999u);
  EXPECT_EQ(router.Match("w5000.test", "/"), std::nullopt);
}

}  // namespace
}  // namespace edgerun::runtime
