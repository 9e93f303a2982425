"""In a real browser: the editor shows the speech as segments with pauses, and one click adds an unknown
acronym (spelled) and a foreign word (with its reading) to the commune's lexicon; on a phone too."""

from __future__ import annotations

import pytest
from conftest import Site, add_article, horizontal_overflow, login, shot, small_tap_targets
from playwright.sync_api import Page, expect

BODY = "Hợp tác xã Zoobee bán hàng. KGQX hỗ trợ bà con.\n\nII. TỔ CHỨC THỰC HIỆN\nUBND xã chủ trì."


@pytest.mark.timeout(120)
def test_editor_adds_words_to_the_lexicon_in_one_click(page: Page, phone: Page, site: Site) -> None:
    article_id = add_article(site, "Tin hợp tác xã", BODY, approved=False)
    login(phone, site, "bientap")
    phone.goto(site.url(f"/articles/{article_id}"))
    shot(phone, "phone-article-words-to-add")
    assert horizontal_overflow(phone) == 0 and small_tap_targets(phone) == []

    login(page, site, "bientap")
    page.goto(site.url(f"/articles/{article_id}"))
    expect(page.locator(".speakable .segment-heading")).to_contain_text(["Phần hai, Tổ chức thực hiện."])
    expect(page.locator(".speakable .pause").first).to_contain_text("nghỉ 0,35 s")
    acronym = page.locator("li.unknown-acronym", has_text="KGQX")
    expect(acronym).to_contain_text("ca gờ quy ích xì")
    shot(page, "speech-01-words-to-add")
    acronym.locator("input[value=spell]").check()
    acronym.locator("button").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã thêm “KGQX”")
    expect(page.locator("li.unknown-acronym", has_text="KGQX")).to_have_count(0)

    foreign = page.locator("li.foreign-word", has_text="Zoobee")
    foreign.locator("input[name=expansion]").fill("du bi")
    foreign.locator("button").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã thêm “Zoobee”")
    expect(page.locator(".speakable")).to_contain_text("Du bi bán hàng")
    shot(page, "speech-02-words-added")
