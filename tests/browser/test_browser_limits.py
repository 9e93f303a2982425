"""Issue 14 items 7-9 in a real browser: oversized input is refused with its limit in words (and nothing is
saved), the menu reads English in English, voices have human names, the tab has an icon."""

from __future__ import annotations

from pathlib import Path

from browser_pages import seed_content
from conftest import Site, login
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from radio.db.models import Article
from radio.db.session import make_engine, make_sessionmaker


def _article_count(site: Site) -> int:
    settings = site.system.settings
    assert settings is not None
    engine = make_engine(settings.db_url)
    with make_sessionmaker(engine)() as session:
        n = session.scalar(select(func.count()).select_from(Article))
    engine.dispose()
    return int(n or 0)


def _new_draft(page: Page, site: Site, title: str) -> None:
    page.goto(site.url("/articles/new"))
    page.fill("#title", title)
    page.fill("#body", "Thông báo lịch tiêm phòng cho trẻ em dưới năm tuổi.")
    page.click("#save-article")
    expect(page.locator("#voice")).to_be_visible()  # the editor of the saved draft


def test_a_body_over_the_limit_is_refused_at_save_with_the_limit_in_words(page: Page, site: Site) -> None:
    seed_content(site)
    login(page, site, "bientap")
    page.goto(site.url("/articles/new"))
    body = page.locator("#body")
    assert body.get_attribute("maxlength") == "100000"  # the browser stops typing at the limit
    # A pasted text or an old browser may get past maxlength: the server must refuse it, not save it.
    body.evaluate("el => el.removeAttribute('maxlength')")
    before = _article_count(site)
    page.fill("#title", "Bài quá dài")
    body.fill("Thông báo dài. " * 14_000)  # 210,000 characters
    page.click("#save-article")
    expect(page.locator("main")).to_contain_text("quá giới hạn 100.000 ký tự")
    assert _article_count(site) == before


def test_an_upload_over_the_limit_gets_a_page_that_says_the_limit(page: Page, site: Site, tmp_path: Path) -> None:
    seed_content(site)
    login(page, site, "bientap")
    _new_draft(page, site, "Bài để tải âm thanh lớn")
    settings = site.system.settings
    assert settings is not None
    too_big = settings.max_upload_bytes + 1024 * 1024
    big = tmp_path / "ban-tin.mp3"
    with big.open("wb") as out:
        out.truncate(too_big)  # sparse: the browser reads zeros, nothing is written to disk
    page.set_input_files("#file", str(big))
    page.locator("#file").evaluate("el => el.form.submit()")
    expect(page.locator("main")).to_contain_text("Tệp tải lên quá lớn: tối đa 50 MB")
    expect(page.locator("main")).to_contain_text("Hãy nén hoặc cắt ngắn tệp")


def test_english_menu_voice_names_and_the_tab_icon(page: Page, site: Site) -> None:
    seed_content(site)
    login(page, site, "bientap")
    _new_draft(page, site, "Bài để xem tên giọng đọc")
    assert page.locator("link[rel=icon]").get_attribute("href", timeout=5_000)
    voices = page.locator("#voice option").all_inner_texts()
    # "Giọng miền Nam (espeak-ng, ngoại tuyến)", not "espeak-ng (vi-vn-x-south)".
    assert voices and all(v.startswith("Giọng") and "vi-vn-x" not in v for v in voices), voices
    page.click("#lang-en")
    nav = page.locator("nav").first
    expect(nav).to_contain_text("Reports")
    expect(nav).to_contain_text("Plans")
    expect(nav).not_to_contain_text("Theo dõi")
    expect(nav).not_to_contain_text("Kế hoạch")
    page.click("#lang-vi")
