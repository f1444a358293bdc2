"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

The live server needs transactional database access, and pytest-django flushes every table
after each transactional test — the seed minutes and even the municipalities of the data
migration. `site` puts the archive back before each browser test, and a package fixture puts
it back after the last one, so the tests that follow still find the session's seed data.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, ensure_archive, loopback_works

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# From axe-core 4.14.1's own sri-history.json: the vendored file is the published one.
AXE_SRI = "sha256-KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    if not any("browser" in item.keywords for item in items):
        return
    if not CHROMIUM.exists():
        reason = "Chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
    elif not loopback_works():
        reason = "no loopback network (e.g. under unshare -n): a browser cannot reach the server"
    else:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="package", autouse=True)
def _archive_restored_after_browser_tests(django_db_setup, django_db_blocker) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        ensure_archive()


@pytest.fixture
def site(live_server) -> str:
    """The live server's base URL, with the seed archive in the database."""
    ensure_archive()
    return live_server.url


@pytest.fixture(scope="session")
def axe_source() -> str:
    data = AXE.read_bytes()
    digest = "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert digest == AXE_SRI, "tests/browser/vendor/axe.min.js is not the published axe-core"
    return data.decode("utf-8")


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django would then refuse the
    # ORM calls the tests make themselves (creating the admin user), though they are plain sync
    # code. Allowed only while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def new_page(browser, viewport: dict, *, javascript: bool = True):
    # bypass_csp: axe-core is injected as an inline script, which the site's CSP forbids.
    context = browser.new_context(
        viewport=viewport, locale="da-DK", java_script_enabled=javascript, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def axe_violations(page, axe_source: str) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the loaded page, one readable line per node."""
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary),
            }));
        }""",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {node}" for v in violations for node in v["nodes"]
    ]


# The one script a page may ship: the search field's suggestions, an external file the page
# works without (static/js/suggest.js). No inline script anywhere (the CSP forbids it).
ENHANCEMENTS = ("/js/suggest",)


def unexpected_scripts(page) -> list[str]:
    """The page's scripts other than the progressive enhancements (inline ones as "inline")."""
    sources = page.eval_on_selector_all("script", "all => all.map(s => s.getAttribute('src'))")
    return [s or "inline" for s in sources if not s or not any(e in s for e in ENHANCEMENTS)]


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def page_problems(browser, site: str, axe_source: str, viewport: dict, pages: dict[str, str]):
    """Visit each page at the viewport's width: its screenshot, and per path what is wrong — axe
    violations, or the page wider than the screen (nothing may force sideways scrolling)."""
    page = new_page(browser, viewport)
    problems: dict[str, list[str]] = {}
    for name, path in pages.items():
        response = page.goto(site + path)
        assert response is not None and response.status == 200, path
        screenshot(page, f"{name}-{viewport['width']}")
        found = axe_violations(page, axe_source)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            found.append(f"the page is {overflow}px wider than the {viewport['width']}px screen")
        if found:
            problems[path] = found
    page.context.close()
    return problems
