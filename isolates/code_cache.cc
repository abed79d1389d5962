#include "isolates/code_cache.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>

#include "isolates/v8_platform.h"
#include "isolates/worker_isolate.h"

namespace edgerun::isolates {
namespace {

std::string Hex(const CodeCache::Key& key) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : key) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

// V8 rejects a cache made by another V8 build; this keeps such files apart instead.
std::string VersionTag() {
  std::string version = v8::V8::GetVersion();
  for (char& c : version) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
  }
  return version;
}

// Serializing a compilation makes V8 build a map of every root object for the isolate that
// serializes (RootIndexMap, ~65 KiB of malloc) and keep it for that isolate's whole life: done
// in tenants' isolates, every tenant whose worker missed the cache carried one (bench/density:
// ~54 KiB of its ~1.37 MiB). One isolate on a background thread compiles the text again and
// serializes it instead, off the loop: a miss no longer pays for serializing on the request.
constexpr size_t kSerializerHeapMb = 64;
constexpr size_t kMaxQueuedJobs = 1024;      // past it a miss is not cached (compiled again later)
constexpr size_t kMaxCompiledOnce = 100000;  // keys of sources compiled once (32 bytes each)

std::string SerializeCompilation(WorkerIsolate& helper, CodeCache::Kind kind,
                                 std::string_view text) {
  v8::Isolate* isolate = helper.isolate();
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope handle_scope(isolate);
  v8::Context::Scope context_scope(helper.context());
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::String> source;
  if (!v8::String::NewFromUtf8(isolate, text.data(), v8::NewStringType::kNormal,
                               static_cast<int>(text.size()))
           .ToLocal(&source)) {
    return {};
  }
  bool module = kind == CodeCache::Kind::kModule;
  // V8 checks a cache against the source's length and the module flag, not the name.
  v8::ScriptOrigin origin(isolate, v8::String::NewFromUtf8Literal(isolate, "code-cache"), 0, 0,
                          false, -1, {}, false, false, module);
  v8::ScriptCompiler::Source compile_source(source, origin);
  std::unique_ptr<v8::ScriptCompiler::CachedData> data;
  if (module) {
    v8::Local<v8::Module> compiled;
    if (!v8::ScriptCompiler::CompileModule(isolate, &compile_source).ToLocal(&compiled)) return {};
    data.reset(v8::ScriptCompiler::CreateCodeCache(compiled->GetUnboundModuleScript()));
  } else {
    v8::Local<v8::UnboundScript> compiled;
    if (!v8::ScriptCompiler::CompileUnboundScript(isolate, &compile_source).ToLocal(&compiled)) {
      return {};
    }
    data.reset(v8::ScriptCompiler::CreateCodeCache(compiled));
  }
  if (data == nullptr || data->length <= 0) return {};
  return std::string(reinterpret_cast<const char*>(data->data), data->length);
}

}  // namespace

// The background thread and its isolate, made on the first miss; both live until exit.
class CodeCache::Serializer {
 public:
  explicit Serializer(CodeCache* cache) : cache_(cache), thread_([this] { Run(); }) {
    thread_.detach();
  }

  void Post(Kind kind, const Key& key, std::string_view text) {
    {
      std::lock_guard lock(mutex_);
      if (jobs_.size() >= kMaxQueuedJobs) return;
      for (const Job& job : jobs_) {
        if (job.key == key) return;  // the same worker missing on two threads
      }
      jobs_.push_back({kind, key, std::string(text)});
      ++pending_;
    }
    wake_.notify_one();
  }

  void WaitIdle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return pending_ == 0; });
  }

 private:
  struct Job {
    Kind kind;
    Key key;
    std::string text;
  };

  void Run() {
    // Like the spare maker: below the loop threads, which wait for nothing here. Not lower than
    // the maker: at nice 19 bench/coldstart's p99 got worse (this thread takes the cache's lock).
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    pthread_setname_np(pthread_self(), "edgerun-codecac");
    std::string error;
    std::unique_ptr<WorkerIsolate> helper = WorkerIsolate::Create(kSerializerHeapMb, &error);
    if (helper != nullptr) helper->Adopt();
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return !jobs_.empty(); });
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      std::string data = helper ? SerializeCompilation(*helper, job.kind, job.text) : "";
      if (!data.empty()) cache_->Put(job.key, std::move(data));
      if (helper != nullptr) {
        // The compiles leave garbage; V8 posts its GC steps as foreground tasks, which only the
        // isolate's own thread runs.
        v8::Isolate::Scope isolate_scope(helper->isolate());
        V8Platform::PumpTasks(helper->isolate());
      }
      lock.lock();
      if (--pending_ == 0) idle_.notify_all();
    }
  }

  CodeCache* cache_;
  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<Job> jobs_;
  size_t pending_ = 0;
  std::thread thread_;
};

void CodeCache::WaitForSerializing() {
  Serializer* serializer;
  {
    std::lock_guard lock(mutex_);
    serializer = serializer_;
  }
  if (serializer != nullptr) serializer->WaitIdle();
}

void CodeCache::SerializeLater(Kind kind, const Key& key, std::string_view text) {
  Serializer* serializer;
  {
    std::lock_guard lock(mutex_);
    if (dir_.empty() && compiled_once_.insert(key).second) {
      // Bounded: past this many distinct sources, forgetting them costs one compile more each.
      if (compiled_once_.size() > kMaxCompiledOnce) compiled_once_.clear();
      return;
    }
    compiled_once_.erase(key);
    if (serializer_ == nullptr) serializer_ = new Serializer(this);  // lives until exit
    serializer = serializer_;
  }
  serializer->Post(kind, key, text);
}

CodeCache& CodeCache::Get() {
  static CodeCache* cache = new CodeCache();  // lives until exit: isolates may outlive main
  return *cache;
}

void CodeCache::SetDirectory(std::filesystem::path dir) {
  std::lock_guard lock(mutex_);
  dir_ = std::move(dir);
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
  }
}

CodeCache::Key CodeCache::KeyOf(Kind kind, std::string_view source) {
  Key key{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  char tag = static_cast<char>(kind);
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, &tag, 1);
  EVP_DigestUpdate(ctx, source.data(), source.size());
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, key.data(), &length);
  EVP_MD_CTX_free(ctx);
  return key;
}

std::filesystem::path CodeCache::PathOf(const Key& key) const {
  return dir_ / (Hex(key) + ".v8-" + VersionTag() + ".codecache");
}

std::shared_ptr<const std::string> CodeCache::Find(const Key& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second;
  if (dir_.empty()) return nullptr;
  std::ifstream in(PathOf(key), std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream data;
  data << in.rdbuf();
  auto entry = std::make_shared<const std::string>(std::move(data).str());
  entries_.emplace(key, entry);
  return entry;
}

void CodeCache::Put(const Key& key, std::string data) {
  std::lock_guard lock(mutex_);
  auto entry = std::make_shared<const std::string>(std::move(data));
  entries_[key] = entry;
  if (dir_.empty()) return;
  // Write then rename: another process reading the directory never sees half a file.
  std::filesystem::path path = PathOf(key);
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(entry->data(), static_cast<std::streamsize>(entry->size()));
    if (!out) return;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
}

void CodeCache::Clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  compiled_once_.clear();
  hits_ = misses_ = rejected_ = 0;
}

// Compiles with `compile(source, options)`, consuming a cached compilation when there is one,
// and has a fresh one made (SerializeLater) when there was none or V8 rejected it, if that
// source is worth it (see code_cache.h).
template <typename Compiled, typename CompileFn>
v8::MaybeLocal<Compiled> CodeCache::CompileCached(Kind kind, std::string_view text,
                                                  v8::Local<v8::String> source,
                                                  v8::ScriptOrigin& origin, CompileFn compile) {
  Key key = KeyOf(kind, text);
  std::shared_ptr<const std::string> cached = Find(key);  // outlives the compile (not owned)
  auto* data =
      cached ? new v8::ScriptCompiler::CachedData(reinterpret_cast<const uint8_t*>(cached->data()),
                                                  static_cast<int>(cached->size()),
                                                  v8::ScriptCompiler::CachedData::BufferNotOwned)
             : nullptr;
  v8::ScriptCompiler::Source compile_source(source, origin, data);  // owns `data`
  v8::Local<Compiled> compiled;
  if (!compile(&compile_source,
               data ? v8::ScriptCompiler::kConsumeCodeCache : v8::ScriptCompiler::kNoCompileOptions)
           .ToLocal(&compiled)) {
    return {};
  }
  bool accepted = data != nullptr && !compile_source.GetCachedData()->rejected;
  if (data != nullptr && !accepted) ++rejected_;
  if (accepted) {
    ++hits_;
    return compiled;
  }
  ++misses_;
  SerializeLater(kind, key, text);
  return compiled;
}

v8::MaybeLocal<v8::Module> CodeCache::CompileModule(v8::Isolate* isolate,
                                                    v8::Local<v8::String> source,
                                                    std::string_view text,
                                                    v8::ScriptOrigin& origin) {
  return CompileCached<v8::Module>(
      Kind::kModule, text, source, origin,
      [&](v8::ScriptCompiler::Source* s, v8::ScriptCompiler::CompileOptions options) {
        return v8::ScriptCompiler::CompileModule(isolate, s, options);
      });
}

v8::MaybeLocal<v8::Script> CodeCache::CompileScript(v8::Local<v8::Context> context,
                                                    v8::Local<v8::String> source,
                                                    std::string_view text,
                                                    v8::ScriptOrigin& origin) {
  return CompileCached<v8::Script>(
      Kind::kScript, text, source, origin,
      [&](v8::ScriptCompiler::Source* s, v8::ScriptCompiler::CompileOptions options) {
        return v8::ScriptCompiler::Compile(context, s, options);
      });
}

}  // namespace edgerun::isolates
