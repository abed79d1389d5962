// The code cache is keyed by content: V8 alone validates a cache only by the source's length.
#include "isolates/code_cache.h"

#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

std::string Answer(const std::string& source, const std::string& main = "index.js") {
  TestWorker w(Files{{main, source}}, main);
  if (!w.started()) return "start failed: " + w.start_error();
  auto r = w.Get("/");
  return r ? r->body : "no response";
}

TEST(CodeCache, SameLengthEditNeverRunsStaleCode) {
  isolates::CodeCache& cache = isolates::CodeCache::Get();
  const std::string v1 = "export default { fetch() { return new Response(String(1111)); } };";
  const std::string v2 = "export default { fetch() { return new Response(String(2222)); } };";
  ASSERT_EQ(v1.size(), v2.size());
  EXPECT_EQ(Answer(v1), "1111");
  EXPECT_EQ(Answer(v1), "1111");  // compiled a second time: now worth an entry
  cache.WaitForSerializing();
  uint64_t hits = cache.hits();
  EXPECT_EQ(Answer(v1), "1111");  // a third isolate: served from the cache
  EXPECT_EQ(cache.hits(), hits + 1);
  EXPECT_EQ(Answer(v2), "2222");  // same length, different text: compiled afresh
  EXPECT_EQ(cache.hits(), hits + 1);
}

TEST(CodeCache, ASourceCompiledOnceGetsNoEntry) {
  // In memory only, a worker started once is not worth a second compile and a serialization.
  isolates::CodeCache& cache = isolates::CodeCache::Get();
  const std::string once = "export default { fetch() { return new Response('once ' + 31); } };";
  EXPECT_EQ(Answer(once), "once 31");
  cache.WaitForSerializing();
  EXPECT_EQ(cache.Find(isolates::CodeCache::KeyOf(isolates::CodeCache::Kind::kModule, once)),
            nullptr);
  uint64_t misses = cache.misses();
  EXPECT_EQ(Answer(once), "once 31");
  EXPECT_EQ(cache.misses(), misses + 1);
  cache.WaitForSerializing();
  EXPECT_NE(cache.Find(isolates::CodeCache::KeyOf(isolates::CodeCache::Kind::kModule, once)),
            nullptr);
}

TEST(CodeCache, ServiceWorkerScriptsAreCachedToo) {
  isolates::CodeCache& cache = isolates::CodeCache::Get();
  const std::string sw =
      "addEventListener('fetch', e => e.respondWith(new Response('sw-cached-' + 42)));";
  EXPECT_EQ(Answer(sw, "sw.js"), "sw-cached-42");
  EXPECT_EQ(Answer(sw, "sw.js"), "sw-cached-42");
  cache.WaitForSerializing();
  uint64_t hits = cache.hits();
  EXPECT_EQ(Answer(sw, "sw.js"), "sw-cached-42");
  // Format "auto" compiles the file as a module first (no exports: a service worker), then as a
  // classic script; both come from the cache.
  EXPECT_EQ(cache.hits(), hits + 2);
}

TEST(CodeCache, KeysDifferByKindAndText) {
  using isolates::CodeCache;
  EXPECT_NE(CodeCache::KeyOf(CodeCache::Kind::kModule, "x"),
            CodeCache::KeyOf(CodeCache::Kind::kScript, "x"));
  EXPECT_NE(CodeCache::KeyOf(CodeCache::Kind::kModule, "ab"),
            CodeCache::KeyOf(CodeCache::Kind::kModule, "ba"));
  EXPECT_EQ(CodeCache::KeyOf(CodeCache::Kind::kModule, "same"),
            CodeCache::KeyOf(CodeCache::Kind::kModule, "same"));
}

TEST(CodeCache, DirectoryKeepsEntriesAcrossAMemoryClear) {
  isolates::CodeCache& cache = isolates::CodeCache::Get();
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("edgerun-codecache-" + std::to_string(::getpid()));
  cache.SetDirectory(dir);
  const std::string source =
      "export default { fetch() { return new Response('from disk ' + 7); } };";
  EXPECT_EQ(Answer(source), "from disk 7");
  cache.WaitForSerializing();
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    files += entry.path().extension() == ".codecache";
  }
  EXPECT_EQ(files, 1u);
  cache.Clear();  // as if the process restarted
  EXPECT_EQ(Answer(source), "from disk 7");
  EXPECT_EQ(cache.hits(), 1u);
  cache.SetDirectory({});
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace edgerun::testing
