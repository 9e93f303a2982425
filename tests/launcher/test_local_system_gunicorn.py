"""LocalSystem(web_server="gunicorn"): the whole system with the production web; live pages (SSE) under gthread."""

import re
import time

import pytest
import requests

from launcher.system import LocalSystem

pytestmark = pytest.mark.integration
PASSWORD = "mat-khau-thu-nghiem-1"


def login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, page[:500]
    response = session.post(f"{base}/login", data={"csrf_token": token.group(1), "username": "admin",
                                                   "password": PASSWORD}, timeout=10, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return session


def test_live_streams_under_gunicorn_leave_threads_for_other_requests(tmp_path):
    system = LocalSystem(tmp_path, nodes=2, web_server="gunicorn", admin_password=PASSWORD,
                         settings_overrides={"web_workers": 1, "web_threads": 8})
    system.start(scheduler=False)
    streams = []
    try:
        base = system.base_url
        session = login(base)
        # Four open live pages: each holds one of the worker's eight threads for as long as it is open.
        for _ in range(4):
            response = session.get(f"{base}/live/stream", stream=True, timeout=10)
            assert response.headers["Content-Type"].startswith("text/event-stream")
            lines = response.iter_lines(decode_unicode=True)
            assert any(line == "event: node" for line, _ in zip(lines, range(50), strict=False))
            streams.append(response)
        started = time.monotonic()
        assert session.get(f"{base}/healthz", timeout=10).status_code == 200
        assert session.get(f"{base}/nodes", timeout=10).status_code == 200
        assert time.monotonic() - started < 5
    finally:
        for response in streams:
            response.close()
        system.stop()
    assert system._web_process is None
