"""The main pages of each role on a phone (390×844) and a laptop (1366×768): a screenshot of each is kept under
test-artifacts/screenshots/ (git-ignored) for a person to look at, and nothing is wider than the screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_pages import ROLE_PAGES, seed_content
from conftest import Site, login, shot
from playwright.sync_api import Browser, Page

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
# The pages each role starts its day on (the accessibility test walks them all).
MAIN = {
    "bientap": ("home", "articles", "article", "bulletin-new", "bulletin", "calendar"),
    "lanhdao": ("home", "article", "emergency"),
    "giamsat": ("reports", "province-board", "period-report", "audit"),
}

# Visible elements sticking out of the viewport, unless an ancestor scrolls or clips them on purpose.
TOO_WIDE_JS = """() => {
  const width = window.innerWidth;
  const clipped = el => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  return Array.from(document.body.querySelectorAll('*'))
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.width > 1 && (r.right > width + 1 || r.left < -1 || r.width > width + 1) && !clipped(el))
    .slice(0, 5)
    .map(([el, r]) => {
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.')
                                                                    : '';
      const id = el.id ? '#' + el.id : '';
      return `${el.tagName.toLowerCase()}${id}${cls} (${Math.round(r.left)}..${Math.round(r.right)})`;
    });
}"""


@pytest.fixture(params=list(VIEWPORTS))
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    name = request.param
    context = browser.new_context(viewport=VIEWPORTS[name], locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  is_mobile=name == "phone", has_touch=name == "phone")
    context.set_default_timeout(15_000)
    yield name, context.new_page()
    context.close()


@pytest.mark.timeout(120)
def test_main_pages_fit_the_screen_and_are_kept_as_screenshots(screen: tuple[str, Page], site: Site) -> None:
    device, page = screen
    ids = seed_content(site)
    problems: dict[str, object] = {}
    for role, names in MAIN.items():
        login(page, site, role)
        paths = dict(ROLE_PAGES[role])
        for name in names:
            response = page.goto(site.url(paths[name].format(**ids)))
            assert response is not None and response.status == 200, (role, name)
            path = shot(page, f"{device}-{role}-{name}")
            assert path.stat().st_size > 0
            scroll = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            wide = page.evaluate(TOO_WIDE_JS)
            if scroll > 0 or wide:
                problems[f"{role}/{name}"] = {"scrolls_sideways_px": scroll, "too_wide": wide}
        page.context.clear_cookies()
    assert problems == {}, problems
