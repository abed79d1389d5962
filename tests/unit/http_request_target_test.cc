#include "runtime/http_request_target.h"

#include <gtest/gtest.h>

#include <string>

namespace edgerun::runtime {
namespace {

struct Normalized {
  bool ok;
  std::string target;
  std::string authority;
};

Normalized Normalize(std::string target, bool is_options = false) {
  std::string authority;
  const bool ok = NormalizeRequestTarget(target, is_options, &authority);
  return {ok, target, authority};
}

TEST(HttpRequestTarget, OriginFormIsKept) {
  auto n = Normalize("/a/b?c=d");
  EXPECT_TRUE(n.ok);
  EXPECT_EQ(n.target, "/a/b?c=d");
  EXPECT_EQ(n.authority, "");
  EXPECT_TRUE(Normalize("//double").ok);
}

TEST(HttpRequestTarget, AbsoluteFormBecomesOriginForm) {
  auto n = Normalize("http://h:1/p?q");
  EXPECT_TRUE(n.ok);
  EXPECT_EQ(n.target, "/p?q");
  EXPECT_EQ(n.authority, "h:1");
  n = Normalize("HTTPS://Example.com");
  EXPECT_TRUE(n.ok);
  EXPECT_EQ(n.target, "/");
  EXPECT_EQ(n.authority, "Example.com");
  n = Normalize("http://h?x=1");
  EXPECT_EQ(n.target, "/?x=1");
  EXPECT_EQ(n.authority, "h");
  n = Normalize("http://[2001:db8::1]:8080/a");
  EXPECT_EQ(n.authority, "[2001:db8::1]:8080");
  EXPECT_EQ(n.target, "/a");
}

TEST(HttpRequestTarget, Rejected) {
  EXPECT_FALSE(Normalize("").ok);
  EXPECT_FALSE(Normalize("/a#frag").ok);
  EXPECT_FALSE(Normalize("*").ok);
  EXPECT_TRUE(Normalize("*", /*is_options=*/true).ok);
  EXPECT_FALSE(Normalize("a/b").ok);
  EXPECT_FALSE(Normalize("ftp://h/").ok);
  EXPECT_FALSE(Normalize("http:/h/").ok);
  EXPECT_FALSE(Normalize("http:///a").ok);
  EXPECT_FALSE(Normalize("http://user:pw@h/").ok);
  EXPECT_FALSE(Normalize("http://h h/").ok);
  EXPECT_FALSE(Normalize("h:443").ok);
}

TEST(HttpRequestTarget, HostValues) {
  EXPECT_TRUE(IsValidHostValue("example.com"));
  EXPECT_TRUE(IsValidHostValue("example.com:8080"));
  EXPECT_TRUE(IsValidHostValue("[::1]:80"));
  EXPECT_TRUE(IsValidHostValue("xn--bcher-kva.example"));
  EXPECT_TRUE(IsValidHostValue(""));
  EXPECT_FALSE(IsValidHostValue("a b"));
  EXPECT_FALSE(IsValidHostValue("a/b"));
  EXPECT_FALSE(IsValidHostValue("u@h"));
  EXPECT_FALSE(IsValidHostValue("h?x"));
  EXPECT_FALSE(IsValidHostValue("h#x"));
  EXPECT_FALSE(IsValidHostValue(std::string("h\0x", 3)));
  EXPECT_FALSE(IsValidHostValue("h\xff"));
}

}  // namespace
}  // namespace edgerun::runtime
