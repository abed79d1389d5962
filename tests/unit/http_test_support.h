// Fakes and helpers shared by the HTTP connection tests.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/http_connection.h"

namespace edgerun::runtime::testing {

// Records everything the connection asks of its transport.
class FakeIo : public ConnectionIo {
 public:
  void Write(std::vector<std::string> chunks) override {
    ++writes;
    last_write_chunks = chunks.size();
    for (const std::string& chunk : chunks)
      out += chunk;
  }
  void PauseReading() override {
    paused = true;
    ++pauses;
  }
  void ResumeReading() override {
    paused = false;
    ++resumes;
  }
  void Close() override { ++closes; }
  void SetTimer(uint64_t ms) override {
    timer_ms = ms;
    timer_history.push_back(ms);
  }

  size_t QueuedBytes() const override { return queued; }

  bool closed() const { return closes > 0; }

  std::string out;
  int writes = 0;
  size_t last_write_chunks = 0;
  bool paused = false;
  int pauses = 0;
  int resumes = 0;
  int closes = 0;
  uint64_t timer_ms = 0;  // 0: disarmed
  size_t queued = 0;      // what QueuedBytes() reports
  std::vector<uint64_t> timer_history;
};

// A body the test feeds by hand: records reads, answers them when told.
class FakeBodyStream : public BodyStream {
 public:
  void Read(ReadFn done) override {
    ++reads;
    pending = std::move(done);
  }
  void Cancel() override {
    cancelled = true;
    pending = nullptr;
  }
  // Answers the outstanding read; false if there is none.
  bool Answer(BodyChunk::Kind kind, std::string data = "") {
    if (!pending) return false;
    ReadFn done = std::move(pending);
    pending = nullptr;
    done(BodyChunk{kind, std::move(data)});
    return true;
  }
  ReadFn pending;
  int reads = 0;
  bool cancelled = false;
};

// Answers at once (by default "ok:<target>") or holds exchanges for the test to answer.
class FakeHandler : public RequestHandler {
 public:
  struct Sent {
    int status;
    uint64_t body_bytes;
    std::string method;
    std::string target;
    std::string worker;
  };

  void OnRequest(std::shared_ptr<HttpExchange> exchange) override {
    requests.push_back(exchange->request());
    exchange->worker = "test-worker";
    if (on_request) on_request(exchange);
    if (hold) {
      held.push_back(std::move(exchange));
    } else {
      exchange->Respond(make_response(exchange->request()));
    }
  }
  void OnResponseSent(const HttpExchange& exchange, int status, uint64_t body_bytes) override {
    sent.push_back({status, body_bytes, exchange.request().method, exchange.request().target,
                    exchange.worker});
    if (on_sent) on_sent(exchange);
  }

  static HttpResponse DefaultResponse(const HttpRequest& request) {
    HttpResponse response;
    response.headers.push_back({"Content-Type", "text/plain"});
    response.body = "ok:" + request.target;
    return response;
  }

  bool hold = false;
  std::function<HttpResponse(const HttpRequest&)> make_response = DefaultResponse;
  std::function<void(const std::shared_ptr<HttpExchange>&)> on_request;
  std::function<void(const HttpExchange&)> on_sent;
  std::vector<HttpRequest> requests;
  std::vector<std::shared_ptr<HttpExchange>> held;
  std::vector<Sent> sent;
};

// One response cut out of the connection's output.
struct ParsedResponse {
  int status = 0;
  std::string head;  // status line and fields, up to and including the empty line
  std::string body;

  // The value of the first field named `lower_name` (compared case-insensitively).
  std::optional<std::string> Field(std::string_view lower_name) const {
    size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos + 2 < head.size()) {
      const size_t start = pos + 2;
      const size_t end = head.find("\r\n", start);
      if (end == std::string::npos || end == start) break;
      const std::string_view line(head.data() + start, end - start);
      const size_t colon = line.find(':');
      if (colon != std::string_view::npos && colon == lower_name.size()) {
        bool same = true;
        for (size_t i = 0; i < colon; ++i) {
          char c = line[i];
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
          if (c != lower_name[i]) same = false;
        }
        if (same) {
          std::string_view value = line.substr(colon + 1);
          while (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
          return std::string(value);
        }
      }
      pos = end;
    }
    return std::nullopt;
  }
  int FieldCount(std::string_view lower_name) const {
    int count = 0;
    size_t pos = 0;
    const std::string needle = "\r\n" + std::string(lower_name) + ":";
    std::string lower = head;
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    while ((pos = lower.find(needle, pos)) != std::string::npos) {
      ++count;
      pos += needle.size();
    }
    return count;
  }
};

// Splits output into responses, framing bodies by content-length. `bodyless` lists the indexes of
// responses to HEAD requests.
inline std::vector<ParsedResponse> SplitResponses(std::string_view out,
                                                  std::vector<size_t> bodyless = {}) {
  std::vector<ParsedResponse> responses;
  while (!out.empty()) {
    const size_t end = out.find("\r\n\r\n");
    if (end == std::string_view::npos || out.substr(0, 9) != "HTTP/1.1 ") {
      ParsedResponse garbage;
      garbage.status = -1;
      garbage.head = std::string(out);
      responses.push_back(garbage);
      break;
    }
    ParsedResponse response;
    response.head = std::string(out.substr(0, end + 4));
    response.status = std::atoi(std::string(out.substr(9, 3)).c_str());
    out.remove_prefix(end + 4);
    bool no_body = response.status < 200 || response.status == 204 || response.status == 304;
    for (size_t index : bodyless)
      no_body = no_body || index == responses.size();
    if (auto length = response.Field("content-length"); length && !no_body) {
      const size_t n = std::min<size_t>(std::strtoull(length->c_str(), nullptr, 10), out.size());
      response.body = std::string(out.substr(0, n));
      out.remove_prefix(n);
    }
    responses.push_back(std::move(response));
  }
  return responses;
}

// Replaces every date field value with "<date>" so outputs made in different seconds compare.
inline std::string WithoutDates(std::string out) {
  const std::string_view key = "\r\ndate: ";
  size_t pos = 0;
  while ((pos = out.find(key, pos)) != std::string::npos) {
    pos += key.size();
    const size_t end = out.find("\r\n", pos);
    out.replace(pos, end - pos, "<date>");
  }
  return out;
}

// Everything a test may want to compare about a parsed request, as text.
inline std::string Describe(const HttpRequest& request) {
  std::string s = request.method + " " + request.target + " host=" + request.host +
                  " minor=" + std::to_string(request.http_minor) +
                  " keep_alive=" + std::to_string(request.keep_alive) + "\n";
  for (const HeaderField& field : request.headers)
    s += field.name + ": " + field.value + "\n";
  s += "body[" + request.body + "]\n";
  return s;
}

}  // namespace edgerun::runtime::testing
