#!/usr/bin/python3
"""edgerun's side-by-side benchmark: edgerun vs workerd, Deno, Bun, Node (and nginx as the HTTP
ceiling). Started by bench/run after it has installed the tools; see bench/README.md.

Standard library only. Every server is started in its own process group, tracked, and killed on
exit (normal, error, Ctrl-C, SIGTERM). Every wait has a timeout.
"""
import argparse
import atexit
import datetime
import hashlib
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
WORKLOADS_DIR = os.path.join(BENCH, 'workloads')
PEERS = os.path.join(BENCH, '.peers', 'node_modules')

WORKLOADS = ['hello', 'json', 'echo-post', 'wasm', 'wagi', 'proxy', 'stream']
JS_RUNTIMES = ['edgerun', 'workerd', 'deno', 'bun', 'node']
ALL_RUNTIMES = JS_RUNTIMES + ['nginx']  # nginx: hello only (the HTTP layer's ceiling)

SERVER_CPUS = {0}
CLIENT_CPUS = {1}
ALL_CPUS = set(range(os.cpu_count() or 1))
HOST = '127.0.0.1'
PORT_BASE = 18700
PORT_WINDOW = 80
START_TIMEOUT = 30.0
STOP_TIMEOUT = 5.0
PROBE_TIMEOUT = 10.0
CONNECTIONS = 50

POST_BODY = (b'abcdefghijklmnopqrstuvwxyz' * 158)[:4096]  # the same bytes as echo-post/wrk.lua
STREAM_BYTES = 1024 * 1024
WASM_N = 1000


def log(msg):
    print(f'bench: {msg}', file=sys.stderr, flush=True)


# ---- process bookkeeping --------------------------------------------------------------------------

LIVE = {}  # pid -> Server


def cleanup():
    for server in list(LIVE.values()):
        server.stop()


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def set_affinity(cpus):
    def fn():
        os.sched_setaffinity(0, cpus)
    return fn


def port_free(port):
    """Nothing listens on HOST:port and a listener could bind it."""
    probe = socket.socket()
    probe.settimeout(0.2)
    try:
        if probe.connect_ex((HOST, port)) == 0:
            return False
    finally:
        probe.close()
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((HOST, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


class PortPool:
    """Hands out loopback ports in rotation (a fresh port per start: no TIME_WAIT surprises),
    skipping ports that are in use."""

    def __init__(self, base=PORT_BASE, window=PORT_WINDOW):
        self.base, self.window, self.next = base, window, 0

    def take(self):
        for _ in range(self.window):
            port = self.base + self.next
            self.next = (self.next + 1) % self.window
            if port_free(port):
                return port
        raise RuntimeError(f'no free port in {self.base}..{self.base + self.window - 1}')


def pgroup_pids(pgid):
    pids = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat') as f:
                stat = f.read()
            fields = stat[stat.rindex(')') + 2:].split()
            if int(fields[2]) == pgid:  # field 5 (pgrp) counted after the comm field
                pids.append(int(entry))
        except (OSError, ValueError, IndexError):
            pass
    return pids


CLK_TCK = os.sysconf('SC_CLK_TCK')


def cpu_seconds(pgid):
    """utime + stime of the server's process group (all threads, living processes)."""
    ticks = 0
    for pid in pgroup_pids(pgid):
        try:
            with open(f'/proc/{pid}/stat') as f:
                stat = f.read()
            fields = stat[stat.rindex(')') + 2:].split()
            ticks += int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)
        except (OSError, ValueError, IndexError):
            pass
    return ticks / CLK_TCK


def cpu_times(cpu):
    """(tasks, irq, steal, total) seconds of one CPU from /proc/stat."""
    with open('/proc/stat') as f:
        for line in f:
            if line.startswith(f'cpu{cpu} '):
                v = [int(x) for x in line.split()[1:]]
                user, nice, system, idle, iowait, irq, softirq, steal = (v + [0] * 8)[:8]
                return ((user + nice + system) / CLK_TCK, (irq + softirq) / CLK_TCK, steal / CLK_TCK,
                        sum(v[:8]) / CLK_TCK)
    return 0.0, 0.0, 0.0, 0.0


def rss_kib(pgid):
    """VmRSS summed over the server's process group (nginx: master + workers)."""
    total = 0
    for pid in pgroup_pids(pgid):
        try:
            with open(f'/proc/{pid}/status') as f:
                for line in f:
                    if line.startswith('VmRSS:'):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total or None


class StartError(Exception):
    pass


class Server:
    def __init__(self, label, argv, env, cpus, log_path, port, cwd=None):
        self.label, self.argv, self.env, self.cpus = label, argv, env, cpus
        self.log_path, self.port, self.cwd = log_path, port, cwd
        self.proc = None
        self.logfile = None

    def spawn(self):
        if not port_free(self.port):
            raise StartError(f'port {self.port} is in use')
        self.logfile = open(self.log_path, 'ab')
        self.logfile.write(('$ ' + ' '.join(self.argv) + '\n').encode())
        self.logfile.flush()
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdin=subprocess.DEVNULL,
                                     stdout=self.logfile, stderr=self.logfile, start_new_session=True,
                                     preexec_fn=set_affinity(self.cpus))
        LIVE[self.proc.pid] = self
        return self

    def start(self, timeout=START_TIMEOUT):
        self.spawn()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise StartError(f'exited with status {self.proc.returncode}: {self.log_excerpt()}')
            with socket.socket() as s:
                s.settimeout(0.5)
                if s.connect_ex((HOST, self.port)) == 0:
                    return self
            time.sleep(0.005)
        raise StartError(f'not listening on port {self.port} after {timeout:.0f} s: {self.log_excerpt()}')

    def log_size(self):
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def log_excerpt(self, since=0, limit=160):
        try:
            with open(self.log_path, 'rb') as f:
                f.seek(since)
                text = f.read().decode('utf-8', 'replace')
        except OSError:
            return ''
        lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith('$ ')]
        for line in lines:  # the first JS error says most ("ReferenceError: crypto is not defined")
            m = re.search(r'\b([A-Za-z]*Error\b.*)$', line)
            if m:
                return m.group(1)[:limit]
        return (lines[-1] if lines else '(no output)')[:limit]

    def rss(self):
        return rss_kib(self.proc.pid) if self.proc and self.proc.poll() is None else None

    def cpu(self):
        return cpu_seconds(self.proc.pid) if self.proc else 0.0

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, STOP_TIMEOUT)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        # Children left in the group (nginx workers exit with their master; be sure anyway).
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        LIVE.pop(self.proc.pid, None)
        if self.logfile:
            self.logfile.close()
            self.logfile = None


# ---- runtimes ---------------------------------------------------------------------------------------

def first_line(argv, timeout=20):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    text = (out.stdout + out.stderr).strip()
    if out.returncode != 0 and not text:
        return None, f'exit {out.returncode}'
    return (text.splitlines()[0] if text else ''), None


class Runtime:
    """How to start one runtime on one workload; `problem` says why it cannot run at all."""

    def __init__(self, name, ctx):
        self.name, self.ctx = name, ctx
        self.problem = None
        self.version = None
        self.binary = None
        getattr(self, f'_setup_{name}')()

    def _check(self, binary, version_argv, what):
        if not binary or not os.path.exists(binary):
            self.problem = f'not installed ({what})'
            return
        line, err = first_line(version_argv)
        if line is None:
            self.problem = f'does not run here ({err})'
            return
        self.binary, self.version = binary, line

    def _setup_edgerun(self):
        binary = os.path.join(ROOT, 'build', 'release', 'edgerun')
        self._check(binary, [binary, '--version'], 'no build/release/edgerun')
        if self.version:
            # bench/run stamps the tree's revision when a build succeeds, with the binary's mtime.
            mtime = os.path.getmtime(binary)
            built = datetime.datetime.fromtimestamp(mtime, datetime.timezone.utc)
            rev = 'an unrecorded revision'
            try:
                with open(os.path.join(BENCH, '.out', 'edgerun-build.txt')) as f:
                    stamp_rev, stamp_mtime = f.read().split()
                if abs(float(stamp_mtime) - mtime) < 1:
                    rev = f'git {stamp_rev}'
            except (OSError, ValueError):
                pass
            status = os.environ.get('EDGERUN_BUILD_STATUS', 'not built by this run')
            self.version += f'; Release binary built {built:%Y-%m-%d %H:%M} UTC from {rev} ({status})'


    def _setup_workerd(self):
        binary = os.path.join(PEERS, '@cloudflare', 'workerd-linux-64', 'bin', 'workerd')
        self._check(binary, [binary, '--version'], 'npm @cloudflare/workerd-linux-64')
        if self.version:
            self.version += f' (npm @cloudflare/workerd-linux-64 {npm_version("@cloudflare/workerd-linux-64")})'

    def _setup_deno(self):
        binary = os.path.join(PEERS, '@deno', 'linux-x64-glibc', 'deno')
        self._check(binary, [binary, '--version'], 'npm @deno/linux-x64-glibc')
        if self.version:
            self.version += f' (npm @deno/linux-x64-glibc {npm_version("@deno/linux-x64-glibc")})'

    def _setup_bun(self):
        problems = []
        for pkg in ('@oven/bun-linux-x64', '@oven/bun-linux-x64-baseline'):
            binary = os.path.join(PEERS, *pkg.split('/'), 'bin', 'bun')
            self.problem = None
            self._check(binary, [binary, '--version'], f'npm {pkg}')
            if self.version:
                self.version = f'bun {self.version} (npm {pkg} {npm_version(pkg)})'
                return
            problems.append(f'{pkg}: {self.problem}')
        self.problem = '; '.join(problems)

    def _setup_node(self):
        binary = shutil.which('node')
        self._check(binary, [binary or 'node', '--version'], 'no node in PATH')
        if self.version:
            self.version = f'node {self.version} ({binary})'

    def _setup_nginx(self):
        binary = shutil.which('nginx') or ('/usr/sbin/nginx' if os.path.exists('/usr/sbin/nginx') else None)
        self._check(binary, [binary or 'nginx', '-v'], 'Debian package nginx')

    def server(self, workload, port, threads, cpus, log_path, scratch):
        """A Server for this runtime serving `workload` on `port`."""
        wdir = os.path.join(WORKLOADS_DIR, workload)
        env = dict(os.environ, PORT=str(port), NO_COLOR='1')
        if self.ctx.origin_url:
            env['ORIGIN_URL'] = self.ctx.origin_url
        n = self.name
        if n == 'edgerun':
            argv = [self.binary, 'serve', '--config', os.path.join(wdir, 'edgerun.json'),
                    '--listen', f'{HOST}:{port}', '--threads', str(threads)]
        elif n == 'workerd':
            argv = [self.binary, 'serve', os.path.join(wdir, 'workerd.capnp'), '--socket-addr', f'http={HOST}:{port}']
        elif n == 'deno':
            env.update(DENO_DIR=os.path.join(BENCH, '.peers', 'deno-dir'), DENO_NO_UPDATE_CHECK='1')
            argv = [self.binary, 'run', '--no-prompt', f'--allow-net={HOST}', '--allow-env=PORT,ORIGIN_URL',
                    os.path.join(wdir, 'deno.js')]
        elif n == 'bun':
            env.update(DO_NOT_TRACK='1')
            argv = [self.binary, os.path.join(wdir, 'bun.js')]
        elif n == 'node':
            argv = [self.binary, os.path.join(wdir, 'node.mjs')]
        elif n == 'nginx':
            argv = nginx_argv(self.binary, os.path.join(wdir, 'nginx.conf'), scratch, port, threads)
        else:
            raise ValueError(n)
        return Server(f'{n}/{workload}', argv, env, cpus, log_path, port, cwd=wdir)

    def supports(self, workload):
        if self.name == 'nginx':
            return workload == 'hello'
        return os.path.exists(os.path.join(WORKLOADS_DIR, workload, impl_file(self.name)))


def impl_file(runtime):
    return {'edgerun': 'edgerun.json', 'workerd': 'workerd.capnp', 'deno': 'deno.js', 'bun': 'bun.js',
            'node': 'node.mjs', 'nginx': 'nginx.conf'}[runtime]


def nginx_argv(binary, template, scratch, port, workers):
    os.makedirs(scratch, exist_ok=True)
    with open(template) as f:
        conf = f.read()
    conf = conf.replace('@PORT@', str(port)).replace('@WORKERS@', str(workers)).replace('@PREFIX@', scratch)
    path = os.path.join(scratch, 'nginx.conf')
    with open(path, 'w') as f:
        f.write(conf)
    return [binary, '-p', scratch, '-e', os.path.join(scratch, 'error.log'), '-c', path]


def npm_version(pkg):
    try:
        with open(os.path.join(PEERS, *pkg.split('/'), 'package.json')) as f:
            return json.load(f)['version']
    except (OSError, ValueError, KeyError):
        return '?'


def git(args):
    try:
        out = subprocess.run(['git', '-C', ROOT] + args, capture_output=True, text=True, timeout=20)
        return out.stdout.strip() if out.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


# ---- correctness probes -----------------------------------------------------------------------------

def fib_u32(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, (a + b) & 0xFFFFFFFF
    return a


def stream_body():
    alphabet = bytes(range(97, 97 + 26))
    return (alphabet * (STREAM_BYTES // 26 + 1))[:STREAM_BYTES]


class Expect:
    """What a correct answer looks like, per workload."""

    def __init__(self, origin_body=None):
        with open(os.path.join(WORKLOADS_DIR, 'json', 'expected-42.json')) as f:
            self.user42 = json.load(f)
        self.post_json = {'length': len(POST_BODY), 'sha256': hashlib.sha256(POST_BODY).hexdigest()}
        self.wasm = str(fib_u32(WASM_N)).encode()
        self.stream_sha = hashlib.sha256(stream_body()).hexdigest()
        self.origin_body = origin_body

    def request(self, workload):
        if workload == 'json':
            return 'GET', '/users/42', None, {}
        if workload == 'echo-post':
            return 'POST', '/', POST_BODY, {'Content-Type': 'application/octet-stream'}
        return 'GET', '/', None, {}

    def check(self, workload, status, headers, body):
        """None if right, else what is wrong."""
        if status != 200:
            return f'HTTP {status}'
        if workload == 'hello':
            return None if body == b'Hello, World!' else f'body {body[:40]!r}'
        if workload == 'json':
            try:
                got = json.loads(body)
            except ValueError:
                return f'not JSON: {body[:40]!r}'
            if 'json' not in (headers.get('content-type') or ''):
                return f'content-type {headers.get("content-type")!r}'
            return None if got == self.user42 else 'JSON differs from json/expected-42.json'
        if workload == 'echo-post':
            try:
                got = json.loads(body)
            except ValueError:
                return f'not JSON: {body[:40]!r}'
            return None if got == self.post_json else f'wrong answer {got!r:.80}'
        if workload == 'wasm':
            return None if body.strip() == self.wasm else f'body {body[:40]!r}, want {self.wasm.decode()}'
        if workload == 'wagi':
            # examples/wasm-cpp's WAGI command, one fresh instance per request (edgerun only).
            return None if body == b'Hello, World!' else f'body {body[:40]!r}'
        if workload == 'proxy':
            if self.origin_body is None:
                return 'origin not available'
            return None if body == self.origin_body else f'body {body[:40]!r} is not the origin\'s'
        if workload == 'stream':
            if len(body) != STREAM_BYTES:
                return f'{len(body)} bytes, want {STREAM_BYTES}'
            return None if hashlib.sha256(body).hexdigest() == self.stream_sha else 'wrong bytes'
        raise ValueError(workload)


def http_request(port, method, path, body=None, headers=None, timeout=PROBE_TIMEOUT, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        if own:
            conn.close()


def probe(server, workload, expect):
    """Two requests on one keep-alive connection; None if both are right, else the reason."""
    since = server.log_size()
    method, path, body, headers = expect.request(workload)
    conn = http.client.HTTPConnection(HOST, server.port, timeout=PROBE_TIMEOUT)
    try:
        for _ in range(2):
            status, hdrs, data = http_request(server.port, method, path, body, headers, conn=conn)
            wrong = expect.check(workload, status, hdrs, data)
            if wrong:
                time.sleep(0.05)  # let the server write its error line
                detail = server.log_excerpt(since) if server.log_size() > since else ''
                return f'{wrong}: {detail}' if detail else wrong
    except (OSError, http.client.HTTPException) as e:
        detail = server.log_excerpt(since) if server.log_size() > since else ''
        return f'request failed ({type(e).__name__}: {e})' + (f': {detail}' if detail else '')
    finally:
        conn.close()
    return None


# ---- wrk ----------------------------------------------------------------------------------------------

UNIT_MS = {'us': 0.001, 'ms': 1.0, 's': 1000.0, 'm': 60000.0, 'h': 3600000.0}


def to_ms(text):
    m = re.fullmatch(r'([\d.]+)(us|ms|s|m|h)', text)
    return float(m.group(1)) * UNIT_MS[m.group(2)] if m else None


def parse_wrk(out):
    r = {'rps': None, 'p50': None, 'p99': None, 'requests': 0, 'non2xx': 0, 'socket_errors': 0}
    m = re.search(r'Requests/sec:\s+([\d.]+)', out)
    if m:
        r['rps'] = float(m.group(1))
    m = re.search(r'^\s*(\d+) requests in', out, re.M)
    if m:
        r['requests'] = int(m.group(1))
    for q in ('50', '99'):
        m = re.search(rf'^\s+{q}%\s+(\S+)', out, re.M)
        if m:
            r[f'p{q}'] = to_ms(m.group(1))
    m = re.search(r'Non-2xx or 3xx responses:\s+(\d+)', out)
    if m:
        r['non2xx'] = int(m.group(1))
    m = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', out)
    if m:
        r['socket_errors'] = sum(int(x) for x in m.groups())
    return r


class Usage:
    """CPU use while wrk measures: the server's process group (+ the proxy's origin), wrk itself
    (rusage of the waited-for child), and CPUs 0 and 1 as a whole (/proc/stat). What the CPUs' tasks
    used beyond the server, the origin and wrk is other processes' (kernel threads included): load
    that disturbs the measurement (a compile on the same machine shows up there)."""

    def __init__(self, server, origin):
        self.server, self.origin = server, origin
        self.t0 = time.monotonic()
        self.s0, self.o0 = server.cpu(), (origin.cpu() if origin else 0.0)
        self.c0, self.d0 = cpu_times(0), cpu_times(1)
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.w0 = ru.ru_utime + ru.ru_stime

    def finish(self, result):
        wall = time.monotonic() - self.t0
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        c1, d1 = cpu_times(0), cpu_times(1)
        server = self.server.cpu() - self.s0
        origin = (self.origin.cpu() - self.o0) if self.origin else 0.0
        wrk = ru.ru_utime + ru.ru_stime - self.w0
        tasks, irq, steal, total = (b - a for a, b in zip(self.c0, c1))
        tasks1 = d1[0] - self.d0[0]
        pct = lambda x: round(100.0 * x / wall, 1)
        result.update(server_cpu=pct(server), origin_cpu=pct(origin), wrk_cpu=pct(wrk),
                      cpu0_busy=round(100.0 * (tasks + irq + steal) / total, 1) if total else None,
                      cpu0_other=pct(max(0.0, tasks - server - origin)), cpu0_steal=pct(steal),
                      cpu1_other=pct(max(0.0, tasks1 - wrk)),
                      other_all=pct(max(0.0, tasks + tasks1 - server - origin - wrk)))


def run_wrk(port, path, seconds, threads, cpus, script, raw_path):
    argv = ['wrk', f'-t{threads}', f'-c{CONNECTIONS}', f'-d{seconds}s', '--latency', '--timeout', '5s']
    if script:
        argv += ['-s', script]
    argv.append(f'http://{HOST}:{port}{path}')
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30,
                             preexec_fn=set_affinity(cpus))
        text = out.stdout + out.stderr
    except subprocess.TimeoutExpired as e:
        text = f'wrk timed out after {seconds + 30} s\n{e.stdout or ""}'
    if raw_path:
        with open(raw_path, 'w') as f:
            f.write('$ ' + ' '.join(argv) + '\n' + text)
    return parse_wrk(text)


# ---- the measurement ------------------------------------------------------------------------------------

class Context:
    def __init__(self, args, out_dir):
        self.args = args
        self.out = out_dir
        self.origin_url = None
        self.ports = PortPool()
        for sub in ('raw', 'logs', 'work'):
            os.makedirs(os.path.join(out_dir, sub), exist_ok=True)

    def path(self, sub, name):
        return os.path.join(self.out, sub, name)


def wrk_path(workload):
    return '/users/42' if workload == 'json' else '/'


def wrk_script(workload):
    path = os.path.join(WORKLOADS_DIR, workload, 'wrk.lua')
    return path if os.path.exists(path) else None


class Cell:
    """One runtime x one workload in one section: its runs, or why it has none."""

    def __init__(self, section):
        self.section = section
        self.runs = []
        self.skip = None  # 'n/a: ...' or 'failed: ...'
        self.rss_start = []
        self.rss_after = []

    def median(self, key):
        vals = [r[key] for r in self.runs if r.get(key) is not None]
        return statistics.median(vals) if vals else None

    def errors(self):
        return sum(r['non2xx'] + r['socket_errors'] for r in self.runs)

    def marks(self):
        """'‡': CPU 0 was not saturated (median < 90 % busy): the server was not the bottleneck
        (wrk on its one core, or waiting); '§': other processes took > 5 % of CPU 0 or CPU 1 in some
        run; whole-machine section: other processes took > 10 % of a CPU."""
        m = ''
        if self.section == 'pinned':
            busy = self.median('cpu0_busy')
            if busy is not None and busy < 90:
                m += '‡'
            if any(max(r.get('cpu0_other') or 0, r.get('cpu1_other') or 0) > 5 for r in self.runs):
                m += '§'
        elif any((r.get('other_all') or 0) > 10 for r in self.runs):
            m += '§'
        return m

    def to_json(self):
        return {'runs': self.runs, 'skip': self.skip, 'rss_start_kib': self.rss_start,
                'rss_after_kib': self.rss_after, 'rps': self.median('rps'), 'p50_ms': self.median('p50'),
                'p99_ms': self.median('p99')}


def measure_cell(ctx, rt, workload, cell, run_index, expect, threads, server_cpus, client_cpus,
                 wrk_threads, section, origin=None):
    """Start, probe, warm up, measure once, stop. Fills `cell`."""
    if rt.problem:
        cell.skip = f'failed: {rt.problem}'
        return
    tag = f'{section}-{workload}-{rt.name}-run{run_index + 1}'
    port = ctx.ports.take()
    server = rt.server(workload, port, threads, server_cpus, ctx.path('logs', f'{section}-{workload}-{rt.name}.log'),
                       ctx.path('work', tag))
    try:
        try:
            server.start()
        except StartError as e:
            cell.skip = f'failed: did not start ({e})'
            return
        rss0 = server.rss()
        wrong = probe(server, workload, expect)
        if wrong:
            cell.skip = f'n/a: {wrong}'
            return
        a = ctx.args
        run_wrk(port, wrk_path(workload), a.warmup, wrk_threads, client_cpus, wrk_script(workload),
                ctx.path('raw', f'{tag}-warmup.txt'))
        usage = Usage(server, origin)
        result = run_wrk(port, wrk_path(workload), a.duration, wrk_threads, client_cpus, wrk_script(workload),
                         ctx.path('raw', f'{tag}.txt'))
        usage.finish(result)
        rss1 = server.rss()
        if not server.alive():
            cell.skip = f'failed: the server died under load ({server.log_excerpt()})'
            return
        if not result['rps'] or not result['requests']:
            cell.skip = 'failed: wrk measured nothing (see raw output)'
            return
        cell.runs.append(result)
        cell.rss_start.append(rss0)
        cell.rss_after.append(rss1)
        log(f'  {tag}: {result["rps"]:,.0f} req/s, p50 {fmt_ms(result["p50"])}, p99 {fmt_ms(result["p99"])}; '
            f'CPU % server {result["server_cpu"]:.0f}, wrk {result["wrk_cpu"]:.0f}'
            + (f', CPU 0 busy {result["cpu0_busy"]:.0f}; others on CPU 0 {result["cpu0_other"]:.0f}, on CPU 1 '
               f'{result["cpu1_other"]:.0f}' if section == 'pinned' else '')
            + (f', {result["non2xx"]} non-2xx, {result["socket_errors"]} socket errors'
               if result['non2xx'] or result['socket_errors'] else ''))
    finally:
        server.stop()


def start_origin(ctx, nginx):
    """The proxy workload's origin: nginx pinned to the server CPU, on the port of vars.ORIGIN."""
    with open(os.path.join(WORKLOADS_DIR, 'proxy', 'edgerun.json')) as f:
        url = json.load(f)['workers'][0]['vars']['ORIGIN']
    m = re.fullmatch(r'http://127\.0\.0\.1:(\d+)/', url)
    if not m:
        return None, f'vars.ORIGIN {url!r} is not http://127.0.0.1:PORT/'
    ctx.origin_url = url
    if nginx.problem:
        return None, f'origin: nginx {nginx.problem}'
    port = int(m.group(1))
    scratch = ctx.path('work', 'origin')
    argv = nginx_argv(nginx.binary, os.path.join(WORKLOADS_DIR, 'proxy', 'origin.conf'), scratch, port, 1)
    server = Server('origin', argv, dict(os.environ), SERVER_CPUS, ctx.path('logs', 'origin.log'), port)
    try:
        server.start()
        status, _, body = http_request(port, 'GET', '/')
        if status != 200:
            raise StartError(f'origin answered {status}')
        return server, body
    except (StartError, OSError, http.client.HTTPException) as e:
        server.stop()
        return None, f'origin did not start ({e})'


def section_pinned(ctx, runtimes, workloads, results):
    a = ctx.args
    log(f'pinned: server on CPU 0, wrk -t1 -c{CONNECTIONS} on CPU 1; {a.runs} x {a.duration} s per cell '
        f'after a {a.warmup} s warm-up')
    for workload in workloads:
        origin, origin_body = None, None
        if workload == 'proxy':
            origin, origin_body = start_origin(ctx, runtimes['nginx'] if 'nginx' in runtimes else
                                               Runtime('nginx', ctx))
            if origin is None:
                log(f'  proxy: {origin_body}')
        expect = Expect(origin_body if origin else None)
        cells = {name: Cell('pinned') for name, rt in runtimes.items() if rt.supports(workload)}
        try:
            for run_index in range(a.runs):
                for name, cell in cells.items():  # interleaved: every runtime once per run index
                    if cell.skip:
                        continue
                    if workload == 'proxy' and origin is None:
                        cell.skip = f'failed: {origin_body}'
                        continue
                    measure_cell(ctx, runtimes[name], workload, cell, run_index, expect, 1, SERVER_CPUS,
                                 CLIENT_CPUS, 1, 'pinned', origin)
                    if cell.skip:
                        log(f'  {workload}/{name}: {cell.skip}')
        finally:
            if origin:
                origin.stop()
            ctx.origin_url = None
        results[workload] = cells


def section_threads(ctx, runtimes, results):
    a = ctx.args
    workload = 'hello'
    log(f'threads: hello, no pinning, wrk -t2 -c{CONNECTIONS}; edgerun --threads 2, nginx 2 workers')
    expect = Expect()
    cells = {name: Cell('threads') for name, rt in runtimes.items() if rt.supports(workload)}
    for run_index in range(a.runs):
        for name, cell in cells.items():
            if cell.skip:
                continue
            measure_cell(ctx, runtimes[name], workload, cell, run_index, expect, 2, ALL_CPUS, ALL_CPUS, 2,
                         'threads')
            if cell.skip:
                log(f'  threads/{name}: {cell.skip}')
    results['hello'] = cells


def cold_start_once(ctx, rt):
    """ms from spawn to the first 200 answer; the poller (this process) runs on CPU 1."""
    port = ctx.ports.take()
    server = rt.server('hello', port, 1, SERVER_CPUS, ctx.path('logs', f'cold-{rt.name}.log'),
                       ctx.path('work', f'cold-{rt.name}'))
    request = f'GET / HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n'.encode()
    try:
        t0 = time.perf_counter()
        server.spawn()
        deadline = t0 + START_TIMEOUT
        while time.perf_counter() < deadline:
            s = socket.socket()
            s.settimeout(2.0)
            try:
                s.connect((HOST, port))
                s.sendall(request)
                head = s.recv(64)
                if head.startswith(b'HTTP/1.1 200') or head.startswith(b'HTTP/1.0 200'):
                    return (time.perf_counter() - t0) * 1000.0, None
            except OSError:
                pass
            finally:
                s.close()
            if server.proc.poll() is not None:
                return None, f'exited with status {server.proc.returncode}: {server.log_excerpt()}'
            time.sleep(0.0005)
        return None, f'no 200 within {START_TIMEOUT:.0f} s'
    except StartError as e:
        return None, str(e)
    finally:
        server.stop()


def section_cold(ctx, runtimes, results):
    n = ctx.args.cold
    log(f'cold start: hello, spawn -> first 200, median of {n} (+1 untimed spawn first), server on CPU 0')
    names = [name for name, rt in runtimes.items() if rt.supports('hello')]
    samples = {name: [] for name in names}
    failed = {name: runtimes[name].problem and f'failed: {runtimes[name].problem}' for name in names}
    for i in range(n + 1):
        for name in names:
            if failed[name]:
                continue
            ms, err = cold_start_once(ctx, runtimes[name])
            if err:
                failed[name] = f'failed: {err}'
                log(f'  cold/{name}: {err}')
            elif i > 0:  # the first spawn only warms the page cache (and Deno's code cache)
                samples[name].append(ms)
    for name in names:
        results[name] = {'samples_ms': samples[name], 'skip': failed[name],
                         'median_ms': statistics.median(samples[name]) if samples[name] else None}
        if samples[name]:
            log(f'  cold/{name}: median {results[name]["median_ms"]:.1f} ms')


# ---- report -----------------------------------------------------------------------------------------------

def fmt_ms(v):
    if v is None:
        return '-'
    return f'{v:.2f} ms' if v < 10 else f'{v:.1f} ms' if v < 100 else f'{v:.0f} ms'


def fmt_rps(v):
    return f'{v:,.0f}' if v is not None else '-'


def fmt_mib(kib):
    return f'{kib / 1024:.1f}' if kib else '-'


def cell_text(cell, value, short=False):
    if cell is None:
        return '—'
    if cell.skip and not cell.runs:
        if short:
            return cell.skip.split(':', 1)[0]
        return cell.skip.replace('|', '\\|')
    return value(cell)


def rps_text(cell, marks=True):
    partial = f' ⚠ only {len(cell.runs)} run(s), then {cell.skip}' if cell.skip else ''
    return fmt_rps(cell.median('rps')) + (cell.marks() if marks else '') + warn(cell) + partial.replace('|', '\\|')


def lat_text(cell):
    return f'{fmt_ms(cell.median("p50"))} / {fmt_ms(cell.median("p99"))}'


def warn(cell):
    errs = cell.errors()
    return f' ⚠ {errs:,} errors' if errs else ''


def table(header, rows):
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(str(c) for c in row) + ' |' for row in rows]
    return '\n'.join(lines)


def machine_info():
    cpu = '?'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    mem = '?'
    try:
        with open('/proc/meminfo') as f:
            mem = f'{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB'
    except (OSError, ValueError, IndexError):
        pass
    return cpu, mem


def report(ctx, runtimes, res, started, finished, quick_banner):
    a = ctx.args
    date = started.strftime('%Y-%m-%d')
    js = [n for n in runtimes if n != 'nginx']
    peers = [n for n in js if n != 'edgerun']
    pinned = res.get('pinned', {})
    out = [f'# edgerun vs workerd, Deno, Bun, Node — {date}', '']
    if quick_banner:
        out += [f'> **{quick_banner}**', '']
    out += [f'Server pinned to CPU 0 (one thread / one worker), `wrk -t1 -c{CONNECTIONS} --latency` pinned to '
            f'CPU 1. Per cell and run: start the server, check its answer (correctness probe), '
            f'{a.warmup} s warm-up, one {a.duration} s measurement, stop. {a.runs} run(s) per cell, the '
            f'runtimes interleaved within each run index; medians reported. Cells whose probe fails are not '
            f'measured ("n/a: reason"). Started {started:%Y-%m-%d %H:%M:%S} UTC, finished '
            f'{finished:%H:%M:%S} UTC; load average at start {ctx.load_start}, at end {ctx.load_end}.', '']

    if pinned and 'edgerun' in js and peers:
        out += ['## Headline: edgerun ÷ peer (requests/s; > 1 means edgerun serves more)', '']
        rows = []
        for w, cells in pinned.items():
            e = cells.get('edgerun')
            row = [w]
            for p in peers:
                c = cells.get(p)
                er, pr = (e.median('rps') if e else None), (c.median('rps') if c else None)
                row.append(f'{er / pr:.2f}×' if er and pr else 'n/a')
            rows.append(row)
        out += [table(['workload'] + [f'vs {p}' for p in peers], rows), '']

    if pinned:
        out += ['## Requests/s (median)', '']
        rows = [[w] + [cell_text(cells.get(n), rps_text) for n in js] for w, cells in pinned.items()]
        out += [table(['workload'] + js, rows), '']
        marks = ''.join(c.marks() for cells in pinned.values() for c in cells.values())
        if '‡' in marks:
            out += ['‡ CPU 0 was less than 90 % busy (median): the server was not the bottleneck — `wrk` on its '
                    'single core was (or the server waited, e.g. on the proxy\'s origin). The number is a lower '
                    'bound for the server.', '']
        if '§' in marks:
            out += ['§ Other processes used more than 5 % of CPU 0 or CPU 1 during a measurement: the number is '
                    'disturbed.', '']
        out += ['## Latency p50 / p99 (median over runs)', '']
        rows = [[w] + [cell_text(cells.get(n), lat_text, short=True) for n in js] for w, cells in pinned.items()]
        out += [table(['workload'] + js, rows), '']

    if 'hello' in pinned and 'nginx' in pinned['hello']:
        ng, e = pinned['hello']['nginx'], pinned['hello'].get('edgerun')
        out += ['## The HTTP layer\'s ceiling: nginx `return 200`, 1 worker, pinned like the others', '']
        ng_rps = ng.median('rps') if ng.runs else None
        rows = [['nginx (return 200)', cell_text(ng, rps_text), cell_text(ng, lat_text, short=True), '100 %']]
        if e is not None:
            er = e.median('rps') if e.runs else None
            rows.append(['edgerun hello', cell_text(e, rps_text), cell_text(e, lat_text, short=True),
                         f'{100 * er / ng_rps:.0f} %' if er and ng_rps else 'n/a'])
        out += [table(['server', 'requests/s', 'p50 / p99', '% of nginx'], rows), '']

    if res.get('threads'):
        cells = res['threads']['hello']
        out += ['## Whole machine: hello, no pinning, `wrk -t2 -c%d` (both cores shared with the server)' % CONNECTIONS,
                '']
        how = {'edgerun': '`--threads 2`', 'workerd': 'as it runs', 'deno': 'as it runs', 'bun': 'as it runs',
               'node': 'as it runs (no cluster)', 'nginx': '2 workers, `return 200`'}
        rows = [[n, how[n], cell_text(c, rps_text), cell_text(c, lat_text, short=True),
                 cell_text(c, lambda c: f'{c.median("server_cpu"):.0f} % / {c.median("wrk_cpu"):.0f} %', short=True)]
                for n, c in cells.items()]
        out += [table(['runtime', 'setup', 'requests/s', 'p50 / p99', 'CPU: server / wrk (200 % = both cores)'],
                      rows), '']
        if any('§' in c.marks() for c in cells.values()):
            out += ['§ Other processes used more than 10 % of a CPU during a measurement: the number is disturbed.',
                    '']

    if res.get('cold'):
        out += [f'## Cold start: hello, process spawn → first 200 response (server on CPU 0; polled every '
                f'0.5 ms from CPU 1; median of {a.cold}, after one untimed spawn)', '']
        rows = []
        for n, r in res['cold'].items():
            if r['samples_ms']:
                s = r['samples_ms']
                rows.append([n, f'{r["median_ms"]:.1f} ms', f'{min(s):.1f} – {max(s):.1f} ms'])
            else:
                rows.append([n, (r['skip'] or 'no data').replace('|', '\\|'), ''])
        out += [table(['runtime', 'median', 'min – max'], rows), '']

    if pinned:
        out += ['## Server memory: RSS (MiB) right after start → after warm-up + measurement (median over runs; '
                'whole process group)', '']
        names = js + (['nginx'] if 'nginx' in runtimes else [])
        rows = []
        for w, cells in pinned.items():
            row = [w]
            for n in names:
                c = cells.get(n)
                if c is None:
                    row.append('—')
                elif not c.runs:
                    row.append('n/a' if c.skip and c.skip.startswith('n/a') else 'failed')
                else:
                    row.append(f'{fmt_mib(statistics.median(c.rss_start))} → {fmt_mib(statistics.median(c.rss_after))}')
            rows.append(row)
        out += [table(['workload'] + names, rows), '']

    out += ['## Versions and machine', '']
    cpu, mem = machine_info()
    for n, rt in runtimes.items():
        out.append(f'- {n}: {rt.version or rt.problem}')
    out.append(f'- wrk: {first_line(["wrk", "-v"])[0] or "?"}')
    out.append(f'- kernel: {os.uname().release}; CPU: {cpu}, {os.cpu_count()} cores; memory {mem}')
    out.append('')
    summary = '\n'.join(out)

    details = ['## Every run', '', 'Raw wrk outputs and server logs: `bench/.out/` (git-ignored). CPU % over each '
               'measurement: the server\'s process group, wrk, CPU 0 as a whole (/proc/stat, interrupts '
               'included), and other processes on CPU 0 and on CPU 1 (the CPU\'s task time minus the server, '
               'the proxy\'s origin, wrk).', '']
    rows = []
    pc = lambda r, k: '-' if r.get(k) is None else f'{r[k]:.0f}'
    for section in ('pinned', 'threads'):
        for w, cells in res.get(section, {}).items():
            for n, c in cells.items():
                runs = ', '.join(f'{r["rps"]:,.0f}' for r in c.runs) or '-'
                errs = sum(r['non2xx'] for r in c.runs), sum(r['socket_errors'] for r in c.runs)
                cpu = '; '.join(f'{pc(r, "server_cpu")} / {pc(r, "wrk_cpu")}' + (
                    f' / {pc(r, "cpu0_busy")} / {pc(r, "cpu0_other")} / {pc(r, "cpu1_other")}'
                    if section == 'pinned' else f' / others {pc(r, "other_all")}') for r in c.runs)
                rows.append([section, w, n, runs, f'{errs[0]} / {errs[1]}', cpu or '-',
                             (c.skip or '').replace('|', '\\|')])
    details += [table(['section', 'workload', 'runtime', 'req/s of each run', 'non-2xx / socket errors',
                       'CPU %: server / wrk / (pinned) CPU 0 busy / others on CPU 0 / on CPU 1; (threads) others', 'note'],
                      rows), '']
    return summary, summary + '\n' + '\n'.join(details)


def plots(ctx, pinned, runtimes, out_png_prefix, banner):
    """Two PNGs (requests/s, p99) with gnuplot; returns the files written or a reason."""
    gnuplot = shutil.which('gnuplot')
    if not gnuplot:
        return [], 'gnuplot is not installed'
    names = [n for n in runtimes if any(n in cells for cells in pinned.values())]
    files = []
    for key, title, ylabel in (('rps', 'requests/s (median), server on 1 CPU', 'requests/s (log scale)'),
                               ('p99', 'p99 latency (median of runs), server on 1 CPU', 'p99, ms (log scale)')):
        dat = ctx.path('work', f'plot-{key}.dat')
        with open(dat, 'w') as f:
            f.write('workload ' + ' '.join(names) + '\n')
            for w, cells in pinned.items():
                vals = []
                for n in names:
                    c = cells.get(n)
                    v = c.median(key) if c is not None and c.runs else None
                    vals.append(f'{v:.4f}' if v else '?')
                f.write(f'{w} ' + ' '.join(vals) + '\n')
        png = f'{out_png_prefix}-{key}.png'
        script = '\n'.join([
            'set terminal pngcairo size 1100,520 font "sans,10"',
            f'set output "{png}"',
            f'set title "{title}\\n(no bar: n/a or failed, see the table){" — DEVELOPMENT RUN" if banner else ""}"',
            'set style data histograms', 'set style histogram clustered gap 1', 'set style fill solid 0.85 border -1',
            'set boxwidth 0.9', 'set datafile missing "?"', 'set logscale y', f'set ylabel "{ylabel}"',
            'set grid ytics', 'set key outside right top', 'set yrange [*:*]',
            'plot ' + ', '.join(f'"{dat}" using {i + 2}:xtic(1) title columnheader({i + 2})' for i in range(len(names))),
        ])
        gp = ctx.path('work', f'plot-{key}.gp')
        with open(gp, 'w') as f:
            f.write(script + '\n')
        try:
            out = subprocess.run([gnuplot, gp], capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            return files, 'gnuplot timed out'
        if out.returncode != 0 or not os.path.exists(png):
            return files, f'gnuplot failed: {out.stderr.strip()[:200]}'
        files.append(png)
    return files, None


def update_readme(summary, results_rel, pngs_rel):
    readme = os.path.join(ROOT, 'README.md')
    with open(readme) as f:
        text = f.read()
    begin, end = '<!-- bench:begin -->', '<!-- bench:end -->'
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        return 'README.md lacks exactly one <!-- bench:begin --> ... <!-- bench:end --> pair'
    body = summary.split('\n', 1)[1].lstrip('\n')  # the title line is the file's, not the README's
    body = re.sub(r'^## ', '#### ', body, flags=re.M)
    block = (f'{begin}\n<!-- Written by bench/run from {results_rel}; do not edit by hand. -->\n\n'
             f'Latest published run: [{results_rel}]({results_rel}).\n\n' + body.rstrip('\n') + '\n\n'
             + ''.join(f'![{os.path.basename(p)}]({p})\n' for p in pngs_rel) + f'\n{end}')
    start, stop = text.index(begin), text.index(end) + len(end)
    with open(readme, 'w') as f:
        f.write(text[:start] + block + text[stop:])
    return None


# ---- main ---------------------------------------------------------------------------------------------------

def csv_list(value, allowed, what):
    items = [v.strip() for v in value.split(',') if v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad:
        raise argparse.ArgumentTypeError(f'unknown {what}: {", ".join(bad)} (known: {", ".join(allowed)})')
    return items


def main():
    ap = argparse.ArgumentParser(prog='bench/run', description='edgerun side-by-side benchmark (see bench/README.md)')
    ap.add_argument('--quick', action='store_true', help='1 run of 3 s per cell, 1 s warm-up, 3 cold starts')
    ap.add_argument('--workloads', type=lambda v: csv_list(v, WORKLOADS, 'workload'), default=WORKLOADS)
    ap.add_argument('--runtimes', type=lambda v: csv_list(v, ALL_RUNTIMES, 'runtime'), default=ALL_RUNTIMES)
    ap.add_argument('--parts', type=lambda v: csv_list(v, ['pinned', 'threads', 'cold'], 'part'),
                    default=['pinned', 'threads', 'cold'])
    ap.add_argument('--runs', type=int)
    ap.add_argument('--duration', type=int, help='seconds per measurement')
    ap.add_argument('--warmup', type=int, help='seconds of warm-up per start')
    ap.add_argument('--cold', type=int, help='timed cold starts per runtime')
    pub = ap.add_mutually_exclusive_group()
    pub.add_argument('--publish', action='store_true', default=None,
                     help='write bench/results/ and README.md even for a partial or quick run')
    pub.add_argument('--no-publish', dest='publish', action='store_false')
    ap.add_argument('--check-args', action='store_true', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.check_args:
        return 0
    a.workloads = [w for w in WORKLOADS if w in a.workloads]
    a.runtimes = [r for r in ALL_RUNTIMES if r in a.runtimes]
    default_method = not a.quick and all(v is None for v in (a.runs, a.duration, a.warmup, a.cold))
    full = (default_method and a.workloads == WORKLOADS and a.runtimes == ALL_RUNTIMES
            and a.parts == ['pinned', 'threads', 'cold'])
    a.runs = a.runs or (1 if a.quick else 3)
    a.duration = a.duration or (3 if a.quick else 10)
    a.warmup = a.warmup or (1 if a.quick else 3)
    a.cold = a.cold or (3 if a.quick else 10)
    publish = full if a.publish is None else a.publish
    banner = None
    if not default_method:
        banner = (f'Development run ({a.runs} × {a.duration} s per cell, {a.cold} cold starts): '
                  'not the published method; do not quote these numbers.')
    elif not full:
        banner = 'Partial run (a subset of workloads, runtimes or parts).'

    if os.cpu_count() < 2:
        log('needs at least 2 CPUs (server on CPU 0, wrk on CPU 1)')
        return 1
    if not shutil.which('wrk'):
        log('wrk is not installed (bench/run installs it)')
        return 1
    started = datetime.datetime.now(datetime.timezone.utc)
    out_dir = os.path.join(BENCH, '.out', started.strftime('%Y%m%dT%H%M%SZ'))
    ctx = Context(a, out_dir)
    latest = os.path.join(BENCH, '.out', 'latest')
    if os.path.islink(latest) or not os.path.exists(latest):
        if os.path.islink(latest):
            os.unlink(latest)
        os.symlink(os.path.basename(out_dir), latest)

    atexit.register(cleanup)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGINT too, even if inherited as ignored
        signal.signal(sig, on_signal)
    os.sched_setaffinity(0, CLIENT_CPUS)  # this process polls and waits on CPU 1, off the server's CPU

    runtimes = {}
    for name in ALL_RUNTIMES:
        if name in a.runtimes:
            runtimes[name] = Runtime(name, ctx)
            rt = runtimes[name]
            log(f'{name}: {rt.version or rt.problem}')
    ctx.load_start = ' '.join(open('/proc/loadavg').read().split()[:3])
    log(f'output: {out_dir}; load average {ctx.load_start}')

    res = {}
    try:
        if 'pinned' in a.parts:
            res['pinned'] = {}
            section_pinned(ctx, runtimes, a.workloads, res['pinned'])
        if 'threads' in a.parts and 'hello' in a.workloads:
            res['threads'] = {}
            section_threads(ctx, runtimes, res['threads'])
        if 'cold' in a.parts and 'hello' in a.workloads:
            res['cold'] = {}
            section_cold(ctx, runtimes, res['cold'])
    finally:
        cleanup()
    finished = datetime.datetime.now(datetime.timezone.utc)
    ctx.load_end = ' '.join(open('/proc/loadavg').read().split()[:3])

    summary, full_md = report(ctx, runtimes, res, started, finished, banner)
    with open(os.path.join(out_dir, 'results.md'), 'w') as f:
        f.write(full_md)
    with open(os.path.join(out_dir, 'results.json'), 'w') as f:
        json.dump({'args': vars(a), 'started': started.isoformat(),
                   'versions': {n: rt.version or rt.problem for n, rt in runtimes.items()},
                   'pinned': {w: {n: c.to_json() for n, c in cells.items()} for w, cells in res.get('pinned', {}).items()},
                   'threads': {w: {n: c.to_json() for n, c in cells.items()} for w, cells in res.get('threads', {}).items()},
                   'cold': res.get('cold', {})}, f, indent=1)
    pngs, plot_problem = plots(ctx, res.get('pinned', {}), runtimes, os.path.join(out_dir, 'plot'), banner) \
        if res.get('pinned') else ([], 'no pinned section')
    if plot_problem:
        log(f'plots: {plot_problem}')

    if publish:
        date = started.strftime('%Y-%m-%d')
        results_dir = os.path.join(BENCH, 'results')
        os.makedirs(results_dir, exist_ok=True)
        md_path = os.path.join(results_dir, f'{date}.md')
        png_rel = []
        for png in pngs:
            dest = os.path.join(results_dir, f'{date}-{os.path.basename(png)[len("plot-"):]}')
            shutil.copyfile(png, dest)
            png_rel.append(os.path.relpath(dest, ROOT))
        with open(md_path, 'w') as f:
            f.write(full_md.replace('\n## Versions and machine',
                                    ''.join(f'\n![{os.path.basename(p)}]({os.path.basename(p)})\n' for p in png_rel)
                                    + '\n## Versions and machine', 1))
        problem = update_readme(summary, os.path.relpath(md_path, ROOT), png_rel)
        log(f'wrote {os.path.relpath(md_path, ROOT)}' + ''.join(f', {p}' for p in png_rel)
            + ('; README.md: ' + problem if problem else '; README.md updated'))
    else:
        log(f'not published (quick, partial or --no-publish): {os.path.relpath(out_dir, ROOT)}/results.md'
            + ''.join(f', {os.path.relpath(p, ROOT)}' for p in pngs))
    print(full_md)
    return 0


if __name__ == '__main__':
    sys.exit(main())
