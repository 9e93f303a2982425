"""Issue 14: the home page per role ("Việc hôm nay"), its count badge, and the list fixes behind it (status
column and filter, actions a role cannot take hidden, cancelled bulletins not "coming"), scoped by area."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from governance_support import login
from sqlalchemy.orm import Session
from web_support import Seed, add_article_with_audio

from radio.db.models import (
    Article,
    ArticleStatus,
    AsRun,
    Bulletin,
    BulletinStatus,
    BulletinTarget,
    CommandRow,
    Node,
    Outcome,
)
from radio.db.types import utcnow


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _bulletin(db: Session, article: Article, area_id: int, start_in: timedelta, status: str) -> Bulletin:
    b = Bulletin(title=article.title, article_id=article.id, audio_id=article.audio_id, start_at=utcnow() + start_in,
                 status=status, targets=[BulletinTarget(area_id=area_id)])
    db.add(b)
    db.commit()
    return b


def _as_run(db: Session, bulletin: Bulletin, node_id: str, outcome: str, attempt: int = 1) -> None:
    cmd = db.get(CommandRow, f"cmd-{bulletin.id}")
    if cmd is None:
        cmd = CommandRow(id=f"cmd-{bulletin.id}", bulletin_id=bulletin.id, kind="play", topics=[], payload="{}",
                         issued_at=bulletin.start_at, start_at=bulletin.start_at, expires_at=bulletin.start_at)
        db.add(cmd)
        db.flush()  # no relationship orders the inserts: the command row first
    db.add(AsRun(command_id=cmd.id, attempt=attempt, bulletin_id=bulletin.id, node_id=node_id,
                 scheduled_start=bulletin.start_at, requested_ms=61_000, outcome=outcome,
                 played_ms=61_000 if outcome == Outcome.COMPLETED else 0))
    db.commit()


def test_every_role_lands_on_its_own_todays_work(app: Flask, db: Session, seed: Seed) -> None:
    rejected = add_article_with_audio(db, "Bài bị trả về", sha="1" * 64, status=ArticleStatus.REJECTED)
    rejected.review_comment = "Sai số liệu tiêm chủng, hãy sửa lại."
    add_article_with_audio(db, "Bài đang chờ duyệt", sha="2" * 64, status=ArticleStatus.SUBMITTED)
    draft = add_article_with_audio(db, "Bản nháp về nước sạch", sha="3" * 64, status=ArticleStatus.DRAFT)
    approved = add_article_with_audio(db, "Lịch tiêm phòng", sha="4" * 64)
    db.commit()
    soon = _bulletin(db, approved, seed.commune_id, timedelta(hours=2), BulletinStatus.SCHEDULED)
    aired = _bulletin(db, approved, seed.commune_id, -timedelta(minutes=5), BulletinStatus.DONE)
    _as_run(db, aired, "loa-dong-1", Outcome.COMPLETED)
    _as_run(db, aired, "loa-tay-1", Outcome.MISSED)
    # Another commune's things must not show anywhere on An Bình's home page.
    other = add_article_with_audio(db, "Tin riêng của Phú Lộc", sha="5" * 64, status=ArticleStatus.SUBMITTED)
    other.commune_id = seed.other_commune_id
    db.commit()
    _bulletin(db, other, seed.other_commune_id, timedelta(hours=1), BulletinStatus.SCHEDULED)

    broadcaster, leader, monitor = app.test_client(), app.test_client(), app.test_client()
    login(broadcaster, "bientap")
    login(leader, "lanhdao")
    login(monitor, "giamsat")

    page = _page(broadcaster, "/home/")
    assert page.index('id="home-rejected"') < page.index('id="home-drafts"') < page.index('id="home-next"')
    assert "Sai số liệu tiêm chủng" in page and draft.title in page
    assert f"/bulletins/{soon.id}" in page and f"/bulletins/{aired.id}" in page
    assert "1/2 cụm loa phát trọn" in page and "1 cụm loa có sự cố" in page
    assert 'id="home-badge"' in page  # one rejected article waits for the broadcaster
    assert "Phú Lộc" not in page

    page = _page(leader, "/home/")
    assert page.index('id="home-approvals"') < page.index('id="home-next"')  # the queue first
    assert "Bài đang chờ duyệt" in page and "Tin riêng của Phú Lộc" not in page
    assert '<span class="nav-badge" id="home-badge"' in page and ">1</span>" in page

    page = _page(monitor, "/home/")
    assert 'id="home-behind"' in page and 'id="home-offline"' in page
    # Offline: An Bình's Tây 1 (never connected); online Đông 1 and Bắc 1 are not listed.
    assert "Cụm loa Tây 1" in page and "Cụm loa Đông 1" not in page
    assert 'id="home-approvals"' not in page and "Lên lịch bản tin" not in page


def test_badge_counts_follow_the_role(app: Flask, db: Session, seed: Seed) -> None:
    for i in range(3):
        add_article_with_audio(db, f"Chờ duyệt {i}", sha=f"{i}" * 64, status=ArticleStatus.SUBMITTED)
    leader = app.test_client()
    login(leader, "lanhdao")
    assert '<span class="nav-badge" id="home-badge" title="Bài chờ duyệt">3</span>' in _page(leader, "/articles/")
    broadcaster = app.test_client()
    login(broadcaster, "bientap")
    assert 'id="home-badge"' not in _page(broadcaster, "/articles/")  # nothing rejected: no badge


def test_monitor_sees_communes_behind_pace(app: Flask, db: Session, seed: Seed) -> None:
    from datetime import date

    from radio.db.planning import Metric, PeriodKind, Plan, PlanTarget

    year = utcnow().year
    plan = Plan(title="Kế hoạch thông tin giảm nghèo", area_id=seed.province_id, period_start=date(year, 1, 1),
                period_end=date(year, 12, 31))
    plan.targets = [PlanTarget(metric=Metric.BULLETINS, value=200, period_kind=PeriodKind.PLAN, each_commune=True)]
    db.add(plan)
    db.commit()
    monitor = app.test_client()
    login(monitor, "giamsat")
    page = _page(monitor, "/home/")
    block = page[page.index('id="home-behind"'):page.index('id="home-offline"')]
    assert "Xã An Bình" in block and "Xã Phú Lộc" in block  # nothing aired yet: both behind


def test_article_list_has_status_column_and_filters(app: Flask, db: Session, seed: Seed) -> None:
    waiting = add_article_with_audio(db, "Chờ lãnh đạo xem", sha="6" * 64, status=ArticleStatus.SUBMITTED)
    rejected = add_article_with_audio(db, "Bị trả lại", sha="7" * 64, status=ArticleStatus.REJECTED)
    rejected.review_comment = "Thiếu nguồn tin."
    db.commit()
    leader = app.test_client()
    login(leader, "lanhdao")
    page = _page(leader, "/articles/?status=submitted")
    assert waiting.title in page and rejected.title not in page
    assert '<span class="badge status-submitted">Chờ duyệt</span>' in page
    assert "Viết bài mới" not in page  # a leader does not write articles (the page would be a 403)
    broadcaster = app.test_client()
    login(broadcaster, "bientap")
    page = _page(broadcaster, "/articles/")
    assert "Bị từ chối" in page and "Thiếu nguồn tin." in page and "Viết bài mới" in page
    assert "Chờ lãnh đạo xem" in _page(broadcaster, "/articles/?status=nonsense")  # unknown filter: all


def test_actions_a_role_cannot_take_are_not_shown(app: Flask, db: Session, seed: Seed) -> None:
    draft = add_article_with_audio(db, "Nháp có âm thanh", sha="8" * 64, status=ArticleStatus.DRAFT)
    approved = add_article_with_audio(db, "Đã duyệt rồi", sha="9" * 64)
    broadcaster, monitor, leader = app.test_client(), app.test_client(), app.test_client()
    login(broadcaster, "bientap")
    login(monitor, "giamsat")
    login(leader, "lanhdao")
    assert 'id="schedule-article"' not in _page(broadcaster, f"/articles/{draft.id}")
    assert 'id="schedule-article"' in _page(broadcaster, f"/articles/{approved.id}")
    assert 'id="new-bulletin"' not in _page(monitor, "/bulletins/")
    assert monitor.get("/bulletins/new").status_code == 403  # and the route still refuses
    page = _page(monitor, f"/articles/{approved.id}")
    assert 'id="schedule-article"' not in page and 'id="save-article"' not in page and 'id="render-form"' not in page
    assert 'id="save-article"' not in _page(leader, f"/articles/{draft.id}")


def test_cancelled_bulletin_is_not_listed_as_coming(app: Flask, db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    coming = _bulletin(db, article, seed.commune_id, timedelta(hours=3), BulletinStatus.SCHEDULED)
    gone = _bulletin(db, article, seed.commune_id, timedelta(hours=4), BulletinStatus.CANCELLED)
    client = app.test_client()
    login(client, "bientap")
    page = _page(client, "/bulletins/")
    upcoming = page[page.index('id="bulletins-upcoming"'):page.index("</table>", page.index('id="bulletins-upcoming"'))]
    assert f"/bulletins/{coming.id}" in upcoming and f"/bulletins/{gone.id}" not in upcoming
    assert 'id="bulletins-cancelled"' in page
    assert f"/bulletins/{gone.id}\"" not in _page(client, "/home/")


def test_bulletin_says_playing_while_a_loudspeaker_plays_even_a_late_replay(app: Flask, db: Session,
                                                                              seed: Seed) -> None:
    article = add_article_with_audio(db)
    playing = _bulletin(db, article, seed.commune_id, -timedelta(seconds=20), BulletinStatus.DISPATCHED)
    _as_run(db, playing, "loa-dong-1", Outcome.STARTED)
    replaying = _bulletin(db, article, seed.commune_id, -timedelta(minutes=10), BulletinStatus.DONE)
    _as_run(db, replaying, "loa-dong-1", Outcome.INTERRUPTED)
    _as_run(db, replaying, "loa-dong-1", Outcome.STARTED, attempt=2)
    done = _bulletin(db, article, seed.commune_id, -timedelta(hours=2), BulletinStatus.DONE)
    _as_run(db, done, "loa-dong-1", Outcome.COMPLETED)
    client = app.test_client()
    login(client, "bientap")
    for bulletin, expected in ((playing, "Đang phát"), (replaying, "Đang phát"), (done, "Đã phát")):
        page = _page(client, f"/bulletins/{bulletin.id}")
        assert f'<dd id="bulletin-status">{expected}</dd>' in page


def test_home_page_of_another_commune_shows_nothing_of_an_binh(app: Flask, db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db, "Bí mật An Bình", sha="a1" * 32, status=ArticleStatus.SUBMITTED)
    _bulletin(db, article, seed.commune_id, timedelta(hours=1), BulletinStatus.SCHEDULED)
    db.get(Node, "loa-dong-1").online = False  # type: ignore[union-attr]
    db.commit()
    for username in ("lanhdao2", "bientap2"):
        client = app.test_client()
        login(client, username)
        page = _page(client, "/home/")
        assert "Bí mật An Bình" not in page and "Cụm loa Đông 1" not in page and "Cụm loa Tây 1" not in page


def test_home_page_speaks_english_too(app: Flask, db: Session, seed: Seed) -> None:
    add_article_with_audio(db, "Bài đang chờ", sha="b2" * 32, status=ArticleStatus.SUBMITTED)
    client = app.test_client()
    login(client, "lanhdao")
    page = _page(client, "/home/?lang=en")
    assert "<h1>Today</h1>" in page and "Articles awaiting approval" in page and "Loudspeakers offline" in page
    assert "Việc hôm nay" not in page and "Bài chờ duyệt" not in page


def test_block_heading_counts_everything_while_the_list_shows_the_latest(app: Flask, db: Session,
                                                                         seed: Seed) -> None:
    for i in range(12):
        add_article_with_audio(db, f"Bài số {i:02d}", sha=f"{i:02d}" * 32, status=ArticleStatus.SUBMITTED)
    leader = app.test_client()
    login(leader, "lanhdao")
    page = _page(leader, "/home/")
    block = page[page.index('id="home-approvals"'):page.index('id="home-next"')]
    assert '<span class="count">12</span>' in block and block.count("<li>") == 10
    assert "/articles/?status=submitted" in block


def test_home_shows_the_province_inbox_and_an_active_warning_to_commune_staff(app: Flask, db: Session,
                                                                             seed: Seed) -> None:
    """Issue 16's inbox block and issue 17's active warning are on the commune's home page."""
    from radio.db.models import Area
    from radio.db.types import utcnow
    from station.audit import Actor
    from station.warnings.service import activate, new_warning

    commune = db.get(Area, seed.commune_id)
    article = add_article_with_audio(db, "Bão số 9", sha="9" * 64)
    db.commit()
    warning = new_warning(db, commune=commune, hazard="storm", level=4, village_ids=[], title="Bão số 9 đổ bộ",
                          body="Bão số 9 đổ bộ, người dân ở trong nhà.", interval_s=7200, created_by=seed.leader_id,
                          now=utcnow())
    activate(db, warning, audio_id=article.audio_id,
             actor=Actor(seed.leader_id, "leader", seed.commune_id, "lanhdao"), now=utcnow())
    db.commit()
    client = app.test_client()
    login(client, "lanhdao")
    html = client.get("/home/").get_data(as_text=True)
    assert 'id="inbox-block"' in html and "Bản tin của tỉnh chờ xử lý" in html
    assert "Bão số 9 đổ bộ" in html and "warning-banner level-4" in html
