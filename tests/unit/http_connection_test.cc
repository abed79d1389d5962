#include "runtime/http_connection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "tests/unit/http_test_support.h"

namespace edgerun::runtime {
namespace {

using testing::Describe;
using ::testing::ElementsAre;
using testing::FakeHandler;
using testing::FakeIo;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ParsedResponse;
using testing::SplitResponses;
using ::testing::StartsWith;
using testing::WithoutDates;

class HttpConnectionTest : public ::testing::Test {
 protected:
  HttpConnectionTest() { Start(HttpLimits{}); }

  void Start(const HttpLimits& limits) {
    connection_.reset();
    limits_ = limits;
    connection_ = std::make_unique<HttpConnection>(io_, handler_, limits_);
  }
  void Feed(std::string_view bytes) { connection_->Feed(bytes); }
  std::vector<ParsedResponse> Responses(std::vector<size_t> bodyless = {}) const {
    return SplitResponses(io_.out, std::move(bodyless));
  }

  FakeIo io_;
  FakeHandler handler_;
  HttpLimits limits_;
  std::unique_ptr<HttpConnection> connection_;
};

// ---------------------------------------------------------------------------------------------
// Basics

TEST_F(HttpConnectionTest, SimpleGet) {
  Feed(
      "GET /hello?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t/1\r\nX-Mixed-Case: A "
      "b\r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 1u);
  const HttpRequest& request = handler_.requests[0];
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/hello?x=1");
  EXPECT_EQ(request.host, "example.com");
  EXPECT_EQ(request.http_minor, 1);
  EXPECT_TRUE(request.keep_alive);
  EXPECT_EQ(request.body, "");
  ASSERT_EQ(request.headers.size(), 3u);
  EXPECT_EQ(request.headers[0].name, "Host");
  EXPECT_EQ(request.headers[1].name, "User-Agent");
  EXPECT_EQ(request.headers[1].value, "t/1");
  EXPECT_EQ(request.headers[2].name, "X-Mixed-Case");
  EXPECT_EQ(request.headers[2].value, "A b");

  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_THAT(responses[0].head, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(responses[0].Field("content-type"), "text/plain");
  EXPECT_EQ(responses[0].Field("content-length"), "13");
  EXPECT_EQ(responses[0].FieldCount("date"), 1);
  EXPECT_EQ(responses[0].Field("connection"), std::nullopt);
  EXPECT_EQ(responses[0].body, "ok:/hello?x=1");
  EXPECT_FALSE(io_.closed());
  EXPECT_EQ(io_.writes, 1);
  EXPECT_EQ(io_.last_write_chunks, 2u) << "head and body as separate chunks";
  EXPECT_EQ(io_.timer_ms, limits_.idle_timeout_ms) << "idle keep-alive timer armed";
  EXPECT_TRUE(connection_->idle());
  ASSERT_EQ(handler_.sent.size(), 1u);
  EXPECT_EQ(handler_.sent[0].status, 200);
  EXPECT_EQ(handler_.sent[0].body_bytes, 13u);
  EXPECT_EQ(handler_.sent[0].worker, "test-worker");
}

TEST_F(HttpConnectionTest, KeepAliveServesSeveralRequests) {
  for (int i = 0; i < 3; ++i) {
    Feed("GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: h\r\n\r\n");
  }
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[0].body, "ok:/0");
  EXPECT_EQ(responses[1].body, "ok:/1");
  EXPECT_EQ(responses[2].body, "ok:/2");
  EXPECT_FALSE(io_.closed());
}

TEST_F(HttpConnectionTest, LeadingEmptyLinesBeforeARequestAreIgnored) {
  Feed("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(handler_.requests.size(), 1u);
  EXPECT_EQ(Responses().at(0).status, 200);
}

TEST_F(HttpConnectionTest, HeaderValuesAreTrimmedAndMayBeEmpty) {
  Feed("GET / HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nX-Pad: \t padded value \t \r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 1u);
  const HeaderList& headers = handler_.requests[0].headers;
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers[1].value, "");
  EXPECT_EQ(headers[2].value, "padded value");
}

TEST_F(HttpConnectionTest, PipelinedResponsesAreWrittenInRequestOrder) {
  handler_.hold = true;
  Feed(
      "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
      "GET /2 HTTP/1.1\r\nHost: h\r\n\r\n"
      "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_EQ(handler_.held.size(), 3u) << "each request is handed out as soon as it is complete";
  EXPECT_EQ(io_.timer_ms, 0u) << "no read timer while workers run";

  handler_.held[2]->Respond(FakeHandler::DefaultResponse(handler_.held[2]->request()));
  EXPECT_EQ(io_.out, "") << "a later response waits for the earlier ones";
  handler_.held[0]->Respond(FakeHandler::DefaultResponse(handler_.held[0]->request()));
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].body, "ok:/1");

  handler_.held[1]->Respond(FakeHandler::DefaultResponse(handler_.held[1]->request()));
  responses = Responses();
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[1].body, "ok:/2");
  EXPECT_EQ(responses[2].body, "ok:/3");
  EXPECT_EQ(io_.writes, 2) << "responses ready together go out in one write";
  ASSERT_EQ(handler_.sent.size(), 3u);
  EXPECT_EQ(handler_.sent[0].target, "/1");
  EXPECT_EQ(handler_.sent[2].target, "/3");
  EXPECT_FALSE(io_.closed());
  EXPECT_EQ(io_.timer_ms, limits_.idle_timeout_ms);
}

// ---------------------------------------------------------------------------------------------
// Byte-stream splitting: the result must not depend on how the bytes arrive.

constexpr std::string_view kStream =
    "GET /a HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"
    "POST /b?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 11\r\n"
    "Content-Type: text/plain\r\n\r\nhello world"
    "POST /c HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5;name=value\r\nhello\r\n1;flag\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n"
    "\r\n"
    "HEAD /d HTTP/1.1\r\nHost: example.com\r\n\r\n"
    "PUT /e HTTP/1.1\r\nHost: example.com\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc"
    "GET /f HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
    "GET http://other.example:8080/g?q HTTP/1.1\r\nHost: example.com\r\nX-Empty:\r\n"
    "X-Spaces:   padded value  \r\n\r\n"
    "GET /h HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n";

struct StreamResult {
  std::vector<std::string> requests;
  std::string output;
  bool closed = false;
};

StreamResult RunStream(const std::vector<std::string_view>& pieces) {
  FakeIo io;
  FakeHandler handler;
  HttpLimits limits;
  HttpConnection connection(io, handler, limits);
  for (std::string_view piece : pieces)
    connection.Feed(piece);
  StreamResult result;
  for (const HttpRequest& request : handler.requests)
    result.requests.push_back(Describe(request));
  result.output = WithoutDates(io.out);
  result.closed = io.closed();
  return result;
}

TEST(HttpConnectionSplitTest, WholeStreamParsesAsExpected) {
  StreamResult whole = RunStream({kStream});
  ASSERT_EQ(whole.requests.size(), 8u);
  EXPECT_EQ(whole.requests[1],
            "POST /b?x=1 host=example.com minor=1 keep_alive=1\nHost: example.com\n"
            "Content-Length: 11\nContent-Type: text/plain\nbody[hello world]\n");
  EXPECT_EQ(whole.requests[2],
            "POST /c host=example.com minor=1 keep_alive=1\nHost: example.com\n"
            "Transfer-Encoding: chunked\nbody[hello world]\n");
  EXPECT_THAT(whole.requests[4], HasSubstr("body[abc]"));
  EXPECT_THAT(whole.requests[6], StartsWith("GET /g?q host=other.example:8080 "));
  EXPECT_THAT(whole.requests[6], HasSubstr("X-Empty: \nX-Spaces: padded value\n"));
  EXPECT_THAT(whole.requests[7], HasSubstr("keep_alive=0"));
  auto responses = SplitResponses(whole.output, {3});
  ASSERT_EQ(responses.size(), 9u);  // 8 + the 100 Continue
  EXPECT_EQ(responses[3].body, "") << "HEAD";
  EXPECT_EQ(responses[4].status, 100);
  EXPECT_EQ(responses[5].body, "ok:/e");
  EXPECT_EQ(responses[8].Field("connection"), "close");
  EXPECT_TRUE(whole.closed);
}

TEST(HttpConnectionSplitTest, EverySplitPositionGivesTheSameResult) {
  const StreamResult whole = RunStream({kStream});
  for (size_t i = 1; i < kStream.size(); ++i) {
    StreamResult split = RunStream({kStream.substr(0, i), kStream.substr(i)});
    ASSERT_EQ(split.requests, whole.requests) << "split at " << i;
    ASSERT_EQ(split.output, whole.output) << "split at " << i;
    ASSERT_EQ(split.closed, whole.closed) << "split at " << i;
  }
}

TEST(HttpConnectionSplitTest, ByteByByteGivesTheSameResult) {
  const StreamResult whole = RunStream({kStream});
  std::vector<std::string_view> bytes;
  for (size_t i = 0; i < kStream.size(); ++i)
    bytes.push_back(kStream.substr(i, 1));
  StreamResult split = RunStream(bytes);
  EXPECT_EQ(split.requests, whole.requests);
  EXPECT_EQ(split.output, whole.output);
  EXPECT_EQ(split.closed, whole.closed);
}

TEST(HttpConnectionSplitTest, RandomSplitsGiveTheSameResult) {
  const StreamResult whole = RunStream({kStream});
  std::mt19937 random(12345);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string_view> pieces;
    size_t pos = 0;
    while (pos < kStream.size()) {
      const size_t n = std::min<size_t>(1 + random() % 40, kStream.size() - pos);
      pieces.push_back(kStream.substr(pos, n));
      pos += n;
    }
    StreamResult split = RunStream(pieces);
    ASSERT_EQ(split.requests, whole.requests) << "round " << round;
    ASSERT_EQ(split.output, whole.output) << "round " << round;
  }
}

// ---------------------------------------------------------------------------------------------
// Bodies

TEST_F(HttpConnectionTest, ContentLengthBody) {
  Feed("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhel");
  EXPECT_TRUE(handler_.requests.empty());
  Feed("lo");
  ASSERT_EQ(handler_.requests.size(), 1u);
  EXPECT_EQ(handler_.requests[0].body, "hello");
}

TEST_F(HttpConnectionTest, ChunkedBodyWithExtensionsAndTrailers) {
  Feed(
      "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n"
      "6;a;b\r\n world\r\n"
      "3;q=\"quoted value\"\r\n!!!\r\n"
      "0\r\nX-Trailer: v\r\nX-Other: w\r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 1u);
  EXPECT_EQ(handler_.requests[0].body, "hello world!!!");
  ASSERT_EQ(handler_.requests[0].headers.size(), 2u) << "trailers are not merged into the head";
  EXPECT_EQ(Responses().at(0).status, 200);
}

TEST_F(HttpConnectionTest, ZeroLengthBodies) {
  Feed("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  Feed("POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 2u);
  EXPECT_EQ(handler_.requests[0].body, "");
  EXPECT_EQ(handler_.requests[1].body, "");
}

TEST_F(HttpConnectionTest, BodyBytesMayLookLikeHttp) {
  const std::string body = "GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n";
  Feed("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(body.size()) +
       "\r\n\r\n" + body);
  ASSERT_EQ(handler_.requests.size(), 1u);
  EXPECT_EQ(handler_.requests[0].body, body);
}

// ---------------------------------------------------------------------------------------------
// Malformed requests and request smuggling shapes: one error response, then close.

struct BadRequestCase {
  const char* name;
  std::string bytes;
  int status;
};

void PrintTo(const BadRequestCase& c, std::ostream* os) {
  *os << c.name;
}

class HttpConnectionBadRequestTest : public ::testing::TestWithParam<BadRequestCase> {};

std::string Post(std::string_view fields, std::string_view body = "") {
  return "POST / HTTP/1.1\r\nHost: h\r\n" + std::string(fields) + "\r\n" + std::string(body);
}
std::string Chunked(std::string_view body) {
  return Post("Transfer-Encoding: chunked\r\n", body);
}

const BadRequestCase kBadRequests[] = {
    // Framing conflicts.
    {"ContentLengthWithTransferEncoding",
     Post("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400},
    {"TransferEncodingWithContentLength",
     Post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", "0\r\n\r\n"), 400},
    {"ContentLengthWithUnknownCoding", Post("Content-Length: 1\r\nTransfer-Encoding: gzip\r\n"),
     400},
    {"DuplicateContentLengthEqual", Post("Content-Length: 3\r\nContent-Length: 3\r\n", "abc"), 400},
    {"DuplicateContentLengthDifferent", Post("Content-Length: 3\r\nContent-Length: 4\r\n", "abc"),
     400},
    {"ContentLengthList", Post("Content-Length: 3, 3\r\n", "abc"), 400},
    // Content-Length values.
    {"ContentLengthNegative", Post("Content-Length: -1\r\n"), 400},
    {"ContentLengthPlus", Post("Content-Length: +1\r\n", "a"), 400},
    {"ContentLengthHex", Post("Content-Length: 0x1\r\n", "a"), 400},
    {"ContentLengthEmpty", Post("Content-Length:\r\n"), 400},
    {"ContentLengthInnerSpace", Post("Content-Length: 1 2\r\n"), 400},
    {"ContentLengthOverflow", Post("Content-Length: 99999999999999999999999\r\n"), 400},
    {"ContentLengthJustOverflows", Post("Content-Length: 18446744073709551616\r\n"), 400},
    // Transfer-Encoding.
    {"ChunkedNotFinal", Post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n"), 400},
    {"ChunkedTwiceInOneField", Post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), 400},
    {"ChunkedTwiceInTwoFields",
     Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400},
    {"ChunkedThenOtherField",
     Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", "0\r\n\r\n"), 400},
    {"TransferEncodingEmpty", Post("Transfer-Encoding:\r\n"), 400},
    {"ChunkedInHttp10", "POST / HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     400},
    {"UnknownCodingBeforeChunked", Post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 501},
    {"UnknownCodingInEarlierField",
     Post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 501},
    {"UnknownCodingOnly", Post("Transfer-Encoding: gzip\r\n"), 501},
    {"IdentityCoding", Post("Transfer-Encoding: identity\r\n"), 501},
    {"ChunkedWithParameter", Post("Transfer-Encoding: chunked;q=1\r\n", "0\r\n\r\n"), 501},
    // Chunk sizes.
    {"ChunkSizeNegative", Chunked("-1\r\na\r\n0\r\n\r\n"), 400},
    {"ChunkSizeNotHex", Chunked("zz\r\n"), 400},
    {"ChunkSizeOverflow", Chunked("FFFFFFFFFFFFFFFFF\r\n"), 400},
    {"ChunkSizeSpaceBeforeCrlf", Chunked("3 \r\nabc\r\n0\r\n\r\n"), 400},
    {"ChunkDataTooLong", Chunked("3\r\nabcX\r\n0\r\n\r\n"), 400},
    {"ChunkBareLfAfterSize", Chunked("3\nabc\r\n0\r\n\r\n"), 400},
    {"ChunkBareLfAfterData", Chunked("3\r\nabc\n0\r\n\r\n"), 400},
    {"ChunkBareLfAfterLastChunk", Chunked("3\r\nabc\r\n0\n\r\n"), 400},
    {"ChunkBareLfEndingBody", Chunked("3\r\nabc\r\n0\r\n\n"), 400},
    {"ChunkBareLfEndingTrailers", Chunked("0\r\nT: v\r\n\n"), 400},
    {"TrailerFolded", Chunked("0\r\nT: v\r\n w\r\n\r\n"), 400},
    // Line endings.
    {"BareLfEverywhere", "GET / HTTP/1.1\nHost: h\n\n", 400},
    {"BareLfAfterRequestLine", "GET / HTTP/1.1\nHost: h\r\n\r\n", 400},
    {"BareLfAfterRequestLineNoFields", "GET / HTTP/1.0\n\r\n", 400},
    {"BareLfAfterField", "GET / HTTP/1.1\r\nHost: h\n\r\n", 400},
    {"BareLfEndingHead", "GET / HTTP/1.1\r\nHost: h\r\n\n", 400},
    {"BareCrInField", "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n", 400},
    {"BareCrAfterVersion", "GET / HTTP/1.1\r\r\nHost: h\r\n\r\n", 400},
    // Obsolete line folding.
    {"ObsFoldSpace", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n b\r\n\r\n", 400},
    {"ObsFoldTab", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n\tb\r\n\r\n", 400},
    {"ObsFoldAfterEmptyValue", "GET / HTTP/1.1\r\nHost: h\r\nX-A:\r\n b\r\n\r\n", 400},
    {"ObsFoldOfHost", "GET / HTTP/1.1\r\nHost: h\r\n evil\r\n\r\n", 400},
    {"ObsFoldFirstLine", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400},
    // Field names.
    {"SpaceBeforeColon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400},
    {"TabBeforeColon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", 400},
    {"SpaceBeforeColonOfContentLength",
     "POST / HTTP/1.1\r\nHost: h\r\nContent-Length : 3\r\n\r\nabc", 400},
    {"EmptyFieldName", "GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", 400},
    {"EmptyFieldNameAndValue", "GET / HTTP/1.1\r\nHost: h\r\n:\r\n\r\n", 400},
    {"FieldWithoutColon", "GET / HTTP/1.1\r\nHost: h\r\nfoo\r\n\r\n", 400},
    {"NonTokenFieldName", "GET / HTTP/1.1\r\nHost: h\r\nX@Y: v\r\n\r\n", 400},
    // Field values.
    {"NulInValue", std::string("GET / HTTP/1.1\r\nHost: h\r\nX: a") + '\0' + "b\r\n\r\n", 400},
    {"ControlByteInValue", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01z\r\n\r\n", 400},
    {"DelInValue", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n", 400},
    // Request line.
    {"InvalidMethod", "GEX / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"LowerCaseMethod", "get / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"TabAfterMethod", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"TwoSpacesAfterMethod", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"TwoSpacesBeforeVersion", "GET /  HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"SpaceAfterVersion", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400},
    {"SpaceInTarget", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"ControlInTarget", "GET /a\x01 HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"NulInTarget", std::string("GET /a") + '\0' + " HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"FragmentInTarget", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"RelativeTarget", "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"AsteriskNotOptions", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"AbsoluteFormWithUserinfo", "GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"AbsoluteFormOtherScheme", "GET ftp://h/a HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"AbsoluteFormEmptyHost", "GET http:///a HTTP/1.1\r\nHost: h\r\n\r\n", 400},
    {"LowerCaseVersion", "GET / http/1.1\r\nHost: h\r\n\r\n", 400},
    {"VersionNotNumeric", "GET / HTTP/1.x\r\nHost: h\r\n\r\n", 400},
    {"VersionTwoDigits", "GET / HTTP/11.1\r\nHost: h\r\n\r\n", 400},
    {"VersionMinorTwo", "GET / HTTP/1.2\r\nHost: h\r\n\r\n", 400},
    {"Http09", "GET /\r\n\r\n", 400},
    {"Http2RequestLine", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505},
    {"Http2Preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505},
    {"TlsClientHello", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11), 400},
    // Host.
    {"MissingHost", "GET / HTTP/1.1\r\nX: y\r\n\r\n", 400},
    {"DuplicateHost", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400},
    {"DuplicateHostHttp10", "GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", 400},
    {"HostWithSlash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400},
    {"HostWithSpace", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
    {"HostWithUserinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400},
    // Not supported.
    {"Connect", "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", 501},
    {"ExpectOther", "GET / HTTP/1.1\r\nHost: h\r\nExpect: something\r\n\r\n", 417},
    {"ExpectContinueAndOther",
     "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nExpect: x\r\nContent-Length: 1\r\n\r\n",
     417},
};

TEST_P(HttpConnectionBadRequestTest, AnswersWithAnErrorAndCloses) {
  const BadRequestCase& c = GetParam();
  FakeIo io;
  FakeHandler handler;
  HttpLimits limits;
  HttpConnection connection(io, handler, limits);
  connection.Feed(c.bytes);
  EXPECT_TRUE(handler.requests.empty()) << "nothing reaches the handler";
  auto responses = SplitResponses(io.out);
  ASSERT_EQ(responses.size(), 1u) << io.out;
  EXPECT_EQ(responses[0].status, c.status);
  EXPECT_EQ(responses[0].Field("connection"), "close");
  EXPECT_EQ(responses[0].Field("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(responses[0].FieldCount("date"), 1);
  EXPECT_TRUE(io.closed());
  ASSERT_EQ(handler.sent.size(), 1u);
  EXPECT_EQ(handler.sent[0].status, c.status);
  EXPECT_EQ(handler.sent[0].worker, "");

  // Whatever follows is ignored.
  connection.Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(SplitResponses(io.out).size(), 1u);
  EXPECT_EQ(io.closes, 1);
}

TEST_P(HttpConnectionBadRequestTest, SameAnswerByteByByte) {
  const BadRequestCase& c = GetParam();
  FakeIo io;
  FakeHandler handler;
  HttpLimits limits;
  HttpConnection connection(io, handler, limits);
  for (char byte : c.bytes)
    connection.Feed(std::string_view(&byte, 1));
  EXPECT_TRUE(handler.requests.empty());
  auto responses = SplitResponses(io.out);
  ASSERT_EQ(responses.size(), 1u) << io.out;
  EXPECT_EQ(responses[0].status, c.status);
  EXPECT_TRUE(io.closed());
}

INSTANTIATE_TEST_SUITE_P(Shapes, HttpConnectionBadRequestTest, ::testing::ValuesIn(kBadRequests),
                         [](const ::testing::TestParamInfo<BadRequestCase>& info) {
                           return std::string(info.param.name);
                         });

TEST_F(HttpConnectionTest, ErrorWaitsForEarlierResponses) {
  handler_.hold = true;
  Feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost : h\r\n\r\n");
  ASSERT_EQ(handler_.held.size(), 1u);
  EXPECT_EQ(io_.out, "");
  EXPECT_FALSE(io_.closed());
  handler_.held[0]->Respond(FakeHandler::DefaultResponse(handler_.held[0]->request()));
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_EQ(responses[0].Field("connection"), std::nullopt);
  EXPECT_EQ(responses[1].status, 400);
  EXPECT_EQ(responses[1].body, "Bad Request\n");
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, ErrorExchangeCarriesWhatWasParsed) {
  Feed("GET /known HTTP/1.1\r\nX: y\r\n\r\n");  // no Host
  ASSERT_EQ(handler_.sent.size(), 1u);
  EXPECT_EQ(handler_.sent[0].status, 400);
  EXPECT_EQ(handler_.sent[0].method, "GET");
  EXPECT_EQ(handler_.sent[0].target, "/known");
  EXPECT_EQ(handler_.sent[0].worker, "");
  EXPECT_EQ(handler_.sent[0].body_bytes, std::string("Bad Request\n").size());
}

TEST(HttpConnectionFuzzTest, RandomInputNeverCrashesAndOnlyYieldsResponses) {
  const std::vector<std::string> pieces = {"GET ",
                                           "POST ",
                                           "HEAD ",
                                           "/",
                                           "/a?b",
                                           "http://h/x",
                                           " HTTP/1.1",
                                           " HTTP/1.0",
                                           "\r\n",
                                           "\n",
                                           "\r",
                                           " ",
                                           "\t",
                                           ":",
                                           "Host: h",
                                           "Content-Length: ",
                                           "Transfer-Encoding: ",
                                           "chunked",
                                           "gzip",
                                           ",",
                                           "0",
                                           "5",
                                           "ffff",
                                           "hello",
                                           "Expect: 100-continue",
                                           "Connection: ",
                                           "close",
                                           "keep-alive",
                                           "upgrade",
                                           "Upgrade: ws",
                                           std::string(1, '\0'),
                                           "\x7f",
                                           "\xff",
                                           ";"};
  std::mt19937 random(7);
  for (int round = 0; round < 3000; ++round) {
    std::string input;
    const int n = 1 + static_cast<int>(random() % 30);
    for (int i = 0; i < n; ++i)
      input += pieces[random() % pieces.size()];
    FakeIo io;
    FakeHandler handler;
    HttpLimits limits;
    limits.max_header_bytes = 64;
    limits.max_body_bytes = 16;
    limits.max_pipelined = 2;
    HttpConnection connection(io, handler, limits);
    size_t pos = 0;
    while (pos < input.size()) {
      const size_t len = std::min<size_t>(1 + random() % 8, input.size() - pos);
      connection.Feed(std::string_view(input).substr(pos, len));
      pos += len;
    }
    connection.OnEof();
    for (const ParsedResponse& response : SplitResponses(io.out)) {
      ASSERT_GT(response.status, 0) << "round " << round;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Limits

std::string RequestWithHeadSize(size_t size) {
  const std::string start = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
  const std::string end = "\r\n\r\n";
  return start + std::string(size - start.size() - end.size(), 'v') + end;
}

TEST_F(HttpConnectionTest, HeadExactlyAtTheLimitIsAccepted) {
  HttpLimits limits;
  limits.max_header_bytes = 200;
  Start(limits);
  const std::string request = RequestWithHeadSize(200);
  ASSERT_EQ(request.size(), 200u);
  Feed(request);
  EXPECT_EQ(handler_.requests.size(), 1u);
  EXPECT_EQ(Responses().at(0).status, 200);
}

TEST_F(HttpConnectionTest, HeadOverTheLimitGets431) {
  HttpLimits limits;
  limits.max_header_bytes = 200;
  Start(limits);
  Feed(RequestWithHeadSize(201));
  EXPECT_TRUE(handler_.requests.empty());
  EXPECT_EQ(Responses().at(0).status, 431);
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, HugeHeadIsRefusedWithoutBufferingIt) {
  HttpLimits limits;
  limits.max_header_bytes = 1024;
  Start(limits);
  Feed("GET / HTTP/1.1\r\nHost: h\r\nX: ");
  const std::string chunk(512, 'v');
  for (int i = 0; i < 4 && !io_.closed(); ++i)
    Feed(chunk);
  EXPECT_EQ(Responses().at(0).status, 431);
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, WhitespacePaddedHeadCountsToo) {
  HttpLimits limits;
  limits.max_header_bytes = 100;
  Start(limits);
  Feed("GET / HTTP/1.1\r\nHost:" + std::string(200, ' '));
  EXPECT_EQ(Responses().at(0).status, 431);
}

TEST_F(HttpConnectionTest, LongTargetCountsToo) {
  HttpLimits limits;
  limits.max_header_bytes = 100;
  Start(limits);
  Feed("GET /" + std::string(200, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(Responses().at(0).status, 431);
}

TEST_F(HttpConnectionTest, AnnouncedBodyOverTheLimitGets413) {
  HttpLimits limits;
  limits.max_body_bytes = 10;
  Start(limits);
  Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n");
  EXPECT_TRUE(handler_.requests.empty());
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 413);
  EXPECT_EQ(responses[0].body, "Content Too Large\n");
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, BodyAtTheLimitIsAccepted) {
  HttpLimits limits;
  limits.max_body_bytes = 10;
  Start(limits);
  Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789");
  Feed(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
      "chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 2u);
  EXPECT_EQ(handler_.requests[1].body, "0123456789");
}

TEST_F(HttpConnectionTest, ChunkedBodyOverTheLimitGets413) {
  HttpLimits limits;
  limits.max_body_bytes = 10;
  Start(limits);
  Feed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n");
  EXPECT_EQ(io_.out, "");
  Feed("5\r\n");  // announces 11 bytes in total
  EXPECT_TRUE(handler_.requests.empty());
  EXPECT_EQ(Responses().at(0).status, 413);
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, HugeChunkSizeGets413) {
  Feed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\n");
  EXPECT_EQ(Responses().at(0).status, 413);
}

TEST_F(HttpConnectionTest, EndlessChunkExtensionsAreRefused) {
  HttpLimits limits;
  limits.max_header_bytes = 100;
  Start(limits);
  Feed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1");
  for (int i = 0; i < 50 && !io_.closed(); ++i)
    Feed(";name");  // valueless: llhttp 8.1 refuses a second "name=value" extension (400)
  EXPECT_EQ(Responses().at(0).status, 413);
}

TEST_F(HttpConnectionTest, EndlessTrailersAreRefused) {
  HttpLimits limits;
  limits.max_header_bytes = 100;
  Start(limits);
  Feed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
  for (int i = 0; i < 50 && !io_.closed(); ++i)
    Feed("X-Trailer: value\r\n");
  EXPECT_EQ(Responses().at(0).status, 431);
}

// ---------------------------------------------------------------------------------------------
// Timeouts

TEST_F(HttpConnectionTest, HeaderTimeoutGets408) {
  HttpLimits limits;
  limits.header_timeout_ms = 1000;
  limits.idle_timeout_ms = 5000;
  Start(limits);
  Feed("GET / HTTP/1.1\r\nHo");
  EXPECT_GT(io_.timer_ms, 0u);
  EXPECT_LE(io_.timer_ms, 1000u) << "the head deadline is sooner than the idle timeout";
  Feed("st: h\r\n");
  EXPECT_LE(io_.timer_ms, 1000u) << "more bytes do not extend the head deadline";
  connection_->OnTimer();
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 408);
  EXPECT_EQ(responses[0].body, "Request Timeout\n");
  EXPECT_EQ(responses[0].Field("connection"), "close");
  EXPECT_TRUE(io_.closed());
  EXPECT_TRUE(handler_.requests.empty());
  ASSERT_EQ(handler_.sent.size(), 1u);
  EXPECT_EQ(handler_.sent[0].status, 408);
}

TEST_F(HttpConnectionTest, IdleTimeoutIsSoonerThanHeaderTimeoutWhenShorter) {
  HttpLimits limits;
  limits.header_timeout_ms = 10'000;
  limits.idle_timeout_ms = 300;
  Start(limits);
  Feed("GET / HTTP/1.1\r\n");
  EXPECT_EQ(io_.timer_ms, 300u);
}

TEST_F(HttpConnectionTest, IdleMidBodyGets408) {
  HttpLimits limits;
  limits.idle_timeout_ms = 700;
  Start(limits);
  Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234");
  EXPECT_EQ(io_.timer_ms, 700u);
  const size_t arms = io_.timer_history.size();
  Feed("5");
  EXPECT_EQ(io_.timer_history.size(), arms + 1) << "every byte restarts the idle timer";
  connection_->OnTimer();
  EXPECT_EQ(Responses().at(0).status, 408);
  EXPECT_TRUE(io_.closed());
  EXPECT_TRUE(handler_.requests.empty());
}

TEST_F(HttpConnectionTest, IdleKeepAliveTimeoutClosesSilently) {
  Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  const std::string before = io_.out;
  EXPECT_EQ(io_.timer_ms, limits_.idle_timeout_ms);
  connection_->OnTimer();
  EXPECT_EQ(io_.out, before) << "no 408 on an idle connection";
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, FreshConnectionIdleTimeoutClosesSilently) {
  EXPECT_EQ(io_.timer_ms, limits_.idle_timeout_ms);
  connection_->OnTimer();
  EXPECT_EQ(io_.out, "");
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, NoReadTimerWhileAResponseIsPending) {
  handler_.hold = true;
  Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /next HTTP/1.1\r\nHo");
  EXPECT_EQ(io_.timer_ms, 0u) << "worker running: even a partial next request has no timer";
  connection_->OnTimer();  // a stale timer is ignored
  EXPECT_FALSE(io_.closed());
  handler_.held[0]->Respond({});
  EXPECT_GT(io_.timer_ms, 0u) << "the partial request is timed once the worker is done";
  connection_->OnTimer();
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[1].status, 408);
}

// ---------------------------------------------------------------------------------------------
// Response framing

TEST_F(HttpConnectionTest, HeadResponseHasLengthButNoBody) {
  handler_.make_response = [](const HttpRequest&) {
    HttpResponse response;
    response.body = "abcdef";
    return response;
  };
  Feed("HEAD / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
  auto responses = Responses({0});
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].Field("content-length"), "6");
  EXPECT_EQ(responses[0].body, "");
  EXPECT_EQ(responses[1].body, "abcdef") << "the next response is framed right after the head";
  ASSERT_EQ(handler_.sent.size(), 2u);
  EXPECT_EQ(handler_.sent[0].body_bytes, 0u);
}

TEST_F(HttpConnectionTest, NoContentAndNotModifiedHaveNoLengthAndNoBody) {
  handler_.make_response = [](const HttpRequest& request) {
    HttpResponse response;
    response.status = request.target == "/204" ? 204 : 304;
    response.body = "ignored";
    return response;
  };
  Feed("GET /204 HTTP/1.1\r\nHost: h\r\n\r\nGET /304 HTTP/1.1\r\nHost: h\r\n\r\n");
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_THAT(responses[0].head, StartsWith("HTTP/1.1 204 No Content\r\n"));
  EXPECT_EQ(responses[0].Field("content-length"), std::nullopt);
  EXPECT_THAT(responses[1].head, StartsWith("HTTP/1.1 304 Not Modified\r\n"));
  EXPECT_EQ(responses[1].Field("content-length"), std::nullopt);
  EXPECT_THAT(io_.out, Not(HasSubstr("ignored")));
}

TEST_F(HttpConnectionTest, InformationalStatusFromWorkerBecomes500) {
  handler_.make_response = [](const HttpRequest&) {
    HttpResponse response;
    response.status = 101;
    return response;
  };
  Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(Responses().at(0).status, 500);
}

TEST_F(HttpConnectionTest, ResponseFieldFiltering) {
  handler_.make_response = [](const HttpRequest&) {
    HttpResponse response;
    response.headers = {
        {"Connection", "keep-alive"},
        {"Keep-Alive", "timeout=5"},
        {"Proxy-Connection", "x"},
        {"Transfer-Encoding", "chunked"},
        {"Content-Length", "999"},
        {"TE", "trailers"},
        {"Trailer", "x"},
        {"Upgrade", "websocket"},
        {"X-Injected", "a\r\nSet-Cookie: evil=1"},
        {"X-Lf", "a\nb"},
        {"X-Nul", std::string("a\0b", 3)},
        {"Bad Name", "v"},
        {"Bad:Name", "v"},
        {"", "v"},
        {"X-Ok", "fine"},
        {"set-cookie", "a=1"},
        {"Set-Cookie", "b=2"},
    };
    response.body = "body";
    return response;
  };
  Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  const std::string expected_head =
      "HTTP/1.1 200 OK\r\nX-Ok: fine\r\nset-cookie: a=1\r\nSet-Cookie: b=2\r\ndate: <date>\r\n"
      "content-length: 4\r\n\r\n";
  EXPECT_EQ(WithoutDates(responses[0].head), expected_head);
  EXPECT_EQ(responses[0].body, "body");
}

TEST_F(HttpConnectionTest, WorkerDateIsKept) {
  handler_.make_response = [](const HttpRequest&) {
    HttpResponse response;
    response.headers = {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"}};
    return response;
  };
  Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  auto responses = Responses();
  EXPECT_EQ(responses.at(0).FieldCount("date"), 1);
  EXPECT_EQ(responses.at(0).Field("date"), "Sun, 06 Nov 1994 08:49:37 GMT");
}

// ---------------------------------------------------------------------------------------------
// Connection management

TEST_F(HttpConnectionTest, Http10WithoutKeepAliveCloses) {
  Feed("GET / HTTP/1.0\r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 1u);
  EXPECT_EQ(handler_.requests[0].http_minor, 0);
  EXPECT_FALSE(handler_.requests[0].keep_alive);
  EXPECT_EQ(handler_.requests[0].host, "");
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_THAT(responses[0].head, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(responses[0].Field("connection"), "close");
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, Http10WithKeepAliveStaysOpen) {
  Feed("GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  Feed("GET /2 HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 2u);
  EXPECT_TRUE(handler_.requests[0].keep_alive);
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].Field("connection"), "keep-alive");
  EXPECT_EQ(responses[1].Field("connection"), "keep-alive");
  EXPECT_FALSE(io_.closed());
}

TEST_F(HttpConnectionTest, Http10IgnoresExpect) {
  Feed("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nab");
  ASSERT_EQ(handler_.requests.size(), 1u);
  EXPECT_THAT(io_.out, Not(HasSubstr("100 Continue")));
}

TEST_F(HttpConnectionTest, ConnectionCloseClosesAfterTheResponse) {
  Feed(
      "GET /1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
      "GET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 1u) << "nothing after a closing request is parsed";
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].Field("connection"), "close");
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, ConnectionCloseWaitsForTheWorker) {
  handler_.hold = true;
  Feed("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(io_.closed());
  handler_.held[0]->Respond({});
  EXPECT_EQ(Responses().at(0).Field("connection"), "close");
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, ExpectContinueIsAnsweredBeforeTheBody) {
  Feed("PUT /u HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(io_.out, "HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_TRUE(handler_.requests.empty());
  Feed("hello");
  ASSERT_EQ(handler_.requests.size(), 1u);
  EXPECT_EQ(handler_.requests[0].body, "hello");
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].status, 100);
  EXPECT_EQ(responses[1].status, 200);
  EXPECT_FALSE(io_.closed());
}

TEST_F(HttpConnectionTest, ExpectContinueWithChunkedBody) {
  Feed("PUT /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
  EXPECT_EQ(io_.out, "HTTP/1.1 100 Continue\r\n\r\n");
  Feed("2\r\nhi\r\n0\r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 1u);
  EXPECT_EQ(handler_.requests[0].body, "hi");
}

TEST_F(HttpConnectionTest, ExpectContinueWithoutBodySendsNoContinue) {
  Feed("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n");
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 200);
}

TEST_F(HttpConnectionTest, ExpectContinueOverTheLimitGets413WithoutContinue) {
  HttpLimits limits;
  limits.max_body_bytes = 100;
  Start(limits);
  Feed("PUT /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n");
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 413);
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, ExpectContinueWaitsForEarlierResponses) {
  handler_.hold = true;
  Feed(
      "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
      "PUT /2 HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_EQ(io_.out, "") << "the 100 may not overtake the response to /1";
  handler_.held[0]->Respond(FakeHandler::DefaultResponse(handler_.held[0]->request()));
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].body, "ok:/1");
  EXPECT_EQ(responses[1].status, 100);
  Feed("ab");
  ASSERT_EQ(handler_.held.size(), 2u);
  EXPECT_EQ(handler_.held[1]->request().body, "ab");
}

TEST_F(HttpConnectionTest, ExpectContinueIsDroppedIfTheBodyArrivesFirst) {
  handler_.hold = true;
  Feed(
      "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
      "PUT /2 HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nab");
  ASSERT_EQ(handler_.held.size(), 2u);
  handler_.held[1]->Respond({});
  handler_.held[0]->Respond({});
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_EQ(responses[1].status, 200);
}

TEST_F(HttpConnectionTest, AbsoluteFormTargetOverridesHost) {
  Feed("GET http://h:1/p?q HTTP/1.1\r\nHost: other\r\n\r\n");
  Feed("GET HTTPS://Example.COM HTTP/1.1\r\nHost: x\r\n\r\n");
  Feed("GET http://e.com?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
  Feed("GET http://[::1]:8080/a HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 4u);
  EXPECT_EQ(handler_.requests[0].target, "/p?q");
  EXPECT_EQ(handler_.requests[0].host, "h:1");
  EXPECT_EQ(handler_.requests[0].headers.at(0).value, "other") << "headers stay as received";
  EXPECT_EQ(handler_.requests[1].target, "/");
  EXPECT_EQ(handler_.requests[1].host, "Example.COM");
  EXPECT_EQ(handler_.requests[2].target, "/?q=1");
  EXPECT_EQ(handler_.requests[3].host, "[::1]:8080");
}

TEST_F(HttpConnectionTest, AsteriskFormForOptions) {
  Feed("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 1u);
  EXPECT_EQ(handler_.requests[0].target, "*");
}

TEST_F(HttpConnectionTest, UpgradeIsIgnoredAndTheConnectionStaysHttp) {
  Feed(
      "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
      "Sec-WebSocket-Key: x\r\n\r\n"
      "GET /after HTTP/1.1\r\nHost: h\r\n\r\n");
  Feed(
      "POST /up HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nUpgrade: h2c\r\nContent-Length: "
      "2\r\n\r\nab");
  Feed("GET /last HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_EQ(handler_.requests.size(), 4u);
  EXPECT_EQ(handler_.requests[0].target, "/ws");
  EXPECT_EQ(handler_.requests[1].target, "/after");
  EXPECT_EQ(handler_.requests[2].body, "ab");
  EXPECT_EQ(handler_.requests[3].target, "/last");
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 4u);
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_EQ(responses[0].Field("upgrade"), std::nullopt);
  EXPECT_FALSE(io_.closed());
}

TEST_F(HttpConnectionTest, MaxPipelinedPausesAndResumesReading) {
  HttpLimits limits;
  limits.max_pipelined = 2;
  Start(limits);
  handler_.hold = true;
  Feed(
      "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
      "GET /2 HTTP/1.1\r\nHost: h\r\n\r\n"
      "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n"
      "GET /4 HTTP/1.1\r\nHost: h\r\n\r\n"
      "GET /5 HTTP/1.1\r\nHo");
  EXPECT_EQ(handler_.held.size(), 2u);
  EXPECT_TRUE(io_.paused);
  EXPECT_EQ(io_.pauses, 1);
  EXPECT_FALSE(connection_->idle());

  handler_.held[0]->Respond({});
  EXPECT_EQ(handler_.held.size(), 3u) << "one slot free: one more request parsed";
  EXPECT_TRUE(io_.paused) << "full again";
  handler_.held[1]->Respond({});
  EXPECT_EQ(handler_.held.size(), 4u);
  EXPECT_TRUE(io_.paused);
  handler_.held[2]->Respond({});
  EXPECT_EQ(handler_.held.size(), 4u) << "/5 is not complete yet";
  EXPECT_FALSE(io_.paused) << "reading resumed to get the rest of /5";
  EXPECT_GE(io_.resumes, 1);
  Feed("st: h\r\n\r\n");
  ASSERT_EQ(handler_.held.size(), 5u);
  EXPECT_EQ(handler_.held[4]->request().target, "/5");
  handler_.held[3]->Respond({});
  handler_.held[4]->Respond({});
  EXPECT_EQ(Responses().size(), 5u);
  EXPECT_TRUE(connection_->idle());
}

TEST_F(HttpConnectionTest, MaxPipelinedWithImmediateAnswersNeverPauses) {
  HttpLimits limits;
  limits.max_pipelined = 1;
  Start(limits);
  std::string many;
  for (int i = 0; i < 10; ++i)
    many += "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  Feed(many);
  EXPECT_EQ(handler_.requests.size(), 10u);
  EXPECT_EQ(io_.pauses, 0);
  EXPECT_EQ(Responses().size(), 10u);
}

TEST_F(HttpConnectionTest, RespondAfterTheConnectionIsDestroyedIsANoOp) {
  handler_.hold = true;
  Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_EQ(handler_.held.size(), 1u);
  std::shared_ptr<HttpExchange> exchange = handler_.held[0];
  EXPECT_TRUE(exchange->connection_alive());
  connection_.reset();
  EXPECT_FALSE(exchange->connection_alive());
  exchange->Respond({});
  EXPECT_EQ(io_.out, "");
  EXPECT_TRUE(handler_.sent.empty());
  EXPECT_EQ(exchange->request().target, "/") << "the request stays readable";
}

TEST_F(HttpConnectionTest, ConnectionAliveIsFalseOnceClosed) {
  handler_.hold = true;
  Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(handler_.held.size(), 2u);
  handler_.held[1]->Respond({});
  handler_.held[0]->Respond({});
  EXPECT_TRUE(io_.closed());
  EXPECT_FALSE(handler_.held[0]->connection_alive());
}

TEST_F(HttpConnectionTest, RespondTwiceIgnoresTheSecond) {
  handler_.hold = true;
  Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  HttpResponse first;
  first.body = "first";
  HttpResponse second;
  second.body = "second";
  handler_.held[0]->Respond(first);
  handler_.held[0]->Respond(second);
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].body, "first");
  EXPECT_EQ(handler_.sent.size(), 1u);
}

TEST_F(HttpConnectionTest, DrainWhenIdleClosesAtOnce) {
  Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  connection_->Drain();
  EXPECT_TRUE(io_.closed());
  EXPECT_EQ(io_.closes, 1);
}

TEST_F(HttpConnectionTest, DrainWithARequestInFlight) {
  handler_.hold = true;
  Feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n");
  connection_->Drain();
  EXPECT_FALSE(io_.closed());
  Feed("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(handler_.held.size(), 1u) << "no new requests while draining";
  handler_.held[0]->Respond({});
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].Field("connection"), "close");
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, DrainWithPipelinedRequestsClosesAfterTheLast) {
  handler_.hold = true;
  Feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHo");
  connection_->Drain();
  EXPECT_FALSE(connection_->idle());
  handler_.held[1]->Respond({});
  handler_.held[0]->Respond({});
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 2u) << "the partial /3 is dropped";
  EXPECT_EQ(responses[0].Field("connection"), std::nullopt);
  EXPECT_EQ(responses[1].Field("connection"), "close");
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, EofWithPendingResponses) {
  handler_.hold = true;
  Feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\n");
  connection_->OnEof();
  EXPECT_FALSE(io_.closed());
  handler_.held[0]->Respond({});
  EXPECT_FALSE(io_.closed());
  handler_.held[1]->Respond({});
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 2u) << "the partial request at EOF is dropped silently";
  EXPECT_EQ(responses[1].Field("connection"), "close");
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, EofWhenIdleCloses) {
  Feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  connection_->OnEof();
  EXPECT_TRUE(io_.closed());
  EXPECT_EQ(Responses().size(), 1u);
}

TEST_F(HttpConnectionTest, EofWithPartialRequestClosesSilently) {
  Feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
  connection_->OnEof();
  EXPECT_EQ(io_.out, "");
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, EofWhilePausedStillServesTheBufferedRequests) {
  HttpLimits limits;
  limits.max_pipelined = 1;
  Start(limits);
  handler_.hold = true;
  Feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
  connection_->OnEof();
  handler_.held[0]->Respond({});
  ASSERT_EQ(handler_.held.size(), 2u);
  EXPECT_FALSE(io_.closed());
  handler_.held[1]->Respond({});
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].Field("connection"), std::nullopt);
  EXPECT_EQ(responses[1].Field("connection"), "close");
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpConnectionTest, HandlerMayRespondToOtherExchangesFromOnResponseSent) {
  handler_.hold = true;
  Feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_EQ(handler_.held.size(), 2u);
  std::shared_ptr<HttpExchange> second = handler_.held[1];
  handler_.on_sent = [&](const HttpExchange& exchange) {
    if (exchange.request().target == "/1") second->Respond({});
  };
  handler_.held[0]->Respond({});
  EXPECT_EQ(Responses().size(), 2u);
  EXPECT_EQ(io_.writes, 1);
}

TEST_F(HttpConnectionTest, HandlerMayDrainFromOnRequest) {
  handler_.on_request = [this](const std::shared_ptr<HttpExchange>&) { connection_->Drain(); };
  Feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(handler_.requests.size(), 1u);
  auto responses = Responses();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].Field("connection"), "close");
  EXPECT_TRUE(io_.closed());
}

}  // namespace
}  // namespace edgerun::runtime
