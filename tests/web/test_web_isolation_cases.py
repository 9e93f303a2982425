"""The attacks of issue 10 (items 5 and 6) and issue 11, one by one, on SQLite and PostgreSQL: approval
bypassed with another commune's draft, a shared lexicon, approved audio changing while approved, a commune
monitor editing national plans and tagging other communes' articles, area ids found by trial."""

from __future__ import annotations

import pytest
from flask import Flask
from governance_support import audit_actions, bearer, login
from isolation_support import DRAFT, OTHERS, World, build_world
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from web_support import FakeAudioLibrary, Seed, add_article_with_audio, seed_database

from radio.db.models import Article, ArticleStatus, AudioAssetRow, Bulletin, LexiconEntry, User
from radio.db.planning import ArticleTopic, Plan, PlanTarget
from radio.db.types import utcnow
from station.approval import NotAllowed
from station.audit import Actor
from station.bulletins import create_bulletin

pytestmark = pytest.mark.security


@pytest.fixture
def sessions(any_app: Flask) -> sessionmaker[Session]:
    maker: sessionmaker[Session] = any_app.extensions["radio"].sessionmaker
    return maker


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> tuple[Seed, World]:
    with sessions() as db:
        seed = seed_database(db)
        return seed, build_world(db, seed)


def _count(db: Session, model: type) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def _status(sessions: sessionmaker[Session], article_id: int) -> str:
    with sessions() as db:
        return db.get(Article, article_id).status  # type: ignore[union-attr]


def test_another_communes_draft_cannot_be_aired_as_an_emergency(any_app: Flask, sessions: sessionmaker[Session],
                                                               world: tuple[Seed, World]) -> None:
    seed, objects = world
    with sessions() as db:
        bulletins, headers = _count(db, Bulletin), bearer(db, "lanhdao2")
        leader_b = db.scalars(select(User).where(User.username == "lanhdao2")).one()
        actor = Actor(leader_b.id, leader_b.role, leader_b.area_id, leader_b.username)
        with pytest.raises(NotAllowed):  # the service itself refuses, whoever calls it
            create_bulletin(db, title="x", audio_id=db.get(Article, objects.draft_id).audio_id,  # type: ignore
                            start_at=None, area_ids=[seed.other_commune_id], priority="emergency",
                            created_by=leader_b.id, now=utcnow(), article_id=objects.draft_id, actor=actor)
        db.rollback()
    client = any_app.test_client()
    for areas in ([seed.other_commune_id], [seed.commune_id]):
        response = client.post("/api/v1/bulletins", headers=headers, json={
            "article_id": objects.draft_id, "priority": "emergency", "area_ids": areas})
        assert response.status_code in (403, 404), response.get_json()
        assert DRAFT not in response.get_data(as_text=True)
    login(client, "lanhdao2")
    web = client.post("/bulletins/new", data={"article_id": objects.draft_id, "priority": "emergency",
                                              "confirm_emergency": "y", "area_ids": [seed.other_commune_id]})
    assert web.status_code in (400, 403) and DRAFT not in web.get_data(as_text=True)
    button = client.post("/emergency/", data={"article_id": objects.draft_id, "confirm": "yes",
                                              "area_ids": [seed.other_commune_id]})
    assert button.status_code in (400, 403) and DRAFT not in button.get_data(as_text=True)
    with sessions() as db:
        assert _count(db, Bulletin) == bulletins
    assert _status(sessions, objects.draft_id) == ArticleStatus.DRAFT


def test_lexicon_entries_belong_to_one_commune(any_app: Flask, sessions: sessionmaker[Session],
                                               world: tuple[Seed, World], fake_audio: FakeAudioLibrary) -> None:
    seed, objects = world
    with sessions() as db:
        ubnd = add_article_with_audio(db, title="Họp dân", sha="f" * 64, status=ArticleStatus.APPROVED)
        ubnd.body = "UBND xã thông báo lịch họp."
        db.commit()
        ubnd_id = ubnd.id
    other = any_app.test_client()
    login(other, "bientap2")
    # Phú Lộc's broadcaster rewrites UBND for their own commune only.
    assert other.post("/lexicon/", data={"acronym": "UBND", "expansion": "đồ tồi"}).status_code == 302
    # Neither An Bình's list nor the national one: refused; An Bình's entry: not even found.
    for target in (str(seed.commune_id), ""):
        refused = other.post("/lexicon/", data={"acronym": "HĐND", "expansion": "kẻ xấu", "commune_id": target})
        assert refused.status_code == 403
    assert other.post(f"/lexicon/{objects.lexicon_id}/delete").status_code == 404
    assert "HTXAB" not in other.get("/lexicon/").get_data(as_text=True)
    with sessions() as db:
        rows = db.execute(select(LexiconEntry.acronym, LexiconEntry.commune_id).order_by(LexiconEntry.id)).all()
        assert [tuple(r) for r in rows] == [("HTXAB", seed.commune_id), ("UBND", seed.other_commune_id)]
    assert _status(sessions, ubnd_id) == ArticleStatus.APPROVED  # An Bình's speech did not change
    mine = any_app.test_client()
    login(mine, "bientap")
    page = mine.get(f"/articles/{ubnd_id}").get_data(as_text=True)
    assert "Ủy ban nhân dân" in page and "đồ tồi" not in page
    mine.post(f"/articles/{ubnd_id}/audio", data={"voice": "espeak-ng/vi"})
    assert fake_audio.extra_acronyms == {"HTXAB": "hợp tác xã An Bình"}


def test_lexicon_change_that_alters_approved_speech_sends_the_article_back(
        any_app: Flask, sessions: sessionmaker[Session], world: tuple[Seed, World]) -> None:
    with sessions() as db:
        touched = add_article_with_audio(db, title="Họp hợp tác xã", sha="1" * 64, status=ArticleStatus.APPROVED)
        touched.body = "HTXTS Tân Sơn họp. QHXYZ triển khai."
        untouched = add_article_with_audio(db, title="Tin thời tiết", sha="2" * 64, status=ArticleStatus.SCHEDULED)
        db.commit()
        touched_id, untouched_id = touched.id, untouched.id
    leader = any_app.test_client()
    login(leader, "lanhdao")
    assert leader.post("/lexicon/", data={"acronym": "QHXYZ", "expansion": "x", "commune_id": ""}).status_code == 403
    client = any_app.test_client()
    login(client, "bientap")
    response = client.post("/lexicon/", data={"acronym": "HTXTS", "expansion": "hợp tác xã Tân Sơn"},
                           follow_redirects=True)
    assert "chờ lãnh đạo duyệt lại" in response.get_data(as_text=True)
    assert _status(sessions, touched_id) == ArticleStatus.SUBMITTED
    assert _status(sessions, untouched_id) == ArticleStatus.SCHEDULED
    with sessions() as db:
        assert "article.reopen" in audit_actions(db, "article")
        article = db.get(Article, touched_id)
        article.status = ArticleStatus.APPROVED  # the leader approves the new reading
        db.commit()
    # A national entry (admins only) reaches every commune's approved articles the same way.
    admin = any_app.test_client()
    login(admin, "quantri")
    admin.post("/lexicon/", data={"acronym": "QHXYZ", "expansion": "quy hoạch", "commune_id": ""})
    assert _status(sessions, touched_id) == ArticleStatus.SUBMITTED
    with sessions() as db:
        entry = db.scalars(select(LexiconEntry).where(LexiconEntry.acronym == "QHXYZ")).one()
        assert entry.commune_id is None
        db.get(Article, touched_id).status = ArticleStatus.APPROVED  # type: ignore[union-attr]
        db.commit()
    assert client.post(f"/lexicon/{entry.id}/delete").status_code == 403  # national: admins only
    admin.post(f"/lexicon/{entry.id}/delete")  # deleting changes the speech back: review again
    assert _status(sessions, touched_id) == ArticleStatus.SUBMITTED


def test_re_rendering_approved_audio_sends_the_article_back(any_app: Flask, sessions: sessionmaker[Session],
                                                            world: tuple[Seed, World]) -> None:
    _seed, objects = world
    client = any_app.test_client()
    login(client, "bientap")
    response = client.post(f"/articles/{objects.article_id}/audio", data={"voice": "espeak-ng/vi"},
                           follow_redirects=True)
    assert "duyệt lại" in response.get_data(as_text=True)
    assert _status(sessions, objects.article_id) == ArticleStatus.SUBMITTED
    with sessions() as db:
        article = db.get(Article, objects.article_id)
        assert db.get(AudioAssetRow, article.audio_id).sha256 != "d" * 64  # type: ignore[union-attr]
        assert audit_actions(db, "article")[-2:] == ["article.reopen", "article.audio"]
    leader = any_app.test_client()
    login(leader, "lanhdao")
    assert "Trả về chờ duyệt lại" in leader.get("/audit/").get_data(as_text=True)  # a label, not a code
    with sessions() as db:
        article = db.get(Article, objects.article_id)
        article.status = ArticleStatus.APPROVED  # type: ignore[union-attr]
        db.commit()
        headers = bearer(db, "bientap")
    # The same text renders to the same file: nothing changed, the approval stands.
    client.post(f"/articles/{objects.article_id}/audio", data={"voice": "espeak-ng/vi"})
    assert _status(sessions, objects.article_id) == ArticleStatus.APPROVED
    api = client.post(f"/api/v1/articles/{objects.article_id}/audio/synthesize", headers=headers,
                      json={"voice": "espeak-ng/vi-vn-x-south"})
    assert api.status_code == 200 and api.get_json()["status"] == ArticleStatus.APPROVED  # same fake audio
    with sessions() as db:
        db.get(Article, objects.article_id).body = "Nội dung mới."  # type: ignore[union-attr]
        db.commit()
    api = client.post(f"/api/v1/articles/{objects.article_id}/audio/synthesize", headers=headers, json={})
    assert api.get_json()["status"] == ArticleStatus.SUBMITTED


def test_commune_monitor_cannot_edit_national_plans_nor_tag_other_communes_articles(
        any_app: Flask, sessions: sessionmaker[Session], world: tuple[Seed, World]) -> None:
    _seed, objects = world
    client = any_app.test_client()
    login(client, OTHERS["monitor"])
    target = {"metric": "bulletins", "period_kind": "plan", "value": "5"}
    assert client.post(f"/plans/{objects.national_plan_id}/targets", data=target).status_code == 403
    assert client.post(f"/plans/{objects.national_plan_id}/delete").status_code == 403
    assert client.post(f"/plans/{objects.plan_id}/targets", data=target).status_code == 403
    assert client.post(f"/plans/{objects.plan_id}/targets/{objects.target_id}/delete").status_code == 403
    national = client.post("/plans/new", data={"title": "Kế hoạch giả", "period_start": "2026-01-01",
                                               "period_end": "2026-12-31"})
    assert national.status_code == 400
    tag = client.post("/plans/topics", data={"article_id": objects.article_id, "topic_id": objects.topic_id})
    assert tag.status_code == 404
    with sessions() as db:
        assert _count(db, Plan) == 2 and _count(db, PlanTarget) == 1 and _count(db, ArticleTopic) == 1
    province = any_app.test_client()  # the province monitor still manages An Bình's plan
    login(province, "giamsat")
    assert province.post(f"/plans/{objects.plan_id}/targets", data=target).status_code == 302
    assert province.post(f"/plans/{objects.national_plan_id}/delete").status_code == 403


def test_api_lists_the_users_areas_and_refuses_the_others(any_app: Flask, sessions: sessionmaker[Session],
                                                          world: tuple[Seed, World]) -> None:
    seed, objects = world
    with sessions() as db:
        own = Article(title="Tin Phú Lộc", body="Nội dung.", language="vi", commune_id=seed.other_commune_id,
                      status=ArticleStatus.APPROVED, audio_id=db.get(Article, objects.article_id).audio_id)  # type: ignore
        db.add(own)
        db.commit()
        own_id, headers, admin = own.id, bearer(db, "bientap2"), bearer(db, "quantri")
        bulletins = _count(db, Bulletin)
    client = any_app.test_client()
    mine = client.get("/api/v1/areas", headers=headers).get_json()["items"]
    assert {a["id"] for a in mine} == {seed.other_commune_id, seed.village_bac_id}
    assert {a["name"] for a in mine} == {"Xã Phú Lộc", "Thôn Bắc"}
    assert len(client.get("/api/v1/areas", headers=admin).get_json()["items"]) == 6
    communes = client.get("/api/v1/areas?level=commune", headers=admin).get_json()["items"]
    assert [a["code"] for a in communes] == ["99001", "99002"]
    assert client.get("/api/v1/areas?level=huyen", headers=admin).status_code == 422
    refused = client.post("/api/v1/bulletins", headers=headers, json={
        "article_id": own_id, "start_at": "2030-01-01T09:00:00+07:00",
        "area_ids": [seed.village_bac_id, seed.village_dong_id]})
    error = refused.get_json()["error"]
    assert refused.status_code == 403 and error["code"] == "area_forbidden"
    assert str(seed.village_dong_id) in error["message"] and str(seed.village_bac_id) not in error["message"]
    asrun = client.get(f"/api/v1/asrun?area_id={seed.commune_id}", headers=headers)
    assert asrun.status_code == 403 and asrun.get_json()["error"]["code"] == "area_forbidden"
    with sessions() as db:
        assert _count(db, Bulletin) == bulletins
    accepted = client.post("/api/v1/bulletins", headers=headers, json={
        "article_id": own_id, "start_at": "2030-01-01T09:00:00+07:00", "area_ids": [seed.village_bac_id]})
    assert accepted.status_code == 201, accepted.get_json()
