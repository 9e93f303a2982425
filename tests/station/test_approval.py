"""station.approval and the approval gate in create_bulletin, on a real database (SQLite; PostgreSQL too)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from factories import make_audio, make_commune
from radio.db.governance import AuditEntry
from radio.db.models import Area, AreaLevel, Article, ArticleStatus, Role, User
from station import approval
from station.audit import Actor
from station.bulletins import cancel_bulletin, create_bulletin

NOW = datetime(2025, 7, 1, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> dict[str, object]:
    with sessions() as s:
        commune, villages, _nodes = make_commune(s)
        other = Area(code="38002", name="Xã Khác", level=AreaLevel.COMMUNE, parent_id=commune.parent_id)
        s.add(other)
        s.flush()
        users = {}
        for name, role, area in (("bt", Role.BROADCASTER, commune.id), ("ld", Role.LEADER, commune.id),
                                 ("ld2", Role.LEADER, other.id), ("tinh", Role.LEADER, commune.parent_id),
                                 ("ad", Role.ADMIN, None), ("bt_thon", Role.BROADCASTER, villages[0].id)):
            user = User(username=name, password_hash="x", role=role, area_id=area)
            s.add(user)
            s.flush()
            users[name] = Actor(user.id, role, area, name)
        audio = make_audio(s)
        article = Article(title="Tiêm phòng", body="Nội dung.", commune_id=commune.id, audio_id=audio.id,
                          author_id=users["bt"].user_id)
        s.add(article)
        s.commit()
        return {"users": users, "article_id": article.id, "commune_id": commune.id, "other_id": other.id,
                "village_id": villages[0].id, "province_id": commune.parent_id}


@pytest.mark.parametrize(("user_area", "target", "covers"), [
    (None, "commune", True), (None, None, True), ("province", "commune", True), ("province", "village", True),
    ("commune", "commune", True), ("commune", "village", True), ("village", "commune", True),
    ("commune", "other", False), ("commune", "province", False), ("commune", None, False),
])
def test_area_rule_is_the_area_or_an_ancestor(sessions: sessionmaker[Session], world: dict[str, object],
                                             user_area: str | None, target: str | None, covers: bool) -> None:
    ids = {None: None, "commune": world["commune_id"], "other": world["other_id"],
           "village": world["village_id"], "province": world["province_id"]}
    with sessions() as s:
        assert approval.area_covers(s, ids[user_area], ids[target]) is covers  # type: ignore[arg-type]


def test_submit_review_and_the_audit_trail(sessions: sessionmaker[Session], world: dict[str, object]) -> None:
    u = world["users"]
    assert isinstance(u, dict)
    with sessions() as s:
        article = s.get(Article, world["article_id"])
        assert article is not None
        with pytest.raises(approval.NotAllowed):
            approval.submit(s, article, u["ld"], now=NOW)  # leaders approve, they do not submit
        approval.submit(s, article, u["bt_thon"], now=NOW)  # a village account acts for its commune
        with pytest.raises(approval.NotAllowed):
            approval.review(s, article, u["ld2"], decision="approve", comment="", now=NOW)
        with pytest.raises(approval.ApprovalError, match="lý do"):
            approval.review(s, article, u["ld"], decision="reject", comment="  ", now=NOW)
        approval.review(s, article, u["tinh"], decision="approve", comment="Đồng ý", now=NOW)  # province leader
        with pytest.raises(approval.WrongStatus):
            approval.review(s, article, u["ld"], decision="approve", comment="", now=NOW)
        s.commit()
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["article.submit", "article.approve"]
        assert entries[1].before["status"] == "submitted" and entries[1].after["status"] == "approved"
        assert entries[1].username == "tinh" and entries[1].area_id == world["commune_id"]
        assert article.reviewed_by == u["tinh"].user_id and article.review_comment == "Đồng ý"


def _bulletin(s: Session, world: dict[str, object], actor: Actor | None, priority: str = "normal"):  # type: ignore[no-untyped-def]
    article = s.get(Article, world["article_id"])
    assert article is not None
    return create_bulletin(s, title=article.title, audio_id=article.audio_id, start_at=NOW + timedelta(hours=3),
                           area_ids=[world["commune_id"]], priority=priority, created_by=None, now=NOW,
                           article_id=article.id, actor=actor)


def test_only_approved_content_is_scheduled_and_emergencies_skip_approval_only_for_leaders(
        sessions: sessionmaker[Session], world: dict[str, object]) -> None:
    u = world["users"]
    assert isinstance(u, dict)
    with sessions() as s:
        with pytest.raises(approval.ApprovalError, match="chưa được lãnh đạo duyệt"):
            _bulletin(s, world, u["bt"])
        with pytest.raises(approval.ApprovalError, match="chưa được lãnh đạo duyệt"):
            _bulletin(s, world, None)  # the CLI too
        with pytest.raises(approval.NotAllowed, match="Thông tư 39"):
            _bulletin(s, world, u["bt"], "emergency")
        with pytest.raises(approval.NotAllowed):
            _bulletin(s, world, u["ld2"], "emergency")  # another commune's leader: not their villages
        emergency = _bulletin(s, world, u["ld"], "emergency")
        assert emergency.approval_skipped is True
        s.commit()
        article = s.get(Article, world["article_id"])
        assert article is not None and article.status == ArticleStatus.DRAFT  # still needs approval for normal airs
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "bulletin.emergency")).one()
        assert "không qua duyệt" in entry.detail and entry.after["approval_skipped"] is True


def test_approved_article_becomes_scheduled_and_cancel_is_scoped(sessions: sessionmaker[Session],
                                                                 world: dict[str, object]) -> None:
    u = world["users"]
    assert isinstance(u, dict)
    with sessions() as s:
        article = s.get(Article, world["article_id"])
        assert article is not None
        article.status = ArticleStatus.APPROVED
        bulletin = _bulletin(s, world, u["bt"])
        assert article.status == ArticleStatus.SCHEDULED and bulletin.approval_skipped is False
        s.commit()
        with pytest.raises(approval.NotAllowed):
            cancel_bulletin(s, bulletin.id, now=NOW, actor=u["ld2"])
        s.rollback()
        cancel_bulletin(s, bulletin.id, now=NOW, actor=u["ld"])
        s.commit()
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["bulletin.create", "bulletin.cancel"]
        assert approval.reopen_after_change(article) and article.status == ArticleStatus.DRAFT
