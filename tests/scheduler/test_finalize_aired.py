"""Issue 14: a bulletin reads "Đã phát" only when every loudspeaker is done, and its article then reads "aired"."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ingest_support import DURATION_MS, dispatched, event, node_id
from radio.db.models import Article, ArticleStatus, Bulletin, BulletinStatus
from radio.protocol import EventKind
from scheduler.engine import Engine
from scheduler.ingest import apply_to_as_run
from station.airing import PLAYING, playing_ids, shown_status

T0 = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)
MS0 = int(T0.timestamp() * 1000)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_bulletin_stays_playing_until_the_last_loudspeaker_ends_then_its_article_is_aired(sessions, tmp_path):
    clock = Clock()
    cid = dispatched(sessions, tmp_path, villages=2, clock=T0)  # starts at T0 + 10 s, 11 s long
    with sessions() as s:
        article = Article(title="Tiêm phòng dại", body="Nội dung.", status=ArticleStatus.SCHEDULED)
        s.add(article)
        s.flush()
        bulletin = s.scalars(select(Bulletin)).one()
        bulletin.article_id, article_id, bulletin_id = article.id, article.id, bulletin.id
        s.commit()
    x, y = node_id("38001", 0), node_id("38001", 1)
    start_ms = MS0 + 10_000
    late_ms = start_ms + 25_000  # y waited for its amplifier: it plays well past the scheduled end
    with sessions() as s:
        apply_to_as_run(s, [event(x, cid, EventKind.STARTED, start_ms),
                            event(x, cid, EventKind.FINISHED, start_ms + DURATION_MS, played_ms=DURATION_MS),
                            event(y, cid, EventKind.STARTED, late_ms)])
        s.commit()
    engine = Engine(sessions, None, clock, timezone="Asia/Ho_Chi_Minh", lead_s=60, poll_s=0.5)  # type: ignore[arg-type]
    clock.now = T0 + timedelta(seconds=10 + 11 + 31)  # past the item's end and the report grace
    engine.finalize()
    with sessions() as s:
        bulletin = s.get(Bulletin, bulletin_id)
        assert bulletin is not None and bulletin.status == BulletinStatus.DISPATCHED  # y still plays
        assert shown_status(bulletin, clock.now, playing_ids(s, [bulletin_id])) == PLAYING
        assert s.get(Article, article_id).status == ArticleStatus.SCHEDULED  # type: ignore[union-attr]
    with sessions() as s:
        apply_to_as_run(s, [event(y, cid, EventKind.FINISHED, late_ms + DURATION_MS, played_ms=DURATION_MS)])
        s.commit()
    engine.finalize()
    with sessions() as s:
        bulletin = s.get(Bulletin, bulletin_id)
        assert bulletin is not None and bulletin.status == BulletinStatus.DONE
        assert shown_status(bulletin, clock.now, playing_ids(s, [bulletin_id])) == BulletinStatus.DONE
        assert s.get(Article, article_id).status == ArticleStatus.AIRED  # type: ignore[union-attr]


def test_an_airing_nobody_played_does_not_make_the_article_aired(sessions, tmp_path):
    clock = Clock()
    dispatched(sessions, tmp_path, villages=1, clock=T0)
    with sessions() as s:
        article = Article(title="Không ai phát", body="Nội dung.", status=ArticleStatus.SCHEDULED)
        s.add(article)
        s.flush()
        s.scalars(select(Bulletin)).one().article_id = article.id
        article_id = article.id
        s.commit()
    engine = Engine(sessions, None, clock, timezone="Asia/Ho_Chi_Minh", lead_s=60, poll_s=0.5)  # type: ignore[arg-type]
    clock.now = T0 + timedelta(seconds=10 + 11 + 31)
    engine.finalize()  # the node never reported: missed, bulletin done, article not aired
    with sessions() as s:
        assert s.scalars(select(Bulletin)).one().status == BulletinStatus.DONE
        assert s.get(Article, article_id).status == ArticleStatus.SCHEDULED  # type: ignore[union-attr]
