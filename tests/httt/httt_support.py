"""Shared by the connector tests: a fake clock, a province with loudspeakers, aired bulletins, a connector."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from factories import make_audio, make_bulletin
from ingest_support import node_id, province
from launcher.province_ref import ProvinceServer
from radio.db.models import Area, Article, AsRun, CommandRow, Outcome
from station.httt.config import link_from
from station.httt.worker import Connector

START = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


class FakeClock:
    """The connector's and the reference server's `now`: moved by the test, so hours pass in no time."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def connector(sessions: sessionmaker[Session], server: ProvinceServer, clock: FakeClock, **entry: object) -> Connector:
    link = link_from({"code": "38", "base_url": server.base_url, "username": server.username,
                      "password": server.password, "batch": 50, "timeout_s": 2.0, "backoff_base_s": 5,
                      "backoff_cap_s": 600, "pull_every_s": 60} | entry)
    return Connector(sessions, [link], clock, media_base_url="http://127.0.0.1:9")


def seed_province(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        province(s, {"38001": 2, "38002": 1})
        s.commit()


def aired(sessions: sessionmaker[Session], at: datetime, *, commune: str = "38001", villages: int = 2,
          outcome: str = Outcome.COMPLETED, title: str = "Bản tin") -> int:
    """A bulletin of an article that aired at `at` on the commune's loudspeakers (as-run rows as the ingest leaves
    them); returns the bulletin id."""
    with sessions() as s:
        village_rows = [s.query(Area).filter_by(code=f"{commune}-{i + 1:02d}").one() for i in range(villages)]
        audio = make_audio(s, duration_ms=30_000, seed=f"{title}{at.isoformat()}")
        article = Article(title=title, body="Nội dung.", field_category="local_direction", audio_id=audio.id,
                          status="aired", author_name="Lê Văn Tác", pen_name="Thanh Tâm")
        s.add(article)
        s.flush()
        bulletin = make_bulletin(s, audio, at, village_rows, title=title)
        bulletin.article_id, bulletin.created_at, bulletin.status = article.id, at - timedelta(hours=1), "done"
        command = CommandRow(id=f"c{bulletin.id:08d}-0000-0000-0000-000000000000"[:36], bulletin_id=bulletin.id,
                             kind="play", topics=[], payload="{}", issued_at=at, start_at=at,
                             expires_at=at + timedelta(hours=1))
        s.add(command)
        s.flush()
        for i in range(villages):
            s.add(AsRun(command_id=command.id, bulletin_id=bulletin.id, node_id=node_id(commune, i),
                        scheduled_start=at, requested_ms=30_000, started_at_ms=int(at.timestamp() * 1000),
                        ended_at_ms=int(at.timestamp() * 1000) + 30_000, played_ms=30_000, outcome=outcome))
        s.commit()
        return bulletin.id
