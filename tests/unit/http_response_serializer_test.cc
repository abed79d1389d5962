#include "runtime/http_response_serializer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "runtime/http_connection.h"
#include "runtime/http_error_response.h"
#include "tests/unit/http_test_support.h"

namespace edgerun::runtime {
namespace {

using ::testing::ElementsAre;
using testing::WithoutDates;

HttpResponse Response(int status, std::string body = "", std::string status_text = "") {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.status_text = std::move(status_text);
  return response;
}

std::string Head(const std::vector<std::string>& chunks) {
  return WithoutDates(chunks.at(0));
}

TEST(SerializeResponse, HeadAndBodyChunks) {
  HttpResponse response = Response(200, "hello");
  response.headers = {{"Content-Type", "text/plain"}};
  auto chunks = SerializeResponse(response, false, false, 1);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(Head(chunks),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ndate: <date>\r\n"
            "content-length: 5\r\n\r\n");
  EXPECT_EQ(chunks[1], "hello");
}

TEST(SerializeResponse, EmptyBodyIsOneChunk) {
  auto chunks = SerializeResponse(Response(200), false, false, 1);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(Head(chunks), "HTTP/1.1 200 OK\r\ndate: <date>\r\ncontent-length: 0\r\n\r\n");
}

TEST(SerializeResponse, ConnectionField) {
  EXPECT_EQ(Head(SerializeResponse(Response(200), false, true, 1)),
            "HTTP/1.1 200 OK\r\ndate: <date>\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
  EXPECT_EQ(Head(SerializeResponse(Response(200), false, false, 0)),
            "HTTP/1.1 200 OK\r\ndate: <date>\r\ncontent-length: 0\r\n"
            "connection: keep-alive\r\n\r\n");
  EXPECT_EQ(Head(SerializeResponse(Response(200), false, true, 0)),
            "HTTP/1.1 200 OK\r\ndate: <date>\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
}

TEST(SerializeResponse, BodylessResponses) {
  auto head = SerializeResponse(Response(200, "abc"), /*head_request=*/true, false, 1);
  ASSERT_EQ(head.size(), 1u);
  EXPECT_EQ(Head(head), "HTTP/1.1 200 OK\r\ndate: <date>\r\ncontent-length: 3\r\n\r\n");
  for (int status : {100, 103, 204, 304}) {
    auto chunks = SerializeResponse(Response(status, "abc"), false, false, 1);
    ASSERT_EQ(chunks.size(), 1u) << status;
    EXPECT_EQ(chunks[0].find("content-length"), std::string::npos) << status;
  }
}

TEST(SerializeResponse, ReasonPhrase) {
  EXPECT_THAT(Head(SerializeResponse(Response(404), false, false, 1)),
              ::testing::StartsWith("HTTP/1.1 404 Not Found\r\n"));
  EXPECT_THAT(Head(SerializeResponse(Response(200, "", "Fine"), false, false, 1)),
              ::testing::StartsWith("HTTP/1.1 200 Fine\r\n"));
  EXPECT_THAT(Head(SerializeResponse(Response(599), false, false, 1)),
              ::testing::StartsWith("HTTP/1.1 599 Unknown\r\n"));
  EXPECT_THAT(Head(SerializeResponse(Response(200, "", "OK\r\nX-Evil: 1"), false, false, 1)),
              ::testing::StartsWith("HTTP/1.1 200 OK\r\ndate"));
  EXPECT_THAT(Head(SerializeResponse(Response(42), false, false, 1)),
              ::testing::StartsWith("HTTP/1.1 500 Internal Server Error\r\n"));
}

TEST(SerializeResponse, DropsFramingHopByHopAndUnsafeFields) {
  HttpResponse response = Response(200, "x");
  response.headers = {{"CONTENT-LENGTH", "5"},
                      {"transfer-encoding", "chunked"},
                      {"Connection", "close"},
                      {"keep-alive", "1"},
                      {"Proxy-Connection", "1"},
                      {"te", "x"},
                      {"Trailer", "x"},
                      {"Upgrade", "h2c"},
                      {"X-A", "a\rb"},
                      {"X-B", "a\nb"},
                      {"X-C", std::string("a\0b", 3)},
                      {"X D", "v"},
                      {"X-E(", "v"},
                      {"", "v"},
                      {"X-Keep", "v\tw"}};
  EXPECT_EQ(Head(SerializeResponse(response, false, false, 1)),
            "HTTP/1.1 200 OK\r\nX-Keep: v\tw\r\ndate: <date>\r\ncontent-length: 1\r\n\r\n");
}

TEST(SerializeResponse, TakingBodyMovesIt) {
  HttpResponse response = Response(200, std::string(1000, 'b'));
  const char* data = response.body.data();
  SerializedResponse out = SerializeResponseTakingBody(std::move(response), false, false, 1);
  ASSERT_EQ(out.chunks.size(), 2u);
  EXPECT_EQ(out.chunks[1].data(), data) << "no copy of the body";
  EXPECT_EQ(out.body_bytes, 1000u);
}

TEST(MakeErrorResponse, PlainTextReason) {
  HttpResponse response = MakeErrorResponse(431);
  EXPECT_EQ(response.status, 431);
  EXPECT_EQ(response.body, "Request Header Fields Too Large\n");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].name, "content-type");
  EXPECT_EQ(response.headers[0].value, "text/plain; charset=utf-8");
}

}  // namespace
}  // namespace edgerun::runtime
