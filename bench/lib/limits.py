"""bench/limits: how precisely the CPU limit stops requests. A worker that loops forever and a
worker that spends its CPU in many short runs (awaiting between them) are each hit many times;
for every stopped request the server logs the CPU time the request really used."""
import argparse
import http.client
import os
import re
import tempfile
import time

import tenants as t

SPIN = "export default { fetch() { for (;;) {} } };\n"
# 10 ms runs separated by timer waits: only the per-request total can stop it.
SPREAD = ("function spin(ms) { const end = Date.now() + ms; while (Date.now() < end) {} }\n"
          "export default { async fetch() {\n"
          "  for (;;) { spin(10); await new Promise((r) => setTimeout(r, 1)); }\n"
          "} };\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cpu-ms", type=int, default=50)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        t.build()
    work = tempfile.mkdtemp(prefix="edgerun-limits-")
    for name, source in (("spin.js", SPIN), ("spread.js", SPREAD)):
        with open(os.path.join(work, name), "w") as f:
            f.write(source)
    config = os.path.join(work, "edgerun.json")
    with open(config, "w") as f:
        f.write('{"listen": ["127.0.0.1:0"], "threads": 1, "access_log": false,'
                f' "limits": {{"cpu_ms": {args.cpu_ms}}},'
                ' "workers": [{"name": "spin", "main": "spin.js", "routes": ["*/spin"]},'
                ' {"name": "spread", "main": "spread.js", "routes": ["*/spread"]}]}')
    rows = []
    for worker in ("spin", "spread"):
        server = t.Server(config, cpus="0")
        try:
            t.pin_self("1")
            wall = []
            for _ in range(args.requests):
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                start = time.perf_counter()
                conn.request("GET", "/" + worker)
                status = conn.getresponse().status
                wall.append((time.perf_counter() - start) * 1000)
                conn.close()
                if status != 503:
                    raise RuntimeError(f"{worker}: expected 503, got {status}")
            t.pin_self("0,1")
            time.sleep(0.3)
            used = [float(x) for x in re.findall(
                r"\[" + worker + r"\] CPU limit: the request used ([0-9.]+) ms", server.log())]
        finally:
            server.stop()
        over = [u - args.cpu_ms for u in used]
        rows.append((worker, len(used), over, wall))
    lines = [f"#### edgerun CPU-limit accuracy ({time.strftime('%Y-%m-%d %H:%M')})", "",
             f"limits.cpu_ms = {args.cpu_ms}; {args.requests} requests per worker, one at a time;"
             " server pinned to CPU 0, client to CPU 1. \"Over budget\" is the CPU time the request"
             " used (as measured by the server, from the thread's CPU clock) minus the budget;"
             " \"to 503\" is the client's wall time to the 503.", "",
             "| worker | stops logged | over budget p50 | p99 | max | to 503 p50 | p99 |",
             "|---|---|---|---|---|---|---|"]
    for worker, n, over, wall in rows:
        lines.append(f"| {worker} | {n} | {t.percentile(over, 50):+.1f} ms | {t.percentile(over, 99):+.1f} ms |"
                     f" {max(over):+.1f} ms | {t.percentile(wall, 50):.1f} ms | {t.percentile(wall, 99):.1f} ms |")
    lines += ["", "`spin` loops forever in one run (the watchdog thread stops it); `spread` uses"
              " 10 ms runs with awaits between them (stopped when the request's total passes the"
              " budget, at the end of the run that crossed it).", "",
              "Target: p99 within 10 ms of the budget.", "", f"Machine: {t.machine()}.", ""]
    t.report("limits", "\n".join(lines))


if __name__ == "__main__":
    main()
