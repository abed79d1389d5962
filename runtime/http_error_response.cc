#include "runtime/http_error_response.h"

#include "runtime/http_status.h"

namespace edgerun::runtime {

HttpResponse MakeErrorResponse(int status) {
  HttpResponse response;
  response.status = status;
  response.headers.push_back({"content-type", "text/plain; charset=utf-8"});
  std::string_view reason = StandardReasonPhrase(status);
  if (reason.empty()) reason = "Error";
  response.body.reserve(reason.size() + 1);
  response.body.append(reason);
  response.body.push_back('\n');
  return response;
}

}  // namespace edgerun::runtime
