"""The archive in a real browser: accessibility, layout at phone width, and three journeys."""

from __future__ import annotations

import re

import pytest

from tests.conftest import seed_path

from .conftest import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    axe_violations,
    new_page,
    page_problems,
    screenshot,
    unexpected_scripts,
)

pytestmark = pytest.mark.browser

MEETING = "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"
CASE = "/hoeje-taastrup/sager/17-10000/"
PAGE_TYPES = {
    "forside": "/",
    "kommune": "/hoeje-taastrup/",
    "udvalg": "/hoeje-taastrup/arbejdsmarkedsudvalget/",
    "moede": MEETING,
    "sag": CASE,
    "dokument": "/hoeje-taastrup/dokumenter/budgetbemaerkninger-socialudvalget-2022-2025/",
    "soegning": "/soeg/?q=frivillighedspolitik",
}


@pytest.mark.parametrize("width", ["telefon", "computer"])
def test_every_page_type_passes_axe_and_fits_the_screen(browser, site, axe_source, width):
    viewport = PHONE if width == "telefon" else DESKTOP
    assert page_problems(browser, site, axe_source, viewport, PAGE_TYPES) == {}


def test_axe_finds_violations_when_there_are_some(browser, axe_source):
    """The check above can fail: the same axe run flags a page with known WCAG errors."""
    page = new_page(browser, DESKTOP)
    page.set_content(
        '<html><body><main><img src="data:,"><p style="color:#bbb;background:#fff">lys tekst</p>'
        '<input type="text"></main></body></html>'
    )
    rules = {line.split(" ", 1)[0] for line in axe_violations(page, axe_source)}
    assert {"html-has-lang", "image-alt", "color-contrast", "label"} <= rules
    page.context.close()


def test_print_stylesheet_keeps_the_minutes_and_drops_the_navigation(browser, site):
    page = new_page(browser, DESKTOP)
    page.goto(site + MEETING)
    page.emulate_media(media="print")
    for hidden in [".site-header", ".breadcrumbs", ".toc-box", ".pager", ".site-footer"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ["h1", "#punkt-5 .decision", "#punkt-5 .cite", ".attendance"]:
        assert page.locator(shown).first.is_visible(), shown
    # Printed, the items run the full width of the page.
    assert page.locator("#punkt-1").bounding_box()["x"] < 50
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "moede-print.pdf"))
    page.context.close()


def test_pages_need_no_javascript(browser, site):
    """The pages ship no script but the search field's suggestions (an external file), and with
    JavaScript off the content and anchors still work."""
    page = new_page(browser, PHONE, javascript=False)
    for path in PAGE_TYPES.values():
        page.goto(site + path)
        assert unexpected_scripts(page) == [], path
    page.goto(site + MEETING + "#punkt-3")
    assert page.locator("#punkt-3 h2").is_visible()
    page.context.close()


def test_citizen_goes_from_home_to_a_decision(browser, site):
    """On a phone, with JavaScript off: home → municipality → committee → meeting → decision."""
    page = new_page(browser, PHONE, javascript=False)
    page.goto(site + "/")
    page.get_by_role("link", name="Høje-Taastrup Kommune").click()
    assert page.url == site + "/hoeje-taastrup/"
    assert page.get_by_role("heading", level=1).inner_text() == "Høje-Taastrup Kommune"

    page.get_by_role("table").get_by_role("link", name="Arbejdsmarkedsudvalget").click()
    assert page.url == site + "/hoeje-taastrup/arbejdsmarkedsudvalget/"

    page.get_by_role("link", name="Onsdag 2. juni 2021").click()
    assert page.url == site + MEETING
    breadcrumbs = page.get_by_role("navigation", name="Brødkrummesti").inner_text()
    assert "Høje-Taastrup Kommune" in breadcrumbs and "Arbejdsmarkedsudvalget" in breadcrumbs

    toc = page.get_by_role("navigation", name="Dagsorden")
    toc.get_by_role("link", name=re.compile("Evaluering af frivillighedspolitikken")).click()
    assert page.url.endswith("#punkt-3")
    item = page.locator("#punkt-3")
    # The anchor jump put the item at the top of the screen.
    assert abs(item.bounding_box()["y"]) < 50
    decision = item.locator(".decision").first
    assert decision.is_visible()
    assert "Arbejdsmarkedsudvalget" in decision.locator(".decision-head").inner_text()
    assert decision.locator(".badge").inner_text() == "Taget til efterretning"
    assert "Taget til efterretning." in decision.inner_text()
    screenshot(page, "rejse-borger-beslutning-360")
    page.context.close()


def test_journalist_follows_case_17_10000_through_every_committee(browser, site):
    page = new_page(browser, DESKTOP)
    page.goto(site + "/")
    page.get_by_label("Søg efter ord, emne eller sagsnummer").fill("17/10000")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_url(site + CASE)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Sag 17/10000")

    steps = page.locator(".timeline-step")
    bodies = steps.locator(".timeline-body").all_inner_texts()
    assert bodies == [
        "Arbejdsmarkedsudvalget",
        "Institutions- og Skoleudvalget",
        "Fritids- og Kulturudvalget",
        "Arbejdsmarkedsudvalget",
        "Ældre- og Sundhedsudvalget",
        "Socialudvalget",
    ]
    status = page.get_by_role("region", name="Hvor står sagen nu?").inner_text()
    assert "Socialudvalget" in status and "Økonomiudvalget og Byrådet" in status

    targets = steps.locator(".trail-source a").evaluate_all("links => links.map(a => a.href)")
    assert len(targets) == len(bodies)
    for index, (body, target) in enumerate(zip(bodies, targets, strict=True)):
        page.locator(".timeline-step").nth(index).locator(".trail-source a").click()
        page.wait_for_url(target)
        anchor = target.split("#", 1)[1]
        assert re.fullmatch(r"punkt-\d+-beslutning-\d+", anchor)
        decision = page.locator(f"#{anchor}")
        assert decision.is_visible()
        # The link lands on that committee's decision, inside a punkt of case 17/10000.
        assert decision.locator(".decision-body").inner_text() == body
        item = page.locator(f"article.item:has(#{anchor})")
        assert "Sag 17/10000" in item.locator(".item-meta").inner_text()
        if index < len(bodies) - 1:
            page.go_back()
            page.wait_for_url(site + CASE)
    screenshot(page, "rejse-journalist-punkt-1280")
    page.context.close()


ADMIN_UPLOAD = "/admin/minutes/sourcefile/upload/"


def test_admin_logs_in_and_uploads_minutes(browser, site, tmp_path):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("redaktoer", "redaktoer@example.org", "hemmelig-42")
    # A meeting the archive does not hold yet: the 1 April 2020 minutes moved to 2 September 2020.
    text = seed_path("004").read_text("utf-8")
    text = text.replace("01-04-2020", "02-09-2020").replace("01. april 2020", "02. september 2020")
    upload = tmp_path / "amu_2020-09-02.txt"
    upload.write_text(text, "utf-8")

    page = new_page(browser, DESKTOP)
    page.goto(site + "/admin/login/?next=" + ADMIN_UPLOAD)
    page.locator("input[name=username]").fill("redaktoer")
    page.locator("input[name=password]").fill("hemmelig-42")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(site + ADMIN_UPLOAD)

    page.locator("input[name=files]").set_input_files(str(upload))
    page.locator("select[name=municipality]").select_option(label="Høje-Taastrup Kommune")
    page.get_by_role("button", name="Forhåndsvis").click()
    page.get_by_role("button", name="Indlæs").click()
    page.wait_for_load_state()
    result = page.locator("body").inner_text()
    # The result page, past the preview (which says what "bliver oprettet").
    assert "oprettet" in result and "bliver oprettet" not in result
    screenshot(page, "rejse-admin-upload-1280")

    # The uploaded meeting is now a public page.
    response = page.goto(site + "/hoeje-taastrup/arbejdsmarkedsudvalget/2020-09-02/")
    assert response is not None and response.status == 200
    assert "Status på Plan for det specialiserede socialområde" in page.content()
    page.context.close()
