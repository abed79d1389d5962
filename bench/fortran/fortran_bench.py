"""bench/fortran: WASM (flang-16 -> wasm32, in edgerun) vs native (gfortran -O2) per kernel."""
import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import tenants as t  # noqa: E402  (bench/lib: Server, log, pin_self)

DEMO = os.path.join(t.ROOT, "fortran-demo")
DIST = os.path.join(DEMO, "dist")
NATIVE = os.path.join(DIST, "fortran_native")

# (label, worker query, native bench arguments); the same sizes on both sides.
KERNELS = [
    ("mandelbrot 600x400, 1000 iter", "/mandelbrot.png?w=600&h=400&iter=1000", ["mandelbrot", "600", "400", "1000"]),
    ("matmul n=400", "/matmul?n=400", ["matmul", "400"]),
    ("heat n=512, 200 steps", "/heat?n=512&steps=200", ["heat", "512", "200"]),
    ("dot n=4e6", "/dot?n=4000000", ["dot", "4000000"]),
]
# Mandelbrot in one call, or in bands of rows (V8 10.2 has no on-stack replacement for WASM: a
# call that starts in Liftoff code stays there; between calls it may switch to TurboFan code).
BANDS = [1, 8, 400]


def write_config(directory, wasm):
    """The demo's worker with `wasm` bound as KERNELS, one thread, no access log."""
    config = {
        "listen": ["127.0.0.1:0"], "threads": 1, "access_log": False,
        "limits": {"cpu_ms": 10000},
        "workers": [{"name": "fortran-demo", "main": os.path.join(DEMO, "worker.js"),
                     "routes": ["*/*"], "wasm_modules": {"KERNELS": os.path.join(DIST, wasm)}}],
    }
    path = os.path.join(directory, f"edgerun-{wasm}.json")
    with open(path, "w") as f:
        json.dump(config, f)
    return path


def kernel_ms(conn, path):
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    m = re.match(r"kernel;dur=([0-9.]+)", response.getheader("server-timing", ""))
    return float(m.group(1))


def wasm_runs(config, path, reps):
    """A fresh server (so the first request meets Liftoff code): first request, then the median
    of `reps` more."""
    server = t.Server(config, cpus="0")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        first = kernel_ms(conn, path)
        rest = [kernel_ms(conn, path) for _ in range(reps)]
        return first, statistics.median(rest), min(rest)
    finally:
        server.stop()


def native_run(args, reps):
    out = subprocess.run(["taskset", "-c", "0", NATIVE, "bench", *args, str(reps)], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=11)
    parser.add_argument("--binary", default=os.path.join(t.ROOT, "build", "cmake", "edgerun"))
    parser.add_argument("--kernels", default="mandelbrot,matmul,heat,dot",
                        help="comma-separated subset to run")
    args = parser.parse_args()
    t.BINARY = args.binary
    for needed in (t.BINARY, NATIVE, os.path.join(DIST, "kernels.wasm")):
        if not os.path.exists(needed):
            sys.exit(f"{needed} is missing: build first (cmake --build build/cmake)")
    t.pin_self("1" if os.cpu_count() > 1 else "0")  # the client off the server's CPU
    work = tempfile.mkdtemp(prefix="edgerun-fortran-bench-")
    configs = {v: write_config(work, f"{v}.wasm") for v in ("kernels", "kernels_simd")}
    rows = []
    chosen = set(args.kernels.split(","))
    for label, path, native_args in KERNELS:
        if native_args[0] not in chosen:
            continue
        t.log(label)
        native_median, native_min = native_run(native_args, args.reps)
        variants = [(path + (f"&bands={b}" if "mandelbrot" in path else ""), b)
                    for b in (BANDS if "mandelbrot" in path else [None])]
        for query, bands in variants:
            cells = []
            for v in ("kernels", "kernels_simd"):
                first, median, best = wasm_runs(configs[v], query, args.reps)
                cells.append((first, median, best))
            name = label + (f", {bands} band{'s' if bands != 1 else ''}" if bands else "")
            rows.append((name, native_median, native_min, cells))
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"\nfortran-demo kernels, ms (median of {args.reps} runs after a first request; "
          f"server and native pinned to CPU 0; load average {load}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}).\n"
          "Ratios are wasm / native, of the medians and (in brackets) of the fastest runs, which a "
          "busy machine disturbs less.\n")
    print("| kernel | native gfortran -O2 | wasm (first req) | wasm median | ratio | wasm -msimd128 (first) | simd median | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for name, native, native_best, ((f1, m1, b1), (f2, m2, b2)) in rows:
        print(f"| {name} | {native:.2f} | {f1:.2f} | {m1:.2f} | {m1 / native:.2f}x ({b1 / native_best:.2f}x) "
              f"| {f2:.2f} | {m2:.2f} | {m2 / native:.2f}x ({b2 / native_best:.2f}x) |")


if __name__ == "__main__":
    main()
