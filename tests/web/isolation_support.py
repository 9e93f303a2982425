"""Xã An Bình's private things, with names that appear nowhere else, and the accounts of Xã Phú Lộc that
must never see or change them (tests/web/test_web_isolation*.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from governance_support import make_objects
from schedule_support import add_programme, tomorrow_local
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from web_support import PASSWORD, Seed, add_article_with_audio
from werkzeug.security import generate_password_hash

from radio.db.models import (
    Article,
    ArticleStatus,
    AsRun,
    Bulletin,
    CommandRow,
    ControlRequest,
    LexiconEntry,
    Outcome,
    Programme,
    ProgrammeSlot,
    Role,
    User,
)
from radio.db.planning import ArticleTopic, Plan, PlanTarget, Topic
from radio.db.types import utcnow
from radio.db.workflow import RenderJob, RenderState
from station.bulletins import create_bulletin
from web.timefmt import epoch_ms

# Text only Xã An Bình's objects carry: none of it may reach a Phú Lộc user's page, JSON or event stream.
ARTICLE = "Tin riêng An Bình ZXQ"
DRAFT = "Nháp bí mật An Bình ZXQ"
PROGRAMME = "Chương trình An Bình ZXQ"
PLAN = "Kế hoạch An Bình ZXQ"
NATIONAL_PLAN = "Kế hoạch toàn quốc ZXQ"
SECRETS = (ARTICLE, DRAFT, PROGRAMME, PLAN, "Phòng chống bão số 3", "Cụm loa Đông 1", "Cụm loa Tây 1",
           "hợp tác xã An Bình", "HTXAB")
# Phú Lộc's accounts: the seeded broadcaster and leader, and a commune monitor added here.
OTHERS = {"broadcaster": "bientap2", "leader": "lanhdao2", "monitor": "giamsat2"}


@dataclass(frozen=True)
class World:
    article_id: int  # approved, with audio
    draft_id: int  # never submitted
    bulletin_id: int  # scheduled for the whole commune, playing now on loa-dong-1
    programme_id: int
    slot_id: int
    lexicon_id: int
    plan_id: int
    target_id: int
    national_plan_id: int
    topic_id: int
    render_job_id: int = 0  # a speech render of the approved article (its progress page is walked too)


def build_world(db: Session, seed: Seed) -> World:
    make_objects(db, seed)  # the matrix's objects too ("Phòng chống bão số 3", HTXAB)
    article = add_article_with_audio(db, title=ARTICLE, sha="d" * 64, status=ArticleStatus.APPROVED)
    draft = add_article_with_audio(db, title=DRAFT, sha="e" * 64, status=ArticleStatus.DRAFT)
    bulletin = create_bulletin(db, title=ARTICLE, audio_id=article.audio_id, start_at=tomorrow_local(11),
                               area_ids=[seed.commune_id], priority="normal", created_by=seed.broadcaster_id,
                               now=utcnow(), article_id=article.id)
    db.flush()
    now = utcnow()
    db.add(CommandRow(id="cmd-an-binh", bulletin_id=bulletin.id, kind="play", topics=[], payload="",
                      issued_at=now, start_at=now, expires_at=now + timedelta(minutes=5)))
    db.flush()
    db.add(AsRun(command_id="cmd-an-binh", bulletin_id=bulletin.id, node_id="loa-dong-1", scheduled_start=now,
                 requested_ms=61_000, started_at_ms=epoch_ms(now), outcome=Outcome.STARTED))
    db.add(ControlRequest(kind="stop", node_id="loa-tay-1", requested_by=seed.broadcaster_id, created_at=now))
    programme = add_programme(db, seed.commune_id, [seed.commune_id], name=PROGRAMME)
    lexicon = db.scalars(select(LexiconEntry).where(LexiconEntry.acronym == "HTXAB")).one()
    plan = Plan(title=PLAN, area_id=seed.commune_id, period_start=now.date(), period_end=now.date())
    plan.targets.append(PlanTarget(metric="bulletins", value=20, area_id=seed.commune_id, period_kind="plan"))
    national = Plan(title=NATIONAL_PLAN, area_id=None, period_start=now.date(), period_end=now.date())
    topic = Topic(code="phong-chong-bao", name="Phòng chống bão")
    db.add_all([plan, national, topic])
    db.flush()
    db.add(ArticleTopic(article_id=article.id, topic_id=topic.id))
    db.add(User(username="giamsat2", password_hash=generate_password_hash(PASSWORD), role=Role.MONITOR,
                area_id=seed.other_commune_id))
    db.commit()
    job = RenderJob(article_id=article.id, engine="espeak-ng", voice="vi", chars=40, state=RenderState.DONE,
                    message="")
    db.add(job)
    db.commit()
    return World(article.id, draft.id, bulletin.id, programme.id, programme.slots[0].id, lexicon.id, plan.id,
                 plan.targets[0].id, national.id, topic.id, job.id)


def an_binh_state(db: Session, seed: Seed) -> dict[str, object]:
    """Everything of Xã An Bình (and the national plan) a Phú Lộc user might try to change."""
    db.expire_all()
    articles = db.execute(select(Article.id, Article.title, Article.body, Article.status, Article.audio_id)
                          .where(Article.commune_id == seed.commune_id).order_by(Article.id)).all()
    bulletins = db.execute(select(Bulletin.id, Bulletin.status, Bulletin.start_at).order_by(Bulletin.id)).all()
    return {
        "articles": articles, "bulletins": bulletins,
        "programmes": db.execute(select(Programme.id, Programme.name, Programme.active)).all(),
        "slots": db.execute(select(ProgrammeSlot.id, ProgrammeSlot.local_time)).all(),
        "lexicon": db.execute(select(LexiconEntry.id, LexiconEntry.acronym, LexiconEntry.expansion)
                              .where(LexiconEntry.commune_id == seed.commune_id)).all(),
        "plans": db.execute(select(Plan.id, Plan.title, Plan.area_id)).all(),
        "targets": db.execute(select(PlanTarget.id, PlanTarget.value).order_by(PlanTarget.id)).all(),
        "tags": db.execute(select(ArticleTopic.article_id, ArticleTopic.topic_id)).all(),
        "controls": db.scalar(select(func.count()).select_from(ControlRequest)),
    }


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]
