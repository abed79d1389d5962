// CompressionStream / DecompressionStream as a worker sees them: round trips in every format,
// interop with the system's gzip and with zlib/gzip data made by Python, the spec's TypeErrors
// for bad input, bounded output pieces, and zlib's memory counted against the tenant's budget.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

// JS helpers every test body can use: run chunks through a transform and collect the bytes.
const char kHelpers[] =
    "async function collect(readable) {"
    "  const parts = []; let n = 0;"
    "  for await (const c of readable) { parts.push(c); n += c.byteLength; }"
    "  const out = new Uint8Array(n); let o = 0;"
    "  for (const p of parts) { out.set(p, o); o += p.byteLength; }"
    "  return out; }"
    "async function through(ts, chunks) {"
    "  const w = ts.writable.getWriter();"
    "  const result = collect(ts.readable);"
    "  for (const c of chunks) w.write(c).catch(() => {});"
    "  w.close().catch(() => {});"
    "  return result; }"
    "function text(bytes) { return new TextDecoder().decode(bytes); }"
    "function bytes(s) { return new TextEncoder().encode(s); }";

// As EvalJs, with CPU to spare: compressing megabytes on a loaded test machine can pass the
// default 50 ms request budget.
std::string Eval(const std::string& body) {
  isolates::TenantLimits limits;
  limits.cpu_ms = 5000;
  TestWorker worker(
      Files{{"index.js", std::string("export default { async fetch() {\n") + kHelpers +
                             "  try { const v = await (async () => {\n" + body +
                             "\n})(); return new Response(String(v)); }\n"
                             "  catch (e) { return new Response('THREW ' + "
                             "e.name + ': ' + e.message); } } };\n"}},
      "index.js", isolates::ScriptFormat::kModules, {}, limits);
  if (!worker.started()) return "START FAILED: " + worker.start_error();
  auto response = worker.Get("/");
  if (!response) return "NO RESPONSE";
  return response->body;
}

// Runs `command` with `input` on stdin; returns its stdout.
std::string RunWithInput(const std::string& command, const std::string& input) {
  std::filesystem::path in =
      std::filesystem::temp_directory_path() / ("edgerun-gz-" + std::to_string(::getpid()));
  std::ofstream(in, std::ios::binary) << input;
  std::string output;
  FILE* pipe = ::popen((command + " < " + in.string()).c_str(), "r");
  if (pipe == nullptr) return "<popen failed>";
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    output.append(buffer, n);
  ::pclose(pipe);
  std::filesystem::remove(in);
  return output;
}

std::string JsByteArray(const std::string& data) {
  std::string out = "new Uint8Array([";
  for (unsigned char c : data)
    out += std::to_string(c) + ",";
  return out + "])";
}

TEST(Compression, RoundTripInEveryFormat) {
  EXPECT_EQ(Eval("const input = bytes('streams '.repeat(5000) + '\\u00e9\\u{1F499}');"
                 "const out = [];"
                 "for (const f of ['gzip', 'deflate', 'deflate-raw', 'brotli']) {"
                 "  const packed = await through(new CompressionStream(f),"
                 "    [input.subarray(0, 7), input.subarray(7, 30000), input.subarray(30000)]);"
                 "  const unpacked = await through(new DecompressionStream(f),"
                 "    [packed.subarray(0, 3), packed.subarray(3)]);"
                 "  out.push(f + ':' + (packed.byteLength < input.byteLength / 20) + ':' +"
                 "    (text(unpacked) === text(input)));"
                 "}"
                 "return out.join(' ');"),
            "gzip:true:true deflate:true:true deflate-raw:true:true brotli:true:true");
}

TEST(Compression, GzipOutputIsReadByTheSystemGzip) {
  TestWorker w(Files{{"index.js", std::string("export default { async fetch() {") + kHelpers +
                                      "  const packed = await through(new CompressionStream("
                                      "'gzip'), [bytes('made by edgerun\\n'.repeat(1000))]);"
                                      "  return new Response(packed); } };"}});
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  std::string expected;
  for (int i = 0; i < 1000; ++i)
    expected += "made by edgerun\n";
  EXPECT_EQ(RunWithInput("gzip -dc", r->body), expected);
}

TEST(Compression, DecompressesWhatTheSystemGzipMade) {
  std::string original;
  for (int i = 0; i < 300; ++i)
    original += "line " + std::to_string(i) + " of the system's gzip input\n";
  std::string packed = RunWithInput("gzip -c -9", original);
  ASSERT_GT(packed.size(), 18u);
  EXPECT_EQ(Eval("const out = await through(new DecompressionStream('gzip'), [" +
                 JsByteArray(packed) + "]); return text(out);"),
            original);
}

TEST(Compression, DecompressesGzipAndZlibBlobsMadeByPython) {
  // python3: gzip.compress(d, mtime=0) and zlib.compress(d) of
  // d = b'edgerun interop: ' + b'hello from python ' * 20
  const std::string expected = "edgerun interop: " + [] {
    std::string s;
    for (int i = 0; i < 20; ++i)
      s += "hello from python ";
    return s;
  }();
  EXPECT_EQ(Eval("const gz = new Uint8Array([31,139,8,0,0,0,0,0,2,3,75,77,73,79,45,42,205,83,"
                 "200,204,43,73,45,202,47,176,82,200,72,205,201,201,87,72,43,202,207,85,40,168,"
                 "44,201,200,207,27,21,161,137,8,0,21,155,100,198,121,1,0,0]);"
                 "const z = new Uint8Array([120,156,75,77,73,79,45,42,205,83,200,204,43,73,45,202,"
                 "47,176,82,200,72,205,201,201,87,72,43,202,207,85,40,168,44,201,200,207,27,21,"
                 "161,137,8,0,22,213,142,46]);"
                 "const a = text(await through(new DecompressionStream('gzip'), [gz]));"
                 "const b = text(await through(new DecompressionStream('deflate'), [z]));"
                 "return a === b ? a : 'differ: ' + a + ' / ' + b;"),
            expected);
}

// Each case: what a reader sees after writing the given chunks (error name and message).
std::string ReadError(const std::string& stream, const std::string& chunks) {
  return Eval("try { await through(" + stream + ", " + chunks +
              "); return 'no error'; } catch (e) { return e.name + ': ' + e.message; }");
}

TEST(Compression, BadInputIsATypeError) {
  EXPECT_EQ(ReadError("new DecompressionStream('gzip')", "[bytes('not gzip at all')]"),
            "TypeError: The compressed data is not valid gzip data.");
  // A complete deflate stream followed by one more byte.
  EXPECT_EQ(ReadError("new DecompressionStream('deflate')",
                      "[new Uint8Array([120,156,75,4,0,0,98,0,98, 0])]"),
            "TypeError: Junk found after the end of the compressed deflate data.");
  // The same stream cut short: the error comes when the writer closes.
  EXPECT_EQ(ReadError("new DecompressionStream('deflate')", "[new Uint8Array([120,156,75,4])]"),
            "TypeError: The compressed deflate data ended before the end of the stream.");
  EXPECT_EQ(ReadError("new DecompressionStream('brotli')", "[new Uint8Array([0xff, 0xff])]"),
            "TypeError: The compressed data is not valid brotli data.");
  EXPECT_EQ(
      ReadError("new CompressionStream('gzip')", "['a string']"),
      "TypeError: Failed to execute 'write' on 'CompressionStream': The provided chunk is not "
      "of type '(ArrayBuffer or ArrayBufferView)'.");
  EXPECT_EQ(Eval("try { new CompressionStream('zip'); return 'constructed'; }"
                 "catch (e) { return e.name; }"),
            "TypeError");
}

TEST(Compression, OutputBeforeTrailingJunkStillReachesTheReader) {
  EXPECT_EQ(Eval("const ds = new DecompressionStream('deflate');"
                 "const r = ds.readable.getReader(); const w = ds.writable.getWriter();"
                 "w.write(new Uint8Array([120,156,75,4,0,0,98,0,98, 7])).catch(() => {});"
                 "const first = await r.read();"
                 "const second = await r.read().then(() => 'value', e => e.name);"
                 "return text(first.value) + ' then ' + second;"),
            "a then TypeError");
}

TEST(Compression, LargeOutputComesInBoundedPieces) {
  // 8 MiB of zeros compress to ~8 KiB; decompressing yields pieces of at most 64 KiB.
  EXPECT_EQ(Eval("const zeros = new Uint8Array(8 << 20);"
                 "const packed = await through(new CompressionStream('deflate'), [zeros]);"
                 "const ds = new DecompressionStream('deflate');"
                 "const w = ds.writable.getWriter(); w.write(packed); w.close();"
                 "let total = 0, largest = 0, pieces = 0;"
                 "for await (const c of ds.readable) {"
                 "  total += c.byteLength; largest = Math.max(largest, c.byteLength); pieces++; }"
                 "return [packed.byteLength < 20000, total, largest, pieces].join(' ');"),
            "true 8388608 65536 128");
}

TEST(Compression, CodecMemoryCountsAgainstTheTenantBudget) {
  // Each deflate stream holds ~256 KiB of zlib state. Keeping 400 alive (~100 MiB) past a
  // 32 MiB budget is refused with a RangeError the worker can catch; the process is unharmed
  // and dropping the streams frees the budget again.
  isolates::TenantLimits limits;
  limits.heap_limit_mb = 32;
  limits.cpu_ms = 5000;
  TestWorker w(Files{{"index.js",
                      "export default { async fetch() {"
                      "  let kept = [], error = 'none';"
                      "  try { for (let i = 0; i < 400; i++) kept.push(new CompressionStream("
                      "'deflate')); }"
                      "  catch (e) { error = e.name; }"
                      "  const made = kept.length; kept = null;"
                      // The streams' start() reactions hold them until microtasks run.
                      "  await new Promise(r => setTimeout(r, 0));"
                      "  const again = new CompressionStream('gzip');"
                      "  return new Response(error + ' ' + (made < 400) + ' ' + "
                      "(again.readable instanceof ReadableStream));"
                      "} };"}},
               "index.js", isolates::ScriptFormat::kModules, {}, limits);
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "RangeError true true") << w.log().All();
}

TEST(Compression, LongStreamRunsInBoundedMemory) {
  // 48 MiB through gzip and back, in 64 KiB chunks, under a 16 MiB heap and ArrayBuffer budget:
  // only backpressure (the source is pulled as the far end reads) keeps this inside the budget.
  isolates::TenantLimits limits;
  limits.heap_limit_mb = 16;
  limits.cpu_ms = 30000;
  limits.wall_ms = 60000;
  TestWorker w(
      Files{{"index.js",
             "export default { async fetch() {"
             "  const total = 48 << 20, size = 64 << 10; let sent = 0, seed = 1;"
             "  const source = new ReadableStream({ pull(c) {"
             "    if (sent >= total) { c.close(); return; }"
             "    const chunk = new Uint8Array(size);"
             "    for (let i = 0; i < size; i += 4) {"
             "      seed = (seed * 1103515245 + 12345) >>> 0; chunk[i] = seed >>> 27; }"
             "    sent += size; c.enqueue(chunk); } }, { highWaterMark: 0 });"
             "  let received = 0, sum = 0;"
             "  await source.pipeThrough(new CompressionStream('gzip'))"
             "    .pipeThrough(new DecompressionStream('gzip'))"
             "    .pipeTo(new WritableStream({ write(c) { received += c.byteLength;"
             "      for (let i = 0; i < c.length; i += 4096) sum = (sum + c[i]) >>> 0; } }));"
             "  return new Response(received + ' ' + (sum > 0));"
             "} };"}},
      "index.js", isolates::ScriptFormat::kModules, {}, limits);
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Fetch(
      [] {
        HttpRequest request;
        request.method = "GET";
        request.target = "/";
        request.host = "example.com";
        return request;
      }(),
      "", 60000);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, std::to_string(48 << 20) + " true") << w.log().All();
}

}  // namespace
}  // namespace edgerun::testing
