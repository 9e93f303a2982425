"""The main pages of each role, and content for them to show, shared by the accessibility and screen tests.

The content includes what issue 14 was about: an as-run with an emergency cut and its replay, a queued bulletin
note, an article waiting for approval; so the checks see the sentences people read, not empty tables.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from conftest import Site, add_article

from radio.db.models import (
    Area,
    Article,
    ArticleStatus,
    AsRun,
    Bulletin,
    BulletinStatus,
    BulletinTarget,
    CommandRow,
    Node,
    Outcome,
    Programme,
    ProgrammeSlot,
    ProgrammeTarget,
)
from radio.db.session import make_engine, make_sessionmaker

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_SEEDED: dict[str, dict[str, int | str]] = {}

ROLE_PAGES: dict[str, list[tuple[str, str]]] = {
    "bientap": [
        ("home", "/"), ("articles", "/articles/"), ("article-new", "/articles/new"),
        ("article", "/articles/{article}"), ("bulletins", "/bulletins/"), ("bulletin-new", "/bulletins/new"),
        ("bulletin", "/bulletins/{aired}"), ("calendar", "/calendar/"), ("programmes", "/programmes/"),
        ("nodes", "/nodes/"), ("node", "/nodes/{node}"), ("asrun", "/asrun/"), ("lexicon", "/lexicon/"),
        ("voices", "/voices/"), ("commune-board", "/reports/area/{commune}"),
        ("period-report", "/reports/period?area={commune}"),
    ],
    # Pages whose template another role already covers are left out (each file must stay under a minute).
    "lanhdao": [
        ("home", "/"), ("article", "/articles/{waiting}"), ("emergency", "/emergency/"), ("audit", "/audit/"),
    ],
    "giamsat": [
        ("home", "/"), ("reports", "/reports/"), ("province-board", "/reports/area/{province}"),
        ("period-report", "/reports/period?area={province}"), ("asrun-report", "/reports/asrun?area={commune}"),
        ("plans", "/plans/"),
    ],
}


def seed_content(site: Site) -> dict[str, int | str]:
    """Once per running system: an aired bulletin cut by an emergency and replayed, a queued one for tomorrow,
    an article waiting for the leader, a programme. Returns the ids the page paths name."""
    if site.base_url in _SEEDED:
        return _SEEDED[site.base_url]
    aired_id = add_article(site, "Tiêm phòng cho đàn gia cầm", "Các hộ chăn nuôi đưa gia cầm đi tiêm phòng.")
    waiting_id = add_article(site, "Lịch thu gom rác", "Xe thu gom rác đi qua các thôn lúc 7 giờ sáng.",
                             approved=False)
    settings = site.system.settings
    assert settings is not None
    engine = make_engine(settings.db_url)
    with make_sessionmaker(engine)() as session:
        article = session.get(Article, aired_id)
        waiting = session.get(Article, waiting_id)
        assert article is not None and article.audio_id is not None and waiting is not None
        waiting.status = ArticleStatus.SUBMITTED
        commune = session.get(Area, site.commune_id)
        assert commune is not None and commune.parent_id is not None
        start = datetime.now(UTC) - timedelta(hours=2)
        aired = Bulletin(title=article.title, article_id=article.id, audio_id=article.audio_id, start_at=start,
                         status=BulletinStatus.DONE, targets=[BulletinTarget(area_id=site.commune_id)])
        tomorrow = datetime.combine(datetime.now(VN).date() + timedelta(days=1), time(9, 0), VN)
        planned = tomorrow.astimezone(UTC).isoformat()  # stored as the service stores it: UTC, ISO
        queued = Bulletin(title=article.title, article_id=article.id, audio_id=article.audio_id,
                          start_at=tomorrow.astimezone(UTC) + timedelta(minutes=2),
                          status_detail=f"Đã xếp nối tiếp do trùng giờ (dự kiến ban đầu {planned}).",
                          targets=[BulletinTarget(area_id=site.commune_id)])
        programme = Programme(name="Thời sự sáng", commune_id=site.commune_id,
                              slots=[ProgrammeSlot(local_time=time(6, 0), days="mon,tue,wed,thu,fri,sat,sun")],
                              targets=[ProgrammeTarget(area_id=site.commune_id)])
        session.add_all([aired, queued, programme])
        session.flush()
        command = CommandRow(id=f"a11y-{aired.id}", bulletin_id=aired.id, kind="play", topics=[], payload="{}",
                             issued_at=start, start_at=start, expires_at=start + timedelta(hours=1))
        session.add(command)
        session.flush()
        node_id = session.query(Node.id).order_by(Node.id).first()[0]
        start_ms = int(start.timestamp() * 1000)
        session.add_all([
            AsRun(command_id=command.id, bulletin_id=aired.id, node_id=node_id, attempt=1, scheduled_start=start,
                  requested_ms=60_000, played_ms=41_150, started_at_ms=start_ms + 67_344, outcome=Outcome.INTERRUPTED,
                  detail=json.dumps({"played_ms": 41_150, "reason": "emergency"})),
            AsRun(command_id=command.id, bulletin_id=aired.id, node_id=node_id, attempt=2, scheduled_start=start,
                  requested_ms=60_000, played_ms=60_000, started_at_ms=start_ms + 200_000,
                  outcome=Outcome.COMPLETED, detail=json.dumps({"played_ms": 60_000})),
        ])
        session.commit()
        ids: dict[str, int | str] = {"article": aired_id, "waiting": waiting_id, "aired": aired.id,
                                     "queued": queued.id, "programme": programme.id, "node": node_id,
                                     "commune": site.commune_id, "province": commune.parent_id}
    engine.dispose()
    _SEEDED[site.base_url] = ids
    return ids
