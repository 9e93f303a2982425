"""Issue 14 in a real browser, per role through the new home page ("Việc hôm nay"): the broadcaster sees a
rejection and its reason, the leader the approval queue first, the province monitor the communes behind pace
and the loudspeakers offline; the airtime chart is drawn to scale (geometry read from the rendered SVG) and
readable on a phone."""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import PHONE, Site, add_article, horizontal_overflow, login, logout, shot
from home_support import aired_in_the_past, article_status, set_article, utc
from playwright.sync_api import Browser, Page, expect

from radio.db.models import ArticleStatus

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.timeout(90)
def test_broadcaster_lands_on_todays_work_and_sees_why_an_article_was_rejected(page: Page, site: Site) -> None:
    article_id = add_article(site, "Tuyên truyền phòng dịch tả lợn", "Bà con tiêm phòng cho đàn lợn.",
                             approved=False)
    set_article(site, article_id, status=ArticleStatus.REJECTED, review_comment="Thiếu lịch tiêm của từng thôn.")
    login(page, site, "bientap")
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.locator("h1")).to_have_text("Việc hôm nay")
    rejected = page.locator("#home-rejected")
    expect(rejected).to_contain_text("Thiếu lịch tiêm của từng thôn.")
    expect(page.locator("#home-badge")).to_be_visible()
    # The most urgent block comes first.
    order = page.evaluate("Array.from(document.querySelectorAll('.home-block')).map(b => b.id)")
    assert order.index("home-rejected") < order.index("home-drafts") < order.index("home-next")
    shot(page, "home-01-broadcaster")
    # The article list says it too: a status column and a filter.
    page.click("#nav-home")
    page.goto(site.url("/articles/"))
    page.click("#filter-rejected")
    row = page.locator("tr.article-row", has_text="Tuyên truyền phòng dịch tả lợn")
    expect(row.locator("td[data-label='Trạng thái']")).to_have_text("Bị từ chối")
    expect(row).to_contain_text("Thiếu lịch tiêm của từng thôn.")
    expect(page.locator("tr.article-row.status-draft")).to_have_count(0)
    shot(page, "home-02-articles-rejected-filter")
    # A rejected article cannot be sent back unchanged: no submit button, a hint what to do.
    row.locator("a").click()
    expect(page.locator("#fix-before-resubmit")).to_be_visible()
    expect(page.locator("#submit-for-approval")).to_have_count(0)
    logout(page)


@pytest.mark.timeout(90)
def test_leader_sees_the_approval_queue_first_and_empties_it(page: Page, site: Site) -> None:
    article_id = add_article(site, "Thông báo họp dân thôn Đông", "Mời bà con dự họp lúc 19 giờ.", approved=False)
    set_article(site, article_id, status=ArticleStatus.SUBMITTED, submitted_at=datetime.now(VN))
    login(page, site, "lanhdao")
    expect(page).to_have_url(re.compile(r"/home/$"))
    first = page.locator(".home-block").first
    expect(first).to_have_attribute("id", "home-approvals")
    expect(first).to_contain_text("Thông báo họp dân thôn Đông")
    badge = page.locator("#home-badge")
    waiting = int(badge.inner_text())
    assert waiting >= 1
    shot(page, "home-03-leader-queue")
    first.locator("a", has_text="Thông báo họp dân thôn Đông").click()
    page.fill("#review-comment", "Đồng ý.")
    page.click("#approve")
    expect(page.locator("#approval-status")).to_have_text("Đã duyệt")
    page.click("#nav-home")
    expect(page.locator("#home-approvals")).not_to_contain_text("Thông báo họp dân thôn Đông")
    if waiting == 1:
        expect(page.locator("#home-badge")).to_have_count(0)
    else:
        expect(page.locator("#home-badge")).to_have_text(str(waiting - 1))
    # The leader's article list: "Chờ duyệt" filter, no "Viết bài mới" (it would be a 403).
    page.goto(site.url("/articles/?status=submitted"))
    expect(page.locator("#filter-submitted")).to_have_attribute("aria-current", "page")
    expect(page.locator("a.button", has_text="Viết bài mới")).to_have_count(0)
    assert article_status(site, article_id) == ArticleStatus.APPROVED
    logout(page)


@pytest.mark.timeout(90)
def test_monitor_sees_pace_and_offline_loudspeakers_and_no_scheduling_button(page: Page, site: Site) -> None:
    login(page, site, "giamsat")
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.locator("#home-behind")).to_be_visible()
    expect(page.locator("#home-offline")).to_be_visible()
    expect(page.locator("#home-approvals")).to_have_count(0)
    expect(page.locator("#home-emergency")).to_have_count(0)
    shot(page, "home-04-monitor")
    page.goto(site.url("/bulletins/"))
    expect(page.locator("#new-bulletin")).to_have_count(0)  # it led to a 403
    expect(page.locator("#emergency-button")).to_have_count(0)
    logout(page)


def _bars(page: Page) -> list[dict[str, float]]:
    """Each airtime bar's rendered box (CSS pixels) and minutes, and the axis line's y, from the SVG."""
    return list(page.evaluate(
        """() => {
            const svg = document.querySelector('svg.airtime-chart');
            const axis = svg.querySelector('line.axis').getBoundingClientRect().top;
            return Array.from(svg.querySelectorAll('rect.airtime-bar')).map(r => {
                const b = r.getBoundingClientRect();
                return {top: b.top, bottom: b.bottom, height: b.height, left: b.left, right: b.right,
                        minutes: parseFloat(r.dataset.minutes), axis: axis,
                        svgLeft: svg.getBoundingClientRect().left, svgRight: svg.getBoundingClientRect().right};
            });
        }"""))


def _check_geometry(bars: list[dict[str, float]]) -> None:
    assert bars, "no bars drawn"
    empty = [b for b in bars if b["minutes"] == 0]
    full = [b for b in bars if b["minutes"] > 0]
    assert empty and len(full) == 2
    for b in empty:  # an empty week is a zero-height bar on the axis, not a filled one below it
        assert b["height"] < 0.5 and abs(b["bottom"] - b["axis"]) < 1.5, b
    for b in full:  # every bar stands on the axis, inside the chart
        assert abs(b["bottom"] - b["axis"]) < 1.5 and b["top"] < b["axis"], b
        assert b["svgLeft"] - 0.5 <= b["left"] and b["right"] <= b["svgRight"] + 0.5, b
    small, big = sorted(full, key=lambda b: b["minutes"])
    assert big["minutes"] / small["minutes"] == pytest.approx(2.0, rel=0.01)
    assert big["height"] / small["height"] == pytest.approx(2.0, rel=0.03)  # heights proportional to minutes


@pytest.mark.timeout(120)
def test_weekly_airtime_chart_is_drawn_to_scale_on_desktop_and_phone(browser: Browser, page: Page,
                                                                    site: Site) -> None:
    year = datetime.now(VN).year - 1  # last year's dashboard: a whole year of weeks, fixed whatever today is
    article_id = add_article(site, "Bản tin tổng hợp năm trước", "Nội dung.")
    aired_in_the_past(site, article_id, utc(year, 3, 10), 204_000)  # 3.4 minutes
    aired_in_the_past(site, article_id, utc(year, 3, 24), 408_000)  # 6.8 minutes
    with_province = f"/reports/area/{_province_of(site)}?year={year}"
    login(page, site, "giamsat")
    page.goto(site.url(with_province))
    _check_geometry(_bars(page))
    shot(page, "home-05-chart-desktop")
    logout(page)

    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    phone = context.new_page()
    try:
        login(phone, site, "giamsat")
        phone.goto(site.url(with_province))
        _check_geometry(_bars(phone))
        assert horizontal_overflow(phone) == 0
        # Readable: labels at their real size (a scaled viewBox made them 5 px), and never overlapping.
        labels = phone.evaluate(
            """() => Array.from(document.querySelectorAll('svg.airtime-chart text.week-label'))
                .filter(t => getComputedStyle(t).display !== 'none')
                .map(t => { const b = t.getBoundingClientRect();
                            const size = parseFloat(getComputedStyle(t).fontSize);
                            return {left: b.left, right: b.right, size: size}; })""")
        assert labels and all(label["size"] >= 11 for label in labels)
        assert all(a["right"] <= b["left"] for a, b in itertools.pairwise(labels))
        shot(phone, "home-06-chart-phone")
        phone.goto(site.url(f"/reports/area/{site.commune_id}"))  # the commune dashboard (this quarter)
        expect(phone.locator("svg.airtime-chart")).to_be_visible()
        assert horizontal_overflow(phone) == 0
        logout(phone)
        rejected = add_article(site, "Bài cần sửa gấp", "Nội dung.", approved=False)
        set_article(site, rejected, status=ArticleStatus.REJECTED, review_comment="Sai ngày họp.")
        login(phone, site, "bientap")
        assert horizontal_overflow(phone) == 0
        expect(phone.locator("#menu-toggle .nav-badge")).to_be_visible()  # the count shows on the folded menu
        expect(phone.locator("#home-rejected")).to_contain_text("Sai ngày họp.")
        shot(phone, "home-07-broadcaster-phone")
    finally:
        context.close()


def _province_of(site: Site) -> int:
    from home_support import Db

    from radio.db.models import Area

    with Db(site) as s:
        commune = s.get(Area, site.commune_id)
        assert commune is not None and commune.parent_id is not None
        return commune.parent_id
