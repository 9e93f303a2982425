"""Helpers for the authorization, approval, audit and API tests: objects in Xã An Bình, logins, tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask.testing import FlaskClient
from schedule_support import add_programme, tomorrow_local
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import PASSWORD, Seed, add_article_with_audio

from radio.db.governance import AuditEntry
from radio.db.models import ArticleStatus, LexiconEntry, User
from radio.db.types import utcnow
from station.bulletins import create_bulletin
from web.tokens import new_token

# Every seeded account by role, with the commune it belongs to ("" = not commune-bound).
ACCOUNTS: dict[str, str] = {"admin": "quantri", "monitor": "giamsat", "broadcaster": "bientap",
                            "leader": "lanhdao", "other_broadcaster": "bientap2", "other_leader": "lanhdao2"}


@dataclass(frozen=True)
class Objects:
    """One of each thing a route can act on, all in Xã An Bình (the first broadcaster's commune)."""

    article_id: int
    draft_id: int
    bulletin_id: int
    programme_id: int
    slot_id: int
    lexicon_id: int


def make_objects(db: Session, seed: Seed) -> Objects:
    article = add_article_with_audio(db, status=ArticleStatus.APPROVED)
    draft = add_article_with_audio(db, title="Bản nháp", sha="b" * 64, status=ArticleStatus.DRAFT)
    bulletin = create_bulletin(db, title=article.title, audio_id=article.audio_id, start_at=tomorrow_local(9),
                               area_ids=[seed.commune_id], priority="normal", created_by=seed.broadcaster_id,
                               now=utcnow(), article_id=article.id)
    db.commit()
    programme = add_programme(db, seed.commune_id, [seed.commune_id])
    entry = LexiconEntry(acronym="HTXAB", expansion="hợp tác xã An Bình", commune_id=seed.commune_id)
    db.add(entry)
    db.commit()
    return Objects(article.id, draft.id, bulletin.id, programme.id, programme.slots[0].id, entry.id)


def login(client: FlaskClient, username: str) -> None:
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, (username, response.status_code)


def bearer(db: Session, username: str, name: str = "thử nghiệm") -> dict[str, str]:
    """An Authorization header with a fresh token of that account."""
    user = db.scalars(select(User).where(User.username == username)).one()
    _row, secret = new_token(db, user.id, name, utcnow())
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def audit_actions(db: Session, obj_type: str | None = None) -> list[str]:
    db.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.id)
    if obj_type:
        query = query.where(AuditEntry.object_type == obj_type)
    return [e.action for e in db.scalars(query)]


def tomorrow_iso(hour: int) -> str:
    return (tomorrow_local(hour) + timedelta(0)).isoformat()
