"""Every route and API endpoint, called by every role, against a role matrix written out here.

A new route without a line in MATRIX fails `test_matrix_names_every_route`, so nobody adds an endpoint
without deciding who may use it. Roles: A admin, M monitor (province), B broadcaster (Xã An Bình),
L leader (Xã An Bình); "other" is a broadcaster of Xã Phú Lộc acting on Xã An Bình's things.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from governance_support import ACCOUNTS, Objects, bearer, login, make_objects
from sqlalchemy.orm import Session
from web_support import Seed

from web.auth import PUBLIC_ENDPOINTS

ALL = "AMBL"
# endpoint → {method: roles allowed}. Admin is always allowed (checked below, not repeated here).
MATRIX: dict[str, dict[str, str]] = {
    "index": {"GET": ALL},
    "auth.logout": {"POST": ALL},
    "articles.index": {"GET": ALL},
    "articles.new": {"GET": "B", "POST": "B"},
    "articles.edit": {"GET": ALL, "POST": "B"},
    "articles.render_audio": {"POST": "B"},
    "articles.render_status": {"GET": ALL},
    "home.today_page": {"GET": ALL},
    "articles.upload_audio": {"POST": "B"},
    "articles.submit": {"POST": "B"},
    "articles.review": {"POST": "L"},
    "lexicon.index": {"GET": ALL},
    "lexicon.add": {"POST": "BL"},
    "lexicon.delete": {"POST": "BL"},
    "voices.index": {"GET": ALL},
    "voices.save": {"POST": "BL"},
    "bulletins.index": {"GET": ALL},
    "bulletins.new": {"GET": "BL", "POST": "BL"},
    "bulletins.detail": {"GET": ALL},
    "bulletins.cancel": {"POST": "BL"},
    "programmes.index": {"GET": ALL},
    "programmes.new": {"GET": "BL", "POST": "BL"},
    "programmes.edit": {"GET": "BL", "POST": "BL"},
    "programmes.detail": {"GET": ALL},
    "programmes.add_slot": {"POST": "BL"},
    "programmes.delete_slot": {"POST": "BL"},
    "areas.index": {"GET": ALL},
    "areas.policy": {"GET": ALL, "POST": "BL"},
    "nodes.index": {"GET": ALL},
    "node_detail.show": {"GET": ALL},
    "controls.area_volume": {"POST": "BL"},
    "controls.area_stop": {"POST": "BL"},
    "controls.node_volume": {"POST": "BL"},
    "controls.node_stop": {"POST": "BL"},
    "asrun.index": {"GET": ALL},
    "calendar.week": {"GET": ALL},
    "calendar.move": {"GET": "BL", "POST": "BL"},
    "emergency.new": {"GET": "BL", "POST": "BL"},
    "live.stream": {"GET": ALL},
    "audit.index": {"GET": "ML"},
    "audit.export_csv": {"GET": "ML"},
    "users.index": {"GET": ""},
    "users.new": {"GET": "", "POST": ""},
    "users.edit": {"GET": "", "POST": ""},
    "tokens.index": {"GET": ALL},
    "tokens.create": {"POST": ALL},
    "tokens.revoke": {"POST": ALL},
    "alerts.index": {"GET": ALL},
    "alerts.mark_read": {"POST": ALL},
    "alerts.preferences": {"GET": ALL, "POST": ALL},
    "warnings.index": {"GET": ALL},
    "warnings.detail": {"GET": ALL},
    "warnings.new": {"GET": "L", "POST": "L"},
    "warnings.activate": {"POST": "L"},
    "warnings.cancel": {"POST": "L"},
    "warnings.import_cap": {"GET": "L", "POST": "L"},
    **{f"reports.{n}": {"GET": ALL} for n in ("index", "area", "district", "period_report", "period_xlsx",
                                               "period_csv", "asrun", "asrun_csv", "asrun_xlsx")},
    "inbox.index": {"GET": ALL},
    "inbox.detail": {"GET": ALL},
    "inbox.schedule": {"POST": "BL"},
    "inbox.decline": {"POST": "BL"},
    "province.index": {"GET": ALL},
    "province.detail": {"GET": ALL},
    "province.send": {"GET": "BL", "POST": "BL"},
    "province.withdraw": {"POST": "BL"},
    "province.fields": {"GET": ALL},
    "province.fields_csv": {"GET": ALL},
    "plans.index": {"GET": ALL},
    "plans.detail": {"GET": ALL},
    "plans.new": {"GET": "M", "POST": "M"},  # web/reports/plans.py: province monitors enter plans
    "plans.import_text": {"GET": "M", "POST": "M"},
    "plans.topics": {"GET": ALL, "POST": "M"},
    "plans.add_target": {"POST": "M"},
    "plans.delete_target": {"POST": "M"},
    "plans.delete": {"POST": "M"},
    # REST API (bearer token of the same account)
    "api.openapi": {"GET": ALL},
    "api.articles_list": {"GET": ALL},
    "api.articles_get": {"GET": ALL},
    "api.articles_create": {"POST": "B"},
    "api.articles_update": {"PATCH": "B"},
    "api.articles_submit": {"POST": "B"},
    "api.articles_review": {"POST": "L"},
    "api.articles_synthesize": {"POST": "B"},
    "api.articles_upload": {"POST": "B"},
    "api.bulletins_list": {"GET": ALL},
    "api.bulletins_get": {"GET": ALL},
    "api.bulletins_create": {"POST": "BL"},
    "api.bulletins_cancel": {"POST": "BL"},
    "api.nodes_list": {"GET": ALL},
    "api.nodes_get": {"GET": ALL},
    "api.asrun_list": {"GET": ALL},
    "api.reports_communes": {"GET": ALL},
    "api.areas_list": {"GET": ALL},
}
# What the broadcaster of another commune may NOT do to Xã An Bình's objects, though the role allows it:
# 403 on the web; the API answers 404 for bulletins and nodes (it does not confirm other communes' ids).
OTHER_COMMUNE: dict[tuple[str, str], int] = {
    ("GET", "articles.edit"): 403, ("POST", "articles.edit"): 403, ("POST", "articles.render_audio"): 403,
    ("POST", "articles.upload_audio"): 403, ("POST", "articles.submit"): 403, ("POST", "bulletins.cancel"): 403,
    ("GET", "articles.render_status"): 403,
    ("GET", "programmes.detail"): 403, ("GET", "programmes.edit"): 403, ("POST", "programmes.edit"): 403,
    ("POST", "programmes.add_slot"): 403, ("POST", "programmes.delete_slot"): 403,
    ("GET", "calendar.move"): 403, ("POST", "calendar.move"): 403,
    ("GET", "areas.policy"): 403, ("POST", "areas.policy"): 403, ("GET", "reports.area"): 403,
    ("POST", "voices.save"): 403,
    ("POST", "controls.area_volume"): 403, ("POST", "controls.area_stop"): 403,
    ("POST", "controls.node_volume"): 403, ("POST", "controls.node_stop"): 403,
    ("GET", "api.articles_get"): 403, ("PATCH", "api.articles_update"): 403, ("POST", "api.articles_submit"): 403,
    ("POST", "api.articles_synthesize"): 403, ("POST", "api.articles_upload"): 403,
    ("GET", "bulletins.detail"): 404, ("GET", "node_detail.show"): 404, ("POST", "lexicon.delete"): 404,
    ("GET", "api.bulletins_get"): 404, ("POST", "api.bulletins_cancel"): 404, ("GET", "api.nodes_get"): 404,
}
LETTER = {"admin": "A", "monitor": "M", "broadcaster": "B", "leader": "L", "other_broadcaster": "B"}
MISSING = 999_999


def _values(seed: Seed, objects: Objects) -> dict[str, object]:
    return {"article_id": objects.article_id, "bulletin_id": objects.bulletin_id,
            "programme_id": objects.programme_id, "slot_id": objects.slot_id, "area_id": seed.commune_id,
            "node_id": "loa-dong-1", "entry_id": objects.lexicon_id, "user_id": seed.broadcaster_id,
            "token_id": MISSING, "job_id": MISSING, "plan_id": MISSING, "target_id": MISSING, "district_id": MISSING,
            "delivery_id": MISSING, "item_id": MISSING, "warning_id": MISSING}


def routes(app: Flask, values: dict[str, object]) -> list[tuple[str, str, str]]:
    """(method, url, endpoint) for every non-public rule, logout last (it ends the session)."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = rule.rule
        for name in re.findall(r"<(?:\w+:)?(\w+)>", rule.rule):
            url = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, url, rule.endpoint))
    return sorted(found, key=lambda r: r[2] == "auth.logout")


def test_matrix_names_every_route(app: Flask) -> None:
    in_app = {(m, r.endpoint) for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC_ENDPOINTS
              for m in r.methods - {"HEAD", "OPTIONS"}}
    in_matrix = {(m, e) for e, methods in MATRIX.items() for m in methods}
    assert in_app - in_matrix == set(), "routes without a rule in MATRIX"
    assert in_matrix - in_app == set(), "MATRIX lines for routes that no longer exist"


@pytest.mark.parametrize("role", list(LETTER))
def test_every_route_answers_each_role_as_the_matrix_says(app: Flask, db: Session, seed: Seed, role: str) -> None:
    objects = make_objects(db, seed)
    client = app.test_client()
    login(client, ACCOUNTS[role])
    headers = bearer(db, ACCOUNTS[role])
    wrong = []
    for method, url, endpoint in routes(app, _values(seed, objects)):
        is_api = endpoint.startswith("api.")
        kwargs: dict[str, object] = {"headers": headers, "json": {}} if is_api else {}
        if is_api and method == "GET":
            kwargs = {"headers": headers}
        response = client.open(url, method=method, **kwargs)
        status = response.status_code
        response.close()  # the live stream would otherwise keep its generator open
        allowed = role == "admin" or LETTER[role] in MATRIX[endpoint][method]
        expected = OTHER_COMMUNE.get((method, endpoint)) if role == "other_broadcaster" and allowed else None
        if endpoint == "auth.logout":
            ok = status == 302  # back to the login page, as it should
        elif expected is not None:
            ok = status == expected
        elif allowed:
            ok = status not in (401, 403) and not (status == 302 and "/login" in response.headers.get("Location", ""))
        else:
            ok = status == 403
        if not ok:
            wrong.append((method, url, status, "allowed" if allowed else "forbidden", expected))
    assert wrong == []
