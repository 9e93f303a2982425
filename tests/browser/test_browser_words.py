"""Issue 14 in a real browser: a loudspeaker on air says so (and stops saying it when done, live), as-run notes read
as sentences in both languages, the report takes its dates from real date pickers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from browser_pages import seed_content
from conftest import Site, login
from playwright.sync_api import Page, expect
from sqlalchemy import update

from radio.db.models import AsRun, Bulletin, BulletinTarget, CommandRow, Node, Outcome
from radio.db.session import make_engine, make_sessionmaker


def _playing(site: Site, node_id: str, bulletin_id: int) -> int:
    """An as-run row a node has started and not finished: what /live/stream reports as on air."""
    settings = site.system.settings
    assert settings is not None
    engine = make_engine(settings.db_url)
    now = datetime.now(UTC)
    with make_sessionmaker(engine)() as session:
        aired = session.get(Bulletin, bulletin_id)
        assert aired is not None
        bulletin = Bulletin(title="Tin đang phát", article_id=aired.article_id, audio_id=aired.audio_id,
                            start_at=now, status="done", targets=[BulletinTarget(area_id=site.commune_id)])
        session.add(bulletin)
        session.flush()
        command = CommandRow(id=str(uuid.uuid4()), bulletin_id=bulletin.id, kind="play", topics=[], payload="{}",
                             issued_at=now, start_at=now, expires_at=now + timedelta(minutes=5))
        session.add(command)
        session.flush()
        row = AsRun(command_id=command.id, bulletin_id=bulletin.id, node_id=node_id, attempt=1, scheduled_start=now,
                    requested_ms=120_000, played_ms=0, started_at_ms=int(now.timestamp() * 1000),
                    outcome=Outcome.STARTED)
        session.add(row)
        session.commit()
        row_id = row.id
    engine.dispose()
    return row_id


def _finish(site: Site, row_id: int) -> None:
    settings = site.system.settings
    assert settings is not None
    engine = make_engine(settings.db_url)
    with make_sessionmaker(engine)() as session:
        session.execute(update(AsRun).where(AsRun.id == row_id).values(
            outcome=Outcome.COMPLETED, ended_at_ms=int(datetime.now(UTC).timestamp() * 1000), played_ms=120_000))
        session.commit()
    engine.dispose()


def _online_node(site: Site) -> str:
    settings = site.system.settings
    assert settings is not None
    engine = make_engine(settings.db_url)
    with make_sessionmaker(engine)() as session:
        node_id = session.query(Node.id).filter(Node.online.is_(True)).order_by(Node.id).first()
    engine.dispose()
    assert node_id is not None, "the local system's loudspeakers should be connected"
    return str(node_id[0])


def test_a_playing_loudspeaker_says_playing_live(page: Page, site: Site) -> None:
    ids = seed_content(site)
    node_id = _online_node(site)
    login(page, site, "bientap")
    row_id = _playing(site, node_id, int(ids["aired"]))
    page.goto(site.url("/nodes/"))
    badge = page.locator(f'tr[data-node-id="{node_id}"] [data-field="status"]')
    expect(badge).to_have_text("Đang phát")  # rendered so, before any script runs
    expect(page.locator("#now-playing")).to_contain_text("Tin đang phát")
    _finish(site, row_id)
    # live.js hears the end from /live/stream and says the loudspeaker is simply online again.
    expect(badge).to_have_text("Trực tuyến", timeout=10_000)


def test_as_run_notes_read_as_sentences_in_both_languages(page: Page, site: Site) -> None:
    ids = seed_content(site)
    login(page, site, "bientap")
    page.goto(site.url(f"/bulletins/{ids['aired']}"))
    notes = page.locator("table").last
    expect(notes).to_contain_text("Dừng sau 41 giây: nhường bản tin khẩn cấp")
    expect(notes).to_contain_text("Phát lại sau khi bị ngắt")
    expect(page.locator("main")).not_to_contain_text("played_ms")
    expect(page.locator("main")).not_to_contain_text("p99")
    page.click("#lang-en")
    expect(page.locator("table").last).to_contain_text("Stopped after 41 s: made way for an emergency bulletin")
    page.goto(site.url(f"/bulletins/{ids['queued']}"))
    expect(page.locator("main")).to_contain_text("(first planned for 09:00")
    expect(page.locator("main")).not_to_contain_text("+00:00")
    page.click("#lang-vi")


def test_report_dates_are_date_pickers_and_checked(page: Page, site: Site) -> None:
    seed_content(site)
    login(page, site, "giamsat")
    page.goto(site.url("/reports/period"))
    today = datetime.now(UTC).astimezone().date()
    expect(page.locator("h1")).to_contain_text(f"/{today.year}")
    assert page.locator("#from").get_attribute("type") == "date"
    page.select_option("#period", "custom")
    page.fill("#from", "2026-06-30")
    page.fill("#to", "2026-01-01")
    page.click("form.report-form button[type=submit]")
    expect(page.locator("#date-error")).to_contain_text("“Từ ngày” phải trước “Đến ngày”")
    page.fill("#from", "2026-01-01")
    page.fill("#to", "2026-06-30")
    page.click("form.report-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("01/01/2026 – 30/06/2026")
