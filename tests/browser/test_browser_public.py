"""The residents' page on a phone (390×844): a bulletin that really aired on the three nodes is listed with a
player that works without JavaScript; a draft that never aired is not; search by a word without accents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import Site, add_article, horizontal_overflow, shot, small_tap_targets
from playwright.sync_api import Page

from launcher.selftest import wait_for_outcomes
from radio.db.models import Area, Bulletin, BulletinTarget
from radio.db.session import make_engine, make_sessionmaker


def _air(site: Site, article_id: int, title: str) -> int:
    settings = site.system.settings
    assert settings is not None
    engine = make_engine(settings.db_url)
    with make_sessionmaker(engine)() as session:
        from radio.db.models import Article

        article = session.get(Article, article_id)
        assert article is not None and article.audio_id is not None
        bulletin = Bulletin(title=title, article_id=article_id, audio_id=article.audio_id,
                            start_at=datetime.now(UTC) + timedelta(seconds=3))
        bulletin.targets.append(BulletinTarget(area_id=site.commune_id))
        session.add(bulletin)
        session.commit()
        bulletin_id = bulletin.id
    engine.dispose()
    return bulletin_id


def _commune_code(site: Site) -> str:
    settings = site.system.settings
    assert settings is not None
    engine = make_engine(settings.db_url)
    with make_sessionmaker(engine)() as session:
        commune = session.get(Area, site.commune_id)
        assert commune is not None
        code = commune.code
    engine.dispose()
    return code


def test_phone_resident_finds_and_plays_an_aired_bulletin(site: Site, phone: Page) -> None:
    title = "Thông báo lịch tiêm phòng dại cho chó mèo"
    aired = add_article(site, title, "Ngày mai tiêm phòng dại tại nhà văn hoá thôn.")
    add_article(site, "Bản nháp chưa phát", "Chưa duyệt.", approved=False)
    bulletin_id = _air(site, aired, title)
    assert wait_for_outcomes(site.system, bulletin_id, 3, timeout_s=60) == {"completed": 3}

    code = _commune_code(site)
    phone.goto(site.url(f"/xa/{code}/"))
    assert phone.locator("h2", has_text=title).count() == 1
    assert phone.locator("h2", has_text="Bản nháp").count() == 0
    assert phone.locator("script").count() == 0
    assert phone.locator("header a[href*='/login'], nav").count() == 0
    player = phone.locator("audio[controls][preload=none]").first
    src = player.get_attribute("src")
    assert src and src.startswith(f"/xa/{code}/nghe/")
    # The browser can load the audio the player points at (as a resident's tap on play would).
    duration = phone.evaluate("""async (src) => { const a = new Audio(src); a.preload = 'metadata';
        await new Promise((ok, fail) => { a.onloadedmetadata = ok; a.onerror = fail; }); return a.duration; }""", src)
    assert duration > 0.5
    assert horizontal_overflow(phone) == 0
    assert small_tap_targets(phone) == []
    shot(phone, "public-page-phone")

    # Typed without accents, as on many phone keyboards; words only this bulletin has (other browser tests of the
    # same running system air "Tiêm phòng cho đàn gia cầm").
    phone.fill("input[name=q]", "tiem phong dai")
    phone.click("button[type=submit]")
    assert "q=tiem+phong+dai" in phone.url
    assert phone.locator("h2").all_inner_texts() == [title]
