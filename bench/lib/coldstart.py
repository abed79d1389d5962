"""bench/coldstart: first-request latency of 1,000 distinct ~10 KiB workers against the same
workers' warm latency, and process start-up time with many configured workers."""
import argparse
import http.client
import os
import statistics
import tempfile
import time

import tenants as t


def passes(port, count):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cold, warm = [], []
    for results in (cold, warm):
        for i in range(count):
            start = time.perf_counter()
            conn.request("GET", "/", headers={"Host": f"t{i}.test"})
            body = conn.getresponse().read()
            results.append((time.perf_counter() - start) * 1000)
            if not body.startswith(f"tenant {i}:".encode()):
                raise RuntimeError(f"t{i} answered {body[:80]!r}")
    return cold, warm


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--runs", type=int, default=5,
                        help="fresh server processes per placement; medians are reported")
    args = parser.parse_args()
    if not args.no_build:
        t.build()
    work = tempfile.mkdtemp(prefix="edgerun-coldstart-")
    config = t.write_tenants(work, args.tenants, size_kb=10)
    rows = []
    # "2 cores": the loop thread and the spare-isolate maker may use both cores (the client
    # shares them). "1 core": everything of the server on CPU 0, the client on CPU 1.
    for label, server_cpus, client_cpus in (("2 cores (unpinned)", None, None),
                                            ("1 core (server on CPU 0, client on CPU 1)", "0", "1")):
        runs = []
        for run in range(args.runs):
            t.log(f"cold start, {label}, run {run + 1} of {args.runs}")
            server = t.Server(config, cpus=server_cpus)
            try:
                time.sleep(1.0)  # let the warm spares be made
                t.pin_self(client_cpus)
                cold, warm = passes(server.port, args.tenants)
                t.pin_self("0,1" if os.cpu_count() > 1 else "0")
            finally:
                server.stop()
            runs.append((t.percentile(cold, 50), t.percentile(cold, 99),
                         t.percentile(warm, 50), t.percentile(warm, 99)))
        rows.append((label, runs))

    startup = []
    for count in (1000, 5000):
        cfg = t.write_tenants(tempfile.mkdtemp(prefix="edgerun-startup-"), count, size_kb=1)
        times = []
        for _ in range(5):
            server = t.Server(cfg)
            times.append(server.ready_after * 1000)
            server.stop()
        startup.append((count, statistics.median(times)))

    lines = [f"#### edgerun cold start ({time.strftime('%Y-%m-%d %H:%M')})", "",
             f"{args.tenants} distinct workers of ~10 KiB, routed by host; one request to each (cold),"
             " then one more to each (warm), sequentially on one keep-alive connection; latency"
             " measured by the client (Python http.client). Server: 1 event-loop thread, default"
             " config (2 warm spare isolates made by a background thread)."
             f" {args.runs} runs per placement, each in a fresh server process: medians of the"
             " runs' percentiles, and the range of the runs' cold - warm at p99.", "",
             "| placement | cold p50 | cold p99 | warm p50 | warm p99 | cold - warm at p50 | at p99 |"
             " at p99, runs |",
             "|---|---|---|---|---|---|---|---|"]
    med = statistics.median
    for label, runs in rows:
        c50, c99 = med(r[0] for r in runs), med(r[1] for r in runs)
        w50, w99 = med(r[2] for r in runs), med(r[3] for r in runs)
        d50, d99 = med(r[0] - r[2] for r in runs), med(r[1] - r[3] for r in runs)
        spread = sorted(r[1] - r[3] for r in runs)
        lines.append(f"| {label} | {c50:.2f} ms | {c99:.2f} ms | {w50:.2f} ms | {w99:.2f} ms |"
                     f" +{d50:.2f} ms | +{d99:.2f} ms | +{spread[0]:.2f} .. +{spread[-1]:.2f} ms |")
    lines += ["", "Targets: cold p50 <= warm p50 + 1.0 ms, cold p99 <= warm p99 + 3 ms.", "",
              "Process start to \"ready\" (spawn, config load, bind; no isolate is made for a worker"
              " before its first request), median of 5:", "",
              "| configured workers | start-up |", "|---|---|"]
    lines += [f"| {count} | {ms:.0f} ms |" for count, ms in startup]
    lines += ["", f"Machine: {t.machine()}.", ""]
    t.report("coldstart", "\n".join(lines))


if __name__ == "__main__":
    main()
