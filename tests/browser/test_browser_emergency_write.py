"""Issue 14 items 3, 9 and 10 in a real browser: the leader writes an emergency from scratch on the home page's
button (no article needed, no 403), watches it play ("Đang phát", never "Đã gửi lệnh" while it plays, then
"Đã phát") on the three loudspeakers, and its article's badge turns "aired"."""

from __future__ import annotations

import re
import time

import pytest
from conftest import Site, login, logout, shot
from playwright.sync_api import Page, expect


def _wait_for_status(page: Page, site: Site, bulletin_id: int, wanted: str, timeout_s: float) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page.goto(site.url(f"/bulletins/{bulletin_id}"))
        status = page.locator("#bulletin-status").inner_text()
        if not seen or seen[-1] != status:
            seen.append(status)
        if status == wanted:
            return seen
        time.sleep(0.4)
    raise AssertionError(f"status never became {wanted!r}: {seen}")


@pytest.mark.timeout(150)
def test_leader_writes_an_emergency_watches_it_play_and_the_article_turns_aired(page: Page, site: Site) -> None:
    login(page, site, "lanhdao")
    page.click("#home-emergency")
    page.check("#source-write")
    page.fill("#emergency-title", "Khẩn: nước sông dâng cao")
    page.fill("#emergency-body", "Nước sông đang dâng nhanh. Bà con ven sông di chuyển người và tài sản lên vùng "
                                 "cao ngay. Không đi qua ngầm tràn, không vớt củi trên sông. " * 2)
    page.check(f"input[name=area_ids][value='{site.commune_id}']")
    page.check("#confirm")
    page.on("dialog", lambda dialog: dialog.accept())
    shot(page, "impatience-05-leader-writes-emergency")
    page.click("#emergency-send")
    page.wait_for_url(re.compile(r"/bulletins/\d+$"), timeout=60_000)
    bulletin_id = int(page.url.rsplit("/", 1)[1])
    seen = _wait_for_status(page, site, bulletin_id, "Đã phát", 90)
    assert "Đang phát" in seen, seen  # not "Đã gửi lệnh" while the loudspeakers play
    assert seen.index("Đang phát") < seen.index("Đã phát")
    expect(page.locator("td[data-label='Kết quả']", has_text="hoàn thành")).to_have_count(3)
    shot(page, "impatience-06-emergency-aired")
    # Item 10: the article's badge follows what aired.
    page.goto(site.url("/articles/?status=aired"))
    row = page.locator("tr.article-row", has_text="Khẩn: nước sông dâng cao")
    expect(row.locator(".badge")).to_have_text("Đã phát", timeout=10_000)
    row.locator("a").click()
    expect(page.locator("#approval-status")).to_have_text("Đã phát")
    logout(page)
