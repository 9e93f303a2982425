"""Rows the home-page browser tests arrange straight in the database (setup, not the journeys themselves)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from conftest import Site
from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import Area, Article, AsRun, Bulletin, BulletinStatus, BulletinTarget, CommandRow, Node, Outcome
from radio.db.session import make_engine, make_sessionmaker


class Db:
    """A short-lived session on the running system's database."""

    def __init__(self, site: Site) -> None:
        assert site.system.settings is not None
        self.engine = make_engine(site.system.settings.db_url)
        self.session: Session = make_sessionmaker(self.engine)()

    def __enter__(self) -> Session:
        return self.session

    def __exit__(self, *exc: Any) -> None:
        self.session.close()
        self.engine.dispose()


def set_article(site: Site, article_id: int, **values: Any) -> None:
    with Db(site) as s:
        article = s.get(Article, article_id)
        assert article is not None
        for key, value in values.items():
            setattr(article, key, value)
        s.commit()


def article_status(site: Site, article_id: int) -> str:
    with Db(site) as s:
        article = s.get(Article, article_id)
        assert article is not None
        return article.status


def count_bulletins(site: Site, article_id: int) -> int:
    with Db(site) as s:
        return len(s.scalars(select(Bulletin.id).where(Bulletin.article_id == article_id)).all())


def aired_in_the_past(site: Site, article_id: int, when: datetime, played_ms: int) -> None:
    """A bulletin that one loudspeaker of the commune played in full at `when` (UTC): what the rollups count."""
    with Db(site) as s:
        article = s.get(Article, article_id)
        assert article is not None and article.audio_id is not None
        villages = select(Area.id).where(Area.parent_id == site.commune_id)
        node = s.scalars(select(Node).where(Node.village_id.in_(villages)).order_by(Node.id)).first()
        assert node is not None
        b = Bulletin(title=article.title, article_id=article.id, audio_id=article.audio_id, start_at=when,
                     status=BulletinStatus.DONE, targets=[BulletinTarget(area_id=site.commune_id)])
        s.add(b)
        s.flush()
        cmd = CommandRow(id=f"past-{b.id}", bulletin_id=b.id, kind="play", topics=[], payload="{}", issued_at=when,
                         start_at=when, expires_at=when, published_at=when)
        s.add(cmd)
        s.flush()
        ms = int(when.timestamp() * 1000)
        s.add(AsRun(command_id=cmd.id, bulletin_id=b.id, node_id=node.id, scheduled_start=when,
                    requested_ms=played_ms, started_at_ms=ms, ended_at_ms=ms + played_ms, played_ms=played_ms,
                    outcome=Outcome.COMPLETED))
        s.commit()


def utc(year: int, month: int, day: int, hour: int = 1) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def render_jobs_of(site: Site, article_id: int) -> int:
    from radio.db.workflow import RenderJob

    with Db(site) as s:
        return len(s.scalars(select(RenderJob.id).where(RenderJob.article_id == article_id)).all())
