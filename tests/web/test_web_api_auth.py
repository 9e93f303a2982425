"""API authentication: bearer tokens only (no session cookies), tokens hashed and revocable, JSON errors,
and an OpenAPI document that describes exactly the routes the app has."""

from __future__ import annotations

import hashlib
import re

from flask import Flask
from governance_support import bearer, login
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import Seed

from radio.db.governance import ApiToken, AuditEntry
from radio.db.models import User


def _error(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]  # type: ignore[no-any-return]


def test_missing_bad_and_cookie_only_credentials_get_401(app: Flask, db: Session, seed: Seed) -> None:
    client = app.test_client()
    missing = client.get("/api/v1/articles")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert _error(missing)["code"] == "unauthorized" and "khoá API" in _error(missing)["message"]
    for header in ("Bearer crt_khong-dung", "Basic YWJjOmRlZg==", "Bearer ", "crt_abc"):
        assert client.get("/api/v1/articles", headers={"Authorization": header}).status_code == 401, header
    # A logged-in browser session is not a credential here (so no cross-site request can use it).
    login(client, "quantri")
    assert client.post("/api/v1/articles", json={"title": "x", "body": "y"}).status_code == 401
    assert client.get("/api/v1/articles").status_code == 401


def test_token_page_shows_the_secret_once_and_stores_only_its_hash(app: Flask, db: Session, seed: Seed) -> None:
    client = app.test_client()
    login(client, "giamsat")  # monitors may manage their own tokens (for a provincial system)
    page = client.post("/tokens/", data={"name": "Hệ thống tỉnh"})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="token-secret">([^<]+)<', page.get_data(as_text=True))
    assert secret is not None
    token = db.scalars(select(ApiToken)).one()
    assert token.token_hash == hashlib.sha256(secret[1].encode()).hexdigest()
    assert secret[1] not in str(token.__dict__)
    listing = client.get("/tokens/").get_data(as_text=True)
    assert secret[1] not in listing and token.prefix in listing and "Chưa dùng" in listing

    headers = {"Authorization": f"Bearer {secret[1]}"}
    assert client.get("/api/v1/nodes", headers=headers).status_code == 200
    db.expire_all()
    assert db.get(ApiToken, token.id).last_used_at is not None
    # Wrong role: monitors only read.
    wrong = client.post("/api/v1/articles", headers=headers, json={"title": "Bài", "body": "Nội dung"})
    assert wrong.status_code == 403 and _error(wrong)["code"] == "forbidden"
    # Revoked: refused from then on.
    assert client.post(f"/tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/nodes", headers=headers).status_code == 401
    # Someone else's token cannot be revoked (404: its existence is not disclosed).
    other = app.test_client()
    login(other, "bientap")
    assert other.post(f"/tokens/{token.id}/revoke").status_code == 404
    actions = [e.action for e in db.scalars(select(AuditEntry).where(AuditEntry.object_type == "api_token"))]
    assert actions == ["token.create", "token.revoke"]


def test_a_deactivated_users_tokens_stop_working(app: Flask, db: Session, seed: Seed) -> None:
    headers = bearer(db, "bientap")
    client = app.test_client()
    assert client.get("/api/v1/articles", headers=headers).status_code == 200
    user = db.get(User, seed.broadcaster_id)
    assert user is not None
    user.active = False
    db.commit()
    assert client.get("/api/v1/articles", headers=headers).status_code == 401


def test_errors_are_json_even_for_unknown_paths_and_methods(app: Flask, db: Session, seed: Seed) -> None:
    headers = bearer(db, "bientap")
    client = app.test_client()
    assert _error(client.get("/api/v1/khong-co", headers=headers))["code"] == "not_found"
    assert client.delete("/api/v1/nodes", headers=headers).status_code == 405
    assert _error(client.delete("/api/v1/nodes", headers=headers))["code"] == "method_not_allowed"
    assert _error(client.get("/api/v1/articles/999", headers=headers))["message"] == "Không tìm thấy bài viết."
    not_json = client.post("/api/v1/articles", headers=headers, data="title=x")
    assert not_json.status_code == 415 and "JSON" in _error(not_json)["message"]


def test_openapi_is_public_and_lists_every_api_route(app: Flask) -> None:
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1") and doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["responses"] and op["operationId"], (path, method)
            names = set(re.findall(r"{(\w+)}", path))
            assert names == {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}, (path, method)
            if path != "/openapi.json":
                assert "401" in op["responses"], (path, method)
