// Bodies that stream through the real server: responses a worker produces over time, request
// bodies read while they arrive, errors and cancellation on either side, and a 256 MB body piped
// through a TransformStream back to the client with the process memory staying flat.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "tests/integration/edgerun_process.h"
#include "tests/integration/http_client.h"

namespace edgerun::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kConfig = R"({
  "threads": 1,
  "limits": {"max_body_bytes": 536870912, "cpu_ms": 20000},
  "workers": [{"name": "streams", "main": "streams.js", "routes": ["*/*"]}]
})";

constexpr const char* kWorker = R"JS(
let cancelled = 'no';
const enc = new TextEncoder();
export default {
  async fetch(req) {
    const path = req.url.replace(/^[a-z]+:\/\/[^/]*/, '').split('?')[0];
    if (path === '/ticks') {
      let n = 0;
      return new Response(new ReadableStream({
        async pull(controller) {
          await new Promise((r) => setTimeout(r, 5));
          if (n === 5) return controller.close();
          controller.enqueue(enc.encode(`tick ${n++}\n`));
        },
      }), {headers: {'content-type': 'text/plain'}});
    }
    if (path === '/fails') {
      return new Response(new ReadableStream({
        start(controller) { controller.enqueue(enc.encode('first')); },
        pull(controller) { controller.error(new RangeError('source broke')); },
      }));
    }
    if (path === '/endless') {
      cancelled = 'no';
      return new Response(new ReadableStream({
        pull(controller) { controller.enqueue(new Uint8Array(65536).fill(120)); },
        cancel() { cancelled = 'yes'; },
      }));
    }
    if (path === '/cancelled') return new Response(cancelled);
    if (path === '/strings') {
      return new Response(new ReadableStream({ start(c) { c.enqueue('not bytes'); c.close(); } }));
    }
    if (path === '/length') {
      const bytes = await req.bytes();
      return new Response(`${bytes.length} ${bytes[0]} ${bytes[bytes.length - 1]}`);
    }
    if (path === '/reader') {
      let total = 0, chunks = 0;
      for await (const chunk of req.body) { total += chunk.byteLength; chunks++; }
      return new Response(`${total} bytes in ${chunks > 1 ? 'several chunks' : 'one chunk'}`);
    }
    if (path === '/pipe') {
      const identity = new TransformStream({ transform(chunk, c) { c.enqueue(chunk); } });
      return new Response(req.body.pipeThrough(identity));
    }
    if (path === '/tee') {
      const copy = req.clone();
      const [a, b] = await Promise.all([req.text(), copy.text()]);
      return new Response(`${a.length} ${a === b}`);
    }
    return new Response('?', {status: 404});
  },
};
)JS";

class StreamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("streams.js", kWorker);
    server_ = EdgerunProcess::Start(dir_.Write("edgerun.json", kConfig));
    ASSERT_TRUE(server_->started()) << server_->log();
  }
  TempDir dir_;
  std::unique_ptr<EdgerunProcess> server_;
};

TEST_F(StreamingTest, AStreamedResponseArrivesChunkedAsTheWorkerProducesIt) {
  HttpClient c(server_->port());
  auto r = c.Get("/ticks");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("transfer-encoding"), "chunked");
  EXPECT_FALSE(r->has_header("content-length"));
  EXPECT_EQ(r->body, "tick 0\ntick 1\ntick 2\ntick 3\ntick 4\n");
  // The connection stays usable after a streamed response.
  auto again = c.Get("/cancelled");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST_F(StreamingTest, AStreamThatErrorsCutsTheResponseShortAndTheLogNamesTheWorker) {
  HttpClient c(server_->port());
  ASSERT_TRUE(c.Send("GET /fails HTTP/1.1\r\nHost: a\r\n\r\n"));
  std::string raw = c.ReadUntilClose();
  EXPECT_NE(raw.find("\r\n\r\n5\r\nfirst\r\n"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("0\r\n\r\n"), std::string::npos) << "no last chunk: the body is incomplete";
  EXPECT_TRUE(
      server_->WaitForLog("[streams] the response body stream errored: RangeError: "
                          "source broke",
                          5s))
      << server_->log();
}

TEST_F(StreamingTest, ChunksThatAreNotBytesAreRefused) {
  HttpClient c(server_->port());
  ASSERT_TRUE(c.Send("GET /strings HTTP/1.1\r\nHost: a\r\n\r\n"));
  std::string raw = c.ReadUntilClose();
  EXPECT_EQ(raw.find("not bytes"), std::string::npos);
  EXPECT_TRUE(server_->WaitForLog("chunks must be Uint8Array", 5s)) << server_->log();
}

TEST_F(StreamingTest, AClientThatHangsUpCancelsTheWorkersStream) {
  {
    HttpClient c(server_->port());
    ASSERT_TRUE(c.Send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n"));
    std::string some = c.ReadUntilClose(200);  // it never ends: take what came, then hang up
    EXPECT_NE(some.find("transfer-encoding: chunked"), std::string::npos);
  }
  std::string seen;
  for (int i = 0; i < 50 && seen != "yes"; ++i) {
    std::this_thread::sleep_for(20ms);
    auto r = Fetch(server_->port(), "GET", "/cancelled");
    ASSERT_TRUE(r);
    seen = r->body;
  }
  EXPECT_EQ(seen, "yes");
}

// A stream whose chunks are always ready, read by a client as fast as they come, must not keep
// the thread to itself: another connection on it is still served.
TEST_F(StreamingTest, AnEndlessReadyStreamDoesNotStarveOtherConnections) {
  std::atomic<bool> stop{false};
  std::atomic<size_t> received{0};
  std::thread reader([&] {
    HttpClient c(server_->port());
    if (!c.Send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n")) return;
    while (!stop) {
      std::string part = c.ReadUntilClose(50);
      received += part.size();
    }
  });
  while (received < (1u << 20))
    std::this_thread::sleep_for(10ms);  // the stream is flowing
  const auto start = std::chrono::steady_clock::now();
  auto other = Fetch(server_->port(), "GET", "/cancelled");
  const auto took = std::chrono::steady_clock::now() - start;
  stop = true;
  reader.join();
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  // A starved thread would answer only when the CPU limit (20 s here) stopped the stream.
  EXPECT_LT(took, 5s);
}

TEST_F(StreamingTest, LargeRequestBodiesAreReadWhileTheyArrive) {
  std::string body(3 << 20, 'a');
  body.front() = 'F';
  body.back() = 'L';
  auto r = Fetch(server_->port(), "POST", "/length", body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, std::to_string(body.size()) + " 70 76");
  auto chunks = Fetch(server_->port(), "POST", "/reader", body);
  ASSERT_TRUE(chunks);
  EXPECT_EQ(chunks->body, std::to_string(body.size()) + " bytes in several chunks");
  auto tee = Fetch(server_->port(), "POST", "/tee", body);
  ASSERT_TRUE(tee);
  EXPECT_EQ(tee->body, std::to_string(body.size()) + " true");
  auto small = Fetch(server_->port(), "POST", "/reader", "hello");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->body, "5 bytes in one chunk");
}

size_t RssKiB(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
  }
  return 0;
}

// Acceptance: a worker pipes a 256 MB request body through a TransformStream back to the client;
// the process RSS grows by less than 64 MB.
TEST_F(StreamingTest, A256MegabyteBodyPipesThroughWithFlatMemory) {
  constexpr size_t kTotal = 256u << 20;
  constexpr size_t kPiece = 256u << 10;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server_->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  timeval tv{60, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);

  const size_t rss_before = RssKiB(server_->pid());
  std::atomic<size_t> rss_peak{rss_before};
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done) {
      size_t now = RssKiB(server_->pid());
      if (now > rss_peak) rss_peak = now;
      std::this_thread::sleep_for(5ms);
    }
  });
  std::thread sender([&] {
    std::string head =
        "POST /pipe HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(kTotal) + "\r\n\r\n";
    send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    std::string piece(kPiece, '\0');
    for (size_t sent = 0; sent < kTotal; sent += kPiece) {
      for (size_t i = 0; i < kPiece; ++i)
        piece[i] = static_cast<char>((sent + i) % 251);
      size_t off = 0;
      while (off < kPiece) {
        ssize_t n = send(fd, piece.data() + off, kPiece - off, MSG_NOSIGNAL);
        if (n <= 0) return;
        off += static_cast<size_t>(n);
      }
    }
  });

  // Read the chunked response and check every byte of the body against the pattern.
  std::string buf;
  size_t body_bytes = 0;
  bool mismatch = false, head_done = false, finished = false;
  char tmp[1 << 16];
  size_t pos = 0;
  while (!finished) {
    ssize_t n = recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) break;
    buf.append(tmp, static_cast<size_t>(n));
    if (!head_done) {
      size_t end = buf.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      ASSERT_EQ(buf.substr(0, 12), "HTTP/1.1 200") << buf.substr(0, 200);
      head_done = true;
      pos = end + 4;
    }
    for (;;) {  // parse as many complete chunks as are buffered
      size_t line_end = buf.find("\r\n", pos);
      if (line_end == std::string::npos) break;
      size_t size = std::stoul(buf.substr(pos, line_end - pos), nullptr, 16);
      if (buf.size() < line_end + 2 + size + 2) break;
      if (size == 0) {
        finished = true;
        break;
      }
      for (size_t i = 0; i < size; ++i) {
        if (static_cast<unsigned char>(buf[line_end + 2 + i]) != (body_bytes + i) % 251) {
          mismatch = true;
        }
      }
      body_bytes += size;
      pos = line_end + 2 + size + 2;
    }
    buf.erase(0, pos);
    pos = 0;
  }
  sender.join();
  done = true;
  sampler.join();
  close(fd);
  EXPECT_TRUE(finished) << "got " << body_bytes << " bytes";
  EXPECT_EQ(body_bytes, kTotal);
  EXPECT_FALSE(mismatch);
  const size_t growth_kib = rss_peak - rss_before;
  std::printf("RSS before %zu KiB, peak %zu KiB: +%zu KiB for 256 MiB piped\n", rss_before,
              rss_peak.load(), growth_kib);
  EXPECT_LT(growth_kib, 64u * 1024);
}

}  // namespace
}  // namespace edgerun::testing
