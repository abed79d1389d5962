"""Helpers for the edgerun-only benchmarks (coldstart, density, limits): build, generate many
workers, start the server, measure. Python 3 standard library only."""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build", "release")
BINARY = os.path.join(BUILD, "edgerun")


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def build():
    """bootstrap + Release build (the binary every benchmark measures)."""
    subprocess.run([os.path.join(ROOT, "scripts", "bootstrap")], check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ, EDGERUN_BUILD_DIR=BUILD, BUILD_TYPE="Release")
    subprocess.run([os.path.join(ROOT, "scripts", "build")], check=True, env=env, stdout=subprocess.DEVNULL)


def worker_source(index, size_kb):
    """A module worker of about `size_kb` KiB, different for every index (so no two share a
    compiled-code cache entry), with a little routing and data like a real small worker."""
    rows = []
    size = 0
    k = 0
    while size < size_kb * 1024 - 600:
        row = f'  {{ id: {k}, name: "item-{index}-{k}", price: {(index * 31 + k * 7) % 1000}, tags: ["a{k % 7}", "b{k % 5}"] }},\n'
        rows.append(row)
        size += len(row)
        k += 1
    return (f"// tenant {index}\nconst ITEMS = [\n{''.join(rows)}];\n"
            f"function find(id) {{ return ITEMS.find((item) => item.id === id); }}\n"
            f"export default {{\n"
            f"  fetch(request) {{\n"
            f"    const m = /\\/items\\/(\\d+)/.exec(request.url);\n"
            f"    if (m) return Response.json(find(Number(m[1])) ?? null);\n"
            f"    return new Response('tenant {index}: ' + ITEMS.length + ' items');\n"
            f"  }},\n}};\n")


def write_tenants(directory, count, size_kb=10, extra=None):
    """Writes `count` workers routed by host (t<i>.test) and returns the config path."""
    os.makedirs(os.path.join(directory, "workers"), exist_ok=True)
    workers = []
    for i in range(count):
        path = os.path.join("workers", f"t{i}.js")
        with open(os.path.join(directory, path), "w") as f:
            f.write(worker_source(i, size_kb))
        workers.append({"name": f"t{i}", "main": path, "routes": [f"t{i}.test/*"]})
    config = {"listen": ["127.0.0.1:0"], "threads": 1, "access_log": False,
              "isolates": {"max_per_thread": max(2 * count, 1000),
                           "spares": int(os.environ.get("SPARES", "2"))}, "workers": workers}
    config.update(extra or {})
    path = os.path.join(directory, "edgerun.json")
    with open(path, "w") as f:
        json.dump(config, f)
    return path


class Server:
    """edgerun serve, optionally pinned to `cpus`; waits for its "ready:" log line."""

    def __init__(self, config, cpus=None, args=(), timeout=60):
        self.log_path = tempfile.mktemp(prefix="edgerun-bench-", suffix=".log")
        argv = [BINARY, "serve", "--config", config, *args]
        if cpus is not None:
            argv = ["taskset", "-c", cpus, *argv]
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(argv, stderr=open(self.log_path, "w"), stdout=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = self.log()
            if "] ready: " in text:
                self.ready_after = time.perf_counter() - self.started_at
                self.port = int(re.search(r"listening on http://[^ ]*:(\d+)", text).group(1))
                m = re.search(r"admin: http://[^ ]*:(\d+)/metrics", text)
                self.admin_port = int(m.group(1)) if m else None
                return
            if self.proc.poll() is not None:
                raise RuntimeError("edgerun exited:\n" + text)
            time.sleep(0.005)
        self.stop()
        raise RuntimeError("edgerun did not get ready:\n" + self.log())

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def metrics(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.admin_port, timeout=10)
        conn.request("GET", "/metrics")
        return conn.getresponse().read().decode()

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        try:
            os.unlink(self.log_path)
        except OSError:
            pass


def pin_self(cpus):
    if cpus is not None:
        os.sched_setaffinity(0, {int(c) for c in cpus.split(",")})


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, int(round(p / 100.0 * (len(ordered) - 1)))))
    return ordered[index]


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                         text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "runtime", "isolates",
                            "bindings"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} x {model}; kernel {os.uname().release}; edgerun {rev}{'-dirty' if dirty else ''}"


def report(name, text, readme_text=None):
    """Prints the table, keeps it in bench/results/<name>-<date>.md, and puts `readme_text` (or
    the table) between the README's <!-- bench:NAME:begin/end --> markers."""
    results = os.path.join(ROOT, "bench", "results")
    os.makedirs(results, exist_ok=True)
    path = os.path.join(results, f"{name}-{time.strftime('%Y-%m-%d')}.md")
    with open(path, "w") as f:
        f.write(text)
    print(text)
    log(f"written to {os.path.relpath(path, ROOT)}")
    readme = os.path.join(ROOT, "README.md")
    with open(readme) as f:
        content = f.read()
    begin, end = f"<!-- bench:{name}:begin -->", f"<!-- bench:{name}:end -->"
    if begin in content and end in content:
        block = (readme_text or text).strip()
        head, rest = content.split(begin, 1)
        _, tail = rest.split(end, 1)
        with open(readme, "w") as f:
            f.write(f"{head}{begin}\n{block}\n{end}{tail}")
        log("README updated")
