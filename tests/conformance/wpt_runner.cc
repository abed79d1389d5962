// edgerun_wpt: runs web-platform-tests suites inside edgerun worker isolates and checks the
// results against tests/conformance/expectations/<suite>.json. See tests/conformance/README.md.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "isolates/v8_platform.h"
#include "tests/conformance/wpt_expectations.h"
#include "tests/conformance/wpt_file_runner.h"
#include "tests/conformance/wpt_report.h"
#include "tests/conformance/wpt_suites.h"

namespace fs = std::filesystem;
using namespace edgerun::wpt;

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSkipped = 77;  // ctest SKIP_RETURN_CODE

constexpr const char kUsage[] = R"(usage: edgerun_wpt [options] [SUITE...]
Runs WPT suites in edgerun worker isolates and compares them with their expectations.
  SUITE...              suites to run (--list shows them); --all runs every suite
  --file PATH           run only this test file (path under the WPT root, e.g.
                        url/url-constructor.any.js) against its suite's expectations
  --update              rewrite the expectation files from this run (keeps reasons; new
                        entries get a "TODO(explain):" reason that --check-reasons rejects)
  --check-reasons       fail if an expectation file has an entry without a real reason
  --verbose, -v         print every file's result (and console output of failing files)
  --jobs N              files run in parallel (default: cores, at most 4)
  --timeout S           per-file timeout in seconds (default 30; `timeout=long`: x4)
  --stall S             time a file out once nothing could run for S seconds (default 1;
                        0 waits for the full timeout)
  --shared-dir DIR      shared/ (default: $EDGERUN_SHARED_DIR, else <source>/../shared)
  --expectations-dir D  default: <source>/tests/conformance/expectations
  --expectations FILE   use this file for the (single) suite instead
  --selftest            the runner's own suite (tests/conformance/selftest)
  --summary-dir DIR     write each suite's table row to DIR/<suite>.row
  --summarize DIR       print the table of the rows in DIR (no run); with --summary-md FILE
                        also write it there
  --readme FILE         write the table into FILE between the wpt-table markers
  --list                list the suites
Exit status: 0 as expected, 1 differences, 77 skipped (no shared/wpt), 2 usage.
)";

struct Args {
  std::vector<std::string> suites;
  std::string file;
  bool update = false, check_reasons = false, verbose = false, selftest = false, list = false;
  unsigned jobs = 0;
  double timeout_s = 30, stall_s = 1;
  fs::path shared_dir, expectations_dir, expectations_file, summary_dir, summarize_dir, summary_md,
      readme;
};

bool ReadText(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = std::move(s).str();
  return true;
}

bool WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

bool ParseArgs(int argc, char** argv, Args* a) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string v;
    if (arg == "--all") {
      for (const Suite& s : AllSuites())
        a->suites.emplace_back(s.name);
    } else if (arg == "--file") {
      if (!value(&a->file)) return false;
    } else if (arg == "--update") {
      a->update = true;
    } else if (arg == "--check-reasons") {
      a->check_reasons = true;
    } else if (arg == "--verbose" || arg == "-v") {
      a->verbose = true;
    } else if (arg == "--selftest") {
      a->selftest = true;
    } else if (arg == "--list") {
      a->list = true;
    } else if (arg == "--jobs") {
      if (!value(&v)) return false;
      a->jobs = static_cast<unsigned>(std::atoi(v.c_str()));
    } else if (arg == "--timeout") {
      if (!value(&v)) return false;
      a->timeout_s = std::atof(v.c_str());
    } else if (arg == "--stall") {
      if (!value(&v)) return false;
      a->stall_s = std::atof(v.c_str());
    } else if (arg == "--shared-dir" && value(&v)) {
      a->shared_dir = v;
    } else if (arg == "--expectations-dir" && value(&v)) {
      a->expectations_dir = v;
    } else if (arg == "--expectations" && value(&v)) {
      a->expectations_file = v;
    } else if (arg == "--summary-dir" && value(&v)) {
      a->summary_dir = v;
    } else if (arg == "--summarize" && value(&v)) {
      a->summarize_dir = v;
    } else if (arg == "--summary-md" && value(&v)) {
      a->summary_md = v;
    } else if (arg == "--readme" && value(&v)) {
      a->readme = v;
    } else if (!arg.empty() && arg[0] != '-') {
      a->suites.push_back(arg);
    } else {
      std::cerr << "edgerun_wpt: unknown or incomplete option " << arg << "\n";
      return false;
    }
  }
  return true;
}

std::string SuiteOfFile(const std::string& file) {
  for (const Suite& s : AllSuites()) {
    for (std::string_view dir : s.dirs) {
      if (file.starts_with(std::string(dir) + "/")) return std::string(s.name);
    }
  }
  return "";
}

// The file each worker thread is running, for the crash report below. A file that crashes the
// process (a V8 fatal error, a failed CHECK, a segfault in a native) would be a crash of the
// edgerun server too, so it is not an expectation but a bug: say which file it was.
constexpr size_t kMaxJobs = 64;
std::atomic<const char*> g_running[kMaxJobs];

void WriteStderr(const char* s) {
  ssize_t ignored = write(STDERR_FILENO, s, std::strlen(s));
  (void)ignored;
}

void OnFatalSignal(int sig) {
  WriteStderr("\nedgerun_wpt: the process crashed (");
  WriteStderr(strsignal(sig));
  WriteStderr(") while running:\n");
  for (auto& slot : g_running) {
    if (const char* file = slot.load()) {
      WriteStderr("  ");
      WriteStderr(file);
      WriteStderr("\n");
    }
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

void InstallCrashReport() {
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP}) {
    struct sigaction action {};
    action.sa_handler = OnFatalSignal;
    action.sa_flags = SA_RESETHAND;
    sigaction(sig, &action, nullptr);
  }
}

// Runs `files` on `jobs` threads; results come back in the order of `files`.
std::vector<FileResult> RunFiles(const std::vector<std::string>& files, const RunOptions& options,
                                 unsigned jobs) {
  std::vector<FileResult> results(files.size());
  std::atomic<size_t> next{0};
  auto work = [&](size_t slot) {
    for (size_t i = next++; i < files.size(); i = next++) {
      g_running[slot] = files[i].c_str();
      results[i] = RunTestFile(files[i], options);
      g_running[slot] = nullptr;
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::min<size_t>(jobs, files.size()); ++t)
    threads.emplace_back(work, t);
  work(0);
  for (auto& t : threads)
    t.join();
  return results;
}

void PrintList(const char* title, const std::vector<std::string>& items, size_t max = 200) {
  if (items.empty()) return;
  std::cout << title << " (" << items.size() << "):\n";
  for (size_t i = 0; i < items.size() && i < max; ++i)
    std::cout << "  " << items[i] << "\n";
  if (items.size() > max) std::cout << "  ... and " << items.size() - max << " more\n";
}

struct SuitePlan {
  std::string name;
  fs::path tests_root;
  std::vector<std::string_view> dirs;
  long node20 = -1;
  fs::path expectations;
};

int RunSuite(const SuitePlan& plan, const Args& args, const RunOptions& base) {
  RunOptions options = base;
  options.tests_root = plan.tests_root;
  std::vector<std::string> files = ListTestFiles(plan.tests_root, plan.dirs);
  bool complete = true;
  if (!args.file.empty()) {
    if (std::find(files.begin(), files.end(), args.file) == files.end()) {
      std::cerr << "edgerun_wpt: " << args.file << " is not a test file of suite " << plan.name
                << "\n";
      return kExitUsage;
    }
    files = {args.file};
    complete = false;
  }
  if (files.empty()) {
    std::cerr << "edgerun_wpt: suite " << plan.name << " has no test files under "
              << plan.tests_root << "\n";
    return kExitFailed;
  }

  Expectations expectations;
  std::string text, error;
  if (ReadText(plan.expectations, &text) && !ParseExpectations(text, &expectations, &error)) {
    std::cerr << plan.expectations.string() << ": " << error << "\n";
    return kExitFailed;
  }

  auto started = std::chrono::steady_clock::now();
  std::vector<FileResult> results = RunFiles(files, options, args.jobs);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  if (args.update) {
    expectations = Update(results, expectations, complete);
    if (!WriteText(plan.expectations, SerializeExpectations(expectations))) {
      std::cerr << "edgerun_wpt: cannot write " << plan.expectations << "\n";
      return kExitFailed;
    }
    std::cout << "wrote " << plan.expectations.string() << "\n";
  }
  Diff diff = Compare(results, expectations, complete);

  SuiteRow row;
  row.suite = plan.name;
  row.files = results.size();
  row.node20 = complete ? plan.node20 : -1;
  for (const FileResult& r : results) {
    row.subtests += r.subtests.size();
    row.passed += r.passed();
  }
  ExpectationCounts counts = Count(expectations);
  row.expected_subtests = counts.subtests;
  row.expected_files = counts.files;

  for (const FileResult& r : results) {
    bool bad = r.status != FileStatus::kOk ||
               std::any_of(r.subtests.begin(), r.subtests.end(),
                           [](const SubtestResult& s) { return s.status != SubtestStatus::kPass; });
    if (!args.verbose) continue;
    char line[512];
    std::snprintf(line, sizeof line, "  %-13s %4zu/%-4zu %6.2fs  %s", FileStatusName(r.status),
                  r.passed(), r.subtests.size(), r.seconds, r.path.c_str());
    std::cout << line << "\n";
    if (r.status != FileStatus::kOk) std::cout << "      " << r.message << "\n";
    if (bad && !r.console.empty()) std::cout << "      console:\n" << r.console;
  }
  PrintList("UNEXPECTED FAILURES (fix them, or list them with a reason in the expectations)",
            diff.unexpected_failures);
  if (!diff.unexpected_passes.empty()) {
    std::vector<std::string> items;
    for (const auto& p : diff.unexpected_passes)
      items.push_back(p + "\n      now passes: remove it from " + plan.expectations.string());
    PrintList("NOW PASSING (listed as expected failures)", items);
  }
  if (!diff.stale.empty()) {
    std::vector<std::string> items;
    for (const auto& p : diff.stale)
      items.push_back(p + ": remove it from " + plan.expectations.string());
    PrintList("STALE EXPECTATIONS", items);
  }
  std::printf("wpt.%s: %zu files, %zu subtests, %zu passed, %.1f s (%u jobs)%s\n",
              plan.name.c_str(), row.files, row.subtests, row.passed, seconds, args.jobs,
              diff.ok() ? "" : " -- DIFFERS FROM EXPECTATIONS");
  std::cout << FormatTable({row});
  if (!args.summary_dir.empty() && complete) {
    fs::create_directories(args.summary_dir);
    WriteText(args.summary_dir / (plan.name + ".row"), FormatRow(row));
  }
  return diff.ok() ? 0 : kExitFailed;
}

int Summarize(const Args& args) {
  std::vector<SuiteRow> rows;
  std::vector<fs::path> paths;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(args.summarize_dir, ec)) {
    if (entry.path().extension() == ".row") paths.push_back(entry.path());
  }
  auto rank = [](const std::string& suite) {
    const auto& all = AllSuites();
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i].name == suite) return i;
    return all.size();
  };
  for (const auto& p : paths) {
    std::string text;
    SuiteRow row;
    if (ReadText(p, &text) && ParseRow(text, &row) && row.suite != "selftest") rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [&](const SuiteRow& a, const SuiteRow& b) {
    return std::make_pair(rank(a.suite), a.suite) < std::make_pair(rank(b.suite), b.suite);
  });
  if (rows.empty()) {
    std::cout << "Web platform tests: no suite results in " << args.summarize_dir.string() << "\n";
    return 0;
  }
  std::string table = FormatTable(rows);
  std::cout << "\nWeb platform tests (edgerun_wpt; expected failures are listed in "
               "tests/conformance/expectations/):\n"
            << table;
  if (!args.summary_md.empty()) WriteText(args.summary_md, "# Web platform tests\n\n" + table);
  if (!args.readme.empty()) {
    std::string doc;
    if (!ReadText(args.readme, &doc) || !ReplaceBetweenMarkers(&doc, table) ||
        !WriteText(args.readme, doc)) {
      std::cerr << "edgerun_wpt: cannot update the table between the markers in "
                << args.readme.string() << "\n";
      return kExitFailed;
    }
  }
  return 0;
}

int CheckReasons(const std::vector<SuitePlan>& plans) {
  int status = 0;
  for (const SuitePlan& plan : plans) {
    std::string text, error;
    Expectations expectations;
    if (!ReadText(plan.expectations, &text)) continue;
    if (!ParseExpectations(text, &expectations, &error)) {
      std::cerr << plan.expectations.string() << ": " << error << "\n";
      status = kExitFailed;
      continue;
    }
    std::vector<std::string> bad = UnexplainedEntries(expectations);
    if (!bad.empty()) {
      std::cout << plan.expectations.string() << ": " << bad.size()
                << " entries have no reason yet (replace \"" << kPlaceholderPrefix
                << " ...\" with one line saying why it fails):\n";
      for (size_t i = 0; i < bad.size() && i < 50; ++i)
        std::cout << "  " << bad[i] << "\n";
      status = kExitFailed;
    }
  }
  if (status == 0) std::cout << "every expected failure has a reason\n";
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  if (args.list) {
    for (const Suite& s : AllSuites()) {
      std::cout << s.name << ":";
      for (auto d : s.dirs)
        std::cout << " " << d;
      std::cout << "\n";
    }
    return 0;
  }
  if (!args.summarize_dir.empty()) return Summarize(args);

  const fs::path source_dir = EDGERUN_SOURCE_DIR;
  if (args.shared_dir.empty()) {
    const char* env = std::getenv("EDGERUN_SHARED_DIR");
    args.shared_dir = env && *env ? fs::path(env) : source_dir.parent_path() / "shared";
  }
  if (args.expectations_dir.empty()) {
    args.expectations_dir = source_dir / "tests/conformance/expectations";
  }
  if (args.jobs == 0) args.jobs = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  args.jobs = std::min<unsigned>(args.jobs, kMaxJobs);
  if (!args.file.empty() && args.suites.empty() && !args.selftest) {
    std::string suite = SuiteOfFile(args.file);
    if (suite.empty()) {
      std::cerr << "edgerun_wpt: " << args.file << " belongs to no suite\n";
      return kExitUsage;
    }
    args.suites.push_back(suite);
  }

  std::vector<SuitePlan> plans;
  if (args.selftest) {
    fs::path dir = source_dir / "tests/conformance";
    plans.push_back({"selftest", dir, {"selftest"}, -1, dir / "selftest/expectations.json"});
  }
  for (const std::string& name : args.suites) {
    const Suite* suite = FindSuite(name);
    if (suite == nullptr) {
      std::cerr << "edgerun_wpt: no suite named " << name << " (--list shows them)\n";
      return kExitUsage;
    }
    plans.push_back({name, args.shared_dir / "wpt", suite->dirs, suite->node20_passes,
                     args.expectations_dir / (name + ".json")});
  }
  if (!args.expectations_file.empty()) {
    if (plans.size() != 1) {
      std::cerr << "edgerun_wpt: --expectations needs exactly one suite\n";
      return kExitUsage;
    }
    plans[0].expectations = args.expectations_file;
  }
  if (args.check_reasons) {
    if (plans.empty()) {
      for (const Suite& s : AllSuites())
        plans.push_back({std::string(s.name),
                         {},
                         {},
                         -1,
                         args.expectations_dir / (std::string(s.name) + ".json")});
    }
    return CheckReasons(plans);
  }
  if (plans.empty()) {
    std::cerr << kUsage;
    return kExitUsage;
  }

  RunOptions options;
  options.roots.wpt = args.shared_dir / "wpt";
  options.roots.conformance_data = args.shared_dir / "conformance-data";
  options.timeout_s = args.timeout_s;
  options.long_timeout_s = args.timeout_s * 4;
  options.stall_s = args.stall_s;
  if (!fs::is_regular_file(options.roots.wpt / "resources/testharness.js")) {
    std::cout << "SKIPPED: no WPT tree at " << options.roots.wpt.string()
              << " (set EDGERUN_SHARED_DIR to the directory holding wpt/ and "
                 "conformance-data/)\n";
    return kExitSkipped;
  }

  edgerun::isolates::V8Platform::Initialize();
  InstallCrashReport();
  int status = 0;
  std::vector<SuiteRow> rows;
  for (const SuitePlan& plan : plans) {
    int s = RunSuite(plan, args, options);
    if (s != 0 && status == 0) status = s;
  }
  if (!args.readme.empty() && !args.summary_dir.empty()) {
    Args summary = args;
    summary.summarize_dir = args.summary_dir;
    Summarize(summary);
  }
  std::cout.flush();
  // Skip V8 teardown: every isolate is gone, and disposing the platform under a still-running
  // background task is slower than the exit.
  std::fflush(stdout);
  _exit(status);
}
