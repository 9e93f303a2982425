"""HTTPS JSON to one province's HTTT nguồn, with a bearer token obtained by login and renewed before it expires
(and once more when the server says 401). Standard library only: the connector must not need more than the server
already has. Every failure is a `SendError`; `transient` says whether trying again later can help."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from station.httt.config import ProvinceLink

MAX_REPLY_BYTES = 8 * 1024 * 1024
# Renew this long before the announced expiry: a token that expires in flight costs a retry.
RENEW_MARGIN = timedelta(seconds=30)


class SendError(Exception):
    """The request did not get a usable answer. transient=False only for answers that retrying cannot change."""

    def __init__(self, message: str, *, transient: bool = True, status: int | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.status = status


class ProvinceClient:
    """One province's endpoint. `clock` decides token expiry, so tests can run hours of it in seconds."""

    def __init__(self, link: ProvinceLink, clock: Callable[[], datetime]) -> None:
        self.link = link
        self.clock = clock
        self._token = ""
        self._expires: datetime | None = None
        self.logins = 0

    def _url(self, name: str) -> str:
        return self.link.base_url + self.link.mapping.paths[name]

    def _raw(self, method: str, url: str, body: dict[str, Any] | None, token: str = "") -> tuple[int, Any]:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json; charset=utf-8")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.link.timeout_s) as response:
                status, raw = response.status, response.read(MAX_REPLY_BYTES + 1)
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read(MAX_REPLY_BYTES + 1)
            exc.close()
        except (urllib.error.URLError, OSError, TimeoutError) as exc:  # refused, reset, DNS, timeout
            raise SendError(f"không kết nối được HTTT nguồn: {exc}") from exc
        if len(raw) > MAX_REPLY_BYTES:
            raise SendError("trả lời quá lớn", status=status)
        try:
            return status, json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SendError(f"trả lời không phải JSON (HTTP {status})", status=status) from exc

    def _login(self) -> str:
        f = self.link.mapping.fields
        status, reply = self._raw("POST", self._url("login"),
                                  {f.get("username", "TenDangNhap"): self.link.username,
                                   f.get("password", "MatKhau"): self.link.password})
        if status in (401, 403):
            raise SendError("HTTT nguồn từ chối đăng nhập", transient=False, status=status)
        if status != 200 or not isinstance(reply, dict) or not isinstance(reply.get("access_token"), str):
            raise SendError(f"đăng nhập HTTT nguồn không thành công (HTTP {status})", status=status)
        expires_in = reply.get("expires_in", 3600)
        if not isinstance(expires_in, int | float) or expires_in <= 0:
            expires_in = 300
        self._token = reply["access_token"]
        self._expires = self.clock() + timedelta(seconds=float(expires_in))
        self.logins += 1
        return self._token

    def token(self) -> str:
        if not self._token or self._expires is None or self.clock() >= self._expires - RENEW_MARGIN:
            return self._login()
        return self._token

    def call(self, method: str, name: str, body: dict[str, Any] | None = None, query: str = "") -> Any:
        """One authenticated request; a 401 (token revoked or expired early) logs in again and retries once."""
        url = self._url(name) + (f"?{query}" if query else "")
        for attempt in (1, 2):
            status, reply = self._raw(method, url, body, self.token())
            if status == 401 and attempt == 1:
                self._token = ""
                continue
            if 200 <= status < 300:
                return reply
            transient = status >= 500 or status in (401, 408, 429)
            raise SendError(f"HTTT nguồn trả lời HTTP {status}", transient=transient, status=status)
        raise SendError("HTTT nguồn vẫn từ chối khoá truy cập", status=401)  # pragma: no cover - loop returns
