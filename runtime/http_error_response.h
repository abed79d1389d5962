// The small plain-text responses the server makes itself (400, 408, 413, 431, 503, ...).
#pragma once

#include "bindings/http_types.h"

namespace edgerun::runtime {

// `status` with a "text/plain; charset=utf-8" body that is its reason phrase and a newline
// ("Bad Request\n"). Framing, date and connection headers are added by the serializer.
HttpResponse MakeErrorResponse(int status);

}  // namespace edgerun::runtime
