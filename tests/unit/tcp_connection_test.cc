#include "runtime/tcp_connection.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <uv.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "tests/unit/http_test_support.h"

namespace edgerun::runtime {
namespace {

using testing::FakeHandler;
using ::testing::HasSubstr;
using testing::SplitResponses;
using ::testing::StartsWith;

// A blocking loopback client, run on its own thread while the test thread runs the loop.
class Client {
 public:
  explicit Client(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{.tv_sec = 5, .tv_usec = 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~Client() {
    if (fd_ >= 0) close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads until `received` holds `responses` complete responses (framed by content-length), EOF
  // or a 5 s timeout.
  std::string ReadResponses(size_t responses) {
    std::string received;
    char buffer[65536];
    while (true) {
      const auto parsed = SplitResponses(received);
      size_t complete = 0;
      for (const auto& response : parsed) {
        const auto length = response.Field("content-length");
        if (response.status > 0 && (!length || response.body.size() == std::stoull(*length))) {
          ++complete;
        }
      }
      if (complete >= responses) return received;
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) return received;
      received.append(buffer, static_cast<size_t>(n));
    }
  }

  // Reads until the server closes; returns what came before the EOF, or "<timeout>".
  std::string ReadToEof() {
    std::string received;
    char buffer[65536];
    while (true) {
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n == 0) return received;
      if (n < 0) return "<timeout>";
      received.append(buffer, static_cast<size_t>(n));
    }
  }

  void ShutdownWrite() { shutdown(fd_, SHUT_WR); }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

// A loop with a listener on 127.0.0.1:<ephemeral>; accepted connections serve `handler`.
class TcpConnectionTest : public ::testing::Test {
 protected:
  TcpConnectionTest() {
    uv_loop_init(&loop_);
    uv_tcp_init(&loop_, &listener_);
    listener_.data = this;
    sockaddr_in address;
    uv_ip4_addr("127.0.0.1", 0, &address);
    EXPECT_EQ(uv_tcp_bind(&listener_, reinterpret_cast<const sockaddr*>(&address), 0), 0);
    EXPECT_EQ(uv_listen(reinterpret_cast<uv_stream_t*>(&listener_), 16, &OnConnection), 0);
    sockaddr_storage bound;
    int length = sizeof(bound);
    uv_tcp_getsockname(&listener_, reinterpret_cast<sockaddr*>(&bound), &length);
    port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    uv_timer_init(&loop_, &guard_);
    guard_.data = this;
  }

  ~TcpConnectionTest() override {
    connections_.CloseAll();
    uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&guard_), nullptr);
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  static void OnConnection(uv_stream_t* listener, int status) {
    auto* self = static_cast<TcpConnectionTest*>(listener->data);
    ASSERT_EQ(status, 0);
    TcpConnection* connection =
        TcpConnection::Accept(&self->loop_, listener, self->handler_, self->limits_,
                              &self->connections_, [self] { ++self->closed_; });
    if (connection != nullptr) ++self->accepted_;
  }

  // Runs the loop until `done` or 5 s. A 1 ms tick keeps the loop waking up: `done` may depend on
  // the client thread, which the loop does not hear about.
  void RunUntil(const std::function<bool()>& done) {
    const uint64_t deadline = uv_now(&loop_) + 5000;
    uv_timer_start(
        &guard_, [](uv_timer_t*) {}, 1, 1);
    while (!done() && uv_now(&loop_) < deadline)
      uv_run(&loop_, UV_RUN_ONCE);
    uv_timer_stop(&guard_);
    EXPECT_TRUE(done()) << "timed out";
  }

  void RunFor(uint64_t ms) {
    bool done = false;
    uv_timer_t timer;
    uv_timer_init(&loop_, &timer);
    timer.data = &done;
    uv_timer_start(
        &timer, [](uv_timer_t* t) { *static_cast<bool*>(t->data) = true; }, ms, 0);
    while (!done)
      uv_run(&loop_, UV_RUN_ONCE);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer), nullptr);
    uv_run(&loop_, UV_RUN_NOWAIT);
  }

  uv_loop_t loop_;
  uv_tcp_t listener_;
  uv_timer_t guard_;
  int port_ = 0;
  FakeHandler handler_;
  HttpLimits limits_;
  TcpConnectionSet connections_;
  int accepted_ = 0;
  int closed_ = 0;
};

TEST_F(TcpConnectionTest, RoundTripKeepAliveThenClose) {
  std::string first;
  std::string second;
  std::atomic<bool> client_done = false;
  std::thread client_thread([&] {
    Client client(port_);
    if (client.connected() && client.Send("GET /one HTTP/1.1\r\nHost: h\r\n\r\n")) {
      first = client.ReadResponses(1);
      if (client.Send("GET /two HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")) {
        second = client.ReadToEof();
      }
    }
    client_done = true;
  });
  RunUntil([&] { return client_done && closed_ == 1; });
  client_thread.join();

  EXPECT_EQ(accepted_, 1);
  EXPECT_EQ(closed_, 1) << "the owner hears about the close";
  EXPECT_TRUE(connections_.empty());
  auto one = SplitResponses(first);
  ASSERT_EQ(one.size(), 1u) << first;
  EXPECT_EQ(one[0].body, "ok:/one");
  EXPECT_EQ(one[0].Field("connection"), std::nullopt);
  auto two = SplitResponses(second);
  ASSERT_EQ(two.size(), 1u) << second;
  EXPECT_EQ(two[0].body, "ok:/two");
  EXPECT_EQ(two[0].Field("connection"), "close");
  ASSERT_EQ(handler_.requests.size(), 2u);
}

TEST_F(TcpConnectionTest, PipelinedRequestsAndALargeBody) {
  const std::string big(3 * 1024 * 1024 + 7, 'x');
  handler_.make_response = [&](const HttpRequest& request) {
    HttpResponse response;
    response.body = request.target == "/big" ? big : "small";
    return response;
  };
  std::string received;
  std::atomic<bool> client_done = false;
  std::thread client_thread([&] {
    Client client(port_);
    if (client.connected() &&
        client.Send("GET /big HTTP/1.1\r\nHost: h\r\n\r\nGET /small HTTP/1.1\r\nHost: h\r\n\r\n")) {
      received = client.ReadResponses(2);
    }
    client_done = true;
  });
  RunUntil([&] { return client_done.load(); });
  client_thread.join();
  auto responses = SplitResponses(received);
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_TRUE(responses[0].body == big) << "body of " << responses[0].body.size() << " bytes";
  EXPECT_EQ(responses[1].body, "small");
}

TEST_F(TcpConnectionTest, ClientHangUpClosesAndNotifies) {
  std::atomic<bool> client_done = false;
  std::string received;
  std::thread client_thread([&] {
    {
      Client client(port_);
      if (client.connected() && client.Send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")) {
        received = client.ReadResponses(1);
      }
    }  // closes the socket
    client_done = true;
  });
  RunUntil([&] { return client_done && closed_ == 1; });
  client_thread.join();
  EXPECT_EQ(SplitResponses(received).size(), 1u);
  EXPECT_EQ(closed_, 1);
  EXPECT_TRUE(connections_.empty());
}

TEST_F(TcpConnectionTest, HalfCloseStillGetsTheResponse) {
  handler_.hold = true;
  std::atomic<bool> client_done = false;
  std::string received;
  std::thread client_thread([&] {
    Client client(port_);
    if (client.connected() && client.Send("GET /late HTTP/1.1\r\nHost: h\r\n\r\n")) {
      client.ShutdownWrite();
      received = client.ReadToEof();
    }
    client_done = true;
  });
  RunUntil([&] { return handler_.held.size() == 1; });
  RunFor(50);  // let the EOF arrive before the worker answers
  EXPECT_TRUE(handler_.held[0]->connection_alive());
  handler_.held[0]->Respond(FakeHandler::DefaultResponse(handler_.held[0]->request()));
  RunUntil([&] { return client_done && closed_ == 1; });
  client_thread.join();
  auto responses = SplitResponses(received);
  ASSERT_EQ(responses.size(), 1u) << received;
  EXPECT_EQ(responses[0].body, "ok:/late");
}

TEST_F(TcpConnectionTest, DrainAllFinishesInFlightRequests) {
  handler_.hold = true;
  std::atomic<bool> client_done = false;
  std::string received;
  std::thread client_thread([&] {
    Client client(port_);
    if (client.connected() && client.Send("GET /work HTTP/1.1\r\nHost: h\r\n\r\n")) {
      received = client.ReadToEof();
    }
    client_done = true;
  });
  RunUntil([&] { return handler_.held.size() == 1; });
  EXPECT_EQ(connections_.size(), 1u);
  connections_.DrainAll();
  EXPECT_EQ(closed_, 0) << "the worker is still running";
  handler_.held[0]->Respond(FakeHandler::DefaultResponse(handler_.held[0]->request()));
  RunUntil([&] { return client_done && closed_ == 1; });
  client_thread.join();
  auto responses = SplitResponses(received);
  ASSERT_EQ(responses.size(), 1u) << received;
  EXPECT_EQ(responses[0].Field("connection"), "close");
  EXPECT_TRUE(connections_.empty());
}

TEST_F(TcpConnectionTest, IdleTimeoutClosesTheSocket) {
  limits_.idle_timeout_ms = 30;
  std::atomic<bool> client_done = false;
  std::string received;
  std::thread client_thread([&] {
    Client client(port_);
    if (client.connected()) received = client.ReadToEof();
    client_done = true;
  });
  RunUntil([&] { return client_done && closed_ == 1; });
  client_thread.join();
  EXPECT_EQ(received, "") << "closed silently, not timed out on the client side";
}

TEST_F(TcpConnectionTest, ErrorResponseReachesAClientStillSendingItsBody) {
  limits_.max_body_bytes = 1024;
  std::atomic<bool> client_done = false;
  std::string received;
  std::thread client_thread([&] {
    Client client(port_);
    if (client.connected() &&
        client.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000\r\n\r\n")) {
      client.Send(std::string(200000, 'b'));  // the server has answered and closed meanwhile
      received = client.ReadToEof();
    }
    client_done = true;
  });
  RunUntil([&] { return client_done && closed_ == 1; });
  client_thread.join();
  EXPECT_THAT(received, StartsWith("HTTP/1.1 413 Content Too Large\r\n"));
  EXPECT_THAT(received, HasSubstr("connection: close"));
}

}  // namespace
}  // namespace edgerun::runtime
