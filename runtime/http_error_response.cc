#include "runtime/http_error_response.h"

#include "runtime/http_status.h"

namespace edgerun::runtime {

HttpResponse MakeErrorResponse(int status) {
  std::string_view reason = StandardReasonPhrase(status);
  if (reason.empty()) reason = "Error";
  std::string body;
  body.reserve(reason.size() + 1);
  body.append(reason).push_back('\n');
  return TextResponse(status, std::move(body));
}

}  // namespace edgerun::runtime
