"""Stored XSS (issue 10): script and attribute-breaking markup stored in every user- or node-writable text field,
then every page, export, the live event stream and the API read back, on SQLite and PostgreSQL. HTML pages show
the text escaped (never a raw <script>alert(1) or <img ... onerror> tag); JSON and the event stream are served
with their own content type and nosniff, so a browser never renders them as HTML.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from governance_support import bearer, login
from isolation_support import World, build_world
from province_support import province_item_for_an_binh
from sqlalchemy import select
from test_web_authz_matrix import routes
from web_support import Seed, seed_database

from radio.db.models import (
    Area,
    Article,
    AsRun,
    Bulletin,
    LexiconEntry,
    Node,
    Outcome,
    Programme,
    User,
)
from radio.db.planning import Plan, Topic
from radio.db.province import ProvinceBulletin, ProvinceDelivery
from radio.protocol import EventKind, NodeEvent
from scheduler.ingest import apply_to_as_run, insert_new_events
from station.audit import Actor
from station.warnings.service import activate, new_warning

pytestmark = pytest.mark.security
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
RAW = (re.compile(r"<script>alert\(1\)", re.I), re.compile(r"<img src=x onerror", re.I))
MISSING = 999_999


def xss(field: str) -> str:
    """The payload for one field, with a tag (XSS-<field>) to prove the field is shown somewhere."""
    return f"XSS-{field} {SCRIPT}{BREAKOUT}"


FIELDS = ("article_title", "article_body", "review_comment", "bulletin_title", "programme_name", "lexicon",
          "plan_title", "plan_issuer", "topic_name", "full_name", "node_name", "area_name",
          "asrun_detail", "province_title", "province_summary", "decline_reason", "article_author",
          "warning_title", "warning_body")
PROVINCE_IDS: dict[str, int] = {}
_warning_id = MISSING  # the stored disaster warning (set by the fixture)


@pytest.fixture
def stored(db_app: Flask) -> tuple[Seed, World]:
    db_app.config.update(LIVE_POLL_S=0.02, LIVE_MAX_S=0.3, LIVE_KEEPALIVE_S=0.05)
    with db_app.extensions["radio"].sessionmaker() as db:
        seed = seed_database(db)
        world = build_world(db, seed)
        article = db.get(Article, world.article_id)
        article.title, article.body, article.review_comment = (xss("article_title"), xss("article_body"),
                                                               xss("review_comment"))
        db.get(Bulletin, world.bulletin_id).title = xss("bulletin_title")
        db.get(Programme, world.programme_id).name = xss("programme_name")
        entry = db.get(LexiconEntry, world.lexicon_id)
        entry.acronym, entry.expansion = SCRIPT, xss("lexicon")
        plan = db.get(Plan, world.plan_id)
        plan.title, plan.issuer = xss("plan_title"), xss("plan_issuer")
        db.get(Topic, world.topic_id).name = xss("topic_name")
        for user in db.scalars(select(User)):
            user.full_name = xss("full_name")
        node = db.get(Node, "loa-dong-1")
        node.name = xss("node_name")  # as provisioning names it (its storage_error is not shown by the web)
        db.get(Area, seed.village_dong_id).name = xss("area_name")
        article.author_name, article.pen_name = xss("article_author"), SCRIPT
        # A province item (as an inbound HTTT nguồn bulletin may carry anything) and a commune's decline reason.
        PROVINCE_IDS["item"], PROVINCE_IDS["delivery"] = province_item_for_an_binh(db, seed)
        item = db.get(ProvinceBulletin, PROVINCE_IDS["item"])
        item.title, item.summary = xss("province_title"), xss("province_summary")
        delivery = db.get(ProvinceDelivery, PROVINCE_IDS["delivery"])
        delivery.status, delivery.reason = "declined", xss("decline_reason")
        db.commit()
        # As-run detail as a node reports it: through the ingest's own insert and as-run update.
        run = db.scalars(select(AsRun).where(AsRun.node_id == "loa-dong-1")).one()
        failed = NodeEvent("loa-dong-1:cmd-an-binh:failed", "loa-dong-1", EventKind.FAILED,
                           (run.started_at_ms or 0) + 1000, "cmd-an-binh", world.bulletin_id, None,
                           xss("asrun_detail"))
        apply_to_as_run(db, insert_new_events(db, [failed], datetime.now(UTC)))
        db.commit()
        db.expire_all()
        assert db.get(AsRun, run.id).detail == xss("asrun_detail")
        # A disaster warning as a leader types it (its title is the first line of what they wrote).
        warning = new_warning(db, commune=db.get(Area, seed.commune_id), hazard="storm", level=4, village_ids=[],
                              title=xss("warning_title"), body=xss("warning_body"), interval_s=7200,
                              created_by=seed.leader_id, now=datetime.now(UTC))
        activate(db, warning, audio_id=article.audio_id, actor=Actor(seed.leader_id, "leader", seed.commune_id, "x"),
                 now=datetime.now(UTC))
        db.commit()
        global _warning_id
        _warning_id = warning.id
    return seed, world


def _values(seed: Seed, world: World) -> dict[str, object]:
    return {"article_id": world.article_id, "bulletin_id": world.bulletin_id, "programme_id": world.programme_id,
            "slot_id": world.slot_id, "area_id": seed.commune_id, "node_id": "loa-dong-1",
            "entry_id": world.lexicon_id, "user_id": seed.broadcaster_id, "token_id": MISSING,
            "job_id": world.render_job_id,
            "plan_id": world.plan_id, "target_id": world.target_id, "district_id": MISSING, "sha": "a" * 64,
            "filename": "app.css", "delivery_id": PROVINCE_IDS["delivery"], "item_id": PROVINCE_IDS["item"],
            "warning_id": _warning_id}


EXTRA_GETS = ("/reports/asrun?area={commune}", "/reports/period?area={commune}", "/live/stream",
              "/live/stream?node=loa-dong-1", "/api/v1/asrun", "/api/v1/nodes/loa-dong-1",
              "/reports/asrun.csv?area={commune}", "/audit/?area={commune}")


def test_every_page_shows_stored_markup_escaped(db_app: Flask, stored: tuple[Seed, World]) -> None:
    seed, world = stored
    with db_app.extensions["radio"].sessionmaker() as db:
        headers = bearer(db, "quantri")
    client = db_app.test_client()
    login(client, "quantri")
    urls = [(u, e) for m, u, e in routes(db_app, _values(seed, world))
            if m == "GET" and e not in {"static", "media.serve", "auth.logout"}]
    urls += [(u.format(commune=seed.commune_id), "api.extra" if u.startswith("/api/") else "extra")
             for u in EXTRA_GETS]
    shown: set[str] = set()
    raw, wrong_type = [], []
    for url, endpoint in urls:
        api = endpoint.startswith("api.")
        with client.get(url, headers=headers if api else {}) as response:
            mimetype = response.mimetype
            body = "" if "spreadsheet" in mimetype else response.get_data(as_text=True)
            nosniff = response.headers.get("X-Content-Type-Options") == "nosniff"
        shown |= {f for f in FIELDS if f"XSS-{f}" in body}
        if mimetype == "text/html":
            raw += [(url, p.pattern) for p in RAW if p.search(body)]
        elif mimetype in ("application/json", "text/event-stream"):
            if not nosniff:
                wrong_type.append((url, mimetype))
            if mimetype == "application/json":
                json.loads(body)  # a JSON document, never HTML with a JSON type
        elif mimetype not in ("text/csv",) and any(p.search(body) for p in RAW):
            wrong_type.append((url, mimetype))  # markup served as something a browser might render
        if api and "XSS-" in body:
            assert mimetype == "application/json", url
    assert raw == []
    assert wrong_type == []
    # Every field reached at least one page, export, stream or API answer (else the test proves nothing).
    assert set(FIELDS) - shown == set()


def test_live_stream_carries_markup_only_as_json_text(db_app: Flask, stored: tuple[Seed, World]) -> None:
    with db_app.extensions["radio"].sessionmaker() as db:  # playing again: the stream names node and bulletin
        run = db.scalars(select(AsRun).where(AsRun.node_id == "loa-dong-1")).one()
        run.outcome, run.ended_at_ms = Outcome.STARTED, None
        db.commit()
    client = db_app.test_client()
    login(client, "quantri")
    with client.get("/live/stream") as response:
        assert response.mimetype == "text/event-stream"
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
        body = response.get_data(as_text=True)
    datas = [line[len("data:"):].strip() for line in body.splitlines() if line.startswith("data:")]
    assert datas, body[:300]
    for data in datas:
        json.loads(data)  # every message is JSON, inserted into the page as text (live.js uses textContent)
    assert "XSS-node_name" in body and "XSS-bulletin_title" in body
    with client.get("/live/") as page:
        assert not any(p.search(page.get_data(as_text=True)) for p in RAW)
