// Streamed bodies on one connection: responses whose body a worker produces over time (chunked
// framing, backpressure from the peer, errors, cancellation) and request bodies handed to the
// worker while they still arrive (early dispatch, bounded buffering, limits).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "runtime/http_connection.h"
#include "tests/unit/http_test_support.h"

namespace edgerun::runtime {
namespace {

using ::testing::EndsWith;
using testing::FakeBodyStream;
using testing::FakeHandler;
using testing::FakeIo;
using ::testing::HasSubstr;
using ::testing::Not;
using Kind = BodyChunk::Kind;

constexpr std::string_view kGet = "GET /s HTTP/1.1\r\nHost: a\r\n\r\n";

class HttpStreamingTest : public ::testing::Test {
 protected:
  HttpStreamingTest() {
    handler_.make_response = [this](const HttpRequest&) {
      HttpResponse response;
      response.headers.push_back({"content-type", "text/plain"});
      response.headers.push_back({"content-length", "999"});  // the worker's: dropped
      response.body_stream = body_;
      return response;
    };
  }
  void Start(const HttpLimits& limits) {
    connection_ = std::make_unique<HttpConnection>(io_, handler_, limits);
  }

  FakeIo io_;
  FakeHandler handler_;
  std::shared_ptr<FakeBodyStream> body_ = std::make_shared<FakeBodyStream>();
  std::unique_ptr<HttpConnection> connection_ =
      std::make_unique<HttpConnection>(io_, handler_, HttpLimits{});
};

TEST_F(HttpStreamingTest, ResponseBodyIsWrittenChunkByChunkAsTheWorkerProducesIt) {
  connection_->Feed(kGet);
  EXPECT_THAT(io_.out, HasSubstr("transfer-encoding: chunked\r\n"));
  EXPECT_THAT(io_.out, Not(HasSubstr("content-length")));
  EXPECT_EQ(body_->reads, 1);
  ASSERT_TRUE(body_->Answer(Kind::kData, "hello "));
  EXPECT_THAT(io_.out, EndsWith("\r\n\r\n6\r\nhello \r\n"));
  ASSERT_TRUE(body_->Answer(Kind::kData, std::string(300, 'x')));
  EXPECT_THAT(io_.out, HasSubstr("\r\n12c\r\nxxx"));
  ASSERT_TRUE(body_->Answer(Kind::kEnd));
  EXPECT_THAT(io_.out, EndsWith("x\r\n0\r\n\r\n"));
  ASSERT_EQ(handler_.sent.size(), 1u);
  EXPECT_EQ(handler_.sent[0].body_bytes, 306u);
  EXPECT_FALSE(io_.closed());
  EXPECT_TRUE(connection_->idle());
}

TEST_F(HttpStreamingTest, PipelinedResponsesWaitForTheStreamToEnd) {
  handler_.make_response = [this](const HttpRequest& request) {
    HttpResponse response;
    if (request.target == "/s") {
      response.body_stream = body_;
    } else {
      response.body = "second";
    }
    return response;
  };
  connection_->Feed(std::string(kGet) + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_THAT(io_.out, Not(HasSubstr("second")));
  body_->Answer(Kind::kData, "first");
  body_->Answer(Kind::kEnd);
  EXPECT_THAT(io_.out, HasSubstr("5\r\nfirst\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(io_.out, EndsWith("second"));
}

TEST_F(HttpStreamingTest, APeerThatFallsBehindStopsThePulling) {
  connection_->Feed(kGet);
  io_.queued = 1 << 20;  // the socket is full
  body_->Answer(Kind::kData, "a");
  EXPECT_EQ(body_->reads, 1) << "no read while the peer has a megabyte to take";
  connection_->OnWritable();
  EXPECT_EQ(body_->reads, 1);
  io_.queued = 0;
  connection_->OnWritable();
  EXPECT_EQ(body_->reads, 2);
}

TEST_F(HttpStreamingTest, AStreamErrorCutsTheBodyShortAndCloses) {
  connection_->Feed(kGet);
  body_->Answer(Kind::kData, "partial");
  body_->Answer(Kind::kError, "boom");
  EXPECT_THAT(io_.out, EndsWith("7\r\npartial\r\n"));
  EXPECT_TRUE(io_.closed());
}

TEST_F(HttpStreamingTest, HeadAndHttp10) {
  connection_->Feed("HEAD /s HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_TRUE(body_->cancelled);
  EXPECT_THAT(io_.out, Not(HasSubstr("transfer-encoding")));
  EXPECT_THAT(io_.out, EndsWith("\r\n\r\n"));

  FakeIo io10;
  body_ = std::make_shared<FakeBodyStream>();
  HttpConnection c10(io10, handler_, HttpLimits{});
  c10.Feed("GET /s HTTP/1.0\r\n\r\n");
  body_->Answer(Kind::kData, "raw");
  EXPECT_THAT(io10.out, Not(HasSubstr("transfer-encoding")));
  EXPECT_THAT(io10.out, HasSubstr("connection: close\r\n"));
  EXPECT_THAT(io10.out, EndsWith("\r\n\r\nraw"));
  body_->Answer(Kind::kEnd);
  EXPECT_TRUE(io10.closed());
}

TEST_F(HttpStreamingTest, AClosedConnectionCancelsTheStream) {
  connection_->Feed(kGet);
  connection_.reset();  // the transport went away
  EXPECT_TRUE(body_->cancelled);
}

// ---- request bodies ----

class RequestBodyStreamingTest : public ::testing::Test {
 protected:
  RequestBodyStreamingTest() {
    limits_.stream_body_after = 16;
    limits_.max_body_bytes = 100;
    handler_.hold = true;
    connection_ = std::make_unique<HttpConnection>(io_, handler_, limits_);
  }
  // Reads the held request's body once; returns what the read delivered so far ("<waiting>":
  // nothing yet; a later delivery lands in got_).
  std::string ReadOnce() {
    got_ = "<waiting>";
    handler_.held.at(0)->request().body_stream->Read([this](BodyChunk chunk) {
      got_ = chunk.kind == Kind::kData  ? chunk.data
             : chunk.kind == Kind::kEnd ? "<end>"
                                        : "<error: " + chunk.data + ">";
    });
    return got_;
  }

  std::string got_;
  FakeIo io_;
  FakeHandler handler_;
  HttpLimits limits_;
  std::unique_ptr<HttpConnection> connection_;
};

TEST_F(RequestBodyStreamingTest, SmallBodiesStayBuffered) {
  connection_->Feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_EQ(handler_.held.size(), 1u);
  EXPECT_EQ(handler_.held[0]->request().body, "hello");
  EXPECT_EQ(handler_.held[0]->request().body_stream, nullptr);
}

TEST_F(RequestBodyStreamingTest, ALargeBodyIsHandedOutWhileItArrives) {
  connection_->Feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 40\r\n\r\n0123456789");
  EXPECT_TRUE(handler_.held.empty()) << "10 bytes: still under stream_body_after";
  connection_->Feed("0123456789");
  ASSERT_EQ(handler_.held.size(), 1u);
  EXPECT_TRUE(handler_.held[0]->request().body.empty());
  EXPECT_EQ(ReadOnce(), "01234567890123456789");
  EXPECT_EQ(ReadOnce(), "<waiting>");
  connection_->Feed("abcdefghijklmnopqrst");
  EXPECT_EQ(handler_.requests.size(), 1u);
  EXPECT_EQ(got_, "abcdefghijklmnopqrst") << "the waiting read gets the bytes as they arrive";
  EXPECT_EQ(ReadOnce(), "<end>");
  handler_.held[0]->Respond(FakeHandler::DefaultResponse(handler_.held[0]->request()));
  EXPECT_THAT(io_.out, HasSubstr("200 OK"));
}

TEST_F(RequestBodyStreamingTest, AnUnreadBodyStopsTheSocketBeingRead) {
  connection_->Feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
  connection_->Feed("14\r\n01234567890123456789\r\n");
  ASSERT_EQ(handler_.held.size(), 1u);
  EXPECT_TRUE(io_.paused) << "20 unread bytes > stream_body_after";
  EXPECT_EQ(ReadOnce(), "01234567890123456789");
  EXPECT_FALSE(io_.paused);
  connection_->Feed("3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(ReadOnce(), "abc");
  EXPECT_EQ(ReadOnce(), "<end>");
}

TEST_F(RequestBodyStreamingTest, ABodyPastTheLimitFailsTheStreamAndTheConnectionCloses) {
  connection_->Feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
  connection_->Feed("14\r\n01234567890123456789\r\n");
  EXPECT_EQ(ReadOnce(), "01234567890123456789");
  connection_->Feed("64\r\n");  // 100 more: over max_body_bytes
  EXPECT_EQ(ReadOnce(), "<error: the request body is larger than limits.max_body_bytes>");
  handler_.held[0]->Respond(FakeHandler::DefaultResponse(handler_.held[0]->request()));
  EXPECT_THAT(io_.out, HasSubstr("connection: close"));
  EXPECT_TRUE(io_.closed());
}

TEST_F(RequestBodyStreamingTest, AClientThatHangsUpMidBodyFailsTheStream) {
  connection_->Feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 90\r\n\r\n");
  connection_->Feed("01234567890123456789");
  EXPECT_EQ(ReadOnce(), "01234567890123456789");
  connection_->OnEof();
  EXPECT_THAT(ReadOnce(), HasSubstr("<error: the client connection closed"));
}

TEST_F(RequestBodyStreamingTest, AnAnswerBeforeTheBodyEndsDiscardsTheRestAndKeepsTheConnection) {
  connection_->Feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 40\r\n\r\n");
  connection_->Feed("01234567890123456789");
  handler_.held[0]->request().body_stream->Cancel();  // the worker's context ended
  handler_.held[0]->Respond(FakeHandler::DefaultResponse(handler_.held[0]->request()));
  connection_->Feed("01234567890123456789GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(handler_.held.size(), 2u);
  EXPECT_EQ(handler_.held[1]->request().target, "/next");
  EXPECT_FALSE(io_.paused);
  EXPECT_FALSE(io_.closed());
}

}  // namespace
}  // namespace edgerun::runtime
