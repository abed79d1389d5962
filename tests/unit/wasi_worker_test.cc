// The WASI class in a worker, running real wasm32-wasi modules built from tests/wasi/: a C++
// command's stdout/stderr/exit code, a reactor's exports, random and clocks, files under the
// configured preopen (and nothing outside it), output caps, limits, and the errors a user sees.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

std::string ReadBinary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Base64(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6)
      out += kAlphabet[(n >> k) & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// JS defining `name` as a WebAssembly.Module of the built guest `file`.
std::string ModuleJs(const std::string& name, const std::string& file) {
  std::string bytes = ReadBinary(std::string(EDGERUN_WASI_TEST_DIR) + "/" + file);
  EXPECT_GT(bytes.size(), 1000u) << file << " was not built";
  return "const " + name + " = new WebAssembly.Module(Uint8Array.from(atob('" + Base64(bytes) +
         "'), c => c.charCodeAt(0)));\n";
}

// A module worker whose fetch handler runs `body` (with `command` and `reactor` modules in
// scope) and answers String(result) or "THREW name: message".
Files WorkerFiles(const std::string& body) {
  return Files{
      {"index.js",
       ModuleJs("command", "wasi_command.wasm") + ModuleJs("reactor", "wasi_reactor.wasm") +
           "const text = (b) => new TextDecoder().decode(b);\n"
           "function run(args, options = {}) {\n"
           "  const wasi = new WASI({args: ['wasi_command', ...args], ...options});\n"
           "  const instance = new WebAssembly.Instance(command, wasi.getImportObject());\n"
           "  const code = wasi.start(instance);\n"
           "  return {code, out: text(wasi.stdout), err: text(wasi.stderr), wasi};\n"
           "}\n"
           "export default { async fetch(request) {\n"
           "  try { const v = await (async () => {\n" +
           body +
           "\n})(); return new Response(String(v)); }\n"
           "  catch (e) { return new Response('THREW ' + e.name + ': ' + "
           "e.message); } } };\n"}};
}

std::string RunWasi(const std::string& body) {
  TestWorker worker(WorkerFiles(body));
  if (!worker.started()) return "START FAILED: " + worker.start_error();
  auto response = worker.Get("/");
  if (!response) return "NO RESPONSE";
  return response->body;
}

TEST(WasiWorker, CommandStdoutStderrAndExitCode) {
  EXPECT_EQ(RunWasi("const r = run(['echo', '7'], {env: {GREETING: 'hi there', OTHER: 'x'},"
                    " stdin: 'some input'});\n"
                    "return r.code + '|' + r.out + '|' + r.err + '|' + r.wasi.exitCode;"),
            "7|arg0=wasi_command\narg1=echo\narg2=7\nGREETING=hi there\nenv count=2\n"
            "stdin=some input\n|to stderr\n|7");
}

TEST(WasiWorker, ReturningFromMainIsExitCodeZeroAndStdinTakesBytes) {
  EXPECT_EQ(RunWasi("const r = run(['echo'], {stdin: new Uint8Array([104, 105])});\n"
                    "return r.code + ' ' + r.wasi.exitCode + ' ' + r.out.split('\\n')[4];"),
            "0 null stdin=hi");
}

TEST(WasiWorker, ExitUnwindsTheProgram) {
  EXPECT_EQ(RunWasi("const r = run(['exit', '3']); return r.code + ' ' + r.wasi.exitCode;"), "3 3");
  EXPECT_EQ(
      RunWasi("const wasi = new WASI({args: ['x', 'exit', '4'], returnOnExit: false});\n"
              "const i = new WebAssembly.Instance(command, wasi.getImportObject());\n"
              "try { wasi.start(i); return 'returned'; } catch (e) { return e.message + ' ' + "
              "wasi.exitCode; }"),
      "WASI: the program exited with code 4 4");
}

TEST(WasiWorker, ReactorExportsWorkAfterInitialize) {
  EXPECT_EQ(RunWasi("const wasi = new WASI();\n"
                    "const i = new WebAssembly.Instance(reactor, {wasi_snapshot_preview1: "
                    "wasi.wasiImport});\n"
                    "wasi.initialize(i);\n"
                    "const n = i.exports.hello(4);\n"
                    "return i.exports.add(2, 3) + ' ' + n + ' ' + text(wasi.stdout);"),
            "5 11 ctor-ran 4\n");
}

TEST(WasiWorker, RandomAndClocksWork) {
  std::string out = RunWasi(
      "const r = run(['random']); const [a, b] = r.out.trim().split('\\n');\n"
      "const c = run(['clocks']).out;\n"
      "const real = Number(/realtime=(\\d+)/.exec(c)[1]);\n"
      "const slept = Number(/slept_ms=(\\d+)/.exec(c)[1]);\n"
      "return [a.length, a !== b, /^0+$/.test(a), Math.abs(real - Date.now() / 1000) < 5,"
      " slept >= 20 && slept < 1000].join(' ');");
  EXPECT_EQ(out, "64 true false true true");
}

TEST(WasiWorker, FilesUnderThePreopenOnlyAndReadOnly) {
  Files files = WorkerFiles(
      "return run(['files', '/data/hello.txt', '/data/sub/deep.txt', '/data/../secret.txt',"
      " '/data/escape', '/data/sub/../../secret.txt', '/secret.txt']).out;");
  files["assets/hello.txt"] = "hello file";
  files["assets/sub/deep.txt"] = "deep file";
  files["secret.txt"] = "TOP SECRET";
  TestWorker worker(std::move(files), "index.js", isolates::ScriptFormat::kAuto, {}, {},
                    [](isolates::WorkerSpec& spec) {
                      std::filesystem::path dir = spec.main.parent_path();
                      std::filesystem::create_symlink(dir / "secret.txt",
                                                      dir / "assets" / "escape");
                      spec.wasi_preopens = {{"/data", (dir / "assets").string()}};
                    });
  ASSERT_TRUE(worker.started()) << worker.start_error();
  auto response = worker.Get("/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body,
            "/data/hello.txt: hello file\n"
            "/data/sub/deep.txt: deep file\n"
            "/data/../secret.txt: error Capabilities insufficient\n"
            "/data/escape: error Capabilities insufficient\n"
            "/data/sub/../../secret.txt: error Capabilities insufficient\n"
            "/secret.txt: error Capabilities insufficient\n"
            "create: Read-only file system\n");
  EXPECT_EQ(response->body.find("TOP SECRET"), std::string::npos);
}

TEST(WasiWorker, DirectoriesUnderThePreopenCanBeListed) {
  Files files = WorkerFiles("return run(['list', '/data']).out + run(['list', '/data/sub']).out;");
  files["assets/a.txt"] = "a";
  files["assets/sub/b.txt"] = "b";
  TestWorker worker(
      std::move(files), "index.js", isolates::ScriptFormat::kAuto, {}, {},
      [](isolates::WorkerSpec& spec) {
        spec.wasi_preopens = {{"/data", (spec.main.parent_path() / "assets").string()}};
      });
  ASSERT_TRUE(worker.started()) << worker.start_error();
  auto response = worker.Get("/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, ".\n..\na.txt\nsub\n.\n..\nb.txt\n");
}

TEST(WasiWorker, NoPreopenMeansNoFiles) {
  EXPECT_EQ(RunWasi("return run(['files', '/data/hello.txt']).out;"),
            "/data/hello.txt: error Capabilities insufficient\n"
            "create: Capabilities insufficient\n");
}

TEST(WasiWorker, StdoutCanBeAWritableStream) {
  EXPECT_EQ(RunWasi("const chunks = [];\n"
                    "const stdout = new WritableStream({write(c) { chunks.push(text(c)); }});\n"
                    "const r = run(['echo'], {stdout});\n"
                    "await new Promise(r => setTimeout(r, 0));\n"
                    "return (chunks.length > 1) + ' ' + chunks.join('').split('\\n')[1] + ' ' +"
                    " r.out.length + ' ' + JSON.stringify(r.err);"),
            "true arg1=echo 0 \"to stderr\\n\"");
}

TEST(WasiWorker, AStreamIsErroredWhenTheProgramTraps) {
  EXPECT_EQ(RunWasi("let reason;\n"
                    "const stdout = new WritableStream({abort(r) { reason = r; }});\n"
                    "try { run(['trap'], {stdout}); } catch (e) {}\n"
                    "await new Promise(r => setTimeout(r, 0));\n"
                    "return String(reason);"),
            "RuntimeError: unreachable");
}

TEST(WasiWorker, UnimplementedImportsAnswerEnosysAndEveryNameIsThere) {
  EXPECT_EQ(RunWasi("const w = new WASI(); const imp = w.wasiImport;\n"
                    "return Object.keys(imp).length + ' ' + imp.sock_accept(0, 0, 0) + ' ' +"
                    " imp.path_unlink_file(3, 0, 0) + ' ' + Object.isFrozen(imp);"),
            "46 52 52 true");
}

TEST(WasiWorker, BadOptionsAndMisuseAreTypeErrors) {
  EXPECT_EQ(RunWasi("new WASI({args: 'x'})"),
            "THREW TypeError: WASI: options.args must be an array of strings");
  EXPECT_EQ(RunWasi("new WASI({env: {A: 1}})"),
            "THREW TypeError: WASI: options.env.A must be a string, got number");
  EXPECT_EQ(RunWasi("new WASI({stdin: 5})"),
            "THREW TypeError: WASI: options.stdin must be a string, an ArrayBuffer or an "
            "ArrayBufferView");
  EXPECT_EQ(RunWasi("new WASI({version: 'unstable'})"),
            "THREW TypeError: WASI: version must be \"preview1\" (the only one supported), got "
            "unstable");
  EXPECT_EQ(RunWasi("new WASI({preopens: {'/': '/'}})").substr(0, 60),
            "THREW TypeError: WASI: options.preopens is not supported: th");
  EXPECT_EQ(RunWasi("const w = new WASI(); const i = new WebAssembly.Instance(reactor, "
                    "w.getImportObject()); w.start(i);"),
            "THREW TypeError: WASI: start(): the instance has no _start export (a reactor? use "
            "initialize())");
  EXPECT_EQ(RunWasi("const w = new WASI({args: ['x', 'echo']}); const i = new "
                    "WebAssembly.Instance(command, w.getImportObject()); w.start(i); w.start(i);"),
            "THREW TypeError: WASI: start(): this WASI object was already started; make a new "
            "one per instance");
  EXPECT_EQ(RunWasi("new WASI().start({})"),
            "THREW TypeError: WASI: start() needs a WebAssembly.Instance");
}

TEST(WasiWorker, ATrapIsARuntimeError) {
  EXPECT_EQ(RunWasi("run(['trap'])"), "THREW RuntimeError: unreachable");
}

TEST(WasiWorker, OutputPastTheCapStopsTheProgram) {
  isolates::TenantLimits limits;
  limits.cpu_ms = 5000;
  TestWorker worker(WorkerFiles("run(['flood'])"), "index.js", isolates::ScriptFormat::kAuto, {},
                    limits);
  ASSERT_TRUE(worker.started()) << worker.start_error();
  auto response = worker.Get("/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body,
            "THREW RangeError: WASI: the program wrote more than 16 MiB to stdout without it "
            "being read; output is capped");
}

TEST(WasiWorker, ALoopIsStoppedByTheCpuLimit) {
  isolates::TenantLimits limits;
  limits.cpu_ms = 50;
  TestWorker worker(WorkerFiles("run(['loop'])"), "index.js", isolates::ScriptFormat::kAuto, {},
                    limits);
  ASSERT_TRUE(worker.started()) << worker.start_error();
  auto response = worker.Get("/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
}

}  // namespace
}  // namespace edgerun::testing
