"""The whole job in a real browser: a broadcaster writes an article and renders its speech, the commune leader
approves it, the broadcaster schedules it a few seconds ahead, three loudspeakers air it, and the dashboard
and audit log show what happened."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import Site, login, logout, shot
from playwright.sync_api import Page, expect

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = "Thông báo tiêm phòng gia súc"
BODY = "UBND xã tổ chức tiêm phòng lúc 17h30 ngày 28/10. Đề nghị bà con đưa gia súc đến điểm tiêm."
AIR_TIMEOUT_S = 60


def _article_id(page: Page) -> int:
    match = re.search(r"/articles/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def write_and_render(page: Page, site: Site) -> int:
    login(page, site, "bientap")
    page.goto(site.url("/articles/new"))
    page.fill("#title", TITLE)
    page.fill("#body", BODY)
    page.click("button:has-text('Lưu bài viết')")
    expect(page.locator(".speakable")).to_contain_text("Ủy ban nhân dân xã")
    # Normalizer 1.15 says the minutes of "17h30" bare ("mười bảy giờ ba mươi").
    expect(page.locator(".speakable")).to_contain_text("mười bảy giờ ba mươi ngày hai mươi tám tháng mười")
    shot(page, "journey-01-article-speakable-preview")
    page.click("button:has-text('Tạo âm thanh')")
    expect(page.locator("audio[src*='/media/']")).to_have_count(1, timeout=30_000)
    shot(page, "journey-02-article-audio")
    page.click("#submit-for-approval")
    expect(page.locator("#approval-status")).to_have_text("Chờ duyệt")
    article_id = _article_id(page)
    logout(page)
    return article_id


def approve(page: Page, site: Site, article_id: int) -> None:
    login(page, site, "lanhdao")
    page.goto(site.url(f"/articles/{article_id}"))
    page.fill("#review-comment", "Đồng ý phát.")
    page.click("#approve")
    expect(page.locator("#approval-status")).to_have_text("Đã duyệt")
    shot(page, "journey-03-leader-approved")
    logout(page)


def schedule_soon(page: Page, site: Site, article_id: int, seconds_ahead: int = 12) -> int:
    login(page, site, "bientap")
    page.goto(site.url(f"/bulletins/new?article_id={article_id}"))
    start = (datetime.now(VN) + timedelta(seconds=seconds_ahead)).strftime("%Y-%m-%dT%H:%M:%S")
    page.fill("#start_local", start)
    page.check(f"input[name=area_ids][value='{site.commune_id}']")
    shot(page, "journey-04-schedule-form")
    page.click("#bulletin-form button[type=submit]")
    page.wait_for_url(re.compile(r"/bulletins/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def wait_until_aired(page: Page, site: Site, bulletin_id: int, nodes: int = 3) -> None:
    deadline = time.monotonic() + AIR_TIMEOUT_S
    completed = 0
    while time.monotonic() < deadline:
        page.goto(site.url(f"/bulletins/{bulletin_id}"))
        completed = page.locator("td[data-label='Kết quả']", has_text="hoàn thành").count()
        if completed >= nodes:
            break
        time.sleep(1.5)
    shot(page, "journey-05-bulletin-aired")
    assert completed == nodes, f"{completed}/{nodes} loudspeakers completed within {AIR_TIMEOUT_S} s"
    page.goto(site.url("/asrun/"))
    expect(page.locator("td[data-label='Bản tin']", has_text=TITLE)).to_have_count(nodes)
    shot(page, "journey-06-asrun")


@pytest.mark.timeout(240)
def test_write_approve_schedule_air_and_account(page: Page, site: Site) -> None:
    article_id = write_and_render(page, site)
    approve(page, site, article_id)
    bulletin_id = schedule_soon(page, site, article_id)
    expect(page.locator("h1")).to_have_text(TITLE)
    wait_until_aired(page, site, bulletin_id)

    # The commune dashboard counts what the loudspeakers reported.
    page.goto(site.url(f"/reports/area/{site.commune_id}"))
    expect(page.locator("body")).to_contain_text(TITLE)
    # Every village's loudspeaker played all it was sent (other browser tests of the session air in this commune
    # this week too, so the count is not always 1).
    played_all = re.compile(r"^\s*([1-9]\d*) / \1\s*$")
    expect(page.locator("td[data-label='Phát thành công']", has_text=played_all)).to_have_count(3)
    shot(page, "journey-07-dashboard")
    logout(page)

    # Every step is in the audit log, with who did it.
    login(page, site, "lanhdao")
    page.goto(site.url("/audit/"))
    table = page.locator("table.audit")
    for action, who in [("Tạo bài viết", "bientap"), ("Tạo/tải âm thanh", "bientap"),
                        ("Trình lãnh đạo duyệt", "bientap"), ("Duyệt bài", "lanhdao"), ("Lên lịch bản tin", "bientap")]:
        expect(table.locator("tr", has_text=action).filter(has_text=who).first).to_be_visible()
    shot(page, "journey-08-audit-log")
