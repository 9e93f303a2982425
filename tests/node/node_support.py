"""Helpers for node tests: a fake clock and player, signed commands, a tiny media server, a TCP link cutter."""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from radio.protocol import PlayCommand, Priority, Targets
from radio.protocol.clock import time_answer
from radio.protocol.messages import to_dict
from radio.protocol.signing import sign


class FakeClock:
    def __init__(self, t_s: float = 1_000_000.0) -> None:
        self.t = t_s

    def __call__(self) -> float:
        return self.t

    def advance_ms(self, ms: int) -> None:
        self.t += ms / 1000

    @property
    def ms(self) -> int:
        return int(self.t * 1000)


class FakePlayback:
    error: str | None = None

    def __init__(self, clock: FakeClock, duration_ms: int) -> None:
        self.clock = clock
        self.ends_ms = clock.ms + duration_ms
        self.interrupted = False
        self._stopped = threading.Event()

    def wait(self, timeout: float | None = None) -> bool:
        if timeout == 0:
            return self.interrupted or self.clock.ms >= self.ends_ms
        return self._stopped.wait(timeout)  # the engine's watcher thread; the tests call tick() themselves

    def stop(self) -> None:
        self.interrupted = True
        self._stopped.set()


@dataclass
class FakePlayer:
    clock: FakeClock
    name: str = "fake"
    volume: int = 100
    plays: list[tuple[str, int, int]] = field(default_factory=list)  # (item id, start ms, volume)

    def play(self, path: Path, *, duration_ms: int, item_id: str) -> FakePlayback:
        self.plays.append((item_id, self.clock.ms, self.volume))
        return FakePlayback(self.clock, duration_ms)

    def set_volume(self, volume: int) -> None:
        self.volume = volume


PROVINCE_38 = Targets(areas=("38",))


def play_command(start_ms: int, *, duration_ms: int = 10_000, media: bytes = b"audio", url: str = "http://x/m.mp3",
                 priority: str = "normal", if_interrupted: str = "replay", expires_ms: int | None = None,
                 command_id: str | None = None, targets: Targets = PROVINCE_38) -> PlayCommand:
    """A play command; by default for province 38, which every test node belongs to."""
    return PlayCommand(
        id=command_id or str(uuid.uuid4()), bulletin_id=1, issued_at_ms=start_ms - 1000, start_at_ms=start_ms,
        expires_at_ms=expires_ms if expires_ms is not None else start_ms + duration_ms + 5000,
        media_url=url, sha256=hashlib.sha256(media).hexdigest(), duration_ms=duration_ms,
        priority=Priority(priority), title="Bản tin thử", if_interrupted=if_interrupted, targets=targets,
    )


def signed(cmd: object, key: object) -> bytes:
    return json.dumps(sign(to_dict(cmd), key), separators=(",", ":"), ensure_ascii=False).encode()  # type: ignore[arg-type]


def wait_for(pred, timeout: float = 5.0, interval: float = 0.02) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(interval)
    return bool(pred())


class MediaServer:
    """Serves registered byte strings at /media/<name>, with Range; `bad` serves wrong bytes N times first."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.bad: dict[str, int] = {}
        self.requests: list[tuple[str, str | None]] = []
        self.cut_after: dict[str, int] = {}  # close the connection after this many bytes (once)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                name = self.path.rsplit("/", 1)[-1]
                rng = self.headers.get("Range")
                server.requests.append((name, rng))
                if self.path == "/time":
                    return self._send(200, json.dumps(time_answer()).encode())
                body = server.files.get(name)
                if body is None:
                    return self._send(404, b"")
                if server.bad.get(name, 0) > 0:
                    server.bad[name] -= 1
                    body = bytes(b ^ 0xFF for b in body)
                start = 0
                if rng and rng.startswith("bytes="):
                    start = int(rng[6:].split("-")[0])
                    if start >= len(body):
                        return self._send(416, b"")
                limit = server.cut_after.pop(name, None)
                self._send(206 if start else 200, body[start:], total=len(body), start=start, limit=limit)

            def _send(self, code: int, body: bytes, *, total: int = 0, start: int = 0,
                      limit: int | None = None) -> None:
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                if code == 206:
                    self.send_header("Content-Range", f"bytes {start}-{total - 1}/{total}")
                self.end_headers()
                self.wfile.write(body if limit is None else body[:limit])
                if limit is not None:
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def add(self, body: bytes, name: str | None = None) -> str:
        name = name or f"{hashlib.sha256(body).hexdigest()}.mp3"
        self.files[name] = body
        return f"{self.url}/media/{name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class LinkCutter:
    """A loopback TCP proxy in front of the broker: cut() drops every connection and refuses new ones."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._up = threading.Event()
        self._up.set()
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._up.is_set():
                client.close()  # refused: the link is down
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=2)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._socks += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def cut(self) -> None:
        self._up.clear()
        with self._lock:
            socks, self._socks = self._socks, []
        for s in socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def restore(self) -> None:
        self._up.set()

    def close(self) -> None:
        self._closed = True
        self.cut()
        self._listener.close()
