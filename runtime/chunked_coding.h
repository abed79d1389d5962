// HTTP/1.1 chunked transfer coding, the sending side (RFC 9112 7.1): what goes before a chunk's
// bytes. Used for streamed responses (HttpConnection) and streamed request bodies (HttpClient).
#pragma once

#include <cstddef>
#include <string>

namespace edgerun::runtime {

// Appends "<size in hex>\r\n". The chunk's bytes and "\r\n" follow; a size of 0 ends the body.
inline void AppendChunkHeader(std::string& out, size_t size) {
  char digits[16];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[size & 15];
    size >>= 4;
  } while (size != 0);
  while (n > 0)
    out.push_back(digits[--n]);
  out.append("\r\n");
}

}  // namespace edgerun::runtime
