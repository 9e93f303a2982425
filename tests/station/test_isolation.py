"""station.isolation (the one table of who sees which rows) and station.lexicon (per-commune readings,
review after a change), on SQLite and PostgreSQL: the scoping queries are where the databases differ."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from factories import make_audio
from radio.db.models import (
    Area,
    AreaLevel,
    Article,
    ArticleStatus,
    AsRun,
    Bulletin,
    BulletinNodeTarget,
    CommandRow,
    LexiconEntry,
    Node,
    Programme,
)
from radio.db.planning import Plan
from station.audit import Actor
from station.isolation import ISOLATION, restrict, scope_of, visible
from station.lexicon import acronyms_for, change_lexicon, may_edit

pytestmark = pytest.mark.security
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _areas(s: Session) -> dict[str, Area]:
    province = Area(code="77", name="Tỉnh", level=AreaLevel.PROVINCE)
    a = Area(code="77001", name="Xã A", level=AreaLevel.COMMUNE, parent=province)
    b = Area(code="77002", name="Xã B", level=AreaLevel.COMMUNE, parent=province)
    va = Area(code="77001-01", name="Thôn A", level=AreaLevel.VILLAGE, parent=a)
    vb = Area(code="77002-01", name="Thôn B", level=AreaLevel.VILLAGE, parent=b)
    s.add_all([province, a, b, va, vb])
    s.flush()
    s.add_all([Node(id="node-a", name="Loa A", village_id=va.id), Node(id="node-b", name="Loa B", village_id=vb.id)])
    s.flush()
    return {"province": province, "a": a, "b": b, "va": va, "vb": vb}


def test_scopes_follow_the_area_tree(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        areas = _areas(s)
        assert scope_of(s, None) is None
        assert scope_of(s, areas["a"].id) == {areas["a"].id, areas["va"].id}
        assert scope_of(s, areas["va"].id) == {areas["a"].id, areas["va"].id}  # a village acts for its commune
        assert scope_of(s, areas["province"].id) == {a.id for a in areas.values()}
        assert scope_of(s, 999_999) == set()


def test_every_kind_is_filtered_to_the_scope(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        areas = _areas(s)
        audio_a, audio_b = make_audio(s, seed="a"), make_audio(s, seed="b")
        s.add_all([Article(title="Bài A", body=".", commune_id=areas["a"].id, audio_id=audio_a.id),
                   Article(title="Bài B", body=".", commune_id=areas["b"].id, audio_id=audio_b.id),
                   Article(title="Bài tỉnh", body=".", commune_id=None),
                   Programme(name="CT A", commune_id=areas["a"].id), Plan(title="KH A", area_id=areas["a"].id,
                                                                          period_start=date(2026, 1, 1),
                                                                          period_end=date(2026, 12, 31)),
                   LexiconEntry(acronym="HTX", expansion="hợp tác xã", commune_id=None),
                   LexiconEntry(acronym="HTXA", expansion="hợp tác xã A", commune_id=areas["a"].id)])
        # A bulletin aimed at one loudspeaker of B only (no target area): B's, not A's.
        only_b = Bulletin(title="Tin B", audio_id=audio_b.id, start_at=NOW, priority="normal",
                          node_targets=[BulletinNodeTarget(node_id="node-b")])
        s.add(only_b)
        s.flush()
        s.add(CommandRow(id="c", bulletin_id=only_b.id, kind="play", topics=[], payload="", issued_at=NOW,
                         expires_at=NOW))
        s.flush()
        s.add(AsRun(command_id="c", bulletin_id=only_b.id, node_id="node-b", scheduled_start=NOW, requested_ms=1))
        s.commit()
        scope_a, scope_b = scope_of(s, areas["a"].id), scope_of(s, areas["b"].id)
        for kind in ISOLATION:  # every rule runs on this database
            s.scalars(restrict(select(kind), kind, scope_a)).all()
        titles = s.scalars(restrict(select(Article.title), Article, scope_a).order_by(Article.title)).all()
        assert titles == ["Bài A", "Bài tỉnh"]
        assert s.scalars(restrict(select(Bulletin.title), Bulletin, scope_a)).all() == []
        assert s.scalars(restrict(select(Bulletin.title), Bulletin, scope_b)).all() == ["Tin B"]
        assert s.scalars(restrict(select(AsRun.node_id), AsRun, scope_a)).all() == []
        assert visible(s, Node, "node-b", scope_a) is None and visible(s, Node, "node-b", scope_b) is not None
        assert visible(s, Node, "node-b", None) is not None
        assert s.scalars(restrict(select(Programme.name), Programme, scope_b)).all() == []
        assert s.scalars(restrict(select(Plan.title), Plan, scope_b)).all() == []
        assert sorted(s.scalars(restrict(select(LexiconEntry.acronym), LexiconEntry, scope_b))) == ["HTX"]
        assert s.scalars(restrict(select(Area.id), Area, set())).all() == []  # an empty scope sees nothing


def test_lexicon_reads_national_then_own_commune_and_reopens_changed_approved_articles(
        sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        areas = _areas(s)
        audio = make_audio(s, seed="x")
        s.add_all([LexiconEntry(acronym="HTX", expansion="hợp tác xã", commune_id=None),
                   LexiconEntry(acronym="HTX", expansion="hợp tác xã nông nghiệp", commune_id=areas["a"].id)])
        approved = Article(title="Họp", body="HTXKT họp.", commune_id=areas["a"].id, audio_id=audio.id,
                           status=ArticleStatus.SCHEDULED)
        other = Article(title="Họp", body="HTXKT họp.", commune_id=areas["b"].id, audio_id=audio.id,
                        status=ArticleStatus.APPROVED)
        s.add_all([approved, other])
        s.commit()
        assert acronyms_for(s, None) == {"HTX": "hợp tác xã"}
        assert acronyms_for(s, areas["a"].id) == {"HTX": "hợp tác xã nông nghiệp"}
        assert acronyms_for(s, areas["b"].id) == {"HTX": "hợp tác xã"}
        staff_b = Actor(1, "broadcaster", areas["b"].id, "b")
        assert not may_edit(s, staff_b, areas["a"].id) and not may_edit(s, staff_b, None)
        assert may_edit(s, staff_b, areas["b"].id) and may_edit(s, Actor(2, "admin", None, "root"), None)
        moved = change_lexicon(s, None, areas["a"].id, lambda: s.add(
            LexiconEntry(acronym="HTXKT", expansion="hợp tác xã kiểu mới", commune_id=areas["a"].id)))
        assert moved == [approved] and approved.status == ArticleStatus.SUBMITTED
        assert other.status == ArticleStatus.APPROVED  # B's article does not read A's entries
