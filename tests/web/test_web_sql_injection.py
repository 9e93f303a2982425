"""SQL injection (issue 10): every web page and API endpoint, with classic payloads in each query parameter its
module reads, in string path parameters, in the login form and in every form field of the POST routes, on
SQLite and PostgreSQL. Nothing answers 500, no table loses or gains a row on a read, and a Phú Lộc account
never sees Xã An Bình's rows (a `' OR 1=1--` that reached the SQL would widen its scope).
"""

from __future__ import annotations

import inspect
import re
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from governance_support import bearer, login
from isolation_support import World, an_binh_state, build_world, leaks
from sqlalchemy import func, select, table
from sqlalchemy import inspect as sa_inspect
from test_web_authz_matrix import routes
from web_support import PASSWORD, Seed, seed_database

pytestmark = pytest.mark.security

PAYLOADS = ("' OR 1=1--", "1; DROP TABLE users", "%' UNION SELECT id, username, password_hash FROM users--",
            "1' OR '1'='1")
# Every name the views read from request.args / request.form (grep web/ for request.args.get), plus the API's
# paging and the report filters built from tuples of names.
PARAMS = ("to", "from", "area", "article_id", "page", "year", "status", "node", "name", "lang", "area_id",
          "week", "voice", "user", "topic_id", "topic", "text", "start_local", "period", "outcome",
          "on_overlap", "offset", "occurrence", "next", "n", "limit", "level", "group", "expansion", "district",
          "decision", "confirm_unfit", "confirm", "commune_id", "commune", "comment", "col", "bulletin_id",
          "bulletin", "area_ids", "action", "acronym", "village", "node_id", "title", "body", "q", "search",
          "username", "full_name", "role", "start_at", "date", "priority", "audio_id")
# Written on reads by design: sessions, login/API counters, audit of exports, service health.
WRITTEN_ON_READ = re.compile(r"session|rate|login_attempt|audit|api_token|health|leader")
MISSING = 999_999


@pytest.fixture
def db_app_settings() -> dict[str, Any]:
    return {"api_rate_per_token": 0, "api_rate_per_address": 0}  # thousands of calls in one window


@pytest.fixture
def world(db_app: Flask) -> tuple[Seed, World]:
    db_app.config.update(LIVE_POLL_S=0.02, LIVE_MAX_S=0.05, LIVE_KEEPALIVE_S=0.02)
    with db_app.extensions["radio"].sessionmaker() as db:
        seed = seed_database(db)
        return seed, build_world(db, seed)


def _values(seed: Seed, world: World) -> dict[str, object]:
    return {"article_id": world.article_id, "bulletin_id": world.bulletin_id, "programme_id": world.programme_id,
            "slot_id": world.slot_id, "area_id": seed.commune_id, "node_id": "loa-dong-1",
            "entry_id": world.lexicon_id, "user_id": seed.broadcaster_id, "token_id": MISSING,
            "job_id": world.render_job_id,
            "plan_id": world.plan_id, "target_id": world.target_id, "district_id": MISSING, "sha": "a" * 64,
            "filename": "app.css", "delivery_id": MISSING, "item_id": MISSING, "warning_id": MISSING}


def _params_read_by(app: Flask, endpoint: str) -> list[str]:
    """The names of PARAMS that appear quoted in the view's module (its helpers read them there too)."""
    view = app.view_functions[endpoint]
    module = inspect.getmodule(inspect.unwrap(view))
    source = inspect.getsource(module) if module else ""
    if endpoint.startswith("api."):
        source += '"limit" "offset"'
    return [p for p in PARAMS if f'"{p}"' in source or f"'{p}'" in source]


def _row_counts(app: Flask) -> dict[str, int]:
    engine = app.extensions["radio"].sessionmaker.kw["bind"]
    with engine.connect() as conn:
        names = sa_inspect(conn).get_table_names()
        return {n: conn.execute(select(func.count()).select_from(table(n))).scalar_one() for n in names
                if not WRITTEN_ON_READ.search(n)}


def _get(client: FlaskClient, url: str, headers: dict[str, str] | None) -> tuple[int, str]:
    with client.get(url, headers=headers or {}) as response:
        body = "" if "spreadsheet" in response.mimetype else response.get_data(as_text=True)
        return response.status_code, body


def _walk_gets(app: Flask, seed: Seed, objects: World, client: FlaskClient,
               headers: dict[str, str], payloads: tuple[str, ...] = PAYLOADS) -> list[tuple[str, str, int, list[str]]]:
    """(url, payload, status, leaked) for every GET that answered 500 or leaked An Bình's names."""
    wrong = []
    for method, url, endpoint in routes(app, _values(seed, objects)):
        if method != "GET" or endpoint in {"static", "media.serve"}:
            continue
        api = headers if endpoint.startswith("api.") else None
        names = _params_read_by(app, endpoint)
        for payload in payloads:
            urls = [f"{url}?{urlencode({name: payload})}" for name in names]
            urls.append(f"{url}?{urlencode(dict.fromkeys(names, payload))}")  # all at once
            for target in urls:
                status, body = _get(client, target, api)
                if status >= 500 or leaks(body):
                    wrong.append((target, payload, status, leaks(body)))
    return wrong


def test_injection_in_every_query_parameter_breaks_nothing_and_widens_nothing(db_app: Flask,
                                                                             world: tuple[Seed, World]) -> None:
    seed, objects = world
    sessions = db_app.extensions["radio"].sessionmaker
    with sessions() as db:
        before, counts = an_binh_state(db, seed), _row_counts(db_app)
        headers = bearer(db, "bientap2")
    # Phú Lộc's broadcaster: an injected OR 1=1 would show An Bình's rows.
    client = db_app.test_client()
    login(client, "bientap2")
    assert _walk_gets(db_app, seed, objects, client, headers) == []
    # The administrator reaches every branch (no scope refusal before the query runs); only 500s count here
    # (two payloads: the quote and the statement separator).
    admin = db_app.test_client()
    login(admin, "quantri")
    with sessions() as db:
        admin_headers = bearer(db, "quantri")
    wrong = [w for w in _walk_gets(db_app, seed, objects, admin, admin_headers, PAYLOADS[:2]) if w[2] >= 500]
    assert wrong == []
    with sessions() as db:
        assert an_binh_state(db, seed) == before
    assert _row_counts(db_app) == counts


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_in_text_filters_matches_nothing(db_app: Flask, world: tuple[Seed, World], payload: str) -> None:
    with db_app.extensions["radio"].sessionmaker() as db:
        headers = bearer(db, "quantri")
    client = db_app.test_client()
    # The as-run row on loa-dong-1 exists: a filter taken as SQL would return it, a literal matches nothing.
    status, body = _get(client, "/api/v1/asrun?" + urlencode({"node_id": "loa-dong-1"}), headers)
    assert status == 200 and '"node_id":"loa-dong-1"' in body.replace(" ", "")
    for field in ("node_id", "outcome"):
        status, body = _get(client, "/api/v1/asrun?" + urlencode({field: payload}), headers)
        assert status == 200 and '"items":[]' in body.replace(" ", ""), (field, body[:300])
    status, body = _get(client, "/api/v1/bulletins?" + urlencode({"status": payload}), headers)
    assert status in (400, 422) or (status == 200 and '"items":[]' in body.replace(" ", "")), body[:300]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_in_string_path_parameters_is_a_plain_not_found(db_app: Flask, world: tuple[Seed, World],
                                                                  payload: str) -> None:
    _seed, _objects = world
    with db_app.extensions["radio"].sessionmaker() as db:
        headers = bearer(db, "quantri")
    client = db_app.test_client()
    login(client, "quantri")
    quoted = quote(payload, safe="")
    for url, api in ((f"/nodes/{quoted}", None), (f"/api/v1/nodes/{quoted}", headers)):
        status, body = _get(client, url, api)
        assert status == 404, (url, status)
        assert "Cụm loa Đông 1" not in body
    for action, data in (("volume", {"volume": "50"}), ("stop", {})):
        with client.post(f"/nodes/{quoted}/{action}", data=data) as response:
            assert response.status_code in (302, 400, 403, 404), (action, response.status_code)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_in_the_login_form_does_not_log_in(db_app: Flask, world: tuple[Seed, World], payload: str) -> None:
    client = db_app.test_client()
    for data in ({"username": payload, "password": payload}, {"username": "quantri", "password": payload},
                 {"username": f"quantri{payload}", "password": PASSWORD}, {"username": "quantri'--", "password": ""}):
        with client.post("/login", data=data) as response:
            assert response.status_code in (200, 401), data  # the form again, not a redirect into the site
    with client.get("/bulletins/") as response:
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_injection_in_every_form_field_of_every_post_route(db_app: Flask, world: tuple[Seed, World]) -> None:
    """Phú Lộc's broadcaster posts the payloads in every field name the views read: no 500, An Bình unchanged,
    and every table is still there (a DROP TABLE that ran would show)."""
    seed, objects = world
    sessions = db_app.extensions["radio"].sessionmaker
    with sessions() as db:
        before = an_binh_state(db, seed)
        headers = bearer(db, "bientap2")
        users = db.execute(select(func.count()).select_from(table("users"))).scalar_one()
    tables = set(_row_counts(db_app))
    client = db_app.test_client()
    login(client, "bientap2")
    wrong = []
    for method, url, endpoint in routes(db_app, _values(seed, objects)):
        if method != "POST" or endpoint in {"auth.logout", "auth.login"}:
            continue
        for payload in PAYLOADS:
            fields = dict.fromkeys(_params_read_by(db_app, endpoint) or PARAMS, payload)
            kwargs: dict[str, Any] = ({"headers": headers, "json": fields} if endpoint.startswith("api.")
                                      else {"data": fields})
            with client.post(url, **kwargs) as response:
                if response.status_code >= 500:
                    wrong.append((url, payload, response.status_code))
    assert wrong == []
    with sessions() as db:
        assert an_binh_state(db, seed) == before
        assert db.execute(select(func.count()).select_from(table("users"))).scalar_one() == users
    assert set(_row_counts(db_app)) == tables
