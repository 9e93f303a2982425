"""A reference HTTT nguồn: a small real HTTP server (standard library) that behaves like a province's system as the
connector expects it (docs/httt-nguon.md): login with a bearer token that expires, batch endpoints per record kind
that validate every item and remember idempotency keys, and a list of bulletins sent down. It fails on command
(outage, 503, slow answers, malformed answers, answers lost after storing, tokens expired early), so the connector
is tested over real HTTP on loopback (tests/httt/) and drained in bench/httt_drain.py.

Time comes from an injected clock (token expiry), so a test can run hours of outage in seconds.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

KINDS = {"/api/bantin": "bulletin", "/api/lichphat": "schedule", "/api/lichphat/huy": "cancel",
         "/api/cumloa/trangthai": "status", "/api/nhatkyphat": "play_log"}
# The business id of each kind: two stored items with one business id would be a double, whatever their keys.
BUSINESS_ID = {"bulletin": "BanTinId", "schedule": "LichPhatId", "cancel": "LichPhatId", "status": "MaGiaoDich",
               "play_log": "NhatKyId"}
MODES = ("ok", "down", "unavailable", "slow", "malformed", "lost_reply")


def _iso(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _problem(kind: str, item: dict[str, Any]) -> str:
    """Why an item is invalid ("" when valid): the reference for what the connector must send."""
    def need(name: str, check: Callable[[Any], bool], what: str) -> str:
        return "" if check(item.get(name)) else f"{name}: {what}"

    is_int = lambda v: isinstance(v, int) and not isinstance(v, bool)  # noqa: E731
    is_num = lambda v: isinstance(v, int | float) and not isinstance(v, bool)  # noqa: E731
    checks: dict[str, list[str]] = {
        "bulletin": [need("BanTinId", lambda v: is_int(v) or isinstance(v, str), "bắt buộc"),
                     need("TieuDe", lambda v: isinstance(v, str) and 0 < len(v) <= 300, "1-300 ký tự"),
                     need("LinhVuc", lambda v: v is None or v in range(1, 7), "1-6"),
                     need("LoaiNoiDung", lambda v: v in range(1, 7), "1-6"),
                     need("MucDoUuTien", lambda v: v in (1, 2, 3), "1-3"),
                     need("TacGia", lambda v: isinstance(v, dict), "đối tượng"),
                     need("DanhSachDiaBanNhan", lambda v: isinstance(v, list), "danh sách")],
        "schedule": [need("LichPhatId", is_int, "số"), need("BanTinId", lambda v: v is not None, "bắt buộc"),
                     need("LichPhat", lambda v: isinstance(v, dict) and _iso(v.get("ThoiGianBatDau"))
                          and _iso(v.get("ThoiGianKetThuc")), "ThoiGianBatDau/ThoiGianKetThuc ISO 8601 có múi giờ")],
        "cancel": [need("LichPhatId", is_int, "số")],
        "status": [need("CumLoaId", lambda v: isinstance(v, str) and v, "bắt buộc"),
                   need("TrucTuyen", lambda v: isinstance(v, bool), "true/false"),
                   need("KetNoi", lambda v: v is None or (isinstance(v, str) and len(v) <= 64), "chuỗi"),
                   need("NhietDo", lambda v: v is None or (is_num(v) and -40 <= v <= 125), "°C -40..125"),
                   need("ViTri", lambda v: v is None or (isinstance(v, dict) and is_num(v.get("ViDo"))
                        and is_num(v.get("KinhDo")) and abs(v["ViDo"]) <= 90 and abs(v["KinhDo"]) <= 180),
                        "ViDo/KinhDo"),
                   need("Nguon", lambda v: v is None or (isinstance(v, dict)
                        and all(x is None or isinstance(x, bool) for x in (v.get("DienLuoi"), v.get("Amply")))
                        and (v.get("MatDienLuoiLuc") is None or _iso(v["MatDienLuoiLuc"]))), "đối tượng")],
        "play_log": [need("NhatKyId", is_int, "số"), need("CumLoaId", lambda v: isinstance(v, str) and v, "bắt buộc"),
                     need("LichPhatId", is_int, "số"), need("KetQua", lambda v: v in range(1, 7), "1-6"),
                     need("ThoiLuongPhat", lambda v: isinstance(v, int | float) and v >= 0, "số giây ≥ 0")],
    }
    return "; ".join(p for p in checks[kind] if p)


class ProvinceServer:
    """The server and its state; `mode` and `expire_tokens()` drive the failures."""

    def __init__(self, *, username: str = "xa-ket-noi", password: str = "mat-khau-tinh", token_ttl_s: float = 3600,
                 clock: Callable[[], datetime] | None = None, slow_s: float = 2.0) -> None:
        self.username, self.password, self.token_ttl_s = username, password, token_ttl_s
        self.clock = clock or (lambda: datetime.now(UTC))
        self.slow_s = slow_s
        self.mode = "ok"
        self.lock = threading.Lock()
        self.tokens: dict[str, datetime] = {}
        self.stored: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in BUSINESS_ID}
        self.counts: Counter[str] = Counter()
        self.outgoing: list[dict[str, Any]] = []  # bulletins sent down, in order; the cursor is the position
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- control ---------------------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> ProvinceServer:
        handler = type("Handler", (_Handler,), {"ref": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="province-ref", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> ProvinceServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def send_down(self, bulletin: dict[str, Any]) -> None:
        with self.lock:
            self.outgoing.append(bulletin)

    def doubles(self, kind: str) -> int:
        """Items of `kind` stored more than once under one business id (must stay 0)."""
        ids = Counter(str(item.get(BUSINESS_ID[kind])) for item in self.stored[kind].values())
        return sum(n - 1 for n in ids.values() if n > 1)

    def summary(self) -> dict[str, Any]:
        with self.lock:
            return {"counts": dict(self.counts), "stored": {k: len(v) for k, v in self.stored.items()},
                    "doubles": {k: self.doubles(k) for k in self.stored}}

    # --- request handling (called on the server's threads) -----------------------------------------------------
    def login(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or body.get("TenDangNhap") != self.username or \
                body.get("MatKhau") != self.password:
            self.counts["login_refused"] += 1
            return 401, {"Loi": "sai tên đăng nhập hoặc mật khẩu"}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = self.clock() + timedelta(seconds=self.token_ttl_s)
        self.counts["logins"] += 1
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": int(self.token_ttl_s)}

    def authorized(self, header: str) -> bool:
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        with self.lock:
            expires = self.tokens.get(token)
            if expires is not None and expires <= self.clock():
                del self.tokens[token]
                expires = None
        return expires is not None

    def accept(self, kind: str, body: Any) -> tuple[int, Any]:
        items = body.get("DanhSach") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items:
            return 400, {"Loi": "DanhSach: danh sách bản ghi bắt buộc"}
        results = []
        with self.lock:
            for item in items:
                key = item.get("MaGiaoDich") if isinstance(item, dict) else None
                if not isinstance(key, str) or not key:
                    results.append({"MaGiaoDich": None, "TrangThai": "invalid", "Loi": "MaGiaoDich: bắt buộc"})
                    continue
                problem = _problem(kind, item)
                if problem:
                    self.counts["invalid"] += 1
                    results.append({"MaGiaoDich": key, "TrangThai": "invalid", "Loi": problem})
                elif key in self.stored[kind]:
                    self.counts["duplicate"] += 1
                    results.append({"MaGiaoDich": key, "TrangThai": "duplicate"})
                else:
                    self.stored[kind][key] = item
                    self.counts["created"] += 1
                    results.append({"MaGiaoDich": key, "TrangThai": "created"})
        return 200, {"KetQuaXuLy": results}

    def inbound(self, query: dict[str, list[str]]) -> tuple[int, Any]:
        after = (query.get("SauMa") or [""])[0]
        start = int(after) if after.isdigit() else 0
        with self.lock:
            page = self.outgoing[start:start + 100]
        return 200, {"DanhSach": page, "TiepTheo": str(start + len(page))}


class _Handler(BaseHTTPRequestHandler):
    ref: ProvinceServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the tests read counters, not logs

    def _reply(self, status: int, body: Any, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        if length > 32 * 1024 * 1024:
            return None
        try:
            return json.loads(self.rfile.read(length) or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None

    def _handle(self, method: str) -> None:
        ref = self.ref
        mode = ref.mode
        ref.counts["requests"] += 1
        if mode == "down":  # an outage: the connection is cut before any answer
            ref.counts["cut"] += 1
            self.close_connection = True
            self.connection.close()
            return
        if mode == "unavailable":
            self._reply(503, {"Loi": "hệ thống đang bảo trì"})
            return
        if mode == "slow":
            time.sleep(ref.slow_s)
        url = urlparse(self.path)
        if url.path == "/_ref/stats" and method == "GET":  # the reference's own counters (benchmarks, demos)
            self._reply(200, ref.summary())
            return
        body = self._body() if method == "POST" else None
        if url.path == "/api/auth/login" and method == "POST":
            self._reply(*ref.login(body))
            return
        if not ref.authorized(self.headers.get("Authorization", "")):
            ref.counts["unauthorized"] += 1
            self._reply(401, {"Loi": "khoá truy cập không hợp lệ hoặc đã hết hạn"})
            return
        if url.path == "/api/bantin/gui-xuong" and method == "GET":
            self._reply(*ref.inbound(parse_qs(url.query)))
            return
        kind = KINDS.get(url.path)
        if kind is None or method != "POST":
            self._reply(404, {"Loi": "không có"})
            return
        if mode == "malformed":
            self._reply(200, None, raw=b"<html>502 Bad Gateway</html>")
            return
        status, answer = ref.accept(kind, body)
        if mode == "lost_reply":  # stored, but the answer never arrives: the retry must not double anything
            ref.counts["lost_replies"] += 1
            self.close_connection = True
            self.connection.close()
            return
        self._reply(status, answer)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")


def main(argv: list[str] | None = None) -> None:
    """Run the reference server alone (benchmarks run it in its own process): prints its URL, serves until killed."""
    import argparse
    import signal

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--token-ttl", type=float, default=3600)
    args = parser.parse_args(argv)
    server = ProvinceServer(token_ttl_s=args.token_ttl).start()
    print(server.base_url, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
