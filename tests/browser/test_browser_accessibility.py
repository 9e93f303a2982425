"""axe-core on every main page, as each role: no serious or critical accessibility violation (issue 14).

axe-core is vendored (tests/browser/vendor, version and checksum in its README) because CI has no package
registry at test time. The pages forbid inline scripts (Content-Security-Policy), so the test's own browser
context bypasses the policy to inject it; the application itself is unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_pages import ROLE_PAGES, seed_content
from conftest import Site, login
from playwright.sync_api import Browser, BrowserContext, Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # axe-core 4.14.1
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source() -> str:
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, "vendored axe.min.js changed: update README and checksum"
    return data.decode("utf-8")


@pytest.fixture
def a11y_page(browser: Browser) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN",
                                                  timezone_id="Asia/Ho_Chi_Minh", bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def violations(page: Page, axe_source: str) -> list[str]:
    """Serious and critical axe violations of the page, one line each with the first offending elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [f"{v['impact']} {v['id']}: {v['help']} at {json.dumps(v['nodes'], ensure_ascii=False)}"
            for v in result if v["impact"] in BLOCKING]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_main_pages_have_no_serious_accessibility_violations(a11y_page: Page, site: Site, axe_source: str,
                                                             role: str) -> None:
    ids = seed_content(site)
    login(a11y_page, site, role)
    found: dict[str, list[str]] = {}
    for name, path in ROLE_PAGES[role]:
        response = a11y_page.goto(site.url(path.format(**ids)))
        assert response is not None and response.status == 200, (role, name, response and response.status)
        problems = violations(a11y_page, axe_source)
        if problems:
            found[name] = problems
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
