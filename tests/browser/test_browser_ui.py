"""In a real browser: the language switch, the emergency button with its confirmation and the loudspeakers
airing it (seen live on the loudspeaker page through Server-Sent Events)."""

from __future__ import annotations

import re

import pytest
from conftest import Site, add_article, login, shot
from playwright.sync_api import Dialog, Page, expect


def test_language_switch_is_remembered_across_pages(page: Page, site: Site) -> None:
    login(page, site, "bientap")
    page.goto(site.url("/bulletins/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.click("#lang-en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#main-nav")).to_contain_text("Bulletins")
    expect(page.locator("#main-nav")).not_to_contain_text("Bản tin")
    page.click("#main-nav a:has-text('Calendar')")
    expect(page.locator("h1")).to_have_text("Week schedule")  # the cookie keeps English
    shot(page, "ui-01-calendar-english")
    page.click("#lang-vi")
    expect(page.locator("h1")).to_have_text("Lịch phát trong tuần")


@pytest.mark.timeout(120)
def test_emergency_button_needs_confirmation_then_airs_at_once(page: Page, site: Site) -> None:
    title = "Khẩn cấp: bão số 5 đổ bộ"
    article_id = add_article(site, title, "Đề nghị bà con chằng chống nhà cửa ngay.", approved=False)
    login(page, site, "lanhdao")  # a leader may air unapproved content in an emergency (TT39)
    page.goto(site.url("/bulletins/"))
    page.click("#emergency-button")
    page.select_option("#article_id", str(article_id))
    page.check(f"input[name=area_ids][value='{site.commune_id}']")
    page.check("#confirm")
    shot(page, "ui-02-emergency-form")

    answers: list[str] = []

    def answer(dialog: Dialog) -> None:
        answers.append(dialog.message)
        dialog.dismiss() if len(answers) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.click("#emergency-send")  # first: "Cancel" in the browser's dialog, nothing is sent
    expect(page).to_have_url(re.compile(r"/emergency/$"))
    page.click("#emergency-send")  # second: "OK"
    page.wait_for_url(re.compile(r"/bulletins/\d+$"))
    assert len(answers) == 2 and "ngắt chương trình" in answers[0]
    expect(page.locator(".flash-success")).to_contain_text("phát sau khoảng 3 giây")
    expect(page.locator("dl.facts")).to_contain_text("Khẩn cấp")
    shot(page, "ui-03-emergency-sent")

    # The loudspeaker page shows it playing without a reload (EventSource on /live/stream).
    page.goto(site.url("/nodes/"))
    expect(page.locator("#now-playing li", has_text=title)).to_have_count(3, timeout=20_000)
    shot(page, "ui-04-nodes-now-playing-live")


@pytest.mark.timeout(120)
def test_a_boxs_telemetry_reaches_the_open_loudspeaker_list_in_words(page: Page, site: Site) -> None:
    """A heartbeat that reports a silent amplifier shows in the list's "Thiết bị" cell without a reload, flagged."""
    from sqlalchemy import select

    from radio.db.models import Area, Node
    from radio.db.session import make_engine, make_sessionmaker
    from radio.db.types import utcnow

    login(page, site, "bientap")
    page.goto(site.url("/nodes/"))
    settings = site.system.settings
    assert settings is not None
    engine = make_engine(settings.db_url)
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        node_id = session.scalars(select(Node.id).join(Area, Area.id == Node.village_id)
                                  .where(Area.parent_id == site.commune_id).order_by(Node.id)).first()
    assert node_id is not None
    cell = page.locator(f'[data-node-id="{node_id}"] [data-field="device"]')
    try:
        # The simulated box's own heartbeat (every minute) rewrites its telemetry: if one lands between the write
        # and the browser's next event, write again (three tries) rather than fail on that race.
        for attempt in range(3):
            with sessions() as session:
                node = session.get(Node, node_id)
                assert node is not None
                node.heartbeat_at, node.amplifier_on, node.mains_on = utcnow(), False, True
                session.commit()
            try:
                expect(cell).to_have_text("Bộ khuếch đại (amply): Không có điện: loa không kêu", timeout=6_000)
                break
            except AssertionError:
                if attempt == 2:
                    raise
        expect(cell).to_have_class(re.compile(r"\bwarn-text\b"))
        shot(page, "ui-05-nodes-device-live")
    finally:
        engine.dispose()
