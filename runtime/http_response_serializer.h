// The connection's side of SerializeResponse (declared in http_connection.h): the same bytes, but
// the body is moved into the output instead of copied.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bindings/http_types.h"

namespace edgerun::runtime {

struct SerializedResponse {
  std::vector<std::string> chunks;  // head, then the body if any is sent
  uint64_t body_bytes = 0;          // body bytes in `chunks` (0 for HEAD, 1xx, 204, 304)
};

// Consumes response.body; the rest of `response` is left as it was.
SerializedResponse SerializeResponseTakingBody(HttpResponse&& response, bool head_request,
                                               bool close_connection, int http_minor);

}  // namespace edgerun::runtime
