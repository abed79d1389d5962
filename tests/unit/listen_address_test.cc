#include "runtime/listen_address.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace edgerun::runtime {
namespace {

using ::testing::HasSubstr;

struct Accepted {
  const char* text;
  const char* host;
  uint16_t port;
  bool ipv6;
  const char* canonical;
};

std::ostream& operator<<(std::ostream& out, const Accepted& accepted) {
  return out << '"' << accepted.text << '"';
}

class ListenAddressAccepts : public testing::TestWithParam<Accepted> {};

TEST_P(ListenAddressAccepts, ParsesAndPrints) {
  const Accepted& want = GetParam();
  std::string error;
  std::optional<ListenAddress> address = ParseListenAddress(want.text, &error);
  ASSERT_TRUE(address.has_value()) << want.text << ": " << error;
  EXPECT_EQ(address->host, want.host);
  EXPECT_EQ(address->port, want.port);
  EXPECT_EQ(address->ipv6, want.ipv6);
  EXPECT_EQ(address->ToString(), want.canonical);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ListenAddressAccepts,
    testing::Values(Accepted{"127.0.0.1:8080", "127.0.0.1", 8080, false, "127.0.0.1:8080"},
                    Accepted{"0.0.0.0:80", "0.0.0.0", 80, false, "0.0.0.0:80"},
                    Accepted{"10.1.2.3:0", "10.1.2.3", 0, false, "10.1.2.3:0"},
                    Accepted{"255.255.255.255:65535", "255.255.255.255", 65535, false,
                             "255.255.255.255:65535"},
                    Accepted{"[::1]:8080", "::1", 8080, true, "[::1]:8080"},
                    Accepted{"[::]:0", "::", 0, true, "[::]:0"},
                    Accepted{"[0:0:0:0:0:0:0:1]:443", "::1", 443, true, "[::1]:443"},
                    Accepted{"[2001:DB8::1]:8443", "2001:db8::1", 8443, true, "[2001:db8::1]:8443"},
                    Accepted{"localhost:8080", "127.0.0.1", 8080, false, "127.0.0.1:8080"},
                    Accepted{"LocalHost:9", "127.0.0.1", 9, false, "127.0.0.1:9"},
                    Accepted{"127.0.0.1:00080", "127.0.0.1", 80, false, "127.0.0.1:80"}));

struct Rejected {
  const char* text;
  const char* message;
};

std::ostream& operator<<(std::ostream& out, const Rejected& rejected) {
  return out << '"' << rejected.text << '"';
}

class ListenAddressRejects : public testing::TestWithParam<Rejected> {};

TEST_P(ListenAddressRejects, ExplainsWhy) {
  const Rejected& want = GetParam();
  std::string error;
  EXPECT_FALSE(ParseListenAddress(want.text, &error).has_value()) << want.text;
  EXPECT_THAT(error, HasSubstr(want.message)) << want.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ListenAddressRejects,
    testing::Values(
        Rejected{"", "expected ADDR:PORT such as 127.0.0.1:8080"},
        Rejected{"8080", "expected ADDR:PORT such as 127.0.0.1:8080"},
        Rejected{":8080", "expected ADDR:PORT such as 127.0.0.1:8080"},
        Rejected{"127.0.0.1", "expected ADDR:PORT such as 127.0.0.1:8080"},
        Rejected{"127.0.0.1:", "the port is missing"},
        Rejected{"127.0.0.1:65536", "port out of range"},
        Rejected{"127.0.0.1:99999999999999999999", "port out of range"},
        Rejected{"127.0.0.1:http", "the port must be a number from 0 to 65535, got 'http'"},
        Rejected{"127.0.0.1:-1", "the port must be a number"},
        Rejected{"127.0.0.1:80 ", "the port must be a number"},
        Rejected{"::1:8080", "IPv6 addresses need brackets: [::1]:8080"},
        Rejected{"::", "IPv6 addresses need brackets"},
        Rejected{"[::1]", "expected ':PORT' after ']'"}, Rejected{"[::1:8080", "missing ']'"},
        Rejected{"[127.0.0.1]:80", "'127.0.0.1' is not a valid IPv6 address"},
        Rejected{"[fe80::1%eth0]:80", "zone ids"}, Rejected{"[::1]:70000", "port out of range"},
        Rejected{"256.0.0.1:80", "'256.0.0.1' is not a valid IPv4 address"},
        Rejected{"1.2.3:80", "'1.2.3' is not a valid IPv4 address"},
        Rejected{"example.com:80", "'example.com' is a hostname; use a numeric address"},
        Rejected{"my-host:80", "only 'localhost'"}));

TEST(ListenAddress, NullErrorPointerIsAllowed) {
  EXPECT_FALSE(ParseListenAddress("nope", nullptr).has_value());
  EXPECT_TRUE(ParseListenAddress("127.0.0.1:1", nullptr).has_value());
}

}  // namespace
}  // namespace edgerun::runtime
