// A small blocking HTTP/1.1 client for integration tests: real sockets over loopback, raw bytes
// in, parsed responses out (Content-Length, chunked, or until close), keep-alive aware.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgerun::testing {

struct HttpResult {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Value of the first header named `name` (case-insensitive), or "" if absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port, int timeout_ms = 15000);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool Send(std::string_view raw);
  // Reads one response (an interim 1xx response is returned on its own).
  std::optional<HttpResult> Read(bool head_request = false);
  // Sends a request and reads its response.
  std::optional<HttpResult> Request(std::string_view method, std::string_view path,
                                    std::string_view body = "",
                                    std::vector<std::pair<std::string, std::string>> headers = {});
  std::optional<HttpResult> Get(std::string_view path) { return Request("GET", path); }
  // True once the server has closed the connection (reads EOF within the timeout).
  bool ServerClosed(int timeout_ms = 5000);
  // Everything received until the server closes or the timeout passes.
  std::string ReadUntilClose(int timeout_ms = 5000);

 private:
  bool Fill(int timeout_ms);  // reads more bytes into buffer_; false on EOF/timeout/error
  int fd_ = -1;
  int timeout_ms_;
  std::string buffer_;
};

// One request on a fresh connection.
std::optional<HttpResult> Fetch(uint16_t port, std::string_view method, std::string_view path,
                                std::string_view body = "",
                                std::vector<std::pair<std::string, std::string>> headers = {});

}  // namespace edgerun::testing
