"""Every web route and API endpoint, walked by each account of Xã Phú Lộc (broadcaster, leader, commune
monitor) against Xã An Bình's objects, on SQLite and PostgreSQL: nothing of An Bình is shown (list pages,
forms, JSON, the live event stream, exports) and nothing of it changes. Detail pages answer 403 or 404.
"""

from __future__ import annotations

import pytest
from flask import Flask
from governance_support import bearer, login
from isolation_support import ARTICLE, OTHERS, World, an_binh_state, build_world, leaks
from province_support import PROVINCE_SECRET, delivery_state, province_item_for_an_binh
from test_web_authz_matrix import routes
from web_support import Seed, seed_database

from radio.db.alerts import DisasterWarning
from radio.db.models import Area, Article
from radio.db.types import utcnow
from station.audit import Actor
from station.warnings.service import activate, new_warning

pytestmark = pytest.mark.security
MISSING = 999_999
_an_binh_warning = MISSING  # set by the world fixture
# Routes whose query string can name An Bình's things: the walk calls them too.
EXTRA_GETS = ("/calendar/?commune={commune}", "/emergency/?node=loa-dong-1&article_id={article}",
              "/emergency/?commune={commune}", "/bulletins/new?article_id={draft}",
              "/reports/asrun?area={commune}", "/reports/asrun.csv?area={commune}",
              "/reports/asrun.xlsx?area={commune}", "/reports/period?area={commune}",
              "/live/stream?node=loa-dong-1", "/audit/?area={commune}", "/audit/export.csv",
              "/api/v1/asrun?bulletin_id={bulletin}", "/api/v1/asrun?node_id=loa-dong-1",
              "/api/v1/asrun?area_id={commune}", "/api/v1/reports/communes?area_id={commune}",
              "/api/v1/bulletins?status=scheduled", "/api/v1/articles?status=draft",
              "/warnings/new?replace={warning}")


def _values(seed: Seed, world: World) -> dict[str, object]:
    return {"article_id": world.article_id, "bulletin_id": world.bulletin_id, "programme_id": world.programme_id,
            "slot_id": world.slot_id, "area_id": seed.commune_id, "node_id": "loa-dong-1",
            "entry_id": world.lexicon_id, "user_id": seed.broadcaster_id, "token_id": MISSING,
            "job_id": world.render_job_id,
            "plan_id": world.plan_id, "target_id": world.target_id, "district_id": MISSING,
            "item_id": PROVINCE_IDS["item"], "delivery_id": PROVINCE_IDS["delivery"],
            "warning_id": _an_binh_warning}


PROVINCE_IDS: dict[str, int] = {}


@pytest.fixture
def world(any_app: Flask) -> tuple[Seed, World]:
    # Short live streams: the walk reads /live/stream to its end, as a browser tab would over minutes.
    any_app.config.update(LIVE_POLL_S=0.05, LIVE_MAX_S=0.3, LIVE_KEEPALIVE_S=0.1)
    with any_app.extensions["radio"].sessionmaker() as db:
        seed = seed_database(db)
        world = build_world(db, seed)
        PROVINCE_IDS["item"], PROVINCE_IDS["delivery"] = province_item_for_an_binh(db, seed)
        # An active disaster warning of An Bình, titled like its private article so a leak is caught.
        commune = db.get(Area, seed.commune_id)
        warning = new_warning(db, commune=commune, hazard="storm", level=4, village_ids=[], title=ARTICLE,
                              body=ARTICLE, interval_s=7200, created_by=seed.leader_id, now=utcnow())
        activate(db, warning, audio_id=db.get(Article, world.article_id).audio_id,
                 actor=Actor(seed.leader_id, "leader", seed.commune_id, "lanhdao"), now=utcnow())
        db.commit()
        global _an_binh_warning
        _an_binh_warning = warning.id
        return seed, world


@pytest.mark.parametrize("role", list(OTHERS))
def test_other_communes_accounts_see_and_change_nothing_of_an_binh(any_app: Flask, world: tuple[Seed, World],
                                                                   role: str) -> None:
    seed, objects = world
    sessions = any_app.extensions["radio"].sessionmaker
    with sessions() as db:
        before = an_binh_state(db, seed), delivery_state(db)
        headers = bearer(db, OTHERS[role])
    client = any_app.test_client()
    login(client, OTHERS[role])
    ids = {"commune": seed.commune_id, "article": objects.article_id, "draft": objects.draft_id,
           "bulletin": objects.bulletin_id, "warning": _an_binh_warning}
    calls = [(m, u, e) for m, u, e in routes(any_app, _values(seed, objects)) if e != "auth.logout"]
    calls += [("GET", url.format(**ids), "api.extra" if url.startswith("/api/") else "extra") for url in EXTRA_GETS]
    wrong = []
    for method, url, endpoint in calls:
        is_api = endpoint.startswith("api.")
        kwargs: dict[str, object] = {"headers": headers} if is_api else {}
        if is_api and method != "GET":
            kwargs["json"] = {}
        response = client.open(url, method=method, **kwargs)
        body = response.get_data(as_text=True) if "spreadsheet" not in response.mimetype else ""
        status = response.status_code
        response.close()
        found = leaks(body) + ([PROVINCE_SECRET] if PROVINCE_SECRET in body else [])
        if found or status in (401, 500) or (status == 302 and "/login" in response.headers.get("Location", "")):
            wrong.append((method, url, status, found))
        # Detail pages of An Bình's objects must refuse, not show an empty page.
        if method == "GET" and endpoint in {"bulletins.detail", "node_detail.show", "articles.edit",
                                            "programmes.detail", "plans.detail", "api.bulletins_get",
                                            "api.nodes_get", "api.articles_get", "inbox.detail",
                                            "province.detail", "warnings.detail"} and status not in (403, 404):
            wrong.append((method, url, status, "detail not refused"))
    assert wrong == []
    with sessions() as db:
        assert (an_binh_state(db, seed), delivery_state(db)) == before
        warning = db.get(DisasterWarning, _an_binh_warning)
        assert warning is not None and warning.status == "active" and warning.replaced_by_id is None
