"""Browser tests: Debian's chromium driven by Playwright against a real LocalSystem (Mosquitto, SQLite, web,
scheduler, three in-process loudspeaker nodes with the file player).

Skipped only when /usr/bin/chromium is missing (`make test` installs it); Playwright never downloads a browser
here. Screenshots go to test-artifacts/screenshots/ (git-ignored) so a person can look at the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from launcher.system import LocalSystem
from radio.db.models import Area, AreaLevel, Role, User
from radio.db.session import make_engine, make_sessionmaker

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "mat-khau-trinh-duyet"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Playwright waits at most this long for any one element or navigation: a stuck page fails fast.
ACTION_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test here `browser`; skip them, with the reason, only when chromium is missing."""
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (Debian package `chromium`; `make test` installs it)")
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(skip)


@dataclass(frozen=True)
class Site:
    """The running system as the browser tests see it."""

    system: LocalSystem
    base_url: str
    commune_id: int
    village_ids: list[int]

    def url(self, path: str) -> str:
        return self.base_url + path


def _add_users(system: LocalSystem) -> None:
    """One account per role, straight into the database (werkzeug hashes, as the web checks them)."""
    assert system.settings is not None and system.seed is not None
    engine = make_engine(system.settings.db_url)
    with make_sessionmaker(engine)() as session:
        commune = session.get(Area, system.seed.commune_id)
        assert commune is not None and commune.level == AreaLevel.COMMUNE
        password = generate_password_hash(PASSWORD)
        for username, name, role, area_id in [
            ("bientap", "Lê Văn Biên", Role.BROADCASTER, commune.id),
            ("lanhdao", "Trần Thị Lãnh", Role.LEADER, commune.id),
            ("giamsat", "Phạm Giám Sát", Role.MONITOR, commune.parent_id),
        ]:
            if session.scalar(select(User).where(User.username == username)) is None:
                session.add(User(username=username, full_name=name, role=role, area_id=area_id,
                                 password_hash=password))
        session.commit()
    engine.dispose()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    system = LocalSystem(tmp_path_factory.mktemp("browser-system"), nodes=3, player="file")
    system.start()
    try:
        _add_users(system)
        assert system.seed is not None
        yield Site(system, system.base_url, system.seed.commune_id, system.seed.village_ids)
    finally:
        system.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def login(page: Page, site: Site, username: str) -> None:
    page.goto(site.url("/login"))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_selector("form.logout")


def logout(page: Page) -> None:
    page.click("form.logout button")
    page.wait_for_selector("#username")


def shot(page: Page, name: str, *, full_page: bool = True) -> Path:
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 = nothing to scroll sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def small_tap_targets(page: Page, minimum_px: int = 32) -> list[str]:
    """Visible buttons and button-like links smaller than a fingertip, described for the failure message."""
    return list(page.evaluate(
        """(minimum) => Array.from(document.querySelectorAll('button, a.button, input[type=submit]'))
            .filter(el => el.offsetParent !== null && !el.classList.contains('link'))
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, r]) => r.height < minimum || r.width < minimum)
            .map(([el, r]) => `${el.textContent.trim()} (${Math.round(r.width)}x${Math.round(r.height)})`)""",
        minimum_px))



def add_article(site: Site, title: str, body: str, *, approved: bool = True) -> int:
    """An article with real synthesized audio, written straight into the database (setup, not the journey)."""
    from audio_library import AudioLibrary
    from radio.db.models import Article, ArticleStatus
    from station.assets import upsert_audio_asset

    settings = site.system.settings
    assert settings is not None
    asset = AudioLibrary(settings.audio_dir).synthesize(f"{title}.\n{body}")
    engine = make_engine(settings.db_url)
    with make_sessionmaker(engine)() as session:
        row = upsert_audio_asset(session, asset)
        article = Article(title=title, body=body, language="vi", commune_id=site.commune_id, audio_id=row.id,
                          status=ArticleStatus.APPROVED if approved else ArticleStatus.DRAFT)
        session.add(article)
        session.commit()
        article_id = article.id
    engine.dispose()
    return article_id
