"""What search did, on the page (issue 13): the notices pass axe at phone and desktop width and
read the same without JavaScript."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from .conftest import DESKTOP, PHONE, axe_violations, new_page, screenshot

pytestmark = pytest.mark.browser

NOTICES = {
    "soegning-forstaaet": ("Hoeje-Taastrup", "Søgningen forstået som"),
    "soegning-rettet": ("frivillihedspolitik", "Viser resultater for"),
    "soegning-mente-du": ("frivillihedspolitik xylofonkvartet", "Mente du"),
    "soegning-spoergsmaal": (
        "hvornår blev frivillighedspolitikken evalueret",
        "Ingen punkter indeholder alle ordene",
    ),
    "soegning-ukendt-sag": ("EMN 2025 009242", "findes ikke i arkivet"),
}


@pytest.mark.parametrize("width", ["telefon", "computer"])
def test_search_notices_pass_axe_and_need_no_javascript(browser, site, axe_source, width):
    viewport = PHONE if width == "telefon" else DESKTOP
    page = new_page(browser, viewport)
    without_js = new_page(browser, viewport, javascript=False)
    problems: dict[str, list[str]] = {}
    for name, (query, notice) in NOTICES.items():
        url = f"{site}/soeg/?{urlencode({'q': query})}"
        response = page.goto(url)
        assert response is not None and response.status == 200, query
        assert notice in page.inner_text("main"), query
        screenshot(page, f"{name}-{viewport['width']}")
        found = axe_violations(page, axe_source)
        if found:
            problems[query] = found
        without_js.goto(url)
        assert notice in without_js.inner_text("main"), query
    page.context.close()
    without_js.context.close()
    assert problems == {}
