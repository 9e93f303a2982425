"""Every page on a 390×844 phone screen: nothing scrolls sideways, buttons are big enough to tap, the menu
folds away; the week calendar becomes a list of days. Screenshots of each page for a person to look at."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import Site, add_article, horizontal_overflow, login, shot, small_tap_targets
from playwright.sync_api import Page, expect

from radio.db.models import Article, Bulletin, BulletinTarget, Node, Programme, ProgrammeSlot, ProgrammeTarget
from radio.db.session import make_engine, make_sessionmaker

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def content(site: Site) -> dict[str, object]:
    """A scheduled bulletin tomorrow morning and a daily programme, so the pages have something to show."""
    article_id = add_article(site, "Lịch thu gom rác tuần này", "Xe thu gom rác đi qua các thôn lúc 7 giờ sáng.")
    settings = site.system.settings
    assert settings is not None
    engine = make_engine(settings.db_url)
    with make_sessionmaker(engine)() as session:
        article = session.get(Article, article_id)
        assert article is not None and article.audio_id is not None
        tomorrow = datetime.now(VN).date() + timedelta(days=1)
        start = datetime.combine(tomorrow, time(8, 0), VN).astimezone(UTC)
        bulletin = Bulletin(title=article.title, article_id=article.id, audio_id=article.audio_id, start_at=start,
                            priority="priority", targets=[BulletinTarget(area_id=site.commune_id)])
        programme = Programme(name="Thời sự sáng", commune_id=site.commune_id,
                              slots=[ProgrammeSlot(local_time=time(6, 0), days="mon,tue,wed,thu,fri,sat,sun")],
                              targets=[ProgrammeTarget(area_id=site.commune_id)])
        session.add_all([bulletin, programme])
        session.commit()
        node_id = session.query(Node.id).order_by(Node.id).first()[0]
        result = {"article": article_id, "bulletin": bulletin.id, "programme": programme.id, "node": node_id}
    engine.dispose()
    return result


PAGES = [
    ("articles", "/articles/"), ("article-new", "/articles/new"), ("article", "/articles/{article}"),
    ("bulletins", "/bulletins/"), ("bulletin-new", "/bulletins/new"), ("bulletin", "/bulletins/{bulletin}"),
    ("calendar", "/calendar/"), ("calendar-move", "/calendar/bulletins/{bulletin}/move"),
    ("programmes", "/programmes/"), ("programme", "/programmes/{programme}"), ("programme-new", "/programmes/new"),
    ("nodes", "/nodes/"), ("node", "/nodes/{node}"), ("areas", "/areas/"), ("asrun", "/asrun/"),
    ("lexicon", "/lexicon/"), ("voices", "/voices/"), ("emergency", "/emergency/"), ("reports", "/reports/"),
    ("plans", "/plans/"),
]


@pytest.mark.timeout(180)
def test_every_page_fits_a_phone(phone: Page, site: Site, content: dict[str, object]) -> None:
    phone.goto(site.url("/login"))
    shot(phone, "phone-login")
    assert horizontal_overflow(phone) == 0
    login(phone, site, "bientap")
    problems: dict[str, object] = {}
    for name, path in PAGES:
        response = phone.goto(site.url(path.format(**content)))
        assert response is not None and response.status == 200, (path, response and response.status)
        shot(phone, f"phone-{name}")
        overflow, small = horizontal_overflow(phone), small_tap_targets(phone)
        if overflow or small:
            problems[path] = {"overflow_px": overflow, "small_buttons": small}
    assert problems == {}


def test_menu_folds_behind_one_button_on_a_phone(phone: Page, site: Site) -> None:
    login(phone, site, "bientap")
    phone.goto(site.url("/bulletins/"))
    expect(phone.locator("#main-nav")).to_be_hidden()
    phone.click("#menu-toggle")
    expect(phone.locator("#main-nav")).to_be_visible()
    shot(phone, "phone-menu-open", full_page=False)
    phone.click("#main-nav a:has-text('Cụm loa')")
    expect(phone.locator("h1")).to_have_text("Cụm loa")


def test_calendar_is_a_day_list_on_a_phone(phone: Page, site: Site, content: dict[str, object]) -> None:
    login(phone, site, "bientap")
    tomorrow = datetime.now(VN).date() + timedelta(days=1)
    year, week, _ = tomorrow.isocalendar()
    phone.goto(site.url(f"/calendar/?week={year}-W{week:02d}"))
    days = phone.locator(".cal-day")
    expect(days).to_have_count(7)
    first, second = days.nth(0).bounding_box(), days.nth(1).bounding_box()
    assert first and second and second["y"] > first["y"] and abs(second["x"] - first["x"]) < 1  # stacked
    entry = phone.locator("article.priority-priority", has_text="Lịch thu gom rác tuần này")
    expect(entry).to_contain_text("08:00")
    expect(phone.locator("article.cal-slot").first).to_contain_text("Thời sự sáng")
    assert horizontal_overflow(phone) == 0
    shot(phone, "phone-calendar-week")
    entry.locator("a.cal-move").click()
    expect(phone.locator("#start_local")).to_be_visible()
    shot(phone, "phone-calendar-move")
