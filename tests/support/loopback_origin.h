// A plain HTTP/1.1 origin on 127.0.0.1 for tests of outbound fetch: one thread per connection,
// keep-alive, requests framed by Content-Length, each answered by a function of the raw request
// (an empty answer holds the connection without answering until the client gives up; an answer
// containing "connection: close" closes after it). Header-only: the unit and integration test
// binaries both use it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace edgerun::testing {

class LoopbackOrigin {
 public:
  using Answer = std::function<std::string(const std::string& request)>;

  explicit LoopbackOrigin(Answer answer) : state_(std::make_shared<State>()) {
    state_->answer = std::move(answer);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 64);
    accept_thread_ = std::thread([fd = fd_, state = state_] {
      for (;;) {
        int c = accept(fd, nullptr, nullptr);
        if (c < 0) return;
        ++state->accepted;
        // Detached, holding the state: a connection may outlive the origin object.
        std::thread([c, state] { Serve(c, *state); }).detach();
      }
    });
  }
  ~LoopbackOrigin() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    accept_thread_.join();
  }
  LoopbackOrigin(const LoopbackOrigin&) = delete;
  LoopbackOrigin& operator=(const LoopbackOrigin&) = delete;

  uint16_t port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int accepted() const { return state_->accepted; }
  std::string last_request() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->last_request;
  }

  // The request-target of a raw request ("GET /a?b HTTP/1.1..." -> "/a?b").
  static std::string Target(const std::string& request) {
    const size_t sp = request.find(' ');
    return request.substr(sp + 1, request.find(' ', sp + 1) - sp - 1);
  }

 private:
  struct State {
    Answer answer;
    std::atomic<int> accepted{0};
    std::mutex mutex;
    std::string last_request;
  };

  static void Serve(int c, State& state) {
    std::string in;
    char buf[65536];
    for (;;) {
      const size_t end = in.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string head = in.substr(0, end);
        for (char& ch : head)
          ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        size_t length = 0;
        if (size_t p = head.find("content-length: "); p != std::string::npos) {
          length = std::stoul(head.substr(p + 16));
        }
        std::string request;
        if (head.find("transfer-encoding: chunked") != std::string::npos) {
          // Decoded: the answer sees the head and the body, as with a Content-Length.
          std::string body;
          size_t pos = end + 4;
          bool complete = false;
          for (;;) {
            const size_t line = in.find("\r\n", pos);
            if (line == std::string::npos) break;
            const size_t size = std::stoul(in.substr(pos, line - pos), nullptr, 16);
            if (in.size() < line + 2 + size + 2) break;
            body.append(in, line + 2, size);
            pos = line + 2 + size + 2;
            if (size == 0) {
              complete = true;
              break;
            }
          }
          if (complete) {
            request = in.substr(0, end + 4) + body;
            in.erase(0, pos);
          }
        } else if (in.size() >= end + 4 + length) {
          request = in.substr(0, end + 4 + length);
          in.erase(0, end + 4 + length);
        }
        if (!request.empty()) {
          {
            std::lock_guard<std::mutex> lock(state.mutex);
            state.last_request = request;
          }
          const std::string out = state.answer(request);
          if (out.empty()) {  // hold the connection until the client gives up
            while (recv(c, buf, sizeof buf, 0) > 0) {
            }
            break;
          }
          send(c, out.data(), out.size(), MSG_NOSIGNAL);
          if (out.find("connection: close") != std::string::npos) break;
          continue;
        }
      }
      const ssize_t n = recv(c, buf, sizeof buf, 0);
      if (n <= 0) break;
      in.append(buf, static_cast<size_t>(n));
    }
    close(c);
  }

  std::shared_ptr<State> state_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::thread accept_thread_;
};

}  // namespace edgerun::testing
