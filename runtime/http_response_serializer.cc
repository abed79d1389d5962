#include "runtime/http_response_serializer.h"

#include <array>
#include <charconv>
#include <string_view>

#include "runtime/ascii.h"
#include "runtime/http_connection.h"
#include "runtime/http_date.h"
#include "runtime/http_status.h"

namespace edgerun::runtime {
namespace {

constexpr std::array<bool, 256> MakeTokenTable() {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c)
    table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c)
    table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c)
    table[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~"))
    table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kTokenChars = MakeTokenTable();

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!kTokenChars[c]) return false;
  }
  return true;
}

// CR and LF would let a worker start a header or a whole response of its own (response splitting);
// NUL is cut off by too many peers to be safe.
bool IsSafeFieldValue(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// reason-phrase = *( HTAB / SP / VCHAR / obs-text )
bool IsValidReasonPhrase(std::string_view s) {
  for (unsigned char c : s) {
    if (c != '\t' && (c < 0x20 || c == 0x7f)) return false;
  }
  return true;
}

// Framing is ours (content-length, transfer-encoding) and so is the connection's fate; hop-by-hop
// fields from a worker would contradict what we do.
bool IsDroppedField(std::string_view name) {
  switch (name.size()) {
    case 2:
      return EqualsIgnoreCase(name, "te");
    case 7:
      return EqualsIgnoreCase(name, "trailer") || EqualsIgnoreCase(name, "upgrade");
    case 10:
      return EqualsIgnoreCase(name, "connection") || EqualsIgnoreCase(name, "keep-alive");
    case 14:
      return EqualsIgnoreCase(name, "content-length");
    case 16:
      return EqualsIgnoreCase(name, "proxy-connection");
    case 17:
      return EqualsIgnoreCase(name, "transfer-encoding");
    default:
      return false;
  }
}

void AppendDecimal(std::string& out, uint64_t value) {
  char digits[20];
  auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, result.ptr);
}

// Writes the head into `out`; returns whether the body is sent after it.
bool SerializeHead(const HttpResponse& response, bool head_request, bool close_connection,
                   int http_minor, std::string& out) {
  const bool valid_status = response.status >= 100 && response.status <= 999;
  const int status = valid_status ? response.status : 500;
  std::string_view reason;
  if (valid_status && !response.status_text.empty() && IsValidReasonPhrase(response.status_text)) {
    reason = response.status_text;
  } else {
    reason = StandardReasonPhrase(status);
    if (reason.empty()) reason = "Unknown";
  }
  const bool bodyless_status = status < 200 || status == 204 || status == 304;

  size_t size = 128 + reason.size();
  for (const HeaderField& field : response.headers)
    size += field.name.size() + field.value.size() + 4;
  out.reserve(size);

  out.append("HTTP/1.1 ");
  AppendDecimal(out, static_cast<uint64_t>(status));
  out.push_back(' ');
  out.append(reason);
  out.append("\r\n");
  bool has_date = false;
  for (const HeaderField& field : response.headers) {
    if (!IsToken(field.name) || !IsSafeFieldValue(field.value) || IsDroppedField(field.name)) {
      continue;
    }
    if (!has_date && EqualsIgnoreCase(field.name, "date")) has_date = true;
    out.append(field.name);
    out.append(": ");
    out.append(field.value);
    out.append("\r\n");
  }
  if (!has_date) {
    out.append("date: ");
    out.append(CurrentHttpDate());
    out.append("\r\n");
  }
  if (!bodyless_status) {
    if (!response.body_stream) {
      out.append("content-length: ");
      AppendDecimal(out, response.body.size());
      out.append("\r\n");
    } else if (http_minor >= 1) {
      out.append("transfer-encoding: chunked\r\n");
    }  // else HTTP/1.0: the body ends with the connection (the caller closes it)
  }
  if (close_connection) {
    out.append("connection: close\r\n");
  } else if (http_minor == 0) {
    out.append("connection: keep-alive\r\n");
  }
  out.append("\r\n");
  return !head_request && !bodyless_status && !response.body_stream && !response.body.empty();
}

}  // namespace

SerializedResponse SerializeResponseTakingBody(HttpResponse&& response, bool head_request,
                                               bool close_connection, int http_minor) {
  SerializedResponse result;
  result.chunks.reserve(2);
  std::string head;
  const bool send_body = SerializeHead(response, head_request, close_connection, http_minor, head);
  result.chunks.push_back(std::move(head));
  if (send_body) {
    result.body_bytes = response.body.size();
    result.chunks.push_back(std::move(response.body));
  }
  return result;
}

std::vector<std::string> SerializeResponse(const HttpResponse& response, bool head_request,
                                           bool close_connection, int http_minor) {
  std::vector<std::string> chunks;
  chunks.reserve(2);
  std::string head;
  const bool send_body = SerializeHead(response, head_request, close_connection, http_minor, head);
  chunks.push_back(std::move(head));
  if (send_body) chunks.push_back(response.body);
  return chunks;
}

}  // namespace edgerun::runtime
