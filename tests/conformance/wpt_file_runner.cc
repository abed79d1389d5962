#include "tests/conformance/wpt_file_runner.h"

#include <uv.h>
#include <v8.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "bindings/array_buffer_alloc.h"
#include "bindings/host.h"
#include "bindings/v8_util.h"
#include "bindings/worker_context.h"
#include "isolates/js_error.h"
#include "isolates/v8_platform.h"
#include "isolates/worker_isolate.h"
#include "tests/conformance/wpt_meta.h"

namespace edgerun::wpt {
namespace {

using bindings::ToUtf8;
using bindings::Utf8String;

constexpr size_t kConsoleCap = 64 * 1024;
// After timeout(), how long testharness gets to report the unfinished subtests.
constexpr uint64_t kAfterTimeoutMs = 2000;

// What WPT's server-generated worker wrapper and a dedicated worker's global provide
// (SOURCES.md, "Harness contract"), defined on the test's global before testharness.js runs.
// fetch() answers same-origin static files only, through the runner's readStatic native; it is
// a test shim and deliberately not edgerun's fetch().
constexpr char kPrelude[] = R"JS((function (global, readStatic, href, title) {
  'use strict';
  const define = (name, value) => Object.defineProperty(global, name,
      {value, writable: true, configurable: true, enumerable: false});
  const m = /^(https?:)\/\/(([^/:]+)(?::(\d+))?)(\/[^?#]*)/.exec(href);
  const origin = m[1] + '//' + m[2];
  class WorkerLocation {
    get href() { return href; }
    get origin() { return origin; }
    get protocol() { return m[1]; }
    get host() { return m[2]; }
    get hostname() { return m[3]; }
    get port() { return m[4] || ''; }
    get pathname() { return m[5]; }
    get search() { return ''; }
    get hash() { return ''; }
    toString() { return href; }
  }
  define('WorkerLocation', WorkerLocation);
  define('location', new WorkerLocation());
  define('GLOBAL', {isWindow: () => false, isWorker: () => true, isShadowRealm: () => false});
  if (title !== '') define('META_TITLE', title);
  define('fetch', function fetch(input, init = undefined) {
    try {
      let url = input, method = 'GET';
      if (typeof Request === 'function' && input instanceof Request) {
        url = input.url;
        method = input.method;
      }
      if (init !== undefined && init !== null && init.method !== undefined) method = `${init.method}`;
      method = method.toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') {
        throw new TypeError(`fetch() in the WPT runner serves static files (GET) only, not ${method}`);
      }
      const [bytes, type] = readStatic(`${url}`);
      return Promise.resolve(new Response(method === 'HEAD' ? null : bytes,
                                          {headers: {'content-type': type}}));
    } catch (e) {
      return Promise.reject(e);
    }
  });
  // testharness.js picks its environment when it loads: a worker global scope interface would
  // make it wait for worker messages (or a service worker's install event) that never come
  // here. Hide any such interface while it loads; the returned function puts them back.
  const hidden = [];
  for (const name of ['WorkerGlobalScope', 'DedicatedWorkerGlobalScope',
                      'SharedWorkerGlobalScope', 'ServiceWorkerGlobalScope']) {
    const desc = Object.getOwnPropertyDescriptor(global, name);
    if (desc !== undefined && desc.configurable) {
      hidden.push([name, desc]);
      delete global[name];
    }
  }
  return () => {
    for (const [name, desc] of hidden) Object.defineProperty(global, name, desc);
  };
}))JS";

// Hooks testharness.js's results. Names and messages go to C++ as UTF-8; testharness.js already
// writes lone surrogates in test names as U+xxxx, and any left (in messages) become the text
// \uXXXX rather than U+FFFD, keeping distinct strings distinct.
constexpr char kHooks[] = R"JS((function (report, complete) {
  'use strict';
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  const clean = (s) => (s === undefined || s === null ? '' : String(s))
      .replace(lone, (c) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase());
  add_result_callback((t) => report(clean(t.name), t.status, clean(t.message)));
  add_completion_callback((tests, status) => {
    complete(status.status, clean(status.message),
             tests.map((t) => [clean(t.name), t.status, clean(t.message)]));
  });
}))JS";

bool ReadFile(const std::filesystem::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = std::move(s).str();
  return true;
}

std::string FormatSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

uint64_t NowMs() {
  return uv_hrtime() / 1'000'000;
}

class FileRun final : public bindings::Host, public isolates::IsolateWaker {
 public:
  FileRun(std::string relative_path, const RunOptions& options)
      : options_(options), path_(std::move(relative_path)) {
    result_.path = path_;
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &async_, OnAsync);
    async_.data = this;
    uv_unref(reinterpret_cast<uv_handle_t*>(&async_));
    uv_timer_init(&loop_, &task_timer_);
    task_timer_.data = this;
    uv_unref(reinterpret_cast<uv_handle_t*>(&task_timer_));
    uv_timer_init(&loop_, &deadline_timer_);
    deadline_timer_.data = this;
    uv_unref(reinterpret_cast<uv_handle_t*>(&deadline_timer_));
    uv_timer_init(&loop_, &stall_timer_);
    stall_timer_.data = this;
  }

  ~FileRun() override {
    StopWatchdog();
    restore_globals_.Reset();
    // The isolate first: disposing it unregisters us as its waker.
    isolate_ = nullptr;
    worker_isolate_.reset();
    for (auto& [id, timer] : timers_)
      CloseTimer(timer);
    timers_.clear();
    for (uv_handle_t* h :
         {reinterpret_cast<uv_handle_t*>(&async_), reinterpret_cast<uv_handle_t*>(&task_timer_),
          reinterpret_cast<uv_handle_t*>(&deadline_timer_),
          reinterpret_cast<uv_handle_t*>(&stall_timer_)}) {
      uv_close(h, nullptr);
    }
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
  }

  FileRun(const FileRun&) = delete;
  FileRun& operator=(const FileRun&) = delete;

  FileResult Run() {
    auto started = std::chrono::steady_clock::now();
    Execute();
    StopWatchdog();
    result_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return std::move(result_);
  }

  // bindings::Host
  void Log(bindings::LogLevel level, std::string_view message) override {
    if (result_.console.size() >= kConsoleCap) return;
    static constexpr const char* kLevels[] = {"debug", "info", "warn", "error"};
    result_.console += std::string(kLevels[static_cast<int>(level)]) + ": ";
    result_.console += message.substr(0, kConsoleCap - result_.console.size());
    result_.console += '\n';
  }

  void StartTimer(uint32_t id, double delay_ms, bool repeat) override {
    StopTimer(id);
    auto* timer = new Timer{{}, this, id, repeat};
    uv_timer_init(&loop_, &timer->handle);
    timer->handle.data = timer;
    auto delay = static_cast<uint64_t>(std::ceil(delay_ms));
    uv_update_time(&loop_);  // as the server does: the loop's cached time predates the JS
    uv_timer_start(&timer->handle, OnTimer, delay, repeat ? std::max<uint64_t>(delay, 1) : 0);
    timers_[id] = timer;
  }

  void StopTimer(uint32_t id) override {
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    CloseTimer(it->second);
    timers_.erase(it);
  }

  void WaitUntilDelta(uint64_t, int) override {}

  // isolates::IsolateWaker: called from any thread.
  void WakeForTasks(double delay_s) override {
    {
      std::lock_guard lock(wake_mutex_);
      if (delay_s > 0) {
        uint64_t due = NowMs() + static_cast<uint64_t>(std::ceil(delay_s * 1000));
        if (due < delayed_due_ms_) delayed_due_ms_ = due;
      }
    }
    uv_async_send(&async_);
  }

 private:
  struct Timer {
    uv_timer_t handle;
    FileRun* run;  // null once closing
    uint32_t id;
    bool repeat;
  };

  static void CloseTimer(Timer* timer) {
    timer->run = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(&timer->handle),
             [](uv_handle_t* h) { delete reinterpret_cast<Timer*>(h); });
  }

  void Execute() {
    std::string error;
    worker_isolate_ = isolates::WorkerIsolate::Create(options_.heap_limit_mb, &error);
    if (worker_isolate_ == nullptr) {
      Fail(FileStatus::kCrash, "could not create a worker isolate: " + error);
      return;
    }
    worker_isolate_->Adopt();
    isolate_ = worker_isolate_->isolate();
    isolates::V8Platform::SetWaker(isolate_, this);
    v8::Isolate::Scope isolate_scope(isolate_);
    v8::HandleScope handle_scope(isolate_);
    v8::Local<v8::Context> context = worker_isolate_->context();
    v8::Context::Scope context_scope(context);
    bindings::AttachHost(context, this);
    isolate_->AddNearHeapLimitCallback(OnNearHeapLimit, this);

    std::string source;
    const std::filesystem::path test_file =
        (options_.tests_root.empty() ? options_.roots.wpt : options_.tests_root) / path_;
    if (!ReadFile(test_file, &source)) {
      Fail(FileStatus::kLoadError, "cannot read " + test_file.string());
      return;
    }
    TestMeta meta = ParseMeta(source);
    href_ = TestUrl(path_);
    double timeout_s = meta.long_timeout ? options_.long_timeout_s : options_.timeout_s;
    StartWatchdog(timeout_s + options_.watchdog_grace_s);
    if (!InstallPrelude(context, meta.title)) return;

    // testharness.js, the result hooks, each META script, the test: separate classic scripts.
    std::string harness;
    std::filesystem::path harness_path = options_.roots.wpt / "resources/testharness.js";
    if (!ReadFile(harness_path, &harness)) {
      Fail(FileStatus::kLoadError, "cannot read " + harness_path.string());
      return;
    }
    bool loaded = RunScript(context, harness_path.string(), harness) && InstallHooks(context);
    for (size_t i = 0; loaded && i < meta.scripts.size(); ++i) {
      std::string why;
      std::optional<std::string> url_path = ResolveSameOrigin(href_, meta.scripts[i], &why);
      std::optional<std::filesystem::path> file;
      if (url_path) file = MapUrlPath(*url_path, options_.roots);
      std::string text;
      if (!file || !ReadFile(*file, &text)) {
        Fail(FileStatus::kLoadError,
             "META script " + meta.scripts[i] + " not found" + (why.empty() ? "" : ": " + why));
        loaded = false;
        break;
      }
      loaded = RunScript(context, file->string(), text);
    }
    if (loaded) RunScript(context, test_file.string(), source);
    if (!harness_loaded_) return;

    // What WPT's .any.worker.js wrapper does after importScripts(): the file's tests are all
    // defined. (After a load error too: like a worker's error event, the subtests already
    // defined still run and report.)
    CallGlobal(context, "done");
    DriveLoop(static_cast<uint64_t>(timeout_s * 1000));
    if (!completed_ && !terminated_) {
      timed_out_ = true;
      CallGlobal(context, "timeout");
      uint64_t until = NowMs() + kAfterTimeoutMs;
      while (!completed_ && !terminated_ && NowMs() < until) {
        if (uv_run(&loop_, UV_RUN_NOWAIT) == 0 && !completed_) break;
      }
    }
    Finish(timeout_s);
  }

  void Fail(FileStatus status, std::string message) {
    if (result_.status != FileStatus::kOk) return;  // the first failure is the cause
    result_.status = status;
    result_.message = std::move(message);
  }

  bool InstallPrelude(v8::Local<v8::Context> context, const std::string& title) {
    v8::Local<v8::Value> fn;
    if (!CompileFunction(context, "wpt-runner-prelude.js", kPrelude, &fn)) return false;
    v8::Local<v8::Value> read_static;
    if (!v8::Function::New(context, ReadStatic, v8::External::New(isolate_, this))
             .ToLocal(reinterpret_cast<v8::Local<v8::Function>*>(&read_static))) {
      return false;
    }
    v8::Local<v8::Value> args[] = {context->Global(), read_static, Utf8String(isolate_, href_),
                                   Utf8String(isolate_, title)};
    v8::Local<v8::Value> restore;
    if (!CallFunction(context, fn, 4, args, "the runner's prelude", &restore)) return false;
    if (restore->IsFunction()) restore_globals_.Reset(isolate_, restore.As<v8::Function>());
    return true;
  }

  bool InstallHooks(v8::Local<v8::Context> context) {
    harness_loaded_ = true;
    if (!restore_globals_.IsEmpty()) {
      v8::Local<v8::Function> restore = restore_globals_.Get(isolate_);
      restore_globals_.Reset();
      if (!CallFunction(context, restore, 0, nullptr, "the runner's prelude (restore)")) {
        return false;
      }
    }
    v8::Local<v8::Value> fn;
    if (!CompileFunction(context, "wpt-runner-hooks.js", kHooks, &fn)) return false;
    v8::Local<v8::External> self = v8::External::New(isolate_, this);
    v8::Local<v8::Function> report, complete;
    if (!v8::Function::New(context, OnReport, self).ToLocal(&report) ||
        !v8::Function::New(context, OnComplete, self).ToLocal(&complete)) {
      return false;
    }
    v8::Local<v8::Value> args[] = {report, complete};
    return CallFunction(context, fn, 2, args, "the runner's result hooks");
  }

  bool CompileFunction(v8::Local<v8::Context> context, const char* name, const char* text,
                       v8::Local<v8::Value>* out) {
    v8::TryCatch try_catch(isolate_);
    v8::ScriptOrigin origin(isolate_, Utf8String(isolate_, name));
    v8::Local<v8::Script> script;
    if (!v8::Script::Compile(context, Utf8String(isolate_, text), &origin).ToLocal(&script) ||
        !script->Run(context).ToLocal(out)) {
      Fail(FileStatus::kCrash, std::string("runner script ") + name + " failed: " +
                                   isolates::FormatCompileError(isolate_, context, try_catch));
      return false;
    }
    return true;
  }

  bool CallFunction(v8::Local<v8::Context> context, v8::Local<v8::Value> fn, int argc,
                    v8::Local<v8::Value>* argv, const char* what,
                    v8::Local<v8::Value>* result = nullptr) {
    v8::TryCatch try_catch(isolate_);
    v8::Local<v8::Value> value;
    if (!fn.As<v8::Function>()
             ->Call(context, v8::Undefined(isolate_), argc, argv)
             .ToLocal(&value)) {
      Fail(FileStatus::kCrash,
           std::string(what) + " threw: " +
               isolates::FormatException(isolate_, context, try_catch.Exception(),
                                         try_catch.Message()));
      return false;
    }
    if (result != nullptr) *result = value;
    return true;
  }

  // Compiles and runs one classic script named by its file; a throw is the file's load error.
  bool RunScript(v8::Local<v8::Context> context, const std::string& name, const std::string& text) {
    v8::HandleScope scope(isolate_);
    v8::TryCatch try_catch(isolate_);
    v8::ScriptOrigin origin(isolate_, Utf8String(isolate_, name));
    v8::Local<v8::String> source;
    v8::Local<v8::Script> script;
    bool ok = v8::String::NewFromUtf8(isolate_, text.data(), v8::NewStringType::kNormal,
                                      static_cast<int>(text.size()))
                  .ToLocal(&source) &&
              v8::Script::Compile(context, source, &origin).ToLocal(&script) &&
              !script->Run(context).IsEmpty();
    if (!ok) {
      NoteTermination();
      if (terminated_) {
        Fail(stop_status_, stop_message_);
      } else if (try_catch.HasCaught()) {
        std::string message =
            try_catch.Message().IsEmpty() || !script.IsEmpty()
                ? isolates::FormatException(isolate_, context, try_catch.Exception(),
                                            try_catch.Message())
                : isolates::FormatCompileError(isolate_, context, try_catch);
        Fail(FileStatus::kLoadError, message);
      } else {
        Fail(FileStatus::kLoadError, "could not load " + name);
      }
    }
    // No microtask checkpoint here: like importScripts() in the worker's one task, all scripts
    // load before any promise job runs (testharness.js would otherwise see "all loaded" after
    // its own script and complete after the first test).
    return ok;
  }

  void CallGlobal(v8::Local<v8::Context> context, const char* name) {
    if (terminated_) return;
    v8::HandleScope scope(isolate_);
    v8::TryCatch try_catch(isolate_);
    v8::Local<v8::Value> fn;
    if (context->Global()->Get(context, Utf8String(isolate_, name)).ToLocal(&fn) &&
        fn->IsFunction()) {
      if (fn.As<v8::Function>()->Call(context, v8::Undefined(isolate_), 0, nullptr).IsEmpty() &&
          try_catch.HasCaught() && !try_catch.HasTerminated()) {
        NoteUncaught(context, try_catch);
      }
    }
    AfterJs();
  }

  void NoteUncaught(v8::Local<v8::Context> context, const v8::TryCatch& try_catch) {
    if (!uncaught_.empty()) return;
    uncaught_ =
        isolates::FormatException(isolate_, context, try_catch.Exception(), try_catch.Message());
  }

  void AfterJs() {
    NoteTermination();
    if (!terminated_) isolate_->PerformMicrotaskCheckpoint();
    NoteTermination();
  }

  // The watchdog terminates JS that is still running well past the file's timeout (a
  // synchronous endless loop never returns to the event loop, so only another thread can).
  void StartWatchdog(double seconds) {
    watchdog_ = std::thread([this, seconds] {
      std::unique_lock lock(watchdog_mutex_);
      if (!watchdog_cv_.wait_for(lock, std::chrono::duration<double>(seconds),
                                 [this] { return watchdog_stop_; })) {
        watchdog_fired_ = true;
        isolate_->TerminateExecution();
      }
    });
  }

  void StopWatchdog() {
    if (!watchdog_.joinable()) return;
    {
      std::lock_guard lock(watchdog_mutex_);
      watchdog_stop_ = true;
    }
    watchdog_cv_.notify_all();
    watchdog_.join();
  }

  void NoteTermination() {
    if (watchdog_fired_ && !terminated_) {
      terminated_ = true;
      stop_status_ = FileStatus::kTimeout;
      // Either an endless loop, or long synchronous work chained through promise jobs, which
      // never returns to the event loop where the deadline would call timeout().
      stop_message_ = "terminated: JS ran " + FormatSeconds(options_.watchdog_grace_s) +
                      " s past the file's timeout without returning to the event loop (an "
                      "endless loop, or long synchronous work in promise jobs); subtests not "
                      "reported by then are missing";
    }
  }

  // Runs the loop until completion, the deadline, or a stall (nothing left that could run).
  void DriveLoop(uint64_t timeout_ms) {
    bool deadline_hit = false;
    deadline_timer_.data = &deadline_hit;
    // The loop's cached time is from before the harness and the test file were loaded (long
    // under load): without this the file got less than its timeout, and the self-test that
    // checks a timed-out file ran >= timeout_s failed now and then on a busy machine.
    uv_update_time(&loop_);
    uv_timer_start(
        &deadline_timer_, [](uv_timer_t* t) { *static_cast<bool*>(t->data) = true; }, timeout_ms,
        0);
    bool stalled = false;
    stall_timer_.data = &stalled;
    while (!completed_ && !terminated_ && !deadline_hit && !stalled) {
      uv_timer_stop(&stall_timer_);
      if (!uv_loop_alive(&loop_)) {
        if (options_.stall_s <= 0) {
          uv_ref(reinterpret_cast<uv_handle_t*>(&deadline_timer_));
        } else {
          // Nothing of the test's is pending; give V8's background threads a moment to post
          // work before concluding nothing ever will.
          uv_timer_start(
              &stall_timer_, [](uv_timer_t* t) { *static_cast<bool*>(t->data) = true; },
              static_cast<uint64_t>(options_.stall_s * 1000), 0);
        }
      }
      uv_run(&loop_, UV_RUN_ONCE);
    }
    uv_timer_stop(&stall_timer_);
    uv_timer_stop(&deadline_timer_);
    if (stalled && !completed_) {
      stall_message_ = "stalled: no timer, task or pending work could make progress (waited " +
                       FormatSeconds(options_.stall_s) + " s)";
    }
  }

  void Finish(double timeout_s) {
    if (terminated_) Fail(stop_status_, stop_message_);
    if (completed_) {
      result_.subtests = std::move(final_subtests_);
    } else {
      result_.subtests = std::move(reported_);
    }
    if (timed_out_) {
      std::string message = stall_message_.empty()
                                ? "timed out after " + FormatSeconds(timeout_s) + " s"
                                : stall_message_;
      size_t unfinished = 0;
      for (const auto& s : result_.subtests)
        unfinished += s.status == SubtestStatus::kTimeout || s.status == SubtestStatus::kNotRun;
      Fail(FileStatus::kTimeout,
           message + "; " + std::to_string(unfinished) + " subtest(s) unfinished");
    }
    if (completed_ && harness_status_ != 0) {
      static constexpr const char* kNames[] = {"OK", "ERROR", "TIMEOUT", "PRECONDITION_FAILED"};
      std::string name =
          harness_status_ >= 0 && harness_status_ < 4 ? kNames[harness_status_] : "status ?";
      Fail(harness_status_ == 2 ? FileStatus::kTimeout : FileStatus::kHarnessError,
           "harness status " + name + ": " + harness_message_);
    }
    if (!uncaught_.empty()) Fail(FileStatus::kHarnessError, "uncaught exception: " + uncaught_);
  }

  static FileRun* Self(const v8::FunctionCallbackInfo<v8::Value>& args) {
    return static_cast<FileRun*>(args.Data().As<v8::External>()->Value());
  }

  static SubtestResult ToSubtest(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                 v8::Local<v8::Value> name, v8::Local<v8::Value> status,
                                 v8::Local<v8::Value> message) {
    SubtestResult s;
    s.name = ToUtf8(isolate, name);
    int code = status->Int32Value(context).FromMaybe(1);
    s.status = code >= 0 && code <= 4 ? static_cast<SubtestStatus>(code) : SubtestStatus::kFail;
    s.message = ToUtf8(isolate, message);
    return s;
  }

  // report(name, status, message): one subtest finished.
  static void OnReport(const v8::FunctionCallbackInfo<v8::Value>& args) {
    FileRun* self = Self(args);
    v8::Isolate* isolate = args.GetIsolate();
    self->reported_.push_back(
        ToSubtest(isolate, isolate->GetCurrentContext(), args[0], args[1], args[2]));
  }

  // complete(harnessStatus, harnessMessage, [[name, status, message], ...])
  static void OnComplete(const v8::FunctionCallbackInfo<v8::Value>& args) {
    FileRun* self = Self(args);
    v8::Isolate* isolate = args.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    self->completed_ = true;
    self->harness_status_ = args[0]->Int32Value(context).FromMaybe(1);
    self->harness_message_ = ToUtf8(isolate, args[1]);
    if (!args[2]->IsArray()) return;
    v8::Local<v8::Array> tests = args[2].As<v8::Array>();
    self->final_subtests_.clear();
    for (uint32_t i = 0; i < tests->Length(); ++i) {
      v8::Local<v8::Value> entry;
      if (!tests->Get(context, i).ToLocal(&entry) || !entry->IsArray()) continue;
      v8::Local<v8::Array> t = entry.As<v8::Array>();
      v8::Local<v8::Value> name, status, message;
      if (!t->Get(context, 0).ToLocal(&name) || !t->Get(context, 1).ToLocal(&status) ||
          !t->Get(context, 2).ToLocal(&message)) {
        continue;
      }
      self->final_subtests_.push_back(ToSubtest(isolate, context, name, status, message));
    }
  }

  // readStatic(url) -> [Uint8Array, contentType]; throws TypeError for what it cannot serve.
  static void ReadStatic(const v8::FunctionCallbackInfo<v8::Value>& args) {
    FileRun* self = Self(args);
    v8::Isolate* isolate = args.GetIsolate();
    std::string url = ToUtf8(isolate, args[0]);
    std::string why;
    std::optional<std::string> url_path = ResolveSameOrigin(self->href_, url, &why);
    if (!url_path) {
      bindings::ThrowTypeError(isolate, "fetch failed: " + why);
      return;
    }
    std::optional<std::filesystem::path> file = MapUrlPath(*url_path, self->options_.roots);
    std::string bytes;
    if (!file || !ReadFile(*file, &bytes)) {
      bindings::ThrowTypeError(isolate, "fetch failed: the WPT runner has no static file at " +
                                            *url_path + " (it serves static files only)");
      return;
    }
    v8::Local<v8::ArrayBuffer> buffer;
    if (!bindings::NewArrayBufferUninitialized(isolate, bytes.size()).ToLocal(&buffer)) return;
    if (!bytes.empty()) std::memcpy(buffer->Data(), bytes.data(), bytes.size());
    v8::Local<v8::Value> parts[] = {v8::Uint8Array::New(buffer, 0, bytes.size()),
                                    Utf8String(isolate, ContentTypeFor(*file))};
    args.GetReturnValue().Set(v8::Array::New(isolate, parts, 2));
  }

  static void OnTimer(uv_timer_t* handle) {
    auto* timer = static_cast<Timer*>(handle->data);
    FileRun* self = timer->run;
    if (self == nullptr || self->terminated_) return;
    uint32_t id = timer->id;
    if (!timer->repeat) self->StopTimer(id);
    v8::HandleScope scope(self->isolate_);
    v8::Local<v8::Context> context = self->worker_isolate_->context();
    v8::TryCatch try_catch(self->isolate_);
    v8::Local<v8::Value> args[] = {v8::Integer::NewFromUnsigned(self->isolate_, id),
                                   v8::False(self->isolate_)};
    if (self->worker_isolate_->handles()
            .fire_timer.Get(self->isolate_)
            ->Call(context, v8::Undefined(self->isolate_), 2, args)
            .IsEmpty() &&
        try_catch.HasCaught() && !try_catch.HasTerminated()) {
      self->NoteUncaught(context, try_catch);
    }
    self->AfterJs();
  }

  static void OnAsync(uv_async_t* handle) {
    auto* self = static_cast<FileRun*>(handle->data);
    self->PumpTasks();
    uint64_t due;
    {
      std::lock_guard lock(self->wake_mutex_);
      due = self->delayed_due_ms_;
      self->delayed_due_ms_ = std::numeric_limits<uint64_t>::max();
    }
    if (due != std::numeric_limits<uint64_t>::max()) {
      uint64_t now = NowMs();
      uv_timer_start(
          &self->task_timer_, [](uv_timer_t* t) { static_cast<FileRun*>(t->data)->PumpTasks(); },
          due > now ? due - now : 0, 0);
    }
  }

  void PumpTasks() {
    if (isolate_ == nullptr || terminated_) return;
    v8::HandleScope scope(isolate_);
    isolates::V8Platform::PumpTasks(isolate_);
    AfterJs();
  }

  static size_t OnNearHeapLimit(void* data, size_t current, size_t initial) {
    auto* self = static_cast<FileRun*>(data);
    if (!self->terminated_) {
      self->terminated_ = true;
      self->stop_message_ = "out of memory: the V8 heap reached its limit of " +
                            std::to_string(self->options_.heap_limit_mb) + " MiB";
      self->isolate_->TerminateExecution();
    }
    return current + (64 << 20);  // room to unwind
  }

  const RunOptions& options_;
  std::string path_;
  std::string href_;
  FileResult result_;

  uv_loop_t loop_;
  uv_async_t async_;
  uv_timer_t task_timer_;      // due delayed platform tasks
  uv_timer_t deadline_timer_;  // the per-file timeout
  uv_timer_t stall_timer_;     // nothing pending for options_.stall_s
  std::unordered_map<uint32_t, Timer*> timers_;
  std::mutex wake_mutex_;
  uint64_t delayed_due_ms_ = std::numeric_limits<uint64_t>::max();

  std::unique_ptr<isolates::WorkerIsolate> worker_isolate_;
  v8::Isolate* isolate_ = nullptr;
  v8::Global<v8::Function> restore_globals_;  // puts back what the prelude hid

  std::thread watchdog_;
  std::mutex watchdog_mutex_;
  std::condition_variable watchdog_cv_;
  bool watchdog_stop_ = false;  // guarded by watchdog_mutex_
  std::atomic<bool> watchdog_fired_{false};

  bool harness_loaded_ = false;
  bool completed_ = false;
  bool timed_out_ = false;
  bool terminated_ = false;
  int harness_status_ = 0;
  std::string harness_message_;
  std::string uncaught_;
  std::string stall_message_;
  FileStatus stop_status_ = FileStatus::kCrash;  // out of memory, unless the watchdog fired
  std::string stop_message_;
  std::vector<SubtestResult> reported_;
  std::vector<SubtestResult> final_subtests_;
};

}  // namespace

FileResult RunTestFile(const std::string& relative_path, const RunOptions& options) {
  FileRun run(relative_path, options);
  return run.Run();
}

}  // namespace edgerun::wpt
