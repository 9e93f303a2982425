"""The production web: gunicorn serving the Flask app (`radio serve`), and its settings file for a child process.

Why gunicorn with gthread workers: the live pages hold a Server-Sent Events stream open (web/live.py, up to
10 minutes each) and every node downloads each bulletin's MP3; a sync worker would be taken by one stream for
good, and gevent would need the database driver and paho patched. gthread keeps the app as it is: each worker
process runs `web_threads` threads, idle keep-alive connections wait in the worker's poller without a thread,
and a file response goes out with os.sendfile (gunicorn's wsgi.file_wrapper, used by Flask's send_file) so a
2 MB download costs the worker almost no CPU. Measured figures: docs/benchmarks.md ("Media fan-out").

Reload: SIGHUP makes the master re-read the settings and start new workers that import the code afresh
(the app is not preloaded in the master), then stop the old ones gracefully; nothing in flight is cut.
"""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
import time
import tomllib
import urllib.request
from concurrent import futures
from dataclasses import fields
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.http.wsgi import FileWrapper
from gunicorn.workers.gthread import ThreadWorker

from radio.settings import Settings, load_settings

# Workers are restarted after this many requests (± jitter): a slow leak in a library cannot grow for ever.
MAX_REQUESTS = 20_000
GRACEFUL_TIMEOUT_S = 30


class RadioThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's gthread worker, with the lingering close of a finished connection moved off its event loop.

    gunicorn 27 closes a `Connection: close` response gracefully (half-close, then wait up to 2 s for the peer's
    FIN) in the worker's main thread, the one that accepts connections and tells the master it is alive. A
    node on a slow 4G link sends its FIN only after the last megabytes in the socket buffer reached it, so a
    burst of finishing downloads stalled the loop for minutes: the master killed the worker (WORKER TIMEOUT)
    with every download on it (found with `bench/media_fanout.py --uplink-mbit`). Here that wait runs in a
    small pool of its own; keep-alive connections and errors are handled as gunicorn does.
    """

    CLOSING_THREADS = 16

    def init_process(self) -> None:
        self._closer = futures.ThreadPoolExecutor(max_workers=self.CLOSING_THREADS, thread_name_prefix="close")
        super().init_process()

    def finish_request(self, conn: Any, fs: Any) -> None:
        close = conn.close

        def close_off_the_loop(graceful: bool = False) -> None:
            if graceful:
                self._closer.submit(close, True)
            else:
                close(graceful)

        conn.close = close_off_the_loop
        super().finish_request(conn, fs)


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """gunicorn's settings for this deployment's web."""
    options: dict[str, Any] = {
        "bind": [f"{settings.web_host}:{settings.web_port}"],
        "worker_class": "launcher.webserver.RadioThreadWorker",  # gthread, see above
        "workers": settings.web_workers,
        "threads": settings.web_threads,
        # The worker heartbeat, not a request limit: a long SSE stream or a slow 4G download is fine.
        "timeout": 60,
        "graceful_timeout": GRACEFUL_TIMEOUT_S,
        "keepalive": 5,
        # 1,000 nodes may connect within the same second when a bulletin is dispatched.
        "backlog": 2048,
        "max_requests": MAX_REQUESTS,
        "max_requests_jitter": MAX_REQUESTS // 10,
        "preload_app": False,  # so a HUP loads new code; each worker builds its own app and database pool
        "sendfile": True,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "commune-radio-web",
        # gunicorn 24+ opens a control socket at one fixed path in the user's home: two servers on one machine
        # (tests, a standby) would take it from each other, and systemd's ProtectHome forbids it. Signals do.
        "control_socket_disable": True,
        # Without a proxy only the direct peer is believed for X-Forwarded-Proto.
        "forwarded_allow_ips": "127.0.0.1,::1" if settings.proxy_hops else "",
    }
    if settings.tls_cert_file:
        options["certfile"] = settings.tls_cert_file
        options["keyfile"] = settings.tls_key_file or settings.tls_cert_file
    return options


# Over TLS gunicorn cannot sendfile: it writes what the file wrapper yields, and Werkzeug asks for 8 KiB blocks, i.e.
# 244 Python-level writes (and as many small TLS records) per 2 MB bulletin. 256 KiB blocks cut the worker's CPU
# per download (measured: docs/benchmarks.md, "Media fan-out").
TLS_FILE_BLOCK = 256 * 1024


class TlsFileWrapper(FileWrapper):  # type: ignore[misc]
    """gunicorn's wsgi.file_wrapper with large blocks; still a FileWrapper, so gunicorn sends it as a file."""

    def __init__(self, filelike: Any, blksize: int = TLS_FILE_BLOCK) -> None:
        super().__init__(filelike, max(blksize, TLS_FILE_BLOCK))


def _large_file_blocks(app: Any) -> Any:
    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        environ["wsgi.file_wrapper"] = TlsFileWrapper
        return app(environ, start_response)

    return wsgi


def build_app(config_file: str | Path | None) -> Any:
    """The WSGI app for one worker: settings read afresh (so a HUP picks up a changed file)."""
    from web import create_app

    settings = load_settings(config_file)
    app = create_app(settings)
    if settings.tls_cert_file:
        app.wsgi_app = _large_file_blocks(app.wsgi_app)  # type: ignore[method-assign]
    if settings.proxy_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The client address (login and API limits, audit) and the scheme come from the proxy's headers; only
        # as many hops as configured are believed, so a client cannot forge its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops,  # type: ignore[method-assign]
                                x_proto=settings.proxy_hops, x_host=0)
    return app


class RadioServer(BaseApplication):  # type: ignore[misc]
    """gunicorn run from our settings instead of its command line."""

    def __init__(self, config_file: str | Path | None) -> None:
        self.config_file = str(config_file) if config_file else None
        super().__init__()

    def load_config(self) -> None:
        # Called again on SIGHUP: bind, workers and threads follow the settings file.
        for key, value in gunicorn_options(load_settings(self.config_file)).items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return build_app(self.config_file)


def serve(config_file: str | Path | None) -> None:
    """Run gunicorn in the foreground until SIGTERM/SIGINT (systemd: deploy/commune-radio-web.service)."""
    if config_file:
        # Workers, and the master after a HUP, read the same file; the environment carries it across exec.
        os.environ["RADIO_CONFIG"] = str(Path(config_file).resolve())
    RadioServer(config_file).run()


def settings_toml(settings: Settings) -> str:
    """Settings as a TOML file, so a child process (gunicorn) builds the same Settings (LocalSystem, tests)."""
    lines = []
    for f in fields(Settings):
        if f.name == "extra":
            continue
        value = getattr(settings, f.name)
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | float):
            text = repr(value)
        elif isinstance(value, Path):
            text = _toml_string(str(value.resolve()))
        else:
            text = _toml_string(str(value))
        lines.append(f"{f.name} = {text}")
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # never hand a child a file it cannot read
    return text


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


class WebProcess:
    """`radio serve` (gunicorn) as a child process on loopback: LocalSystem, the tests and the benchmarks.

    The process leads its own session (start_new_session), so stop() can end gunicorn's workers with it."""

    def __init__(self, settings: Settings, workdir: Path, *, dev: bool = False) -> None:
        self.settings = settings
        self.dev = dev  # `radio serve --dev` (Werkzeug), the baseline the benchmarks compare against
        self.config_path = Path(workdir) / "web-settings.toml"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = Path(workdir) / "web.log"

    def start(self, timeout_s: float = 60.0) -> None:
        self.config_path.parent.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(settings_toml(self.settings))
        self.config_path.chmod(0o600)  # it holds the MQTT password and the secret key
        env = dict(os.environ, RADIO_CONFIG=str(self.config_path.resolve()))
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "launcher.cli", "serve", "--config", str(self.config_path.resolve()),
                 *(["--dev"] if self.dev else [])],
                env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log_tail()}")
            if self._answers():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout_s} s: {self.log_tail()}")

    def _answers(self) -> bool:
        """GET /time answers: a worker has loaded the app (the master's socket alone accepts much earlier)."""
        scheme = "https" if self.settings.tls_cert_file else "http"
        # A readiness probe on loopback, not a client: the certificate is checked by the tests themselves.
        context = ssl._create_unverified_context() if scheme == "https" else None
        try:
            with urllib.request.urlopen(f"{scheme}://{self.settings.web_host}:{self.settings.web_port}/time",
                                        timeout=2, context=context) as resp:
                return bool(resp.status == 200)
        except (OSError, ValueError):
            return False

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def reload(self) -> None:
        """Graceful reload (SIGHUP to the master): new workers, old ones finish what they serve."""
        if self.process is not None:
            self.process.send_signal(signal.SIGHUP)

    def worker_pids(self) -> set[int]:
        if self.process is None:
            return set()
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return {int(pid) for pid in children.read_text().split()}
        except OSError:
            return set()

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's graceful stop: workers finish within graceful_timeout
            try:
                self.process.wait(timeout=GRACEFUL_TIMEOUT_S + 5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None
