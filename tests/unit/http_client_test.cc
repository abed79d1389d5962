// The outbound client against a small origin on loopback (a thread with blocking sockets): heads,
// sized/chunked/close-delimited bodies read through the body stream, pooling, the SSRF guard,
// cancellation and connection errors.
#include "runtime/http_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>

#include "runtime/outbound_address.h"
#include "tests/support/loopback_origin.h"
#include "tests/support/tls_origin.h"

namespace edgerun::runtime {
namespace {

std::string Respond(const std::string& request) {
  const std::string target = testing::LoopbackOrigin::Target(request);
  if (target == "/sized") return "HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-a: 1\r\n\r\nhello";
  if (target == "/chunked") {
    return "HTTP/1.1 201 Created\r\ntransfer-encoding: "
           "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  }
  if (target == "/close") return "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil the end";
  if (target == "/echo") {
    std::string b = request.substr(request.find("\r\n\r\n") + 4);
    return "HTTP/1.1 200 OK\r\ncontent-length: " + std::to_string(b.size()) + "\r\n\r\n" + b;
  }
  if (target == "/slow") return "";  // never answers
  return "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";
}

class HttpClientTest : public ::testing::Test {
 protected:
  HttpClientTest() {
    uv_loop_init(&loop_);
    HttpClientOptions options;
    options.response_timeout_ms = 300;
    client_.emplace(&loop_, options);
  }
  ~HttpClientTest() override {
    client_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
  }
  struct Got {
    OutboundResult head;
    std::string body;
    bool ended = false;
    std::string body_error;
  };
  // Fetches and reads the whole body; runs the loop until done (bounded).
  Got Fetch(OutboundRequest request) {
    Got got;
    bool finished = false;
    std::function<void()> read_more;
    client_->Start(std::move(request), [&](OutboundResult result) {
      got.head = std::move(result);
      if (!got.head.error.empty()) {
        finished = true;
        return;
      }
      if (!got.head.body) {  // it came whole with the head
        got.body = got.head.body_bytes;
        got.ended = true;
        finished = true;
        return;
      }
      read_more = [&] {
        got.head.body->Read([&](BodyChunk chunk) {
          if (chunk.kind == BodyChunk::Kind::kData) {
            got.body += chunk.data;
            read_more();
          } else {
            got.ended = chunk.kind == BodyChunk::Kind::kEnd;
            if (!got.ended) got.body_error = chunk.data;
            finished = true;
          }
        });
      };
      read_more();
    });
    for (int i = 0; i < 2000 && !finished; ++i)
      uv_run(&loop_, UV_RUN_ONCE);
    return got;
  }
  OutboundRequest Get(const std::string& url) {
    OutboundRequest r;
    r.method = "GET";
    r.url = url;
    r.allow_private = true;
    return r;
  }

  uv_loop_t loop_;
  std::optional<HttpClient> client_;
  testing::LoopbackOrigin origin_{Respond};
};

TEST_F(HttpClientTest, SizedChunkedAndCloseDelimitedBodies) {
  Got sized = Fetch(Get(origin_.base() + "/sized"));
  ASSERT_EQ(sized.head.error, "");
  EXPECT_EQ(sized.head.status, 200);
  EXPECT_EQ(sized.head.status_text, "OK");
  ASSERT_EQ(sized.head.headers.size(), 2u);
  EXPECT_EQ(sized.head.headers[1].name, "x-a");
  EXPECT_EQ(sized.body, "hello");
  EXPECT_TRUE(sized.ended);
  Got chunked = Fetch(Get(origin_.base() + "/chunked"));
  EXPECT_EQ(chunked.head.status, 201);
  EXPECT_EQ(chunked.body, "abcde");
  Got closed = Fetch(Get(origin_.base() + "/close"));
  EXPECT_EQ(closed.body, "until the end");
  EXPECT_TRUE(closed.ended);
  EXPECT_NE(origin_.last_request().find("host: 127.0.0.1:"), std::string::npos);
}

TEST_F(HttpClientTest, KeepAliveConnectionsAreReused) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Fetch(Get(origin_.base() + "/sized")).body, "hello");
  EXPECT_EQ(client_->connections_opened(), 1u);
  EXPECT_EQ(client_->idle_connections(), 1u);
}

TEST_F(HttpClientTest, RequestBodiesAndHeadersGoOut) {
  OutboundRequest r = Get(origin_.base() + "/echo");
  r.method = "POST";
  r.body = "payload";
  r.headers.push_back({"x-custom", "yes"});
  r.headers.push_back({"Content-Length", "999"});  // ours to write
  Got got = Fetch(std::move(r));
  EXPECT_EQ(got.body, "payload");
  EXPECT_NE(origin_.last_request().find("x-custom: yes\r\n"), std::string::npos);
  EXPECT_NE(origin_.last_request().find("content-length: 7\r\n"), std::string::npos);
  EXPECT_EQ(origin_.last_request().find("999"), std::string::npos);
}

TEST_F(HttpClientTest, PrivateAddressesAreRefusedUnlessAllowed) {
  OutboundRequest r = Get(origin_.base() + "/sized");
  r.allow_private = false;
  Got got = Fetch(std::move(r));
  EXPECT_NE(got.head.error.find("refused: it resolves to 127.0.0.1"), std::string::npos)
      << got.head.error;
  EXPECT_EQ(origin_.accepted(), 0);
}

TEST_F(HttpClientTest, ErrorsAreReportedNotThrown) {
  Got refused = Fetch(Get("http://127.0.0.1:1/"));
  EXPECT_NE(refused.head.error.find("could not connect"), std::string::npos) << refused.head.error;
  Got timeout = Fetch(Get(origin_.base() + "/slow"));
  EXPECT_EQ(timeout.head.error, "no response within the response timeout");
  Got scheme = Fetch(Get("ftp://example.com/"));
  EXPECT_NE(scheme.head.error.find("only http: and https:"), std::string::npos);
}

TEST_F(HttpClientTest, CancelledRequestsNeverCallBack) {
  bool called = false;
  uint64_t id =
      client_->Start(Get(origin_.base() + "/sized"), [&](OutboundResult) { called = true; });
  client_->Cancel(id);
  for (int i = 0; i < 20; ++i)
    uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_FALSE(called);
}

TEST(OutboundAddress, PrivateRanges) {
  auto v4 = [](const char* text) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    inet_pton(AF_INET, text, &a.sin_addr);
    return IsPrivateAddress(reinterpret_cast<sockaddr*>(&a));
  };
  auto v6 = [](const char* text) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    inet_pton(AF_INET6, text, &a.sin6_addr);
    return IsPrivateAddress(reinterpret_cast<sockaddr*>(&a));
  };
  for (const char* p : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                        "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1"}) {
    EXPECT_TRUE(v4(p)) << p;
  }
  for (const char* p : {"8.8.8.8", "172.32.0.1", "1.1.1.1", "93.184.216.34"})
    EXPECT_FALSE(v4(p)) << p;
  for (const char* p : {"::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"})
    EXPECT_TRUE(v6(p)) << p;
  for (const char* p : {"2606:4700:4700::1111", "::ffff:8.8.8.8"})
    EXPECT_FALSE(v6(p)) << p;
}

TEST(OutboundAddress, SplitHttpUrl) {
  UrlParts u;
  ASSERT_TRUE(SplitHttpUrl("https://user:pw@[::1]:8443/a/b?x=1#frag", &u));
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, "8443");
  EXPECT_EQ(u.authority, "[::1]:8443");
  EXPECT_EQ(u.target, "/a/b?x=1");
  ASSERT_TRUE(SplitHttpUrl("http://example.com?q", &u));
  EXPECT_EQ(u.port, "80");
  EXPECT_EQ(u.target, "/?q");
  EXPECT_FALSE(SplitHttpUrl("file:///etc/passwd", &u));
}

}  // namespace
}  // namespace edgerun::runtime

namespace edgerun::runtime {
namespace {

// https: against `openssl s_server -www` with a certificate from a throw-away CA made here.
class HttpsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!origin_.available()) GTEST_SKIP() << "no openssl CLI";
  }
  // Fetches `url` with a client trusting `ca`; returns the error or the body.
  std::string Get(const std::string& url, const std::string& ca) {
    uv_loop_t loop;
    uv_loop_init(&loop);
    std::string out = "<none>";
    {
      HttpClientOptions options;
      options.ca_file = ca;
      HttpClient client(&loop, options);
      bool finished = false;
      std::shared_ptr<BodyStream> body;
      std::function<void()> read_more;
      OutboundRequest request;
      request.method = "GET";
      request.url = url;
      request.allow_private = true;
      client.Start(std::move(request), [&](OutboundResult result) {
        if (!result.error.empty()) {
          out = "error: " + result.error;
          finished = true;
          return;
        }
        out = std::to_string(result.status) + " ";
        if (!result.body) {
          out += result.body_bytes;
          finished = true;
          return;
        }
        body = result.body;
        read_more = [&] {
          body->Read([&](BodyChunk chunk) {
            if (chunk.kind == BodyChunk::Kind::kData) {
              out += chunk.data;
              read_more();
            } else {
              finished = true;
            }
          });
        };
        read_more();
      });
      for (int i = 0; i < 1000 && !finished; ++i)
        uv_run(&loop, UV_RUN_ONCE);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    return out;
  }

  testing::TlsOrigin origin_;
};

TEST_F(HttpsClientTest, VerifiesTheChainAndTheName) {
  const std::string ca = origin_.ca_file();
  std::string ok = Get("https://localhost:" + std::to_string(origin_.port()) + "/", ca);
  EXPECT_EQ(ok.substr(0, 4), "200 ") << ok;
  EXPECT_NE(ok.find("s_server"), std::string::npos) << ok;  // the -www status page
  std::string by_ip = Get("https://127.0.0.1:" + std::to_string(origin_.port()) + "/", ca);
  EXPECT_EQ(by_ip.substr(0, 4), "200 ") << by_ip;
}

TEST_F(HttpsClientTest, AnUntrustedCertificateIsRefused) {
  std::string refused =
      Get("https://localhost:" + std::to_string(origin_.port()) + "/", origin_.other_ca_file());
  EXPECT_NE(refused.find("error: the TLS handshake with localhost failed: certificate verify "
                         "failed"),
            std::string::npos)
      << refused;
}

}  // namespace
}  // namespace edgerun::runtime
