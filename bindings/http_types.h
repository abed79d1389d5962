// Plain HTTP message types shared by every layer: the runtime parses into them, the isolates hand
// them to a worker, the bindings turn them into JS Request/Response objects and back.
#pragma once

#include <string>
#include <vector>

namespace edgerun {

struct HeaderField {
  std::string name;   // as received or as set by the worker (case preserved)
  std::string value;  // ByteString: Latin-1 bytes
};
using HeaderList = std::vector<HeaderField>;

// A request as handed to a worker. The body is complete (buffered up to limits.max_body_bytes).
struct HttpRequest {
  std::string method;  // upper case as received, e.g. "GET"
  std::string target;  // origin-form request-target: "/path?query"
  std::string host;    // Host header value (or absolute-form authority), port included if sent
  HeaderList headers;  // in the order received
  std::string body;
  int http_minor = 1;  // HTTP/1.<minor>
  bool keep_alive = true;
};

// A complete response. Hop-by-hop headers and Content-Length/Transfer-Encoding from the worker are
// dropped by the serializer, which frames the body itself.
struct HttpResponse {
  int status = 200;
  std::string status_text;  // empty: the standard reason phrase for `status`
  HeaderList headers;
  std::string body;
};

// A short plain-text response (errors made by the runtime itself, not by a worker).
inline HttpResponse TextResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers.push_back({"content-type", "text/plain; charset=utf-8"});
  response.body = std::move(body);
  return response;
}

}  // namespace edgerun
