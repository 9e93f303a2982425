"""The REST API is rate-limited per token and per client address: 429 JSON with Retry-After (issue 10).
On SQLite and PostgreSQL: the counters live in the database, shared by every web worker."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from governance_support import bearer
from sqlalchemy.orm import Session
from web_support import seed_database
from werkzeug.test import TestResponse

from web.api import rate_limit

pytestmark = pytest.mark.security
PER_TOKEN, PER_ADDRESS = 3, 6
WINDOW_S = 1_000_000  # ~12 days: no test run straddles a window boundary by accident


@pytest.fixture
def db_app_settings() -> dict[str, Any]:
    return {"api_rate_per_token": PER_TOKEN, "api_rate_per_address": PER_ADDRESS, "api_rate_window_s": WINDOW_S}


@pytest.fixture
def session(db_app: Flask) -> Iterator[Session]:
    with db_app.extensions["radio"].sessionmaker() as s:
        seed_database(s)
        yield s


def _from(address: str) -> dict[str, Any]:
    return {"environ_base": {"REMOTE_ADDR": address}}


def _assert_429(response: TestResponse) -> int:
    assert response.status_code == 429
    body = response.get_json()
    assert body["error"]["code"] == "too_many_requests"
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= WINDOW_S
    assert f"{wait} giây" in body["error"]["message"]
    return wait


def test_each_token_has_its_own_budget(db_app: Flask, session: Session) -> None:
    client = db_app.test_client()
    first, second = bearer(session, "bientap", "một"), bearer(session, "bientap", "hai")
    for _ in range(PER_TOKEN):
        assert client.get("/api/v1/nodes", headers=first, **_from("10.0.0.1")).status_code == 200
    _assert_429(client.get("/api/v1/nodes", headers=first, **_from("10.0.0.2")))  # a new address does not help
    assert client.get("/api/v1/nodes", headers=second, **_from("10.0.0.1")).status_code == 200


def test_each_address_has_its_own_budget_tokens_or_not(db_app: Flask, session: Session) -> None:
    client = db_app.test_client()
    tokens = [bearer(session, "bientap", f"khoá {i}") for i in range(PER_ADDRESS)]
    guess = {"Authorization": "Bearer sai"}
    for _ in range(2):  # guesses without a (valid) token count too
        assert client.get("/api/v1/nodes", headers=guess, **_from("10.0.0.9")).status_code == 401
    for headers in tokens[: PER_ADDRESS - 2]:
        assert client.get("/api/v1/nodes", headers=headers, **_from("10.0.0.9")).status_code == 200
    # A fresh token is no way around the address's limit; the OpenAPI document is not either.
    _assert_429(client.get("/api/v1/nodes", headers=tokens[-1], **_from("10.0.0.9")))
    _assert_429(client.get("/api/v1/openapi.json", **_from("10.0.0.9")))
    assert client.get("/api/v1/nodes", headers=tokens[-1], **_from("10.0.0.10")).status_code == 200


def test_the_message_follows_the_language(db_app: Flask, session: Session) -> None:
    client = db_app.test_client()
    headers = bearer(session, "bientap")
    for _ in range(PER_TOKEN):
        client.get("/api/v1/nodes", headers=headers)
    response = client.get("/api/v1/nodes?lang=en", headers=headers)
    wait = int(response.headers["Retry-After"])
    assert response.get_json()["error"]["message"] == f"Too many requests. Try again in {wait} seconds."


def test_parallel_requests_cannot_overrun_the_limit(db_app: Flask, session: Session) -> None:
    headers = bearer(session, "bientap")
    parallel = 12
    start = threading.Barrier(parallel)

    def call(_i: int) -> int:
        client = db_app.test_client()
        start.wait()
        return client.get("/api/v1/nodes", headers=headers).status_code

    with ThreadPoolExecutor(parallel) as pool:
        statuses = list(pool.map(call, range(parallel)))
    assert statuses.count(200) == PER_TOKEN and statuses.count(429) == parallel - PER_TOKEN, statuses


def test_counter_windows(session: Session) -> None:
    start = 5 * 60.0
    assert [rate_limit.hit(session, "k", 2, 60, start + i) for i in range(2)] == [None, None]
    assert rate_limit.hit(session, "k", 2, 60, start + 20.5) == 40  # seconds to the next window
    assert rate_limit.hit(session, "k", 2, 60, start + 60) is None  # a new window starts again
    assert rate_limit.hit(session, "other", 2, 60, start + 21) is None
    assert all(rate_limit.hit(session, "off", 0, 60, start) is None for _ in range(5))  # 0 = no limit


def test_defaults_limit_the_api() -> None:
    from radio.settings import Settings

    defaults = Settings()
    assert defaults.api_rate_per_token == 120 and defaults.api_rate_per_address == 300
    assert defaults.api_rate_window_s == 60


def test_openapi_documents_the_429(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    operations = [op for methods in paths.values() for op in methods.values()]
    assert operations and all("429" in op["responses"] for op in operations)
