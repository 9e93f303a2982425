"""Helpers for the production-web tests: settings for a gunicorn child, media in the library, HTTP GET."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from audio_library import AudioLibrary
from launcher.webserver import WebProcess
from radio.broker import free_port
from radio.db.migrate import upgrade
from radio.settings import Settings, load_settings


class WebStarter:
    """Starts `radio serve` children under a test's tmp_path; stop_all() ends them (the fixture's teardown)."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.started: list[WebProcess] = []

    def __call__(self, settings: Settings) -> WebProcess:
        process = WebProcess(settings, self.tmp_path / f"web{len(self.started)}")
        self.started.append(process)
        process.start()
        return process

    def stop_all(self) -> None:
        for process in self.started:
            process.stop()


def server_settings(tmp_path: Path, **overrides: object) -> Settings:
    values = {"web_workers": 2, "web_threads": 8} | overrides
    settings = load_settings(env={}, data_dir=tmp_path / "data", secret_key="test-secret", web_port=free_port(),
                             session_cookie_secure=False, **values)
    settings.ensure_dirs()
    upgrade(settings.db_url)
    return settings


def store_media(settings: Settings, size: int) -> tuple[str, bytes]:
    data = b"ID3" + os.urandom(size - 3)
    sha, _ = AudioLibrary(settings.audio_dir).store.put(data, {})
    return sha, data


def wait_until(pred: Callable[[], bool], timeout_s: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.1)
    return bool(pred())


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read()
