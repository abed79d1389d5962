// The per-thread pool: warm spares, tenants reused per worker, LRU eviction under the budget,
// replacement on reload, recovery after a limit stopped a tenant.
#include "isolates/isolate_pool.h"

#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    isolates::V8Platform::Initialize();
    dir_ = std::filesystem::temp_directory_path() /
           ("edgerun-pool-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    uv_loop_init(&loop_);
  }
  void TearDown() override {
    pool_.reset();
    uv_run(&loop_, UV_RUN_NOWAIT);
    uv_loop_close(&loop_);
    std::filesystem::remove_all(dir_);
  }

  void MakePool(isolates::PoolOptions options) {
    pool_ = std::make_unique<isolates::IsolatePool>(&loop_, log_, options);
  }

  // A worker that counts its requests in a global: the count shows which isolate answered.
  isolates::WorkerSpec Counter(const std::string& name, const std::string& extra = "") {
    std::ofstream(dir_ / (name + ".js")) << "let n = 0;\n"
                                         << extra << "export default { async fetch(req) { n++; "
                                         << "return new Response('" << name << " ' + n); } };";
    isolates::WorkerSpec spec;
    spec.name = name;
    spec.main = dir_ / (name + ".js");
    return spec;
  }

  std::string Get(const isolates::WorkerSpec& spec, const std::string& path = "/") {
    HttpRequest request;
    request.method = "GET";
    request.target = path;
    std::optional<HttpResponse> response;
    pool_->Dispatch(spec, std::move(request), "http://test" + path,
                    [&](HttpResponse r) { response = std::move(r); });
    RunUntil([&] { return response.has_value(); });
    return response ? std::to_string(response->status) + " " + response->body : "no response";
  }

  template <typename Pred>
  void RunUntil(Pred done, int timeout_ms = 5000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      uv_run(&loop_, UV_RUN_NOWAIT);
    }
  }

  std::filesystem::path dir_;
  uv_loop_t loop_;
  CapturingLog log_;
  std::unique_ptr<isolates::IsolatePool> pool_;
};

TEST_F(PoolTest, SparesAreMadeWhileIdleAndUsedByFirstRequests) {
  isolates::PoolOptions options;
  options.spares = 2;
  MakePool(options);
  RunUntil([&] { return pool_->stats().spares == 2; });
  EXPECT_EQ(pool_->stats().spares, 2u);
  auto a = Counter("a");
  EXPECT_EQ(Get(a), "200 a 1");
  EXPECT_EQ(pool_->stats().created, 1u);
  // The spare is replaced off the request path.
  RunUntil([&] { return pool_->stats().spares == 2; });
  EXPECT_EQ(pool_->stats().spares, 2u);
}

TEST_F(PoolTest, ATenantIsReusedAcrossRequests) {
  MakePool({});
  auto a = Counter("a");
  EXPECT_EQ(Get(a), "200 a 1");
  EXPECT_EQ(Get(a), "200 a 2");
  EXPECT_EQ(pool_->stats().live, 1u);
}

TEST_F(PoolTest, LeastRecentlyUsedIdleTenantIsEvictedPastTheBudget) {
  isolates::PoolOptions options;
  options.max_isolates = 2;
  MakePool(options);
  auto a = Counter("a"), b = Counter("b"), c = Counter("c");
  EXPECT_EQ(Get(a), "200 a 1");
  EXPECT_EQ(Get(b), "200 b 1");
  EXPECT_EQ(Get(a), "200 a 2");  // b is now the least recently used
  EXPECT_EQ(Get(c), "200 c 1");
  RunUntil([&] { return pool_->stats().retiring == 0; });
  EXPECT_EQ(pool_->stats().evicted, 1u);
  EXPECT_EQ(pool_->stats().live, 2u);
  EXPECT_EQ(Get(a), "200 a 3");  // kept
  // b comes back transparently, with fresh global state.
  EXPECT_EQ(Get(b), "200 b 1");
}

TEST_F(PoolTest, LeastRecentlyUsedIdleTenantIsEvictedPastTheMemoryBudget) {
  MakePool({});
  auto a = Counter("a"), b = Counter("b"), c = Counter("c");
  EXPECT_EQ(Get(a), "200 a 1");
  const size_t one = pool_->stats().memory_bytes;  // one tenant, as sampled
  ASSERT_GT(one, 0u);
  isolates::PoolOptions options;
  options.max_memory_mb = (one * 5 / 2 + (1 << 20) - 1) >> 20;  // room for two, not three
  pool_->SetOptions(options);
  EXPECT_EQ(Get(b), "200 b 1");
  EXPECT_EQ(pool_->stats().evicted, 0u);
  EXPECT_EQ(Get(a), "200 a 2");  // b is now the least recently used
  EXPECT_EQ(Get(c), "200 c 1");
  RunUntil([&] { return pool_->stats().retiring == 0; });
  EXPECT_EQ(pool_->stats().evicted, 1u);
  EXPECT_EQ(Get(a), "200 a 3");  // kept
  EXPECT_EQ(Get(b), "200 b 1");  // re-created
}

TEST_F(PoolTest, BusyTenantsAreNotEvicted) {
  isolates::PoolOptions options;
  options.max_isolates = 1;
  MakePool(options);
  std::ofstream(dir_ / "slow.js")
      << "export default { async fetch() { await new Promise(r => setTimeout(r, 100));"
         " return new Response('slow'); } };";
  isolates::WorkerSpec slow;
  slow.name = "slow";
  slow.main = dir_ / "slow.js";
  HttpRequest request;
  request.method = "GET";
  request.target = "/";
  std::optional<HttpResponse> slow_response;
  pool_->Dispatch(slow, std::move(request), "http://test/",
                  [&](HttpResponse r) { slow_response = std::move(r); });
  auto a = Counter("a");
  EXPECT_EQ(Get(a), "200 a 1");  // over budget, but slow is busy: it stays
  RunUntil([&] { return slow_response.has_value(); });
  ASSERT_TRUE(slow_response);
  EXPECT_EQ(slow_response->body, "slow");
}

TEST_F(PoolTest, ReplacedTenantFinishesWhileNewRequestsGetANewOne) {
  MakePool({});
  auto a = Counter("a");
  EXPECT_EQ(Get(a), "200 a 1");
  pool_->Replace({"a"});
  EXPECT_EQ(Get(a), "200 a 1");  // fresh tenant
  EXPECT_EQ(pool_->stats().replaced, 1u);
  RunUntil([&] { return pool_->stats().retiring == 0; });
  EXPECT_EQ(pool_->stats().retiring, 0u);
}

TEST_F(PoolTest, NextRequestAfterACpuStopIsServedByAFreshIsolate) {
  isolates::PoolOptions options;
  options.limits.cpu_ms = 30;
  MakePool(options);
  auto a =
      Counter("a", "globalThis.spinIf = (url) => { if (url.endsWith('/spin')) for (;;) {} };\n");
  std::ofstream(dir_ / "a.js")
      << "let n = 0;\n"
         "export default { fetch(req) { n++; if (req.url.endsWith('/spin')) for (;;) {}"
         " return new Response('a ' + n); } };";
  EXPECT_EQ(Get(a), "200 a 1");
  EXPECT_EQ(Get(a, "/spin").substr(0, 3), "503");
  EXPECT_EQ(Get(a), "200 a 1");  // a new isolate: the count restarted
  EXPECT_EQ(pool_->stats().stopped_cpu, 1u);
}

TEST_F(PoolTest, AStoppedTenantDoesNotLeakTerminationIntoAnother) {
  isolates::PoolOptions options;
  options.limits.cpu_ms = 30;
  MakePool(options);
  std::ofstream(dir_ / "spin.js") << "export default { fetch() { for (;;) {} } };";
  isolates::WorkerSpec spin;
  spin.name = "spin";
  spin.main = dir_ / "spin.js";
  auto a = Counter("a");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Get(spin).substr(0, 3), "503");
    EXPECT_EQ(Get(a), "200 a " + std::to_string(i + 1));
  }
}

}  // namespace
}  // namespace edgerun::testing
