// Outbound fetch() from workers against a local origin started by the test: proxying with the
// body streamed through, redirects in all three modes, the SSRF guard, the subrequest limit,
// abort and timeouts, and pooled connections.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"
#include "tests/support/loopback_origin.h"
#include "tests/support/tls_origin.h"

namespace edgerun::testing {
namespace {

using namespace std::chrono_literals;

std::string Answer(const std::string& request) {
  const size_t sp = request.find(' ');
  const std::string target = request.substr(sp + 1, request.find(' ', sp + 1) - sp - 1);
  const std::string method = request.substr(0, sp);
  auto ok = [](const std::string& body, const std::string& extra = "") {
    return "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n" + extra +
           "content-length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  };
  if (target == "/hello") return ok("hello from the origin");
  if (target == "/big") return ok(std::string(1 << 20, 'z'));
  if (target == "/echo") {
    std::string body = request.substr(request.find("\r\n\r\n") + 4);
    return ok(method + " " + body);
  }
  if (target == "/redirect")
    return "HTTP/1.1 302 Found\r\nlocation: /hello\r\ncontent-length: 0\r\n\r\n";
  if (target == "/see-other") {
    return "HTTP/1.1 303 See Other\r\nlocation: /echo\r\ncontent-length: 0\r\n\r\n";
  }
  if (target == "/loop")
    return "HTTP/1.1 302 Found\r\nlocation: /loop\r\ncontent-length: 0\r\n\r\n";
  if (target == "/slow") return "";
  // A head and the start of a body that never completes (the connection is then held).
  if (target == "/partial") return "HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\nfirst bytes";
  return "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";
}

constexpr const char* kWorker = R"JS(
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const to = env.ORIGIN + url.searchParams.get('path');
    try {
      switch (url.pathname) {
        case '/proxy':
          return fetch(to, { method: request.method, body: request.body, headers: request.headers });
        case '/follow': {
          const r = await fetch(to);
          return new Response(`${r.status} ${r.redirected} ${new URL(r.url).pathname} ${await r.text()}`);
        }
        case '/manual': {
          const r = await fetch(to, { redirect: 'manual' });
          return new Response(`${r.status} ${r.headers.get('location')}`);
        }
        case '/error-mode':
          await fetch(to, { redirect: 'error' });
          return new Response('not reached');
        case '/post-303': {
          const r = await fetch(to, { method: 'POST', body: 'data' });
          return new Response(await r.text());
        }
        case '/upload': {
          const enc = new TextEncoder();
          const body = new ReadableStream({
            start(c) { c.enqueue(enc.encode('part1,')); c.enqueue(enc.encode('part2')); c.close(); },
          });
          return new Response(await (await fetch(to, { method: 'POST', body })).text());
        }
        case '/upload-redirect':
          await fetch(to, { method: 'PUT', body: new ReadableStream({ start(c) { c.close(); } }) });
          return new Response('not reached');
        case '/abort-mid-body': {
          const controller = new AbortController();
          const r = await fetch(to, { signal: controller.signal });
          const reader = r.body.getReader();
          const first = new TextDecoder().decode((await reader.read()).value);
          controller.abort();
          try {
            await reader.read();
            return new Response('not reached');
          } catch (e) {
            return new Response(`${first} | ${e.name}`);
          }
        }
        case '/timeout':
          await fetch(to, { signal: AbortSignal.timeout(100) });
          return new Response('not reached');
        case '/parallel': {
          const n = Number(url.searchParams.get('n'));
          const texts = await Promise.all(
              Array.from({length: n}, () => fetch(env.ORIGIN + '/hello').then((r) => r.text())));
          return new Response(`${texts.length} done`);
        }
        case '/many': {
          const n = Number(url.searchParams.get('n'));
          for (let i = 0; i < n; i++) await (await fetch(env.ORIGIN + '/hello')).text();
          return new Response(`${n} done`);
        }
      }
    } catch (e) {
      return new Response(`${e.name}: ${e.message}`, { status: 502 });
    }
    return new Response('?', { status: 404 });
  },
};
)JS";

class FetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("worker.js", kWorker);
    Start();
  }
  // (Re)starts the server; `top` adds top-level config keys (with a trailing comma).
  void Start(const std::string& top = "") {
    const std::string config = R"({)" + top + R"(
      "threads": 1,
      "limits": {"subrequests": 30},
      "workers": [
        {"name": "open", "main": "worker.js", "routes": ["open.test/*"],
         "outbound": {"allow_private": true}, "vars": {"ORIGIN": ")" +
                               origin_.base() + R"("}},
        {"name": "guarded", "main": "worker.js", "routes": ["*/*"],
         "vars": {"ORIGIN": ")" +
                               origin_.base() + R"("}}
      ]
    })";
    server_ = EdgerunProcess::Start(dir_.Write("edgerun.json", config));
    ASSERT_TRUE(server_->started()) << server_->log();
  }
  std::optional<HttpResult> Get(const std::string& path, const std::string& host = "open.test") {
    return Fetch(server_->port(), "GET", path, "", {{"host", host}});
  }

  LoopbackOrigin origin_{Answer};
  TempDir dir_;
  std::unique_ptr<EdgerunProcess> server_;
};

TEST_F(FetchTest, ProxiesRequestAndResponseBodies) {
  auto hello = Get("/proxy?path=/hello");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->status, 200) << hello->body;
  EXPECT_EQ(hello->body, "hello from the origin");
  EXPECT_EQ(hello->header("content-type"), "text/plain");
  auto big = Get("/proxy?path=/big");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->body.size(), 1u << 20);
  auto echo =
      Fetch(server_->port(), "POST", "/proxy?path=/echo", "sent upstream", {{"host", "open.test"}});
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->body, "POST sent upstream");
}

TEST_F(FetchTest, RedirectModes) {
  auto follow = Get("/follow?path=/redirect");
  ASSERT_TRUE(follow);
  EXPECT_EQ(follow->body, "200 true /hello hello from the origin");
  auto manual = Get("/manual?path=/redirect");
  ASSERT_TRUE(manual);
  EXPECT_EQ(manual->body, "302 /hello");
  auto error = Get("/error-mode?path=/redirect");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status, 502);
  EXPECT_NE(error->body.find("TypeError: fetch failed:"), std::string::npos) << error->body;
  auto loop = Get("/follow?path=/loop");
  ASSERT_TRUE(loop);
  EXPECT_NE(loop->body.find("more than 20 redirects"), std::string::npos) << loop->body;
  auto see_other = Get("/post-303?path=/see-other");
  ASSERT_TRUE(see_other);
  EXPECT_EQ(see_other->body, "GET ") << "303 turns the POST into a GET without a body";
}

TEST_F(FetchTest, PrivateAddressesNeedTheOutboundRule) {
  auto refused = Get("/follow?path=/hello", "other.test");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 502);
  EXPECT_NE(refused->body.find("TypeError: fetch failed: fetch to 127.0.0.1 refused"),
            std::string::npos)
      << refused->body;
  EXPECT_NE(refused->body.find("\"allow_private\": true"), std::string::npos);
  EXPECT_TRUE(server_->WaitForLog("[guarded] fetch() failed: fetch to 127.0.0.1 refused", 5s));
}

TEST_F(FetchTest, SubrequestLimitAndPooling) {
  auto within = Get("/many?n=30");
  ASSERT_TRUE(within);
  EXPECT_EQ(within->body, "30 done");
  EXPECT_EQ(origin_.accepted(), 1) << "sequential fetches share one pooled connection";
  auto over = Get("/many?n=31");
  ASSERT_TRUE(over);
  EXPECT_NE(over->body.find("more than 30 fetch() calls (limits.subrequests)"), std::string::npos)
      << over->body;
}

TEST_F(FetchTest, ConcurrentFetchesKeepTheirConnectionsForTheNextRequest) {
  // 24 fetches at once need 24 connections; all 24 stay pooled (outbound.max_idle_per_origin,
  // default 256), so the next 24 open none.
  auto first = Get("/parallel?n=24");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "24 done");
  const int opened = origin_.accepted();
  EXPECT_GT(opened, 16) << "the 24 fetches should have run at once";
  EXPECT_LE(opened, 24);
  auto second = Get("/parallel?n=24");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "24 done");
  EXPECT_EQ(origin_.accepted(), opened);
}

TEST_F(FetchTest, MaxIdlePerOriginBoundsThePool) {
  Start(R"("outbound": {"max_idle_per_origin": 4},)");
  auto first = Get("/parallel?n=24");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "24 done");
  const int opened = origin_.accepted();
  auto second = Get("/parallel?n=24");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "24 done");
  // 4 connections were kept; the other 20 fetches had to connect again.
  EXPECT_GE(origin_.accepted(), opened + 16);
}

TEST_F(FetchTest, StreamedRequestBodiesGoOutChunked) {
  auto up = Get("/upload?path=/echo");
  ASSERT_TRUE(up);
  EXPECT_EQ(up->body, "POST part1,part2");
  auto redirected = Get("/upload-redirect?path=/redirect");
  ASSERT_TRUE(redirected);
  EXPECT_NE(redirected->body.find("a streamed request body cannot be sent again"),
            std::string::npos)
      << redirected->body;
}

TEST_F(FetchTest, AbortingMidBodyErrorsTheBody) {
  auto r = Get("/abort-mid-body?path=/partial");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "first bytes | AbortError");
}

TEST_F(FetchTest, AbortSignalTimeoutCancelsARequest) {
  auto start = std::chrono::steady_clock::now();
  auto r = Get("/timeout?path=/slow");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 502);
  EXPECT_NE(r->body.find("TimeoutError"), std::string::npos) << r->body;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

}  // namespace
}  // namespace edgerun::testing

namespace edgerun::testing {
namespace {

constexpr const char* kHttpsWorker = R"JS(
export default {
  async fetch(request, env) {
    try {
      const r = await fetch(env.TARGET);
      const text = await r.text();
      return new Response(`${r.status} ${text.includes('s_server') ? 'status page' : text.slice(0, 40)}`);
    } catch (e) {
      return new Response(`${e.name}: ${e.message}`, { status: 502 });
    }
  },
};
)JS";

// https through a worker: the config's outbound.ca_file decides which CA is trusted.
class FetchHttpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!origin_.available()) GTEST_SKIP() << "no openssl CLI";
    dir_.Write("worker.js", kHttpsWorker);
  }
  std::optional<HttpResult> Run(const std::string& ca_file) {
    const std::string config = R"({"threads": 1, "outbound": {"ca_file": ")" + ca_file + R"("},
      "workers": [{"name": "tls", "main": "worker.js", "routes": ["*/*"],
                   "outbound": {"allow_private": true},
                   "vars": {"TARGET": "https://localhost:)" +
                               std::to_string(origin_.port()) + R"(/"}}]})";
    auto server = EdgerunProcess::Start(dir_.Write("edgerun.json", config));
    EXPECT_TRUE(server->started()) << server->log();
    if (!server->started()) return std::nullopt;
    return Fetch(server->port(), "GET", "/");
  }
  TlsOrigin origin_;
  TempDir dir_;
};

TEST_F(FetchHttpsTest, TrustedOriginAnswers) {
  auto r = Run(origin_.ca_file());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "200 status page");
}

TEST_F(FetchHttpsTest, UntrustedCertificateIsATypeError) {
  auto r = Run(origin_.other_ca_file());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 502);
  EXPECT_NE(r->body.find("TypeError: fetch failed: the TLS handshake with localhost failed: "
                         "certificate verify failed"),
            std::string::npos)
      << r->body;
}

}  // namespace
}  // namespace edgerun::testing
