"""TextEncoder / TextDecoder ns/op inside a worker, for one or more edgerun binaries (A/B).

Each round starts every binary in turn on a loopback port, asks its worker to time the loops
(Date.now around N calls, after a warm-up) and stops it; the table gives each case's minimum and
median over the rounds (the minimum is the least disturbed by other load on the machine).
Python 3 standard library only."""
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
function bench(name, n, fn) {
  for (let i = 0; i < 2000; i++) fn();
  const t0 = Date.now();
  for (let i = 0; i < n; i++) fn();
  return [name, (Date.now() - t0) * 1e6 / n];
}
export default {
  fetch() {
    const N = 200000;
    const out = [
      bench('new TextDecoder().decode(1 KiB ASCII UTF-8)', N, () => new TextDecoder().decode(asciiBytes)),
      bench('new TextDecoder().decode(1 KiB non-ASCII UTF-8)', N, () => new TextDecoder().decode(mixedBytes)),
      bench('TextEncoder.encode(1 KiB ASCII string)', N, () => enc.encode(ascii)),
      bench('TextEncoder.encode(1000-char non-ASCII string)', N, () => enc.encode(mixed)),
    ];
    if (has('shift_jis')) {
      out.push(bench("new TextDecoder('shift_jis').decode(1 KiB)", N / 10, () => new TextDecoder('shift_jis').decode(sjis)));
    }
    return Response.json(out);
  },
};
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_once(binary, directory):
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
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=300) as r:
            return json.loads(r.read())
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("binaries", nargs="+", help="edgerun binaries to compare")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    results = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as directory:
        with open(os.path.join(directory, "worker.js"), "w") as f:
            f.write(WORKER)
        for _ in range(args.rounds):
            for binary in args.binaries:
                for name, ns in run_once(binary, directory):
                    results[(name, binary)].append(ns)
    print("| case | binary | min ns/op | median ns/op |\n|---|---|---:|---:|")
    for (name, binary), values in sorted(results.items()):
        values.sort()
        print(f"| {name} | {binary} | {values[0]:.0f} | {values[len(values) // 2]:.0f} |")


if __name__ == "__main__":
    main()
