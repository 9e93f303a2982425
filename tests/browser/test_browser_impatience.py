"""Issue 14 items 5 and 9 in a real browser: Back then "Lên lịch" again does not queue a copy, an identical
bulletin in the same slot is asked about, buttons are disabled once sent, "Tạo âm thanh" shows its progress and
renders once; a cancelled bulletin is not listed as coming. (The leader's emergency: test_browser_emergency_write.)"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import Site, add_article, login, logout, shot
from home_support import count_bulletins, render_jobs_of
from playwright.sync_api import Dialog, Page, Route, expect

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FMT = "%Y-%m-%dT%H:%M:%S"


def _open_form(page: Page, site: Site, article_id: int, start: datetime) -> None:
    page.goto(site.url(f"/bulletins/new?article_id={article_id}"))
    page.fill("#start_local", start.strftime(FMT))
    page.check(f"input[name=area_ids][value='{site.commune_id}']")


@pytest.mark.timeout(90)
def test_back_then_schedule_again_does_not_queue_a_copy(page: Page, site: Site) -> None:
    article_id = add_article(site, "Lịch thu gom rác thải", "Xe thu gom rác đi qua các thôn vào sáng thứ Bảy.")
    start = (datetime.now(VN) + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    login(page, site, "bientap")
    _open_form(page, site, article_id, start)
    key = page.locator("input[name=form_key]").input_value()
    page.click("#schedule-submit")
    page.wait_for_url(re.compile(r"/bulletins/\d+$"))
    first_url = page.url
    page.go_back()
    expect(page.locator("#bulletin-form")).to_be_visible()
    same_key = page.locator("input[name=form_key]").input_value() == key
    if page.locator("#start_local").input_value() != start.strftime(FMT):  # a re-fetched page lost the inputs
        _open_form(page, site, article_id, start)
    page.click("#schedule-submit")
    if same_key:  # the page came back from the browser's memory: the server returns the first result
        page.wait_for_url(first_url)
        expect(page.locator(".flash-warning")).to_contain_text("lần gửi đầu tiên")
    else:  # a fresh form: refused as an overlap (the default), or asked about as an identical bulletin
        expect(page.locator("#bulletin-error")).to_contain_text(re.compile("Trùng giờ|đã được lên lịch phát lúc"))
    assert count_bulletins(site, article_id) == 1
    shot(page, "impatience-01-back-and-again")

    # A new form on purpose, same article, two minutes later and queued: asked first, then done when confirmed.
    _open_form(page, site, article_id, start + timedelta(minutes=2))
    page.check("input[name=on_overlap][value=queue]")
    page.click("#schedule-submit")
    expect(page.locator("#bulletin-error")).to_contain_text("đã được lên lịch phát lúc")
    expect(page.locator("#duplicates a")).to_have_count(1)
    shot(page, "impatience-02-duplicate-warning")
    assert count_bulletins(site, article_id) == 1
    page.check("#confirm-duplicate")
    page.click("#schedule-submit")
    page.wait_for_url(re.compile(r"/bulletins/\d+$"))
    assert count_bulletins(site, article_id) == 2
    logout(page)


@pytest.mark.timeout(60)
def test_buttons_are_disabled_while_the_form_is_sent(page: Page, site: Site) -> None:
    article_id = add_article(site, "Thông báo cắt điện", "Điện lực cắt điện từ 7 giờ đến 11 giờ.")
    login(page, site, "bientap")
    _open_form(page, site, article_id, (datetime.now(VN) + timedelta(days=3)).replace(hour=9, minute=0, second=0))
    held: list[Route] = []

    def hold(route: Route) -> None:
        if route.request.method == "POST":
            held.append(route)  # answered below, after the button was looked at
        else:
            route.continue_()

    page.route(re.compile(r".*/bulletins/new.*"), hold)
    # The page notes its button a moment after the submit, while the answer is held (a pending navigation
    # blocks Playwright's own reads); the next page reads the note from the tab's sessionStorage.
    page.evaluate("""() => document.addEventListener('submit', () => setTimeout(() => {
        const b = document.getElementById('schedule-submit');
        sessionStorage.setItem('probe', JSON.stringify([b.disabled, b.textContent.trim()]));
    }, 150))""")
    page.click("#schedule-submit", no_wait_after=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not held:
        page.wait_for_timeout(50)
    assert len(held) == 1
    page.wait_for_timeout(400)
    held[0].continue_()
    page.wait_for_url(re.compile(r"/bulletins/\d+$"))
    page.unroute(re.compile(r".*/bulletins/new.*"))
    assert page.evaluate("() => JSON.parse(sessionStorage.getItem('probe'))") == [True, "Đang gửi…"]
    assert count_bulletins(site, article_id) == 1
    logout(page)


@pytest.mark.timeout(120)
def test_render_shows_progress_and_runs_once(page: Page, site: Site) -> None:
    sentence = ("Ủy ban nhân dân xã thông báo lịch tiêm phòng cho gia súc và gia cầm tại các thôn trong tháng tới, "
                "đề nghị bà con chủ động đưa vật nuôi đến điểm tiêm đúng giờ. ")
    login(page, site, "bientap")
    page.goto(site.url("/articles/new"))
    page.fill("#title", "Thông báo dài về tiêm phòng")
    page.fill("#body", sentence * 7)  # about 1,200 characters: a few seconds of work
    page.click("#save-article")
    article_id = int(re.search(r"/articles/(\d+)", page.url).group(1))  # type: ignore[union-attr]
    page.click("#render-button")
    progress = page.locator("#render-progress")
    expect(progress).to_be_visible()
    expect(page.locator("#render-button")).to_be_disabled()  # no second render from this page
    expect(page.locator("#render-label")).to_contain_text("Đang")
    shot(page, "impatience-03-render-progress")
    # The page polls and reloads itself with the result.
    expect(page.locator("#render-result")).to_contain_text("Đã tạo âm thanh.", timeout=90_000)
    expect(page.locator("audio[src*='/media/']")).to_have_count(1)
    expect(page.locator("#voice")).to_have_value(re.compile(r".+/.+"))
    assert render_jobs_of(site, article_id) == 1
    shot(page, "impatience-04-render-done")
    logout(page)


@pytest.mark.timeout(60)
def test_a_cancelled_bulletin_is_not_listed_as_coming(page: Page, site: Site) -> None:
    article_id = add_article(site, "Họp dân bị hoãn", "Cuộc họp dân tuần này được hoãn.")
    login(page, site, "bientap")
    _open_form(page, site, article_id, (datetime.now(VN) + timedelta(days=4)).replace(hour=16, minute=0, second=0))
    page.click("#schedule-submit")
    page.wait_for_url(re.compile(r"/bulletins/\d+$"))
    bulletin_path = "/bulletins/" + page.url.rsplit("/", 1)[1]

    def accept(dialog: Dialog) -> None:
        dialog.accept()

    page.on("dialog", accept)
    page.click("button:has-text('Huỷ bản tin')")
    expect(page.locator(".flash-success")).to_contain_text("Đã huỷ bản tin")
    page.goto(site.url("/bulletins/"))
    expect(page.locator(f"#bulletins-upcoming a[href='{bulletin_path}']")).to_have_count(0)
    expect(page.locator(f"#bulletins-cancelled a[href='{bulletin_path}']")).to_have_count(1)
    shot(page, "impatience-07-cancelled-not-coming")
    logout(page)
