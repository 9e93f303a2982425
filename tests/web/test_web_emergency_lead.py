"""The emergency_lead_s setting decides when an emergency airs, whichever way it is sent: the emergency
button, the bulletin form, the API."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from governance_support import bearer
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed, add_article_with_audio

from radio.db.models import Bulletin
from radio.db.types import utcnow
from radio.settings import Settings, load_settings

LEAD_S = 45


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(env={}, data_dir=tmp_path / "data", secret_key="test-secret", emergency_lead_s=LEAD_S)


def _lead(db: Session, before) -> timedelta:  # type: ignore[no-untyped-def]
    db.expire_all()
    [bulletin] = db.scalars(select(Bulletin)).all()
    assert bulletin.priority == "emergency"
    return bulletin.start_at - before


def _assert_airs_after_the_setting(db: Session, before) -> None:  # type: ignore[no-untyped-def]
    assert timedelta(seconds=LEAD_S) <= _lead(db, before) <= timedelta(seconds=LEAD_S + 5)


def test_emergency_button(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    auth.login("lanhdao")
    assert f"sau khoảng {LEAD_S} giây" in client.get("/emergency/").get_data(as_text=True)
    before = utcnow()
    response = client.post("/emergency/", data={"article_id": article.id, "area_ids": [seed.commune_id],
                                                "confirm": "yes"})
    assert response.status_code == 302
    _assert_airs_after_the_setting(db, before)
    assert f"phát sau khoảng {LEAD_S} giây" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_bulletin_form(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    auth.login("lanhdao")
    before = utcnow()
    response = client.post("/bulletins/new", data={
        "article_id": str(article.id), "priority": "emergency", "placement": "time", "on_overlap": "refuse",
        "area_ids": [str(seed.commune_id)], "confirm_emergency": "y"})
    assert response.status_code == 302
    _assert_airs_after_the_setting(db, before)


def test_api(client: FlaskClient, db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    before = utcnow()
    response = client.post("/api/v1/bulletins", headers=bearer(db, "lanhdao"), json={
        "article_id": article.id, "priority": "emergency", "area_ids": [seed.commune_id]})
    assert response.status_code == 201, response.get_json()
    _assert_airs_after_the_setting(db, before)
