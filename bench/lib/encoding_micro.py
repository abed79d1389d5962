"""TextEncoder / TextDecoder ns/op inside a worker, for one or more edgerun binaries (A/B).

Each round starts every binary in turn on a loopback port and, for each case, asks its worker to
run the case N times (after a warm-up), then stops it. Two clocks: the worker's own wall time
(Date.now around the loop) and the server process's CPU time (/proc/<pid>/stat, user + system,
around the request), which a busy machine disturbs much less. The table gives each case's minimum
and median over the rounds. Python 3 standard library only."""
import argparse
import collections
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

WORKER = r"""
const ascii = 'x'.repeat(1024);
let mixed = '';
while (mixed.length < 1000) mixed += 'h\u00e9llo w\u00f6rld \u20ac ';
mixed = mixed.slice(0, 1000);
const enc = new TextEncoder();
const asciiBytes = enc.encode(ascii);
const mixedBytes = enc.encode(mixed).slice(0, 1024);
const sjis = new Uint8Array(1024);
for (let i = 0; i < 1024; i += 8) sjis.set([0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA, 0x41, 0x42], i);
function has(label) { try { new TextDecoder(label); return true; } catch { return false; } }
const cases = {
  'new TextDecoder().decode(1 KiB ASCII UTF-8)': () => new TextDecoder().decode(asciiBytes),
  'new TextDecoder().decode(1 KiB non-ASCII UTF-8)': () => new TextDecoder().decode(mixedBytes),
  'TextEncoder.encode(1 KiB ASCII string)': () => enc.encode(ascii),
  'TextEncoder.encode(1000-char non-ASCII string)': () => enc.encode(mixed),
};
if (has('shift_jis')) {
  cases["new TextDecoder('shift_jis').decode(1 KiB)"] = () => new TextDecoder('shift_jis').decode(sjis);
}
export default {
  // GET / lists the cases; GET /<case index>/<n> runs one (no URL parser needed).
  fetch(request) {
    const m = /\/(\d+)\/(\d+)$/.exec(request.url);
    if (m === null) return Response.json(Object.keys(cases));
    const fn = Object.values(cases)[Number(m[1])];
    const n = Number(m[2]);
    for (let i = 0; i < 2000; i++) fn();
    const t0 = Date.now();
    for (let i = 0; i < n; i++) fn();
    return Response.json((Date.now() - t0) * 1e6 / n);
  },
};
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def get(port, query):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{query}", timeout=600) as r:
        return json.loads(r.read())


def run_once(binary, directory, n):
    """Returns [(case, wall ns/op, CPU ns/op)]."""
    port = free_port()
    config = os.path.join(directory, "config.json")
    with open(config, "w") as f:
        json.dump({"listen": [f"127.0.0.1:{port}"], "threads": 1, "access_log": False,
                   "limits": {"cpu_ms": 600000},
                   "workers": [{"name": "micro", "main": "worker.js", "routes": ["*/*"]}]}, f)
    proc = subprocess.Popen([binary, "serve", "--config", config, "--log-level", "error"])
    try:
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        out = []
        for index, name in enumerate(get(port, "")):
            query = f"{index}/{n}"
            before = cpu_seconds(proc.pid)
            wall = get(port, query)
            cpu = (cpu_seconds(proc.pid) - before) * 1e9 / n
            out.append((name, wall, cpu))
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("binaries", nargs="+", help="edgerun binaries to compare")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--n", type=int, default=1000000, help="calls per case and round")
    args = parser.parse_args()
    wall = collections.defaultdict(list)
    cpu = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as directory:
        with open(os.path.join(directory, "worker.js"), "w") as f:
            f.write(WORKER)
        for _ in range(args.rounds):
            for binary in args.binaries:
                for name, w, c in run_once(binary, directory, args.n):
                    wall[(name, binary)].append(w)
                    cpu[(name, binary)].append(c)
    print("| case | binary | CPU ns/op min | CPU median | wall ns/op min | wall median |")
    print("|---|---|---:|---:|---:|---:|")
    for key in sorted(wall):
        c = sorted(cpu[key])
        w = sorted(wall[key])
        print(f"| {key[0]} | {key[1]} | {c[0]:.0f} | {c[len(c) // 2]:.0f} | {w[0]:.0f} | "
              f"{w[len(w) // 2]:.0f} |")


if __name__ == "__main__":
    main()
