"""The field model's TCP proxy: one delay per message, in order, on real loopback sockets (issue 12)."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from launcher.field import LinkModel
from launcher.field.proxy import FieldProxy

pytestmark = pytest.mark.timeout(30)


class ScriptedLink(LinkModel):
    """A link whose one-way delays are given in order (down direction only; up is immediate)."""

    def __init__(self, down: list[float]) -> None:
        super().__init__(base_s=0.0, jitter_mean_s=0.0, loss=0.0)
        self.down = list(down)

    def delay(self, up: bool) -> float:
        return 0.0 if up else self.down.pop(0)


def serve_two_writes(gap_s: float) -> tuple[socket.socket, int]:
    """A server that answers any request with two writes, `gap_s` apart (an HTTP header, then its body)."""
    listener = socket.create_server(("127.0.0.1", 0))

    def run() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(100)
            conn.sendall(b"head|")
            time.sleep(gap_s)
            conn.sendall(b"body")
            time.sleep(0.5)

    threading.Thread(target=run, daemon=True).start()
    return listener, int(listener.getsockname()[1])


def exchange(port: int) -> tuple[bytes, float]:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        t0 = time.monotonic()
        sock.sendall(b"ask")
        data = b""
        while not data.endswith(b"body"):
            chunk = sock.recv(100)
            assert chunk, "connection closed early"
            data += chunk
        return data, time.monotonic() - t0


def through_proxy(gap_s: float, down: list[float]) -> tuple[bytes, float]:
    """One exchange with the two-write server through a proxy whose link has these down-link delays."""
    listener, target = serve_two_writes(gap_s)
    proxy = FieldProxy()
    try:
        return exchange(proxy.route(ScriptedLink(down), target))
    finally:
        proxy.close()
        listener.close()


def test_back_to_back_writes_are_one_message_with_one_delay():
    # Two reads at the proxy, well inside one message. Per chunk, the body would wait for the larger draw
    # (0.3 s); as one message it takes the first (0.05 s).
    data, took = through_proxy(gap_s=0.0005, down=[0.05, 0.3])
    assert data == b"head|body"
    assert 0.045 < took < 0.25


def test_separate_messages_draw_their_own_delay_and_stay_in_order():
    data, took = through_proxy(gap_s=0.1, down=[0.3, 0.01])
    # The body was sent 0.1 s later with a 10 ms delay, but TCP never reorders: it follows the head (0.3 s).
    assert data == b"head|body"
    assert 0.295 < took < 0.6
