#include "tests/integration/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace edgerun::testing {

std::string HttpResult::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return "";
}

bool HttpResult::has_header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), k.size()) == 0) return true;
  }
  return false;
}

HttpClient::HttpClient(uint16_t port, int timeout_ms) : timeout_ms_(timeout_ms) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fd_ = fd;
}

HttpClient::~HttpClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool HttpClient::Send(std::string_view raw) {
  if (fd_ < 0) return false;
  size_t off = 0;
  while (off < raw.size()) {
    ssize_t n = ::send(fd_, raw.data() + off, raw.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool HttpClient::Fill(int timeout_ms) {
  if (fd_ < 0) return false;
  pollfd p{fd_, POLLIN, 0};
  int rc = ::poll(&p, 1, timeout_ms);
  if (rc <= 0) return false;
  char buf[16384];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) return false;
  buffer_.append(buf, n);
  return true;
}

std::optional<HttpResult> HttpClient::Read(bool head_request) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
  auto remaining = [&] {
    return static_cast<int>(std::max<long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  deadline - std::chrono::steady_clock::now())
                                                  .count()));
  };
  size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(remaining())) return std::nullopt;
  }
  HttpResult result;
  std::string head = buffer_.substr(0, head_end);
  buffer_.erase(0, head_end + 4);
  size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || status_line.rfind("HTTP/1.", 0) != 0) return std::nullopt;
  result.status = std::stoi(status_line.substr(9, 3));
  result.reason = status_line.size() > 13 ? status_line.substr(13) : "";
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ')
        value.erase(0, 1);
      result.headers.emplace_back(line.substr(0, colon), value);
    }
    pos = end + 2;
  }
  if (result.status < 200 || result.status == 204 || result.status == 304 || head_request) {
    return result;
  }
  if (result.has_header("content-length")) {
    size_t length = std::stoul(result.header("content-length"));
    while (buffer_.size() < length) {
      if (!Fill(remaining())) return std::nullopt;
    }
    result.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
  } else if (result.header("transfer-encoding").find("chunked") != std::string::npos) {
    for (;;) {
      size_t eol;
      while ((eol = buffer_.find("\r\n")) == std::string::npos) {
        if (!Fill(remaining())) return std::nullopt;
      }
      size_t size = std::stoul(buffer_.substr(0, eol), nullptr, 16);
      while (buffer_.size() < eol + 2 + size + 2) {
        if (!Fill(remaining())) return std::nullopt;
      }
      result.body.append(buffer_, eol + 2, size);
      buffer_.erase(0, eol + 2 + size + 2);
      if (size == 0) break;
    }
  } else {
    while (Fill(remaining())) {
    }
    result.body = std::move(buffer_);
    buffer_.clear();
  }
  return result;
}

std::optional<HttpResult> HttpClient::Request(
    std::string_view method, std::string_view path, std::string_view body,
    std::vector<std::pair<std::string, std::string>> headers) {
  std::string raw = std::string(method) + " " + std::string(path) + " HTTP/1.1\r\n";
  bool has_host = false;
  for (const auto& [k, v] : headers) {
    if (::strcasecmp(k.c_str(), "host") == 0) has_host = true;
    raw += k + ": " + v + "\r\n";
  }
  if (!has_host) raw += "Host: localhost\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  raw += "\r\n";
  raw += body;
  if (!Send(raw)) return std::nullopt;
  return Read(method == "HEAD");
}

bool HttpClient::ServerClosed(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return true;
    if (n > 0) buffer_.append(buf, n);
  }
  return false;
}

std::string HttpClient::ReadUntilClose(int timeout_ms) {
  ServerClosed(timeout_ms);
  std::string out = std::move(buffer_);
  buffer_.clear();
  return out;
}

std::optional<HttpResult> Fetch(uint16_t port, std::string_view method, std::string_view path,
                                std::string_view body,
                                std::vector<std::pair<std::string, std::string>> headers) {
  HttpClient client(port);
  if (!client.connected()) return std::nullopt;
  return client.Request(method, path, body, std::move(headers));
}

}  // namespace edgerun::testing
