"""Media fan-out benchmark: N simulated nodes each download the bulletin's MP3 themselves from the production web.

Every node opens its own connection (no shared cache, no keep-alive between nodes), downloads
/media/<sha256>.mp3, checks the sha256 and counts as ready when the bytes verify before air time. All nodes
start at the same instant, as when a commune-wide command arrives. The same downloads are then made against
Werkzeug's development server (`radio serve --dev`, the server before gunicorn) in the same run.

--uplink-mbit U puts a token-bucket proxy (aggregate U Mbit/s, loopback) between the nodes and the server and
sets air time at the lead the scheduler would use for this bulletin (scheduler/lead.py): the run shows whether
every node is ready before air through that uplink. Loopback only, bounded in nodes and time. The JSON
summary is the last line.

    .venv/bin/python bench/media_fanout.py --nodes 1000
    .venv/bin/python bench/media_fanout.py --nodes 1000 --tls
    .venv/bin/python bench/media_fanout.py --nodes 1000 --uplink-mbit 100 --no-baseline
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import multiprocessing
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import CLK_TCK, machine, percentile, print_json

from audio_library import AudioLibrary
from launcher import nginx
from launcher.sim.worker import raise_nofile_limit
from launcher.webserver import WebProcess
from radio.broker import free_port
from radio.db.migrate import upgrade
from radio.pki import make_test_pki
from radio.settings import load_settings
from scheduler.lead import dispatch_lead_s

MAX_NODES = 5000
DEFAULT_LEAD_S = 120.0  # Settings.dispatch_lead_s: air time after the command when no uplink is configured
CHUNK = 65536


# --- one simulated node --------------------------------------------------------------------------------------
class _Download(asyncio.BufferedProtocol):
    """One GET, hashed as it arrives into one reused buffer: the simulator must cost far less CPU than the server
    it measures (1,000 clients share this machine's 2 cores with it)."""

    def __init__(self, request: bytes, done: asyncio.Future[tuple[bool, int]], sha: str) -> None:
        self.request, self.done, self.sha = request, done, sha
        self.buffer = bytearray(1 << 18)
        self.head = b""
        self.status_ok = False
        self.length = -1
        self.got = 0
        self.digest = hashlib.sha256()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        transport.write(self.request)  # type: ignore[attr-defined]

    def get_buffer(self, sizehint: int) -> memoryview:
        return memoryview(self.buffer)

    def buffer_updated(self, nbytes: int) -> None:
        data = memoryview(self.buffer)[:nbytes]
        if self.length < 0 and not self.status_ok and self.head is not None:
            self.head += bytes(data)
            if b"\r\n\r\n" not in self.head:
                return
            head, _, body = self.head.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            self.status_ok = " 200 " in lines[0] + " "
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    self.length = int(value)
            self.head = None  # type: ignore[assignment]
            data = memoryview(body)
        self.digest.update(data)
        self.got += len(data)
        if 0 <= self.length <= self.got and self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            ok = self.status_ok and self.got == self.length and self.digest.hexdigest() == self.sha
            self.done.set_result((ok, self.got))


async def _download(port: int, path: str, sha: str, ca_file: str, t0: float, deadline: float) -> tuple[float, bool,
                                                                                                       int, int]:
    """(seconds from t0 to verified, verified, bytes, attempts); retries like a node until the deadline."""
    context = ssl.create_default_context(cafile=ca_file) if ca_file else None
    loop = asyncio.get_running_loop()
    request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
    attempts = 0
    got = 0
    while time.time() < deadline:
        attempts += 1
        done: asyncio.Future[tuple[bool, int]] = loop.create_future()
        try:
            await asyncio.wait_for(loop.create_connection(
                lambda done=done: _Download(request, done, sha), "127.0.0.1", port, ssl=context,
                server_hostname="localhost" if context else None), 30)
            ok, got = await asyncio.wait_for(done, max(1.0, deadline - time.time()))
            if ok:
                return time.time() - t0, True, got, attempts
        except (TimeoutError, OSError, ssl.SSLError, ValueError):
            pass
        await asyncio.sleep(0.5)
    return time.time() - t0, False, got, attempts


def _blocking_download(port: int, path: str, sha: str, context: ssl.SSLContext | None, t0: float,
                       deadline: float) -> tuple[float, bool, int, int]:
    """The same GET as `_download`, as a node's agent makes it: one thread, a blocking socket (TLS in OpenSSL, the
    GIL released while it decrypts and while hashlib hashes), the bytes hashed as they arrive."""
    request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
    buffer = bytearray(1 << 18)
    view = memoryview(buffer)
    attempts = got = 0
    while time.time() < deadline:
        attempts += 1
        got = 0
        try:
            raw = socket.create_connection(("127.0.0.1", port), timeout=30)
            with (context.wrap_socket(raw, server_hostname="localhost") if context else raw) as sock:
                sock.settimeout(max(1.0, deadline - time.time()))
                sock.sendall(request)
                head = b""
                while b"\r\n\r\n" not in head:
                    n = sock.recv_into(buffer)
                    if not n:
                        raise ConnectionError("closed in the head")
                    head += bytes(view[:n])
                head, _, body = head.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                length = next(int(v) for k, _, v in (x.partition(":") for x in lines[1:])
                              if k.strip().lower() == "content-length")
                digest = hashlib.sha256(body)
                got = len(body)
                while got < length:
                    n = sock.recv_into(buffer)
                    if not n:
                        break
                    digest.update(view[:n])
                    got += n
            if " 200 " in lines[0] + " " and got == length and digest.hexdigest() == sha:
                return time.time() - t0, True, got, attempts
        except (TimeoutError, OSError, ssl.SSLError, ValueError, StopIteration):
            pass
        time.sleep(0.5)
    return time.time() - t0, False, got, attempts


def _client_process_threads(count: int, port: int, path: str, sha: str, ca_file: str, t0: float,
                            deadline: float, out: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    raise_nofile_limit()
    threading.stack_size(256 * 1024)
    # One verifying context per process, as a node builds one per CA (radio.node.tls.client_context).
    context = ssl.create_default_context(cafile=ca_file) if ca_file else None

    def node(_: int) -> tuple[float, bool, int, int]:
        while time.time() < t0:  # every thread is up before the common start
            time.sleep(min(0.005, max(0.0, t0 - time.time())))
        return _blocking_download(port, path, sha, context, t0, deadline)

    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(node, range(count)))
    out.send((results, time.process_time()))
    out.close()


def _client_process(count: int, port: int, path: str, sha: str, ca_file: str, t0: float, deadline: float,
                    out: Any) -> None:
    raise_nofile_limit()

    async def run() -> list[tuple[float, bool, int, int]]:
        while time.time() < t0:
            await asyncio.sleep(min(0.01, t0 - time.time()))
        return list(await asyncio.gather(*(_download(port, path, sha, ca_file, t0, deadline) for _ in range(count))))

    out.send((asyncio.run(run()), time.process_time()))
    out.close()


# --- the uplink: an aggregate token bucket on loopback --------------------------------------------------------
def _proxy_process(listen_port: int, upstream_port: int, mbit: float, ready: Any) -> None:
    raise_nofile_limit()
    rate = mbit * 1_000_000 / 8  # bytes per second, shared by every connection

    async def main() -> None:
        state = {"tokens": 0.0, "t": time.monotonic()}
        lock = asyncio.Lock()

        async def take(n: int) -> None:
            async with lock:  # one connection at a time takes from the bucket: the sum never exceeds the rate
                while True:
                    now = time.monotonic()
                    state["tokens"] = min(rate * 0.05, state["tokens"] + (now - state["t"]) * rate)
                    state["t"] = now
                    if state["tokens"] >= n:
                        state["tokens"] -= n
                        return
                    await asyncio.sleep((n - state["tokens"]) / rate)

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, limited: bool) -> None:
            try:
                while chunk := await reader.read(16384):
                    if limited:
                        await take(len(chunk))
                    writer.write(chunk)
                    await writer.drain()
            except OSError:
                pass
            finally:
                writer.close()

        async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
            try:
                server_r, server_w = await asyncio.open_connection("127.0.0.1", upstream_port)
            except OSError:
                client_w.close()
                return
            await asyncio.gather(pipe(client_r, server_w, False), pipe(server_r, client_w, True))

        server = await asyncio.start_server(handle, "127.0.0.1", listen_port, backlog=4096)
        ready.send(True)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def server_cpu_s(web: WebProcess, front: subprocess.Popen[bytes] | None = None) -> float:
    """CPU seconds of the server: the master, its live workers, and the workers it has reaped (a worker that
    was replaced mid-run still counts); with nginx in front, nginx's master and workers too."""
    assert web.process is not None
    total = 0.0
    masters = [web.process.pid] + ([front.pid] if front is not None else [])
    for pid in (*masters, *(c for m in masters for c in _children(m))):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
        if pid in masters:
            total += int(fields[13]) + int(fields[14])  # cutime + cstime: reaped workers
    return total / CLK_TCK


def warm_up(web: WebProcess) -> None:
    """Every worker has booted and loaded the app: concurrent requests until a burst answers at once."""
    from concurrent.futures import ThreadPoolExecutor

    context = ssl._create_unverified_context()  # loopback readiness only; the nodes verify the certificate
    scheme = "https" if web.settings.tls_cert_file else "http"
    url = f"{scheme}://127.0.0.1:{web.settings.web_port}/time"

    def one(_: int) -> float:
        t = time.monotonic()
        with urllib.request.urlopen(url, timeout=30, context=context if scheme == "https" else None) as resp:
            resp.read()
        return time.monotonic() - t

    deadline = time.monotonic() + 60
    with ThreadPoolExecutor(max_workers=32) as pool:
        while time.monotonic() < deadline:
            if max(pool.map(one, range(64))) < 0.5:
                return


# --- one measured run -----------------------------------------------------------------------------------------
def measure(web: WebProcess, port: int, sha: str, size: int, nodes: int, procs: int, ca_file: str,
            air_after_s: float, timeout_s: float, client: str = "threads",
            front: subprocess.Popen[bytes] | None = None) -> dict[str, Any]:
    assert web.process is not None
    warm_up(web)
    workers_before = web.worker_pids()
    t0 = time.time() + 2.0
    deadline = t0 + timeout_s
    ctx = multiprocessing.get_context("fork")
    pipes, children = [], []
    for i in range(procs):
        count = nodes // procs + (1 if i < nodes % procs else 0)
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_client_process_threads if client == "threads" else _client_process,
                           args=(count, port, f"/media/{sha}.mp3", sha, ca_file, t0, deadline, child))
        proc.start()
        pipes.append(parent)
        children.append(proc)
    while time.time() < t0:
        time.sleep(0.005)
    cpu0, cpu_t0 = server_cpu_s(web, front), time.monotonic()
    results: list[tuple[float, bool, int, int]] = []
    client_cpu = 0.0
    for parent in pipes:
        got, cpu_s = parent.recv()
        results += got
        client_cpu += cpu_s
    elapsed = time.monotonic() - cpu_t0
    server_cpu = 100 * (server_cpu_s(web, front) - cpu0) / elapsed
    restarted = len(workers_before - web.worker_pids())
    for proc in children:
        proc.join()
    verified = [r for r in results if r[1]]
    ready = [r for r in verified if r[0] <= air_after_s]
    times = [r[0] for r in verified]
    return {
        "nodes": nodes,
        "ready": len(ready),
        # How many would have been ready with the fixed default lead (what the uplink plan changes).
        "ready_by_default_lead": sum(1 for r in verified if r[0] <= DEFAULT_LEAD_S),
        "verified": len(verified),
        "ready_p50_s": round(percentile(times, 50), 2) if times else None,
        "ready_p99_s": round(percentile(times, 99), 2) if len(verified) == nodes else None,
        "ready_max_s": round(max(times), 2) if times else None,
        "bytes_per_node": round(sum(r[2] for r in results) / nodes) if nodes else 0,
        "retries": sum(r[3] - 1 for r in results),
        "server_cpu_pct": round(server_cpu, 1),
        # The simulated nodes' own CPU (set-up included) in % of one core: on this machine they share the server's
        # cores, which real nodes do not; what they take is CPU the server could not use.
        "client_cpu_pct": round(100 * client_cpu / elapsed, 1),
        "client": client,
        "workers_restarted": restarted,
        "size_bytes": size,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--size-mb", type=float, default=2.0)
    parser.add_argument("--procs", type=int, default=4, help="client processes that share the simulated nodes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=64, help="threads per gunicorn worker")
    parser.add_argument("--tls", action="store_true", help="HTTPS with a CA made for the run; nodes verify it")
    parser.add_argument("--uplink-mbit", type=float, default=0.0, help="aggregate uplink through a token bucket")
    parser.add_argument("--no-baseline", action="store_true", help="skip the Werkzeug run")
    parser.add_argument("--timeout-s", type=float, default=600.0)
    parser.add_argument("--front", choices=["none", "nginx"], default="none",
                        help="nginx: the shipped nginx site ends TLS and sends the files (X-Accel-Redirect) in front "
                             "of gunicorn, as docs/deploy.md section 7 (needs --tls)")
    parser.add_argument("--client", choices=["threads", "asyncio"], default="threads",
                        help="threads: a blocking socket per node, as the agent downloads (default); asyncio: one "
                             "event loop per client process (the client of the earlier figures)")
    args = parser.parse_args()
    if not 1 <= args.nodes <= MAX_NODES:
        parser.error(f"--nodes must be 1..{MAX_NODES}")
    if args.front == "nginx" and not args.tls:
        parser.error("--front nginx ends TLS: give --tls")
    raise_nofile_limit()
    size = int(args.size_mb * 1_000_000)
    # Air time: the default lead, or the lead the scheduler computes for this bulletin through that uplink.
    lead_s = dispatch_lead_s(DEFAULT_LEAD_S, size, args.nodes, args.uplink_mbit)
    summary: dict[str, Any] = {"benchmark": "media_fanout", "machine": machine(), "tls": args.tls,
                               "uplink_mbit": args.uplink_mbit, "air_after_s": round(lead_s, 1),
                               "server": ("nginx (2 workers, TLS, /media itself) + " if args.front == "nginx" else "")
                               + f"gunicorn gthread (RadioThreadWorker) {args.workers}x{args.threads}"}
    with tempfile.TemporaryDirectory(prefix="media-fanout-") as tmp_name:
        tmp = Path(tmp_name)
        extra: dict[str, Any] = {}
        ca_file = ""
        if args.tls:
            pki = make_test_pki(tmp / "pki")
            extra = {"tls_cert_file": str(pki.server.cert), "tls_key_file": str(pki.server.key)}
            ca_file = str(pki.ca.cert)
        # gunicorn behind nginx: plain HTTP on loopback (docs/deploy.md, section 7); the baseline stays Werkzeug alone.
        behind_nginx = {"proxy_hops": 1, "media_accel_prefix": "/_media_files/"}
        runs = [("gunicorn", False)] + ([] if args.no_baseline else [("werkzeug", True)])
        for name, dev in runs:
            settings = load_settings(env={}, data_dir=tmp / "data", secret_key="bench", web_port=free_port(),
                                     web_workers=args.workers, web_threads=args.threads,
                                     **(behind_nginx if args.front == "nginx" and not dev else extra))
            settings.ensure_dirs()
            upgrade(settings.db_url)
            # Random bytes: the server does not look inside, and nothing can be compressed away.
            sha, _ = AudioLibrary(settings.audio_dir).store.put(b"ID3" + os.urandom(size - 3), {})
            web = WebProcess(settings, tmp / name, dev=dev)
            web.start()
            proxy = None
            front = None
            port = settings.web_port
            try:
                if args.front == "nginx" and not dev:
                    port = free_port()
                    conf = nginx.private_config(tmp / f"nginx-{name}", https_port=port, http_port=free_port(),
                                                upstream_port=settings.web_port, audio_dir=settings.audio_dir,
                                                cert=pki.server.cert, key=pki.server.key, workers=2,
                                                connections=4096)
                    front = nginx.start(conf, f"https://localhost:{port}/time", pki.ca.cert)
                if args.uplink_mbit:
                    port = free_port()
                    ready_r, ready_w = multiprocessing.get_context("fork").Pipe(duplex=False)
                    proxy = multiprocessing.get_context("fork").Process(
                        target=_proxy_process, args=(port, settings.web_port, args.uplink_mbit, ready_w), daemon=True)
                    proxy.start()
                    ready_r.recv()
                result = measure(web, port, sha, size, args.nodes, args.procs, ca_file, lead_s, args.timeout_s,
                                 args.client, front)
            finally:
                if front is not None:
                    nginx.stop(front)
                if proxy is not None:
                    proxy.terminate()
                    proxy.join()
                if web.log_tail():
                    # The server's own words (worker timeouts, errors) go to stderr, the summary stays last.
                    print(web.log_tail(4000), file=sys.stderr)
                web.stop()
            print_json({"run": name, **result})
            if name == "gunicorn":
                summary |= result
            else:
                summary["baseline_ready_p99_s"] = result["ready_p99_s"]
                summary["baseline_ready"] = result["ready"]
                summary["baseline_ready_max_s"] = result["ready_max_s"]
                summary["baseline_server_cpu_pct"] = result["server_cpu_pct"]
    print_json(summary)
    return 0 if summary["ready"] == args.nodes else 1


if __name__ == "__main__":
    sys.exit(main())
