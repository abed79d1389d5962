"""bench/density: resident memory per idle warm tenant, after 1,000 tenants have each served a
request."""
import argparse
import http.client
import re
import tempfile
import time

import tenants as t


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        t.build()
    work = tempfile.mkdtemp(prefix="edgerun-density-")
    config = t.write_tenants(work, args.tenants, size_kb=2,
                             extra={"admin": {"listen": "127.0.0.1:0"}})
    server = t.Server(config)
    try:
        time.sleep(1.0)  # spares made
        before = server.rss_kib()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        for i in range(args.tenants):
            conn.request("GET", "/", headers={"Host": f"t{i}.test"})
            conn.getresponse().read()
        conn.close()
        time.sleep(3.0)  # idle: V8's own idle work (memory reducer, sweeping) has run
        after = server.rss_kib()
        metrics = server.metrics()
        live = int(re.search(r'edgerun_isolates\{state="live"\} (\d+)', metrics).group(1))
        heap = int(re.search(r"edgerun_isolate_memory_bytes (\d+)", metrics).group(1))
    finally:
        server.stop()
    per_tenant = (after - before) / args.tenants
    lines = [f"#### edgerun density ({time.strftime('%Y-%m-%d %H:%M')})", "",
             f"{args.tenants} small workers (~2 KiB), each served one request, then 3 s idle."
             " Resident memory of the process (VmRSS) before the first request and after.", "",
             "| tenants live | RSS before | RSS after | RSS per tenant | V8 heap + ArrayBuffers per tenant (V8's count) |",
             "|---|---|---|---|---|",
             f"| {live} | {before / 1024:.1f} MiB | {after / 1024:.1f} MiB | {per_tenant:.0f} KiB |"
             f" {heap / live / 1024:.0f} KiB |", "",
             "Target: <= 1.0 MB (1,024 KiB) per tenant.", "",
             f"Machine: {t.machine()}.", ""]
    t.report("density", "\n".join(lines))


if __name__ == "__main__":
    main()
