"""The search page and the exports in a real browser: a citizen finds what was decided about
botilbud, a journalist takes a case's trail and a search's decisions into a spreadsheet."""

from __future__ import annotations

import csv
import io
import re

import pytest

from .conftest import DESKTOP, PHONE, axe_violations, new_page, screenshot, unexpected_scripts

pytestmark = pytest.mark.browser

CASE = "/hoeje-taastrup/sager/17-10000/"
SEARCH_PAGES = {
    "tom": "/soeg/",
    "resultater": "/soeg/?q=botilbud",
    "fejl": "/soeg/?q=botilbud&kommune=xyz",
    "api": "/api/",
}
DANISH_MONTHS = [
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
]  # fmt: skip


def _iso(danish: str) -> str:
    """'2. juni 2021' → '2021-06-02'."""
    day, month, year = danish.replace(".", "").split()
    return f"{year}-{DANISH_MONTHS.index(month) + 1:02d}-{int(day):02d}"


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _downloaded_csv(page, link) -> list[dict[str, str]]:
    with page.expect_download() as info:
        link.click()
    data = open(info.value.path(), "rb").read()  # noqa: PTH123, SIM115 - the browser's temp file
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_search_pages_pass_axe_and_fit_the_screen(browser, site, axe_source, viewport):
    page = new_page(browser, viewport)
    width = viewport["width"]
    problems: dict[str, list[str]] = {}
    for name, path in SEARCH_PAGES.items():
        page.goto(site + path)
        screenshot(page, f"soeg-{name}-{width}")
        found = axe_violations(page, axe_source)
        if _overflow(page) > 0:
            found.append(f"{_overflow(page)}px wider than the screen")
        if found:
            problems[path] = found
    # The filters open: on a phone behind their summary, on a wide screen always.
    page.goto(site + "/soeg/?q=botilbud")
    kommune = page.get_by_label("Kommune", exact=True)
    if width == PHONE["width"]:
        assert not kommune.is_visible()
        page.get_by_text("Afgræns søgningen").click()
    assert kommune.is_visible()
    screenshot(page, f"soeg-filtre-aabne-{width}")
    found = axe_violations(page, axe_source)
    if found:
        problems["filters open"] = found
    page.context.close()
    assert problems == {}


def test_on_a_phone_the_filters_come_before_the_results(browser, site):
    page = new_page(browser, PHONE)
    page.goto(site + "/soeg/?q=botilbud")
    summary = page.get_by_text("Afgræns søgningen").bounding_box()
    first_result = page.locator(".result").first.bounding_box()
    assert summary["y"] < first_result["y"] and summary["y"] < 600
    page.context.close()


def test_citizen_finds_what_was_decided_about_botilbud_last_year(browser, site):
    """On a phone without JavaScript: search, choose the municipality by its name and the
    latest year, and read the decision in the results without opening an item."""
    page = new_page(browser, PHONE, javascript=False)
    page.goto(site + "/soeg/")
    page.get_by_label("Søg efter ord, emne eller sagsnummer").fill("botilbud")
    page.get_by_role("button", name="Søg", exact=True).click()
    assert page.get_by_role("heading", name=re.compile(r"^\d+ resultater$")).is_visible()

    page.get_by_text("Afgræns søgningen").click()
    page.get_by_label("Kommune", exact=True).select_option(label="Lyngby-Taarbæk Kommune (3)")
    years = page.get_by_label("År", exact=True).locator("option").all_inner_texts()
    latest = years[1]  # after "Alle år", newest first
    assert latest.startswith("2024")
    page.get_by_label("År", exact=True).select_option(label=latest)
    page.get_by_role("button", name="Vis resultater").click()

    assert "kommune=lyngby-taarbaek" in page.url and "aar=2024" in page.url
    assert page.get_by_role("heading", level=2, name="3 resultater").is_visible()
    chosen = page.get_by_role("list", name="Valgte afgrænsninger").inner_text()
    assert "Kommune: Lyngby-Taarbæk Kommune" in chosen and "År: 2024" in chosen
    # On the phone the filters stay folded under the search box; their summary counts them.
    summary = page.get_by_text("Afgræns søgningen (2 valgt)")
    assert summary.bounding_box()["y"] < page.locator(".result").first.bounding_box()["y"]
    summary.click()
    # The committee list now holds the chosen municipality's committees only.
    committees = page.get_by_label("Udvalg", exact=True).locator("option").all_inner_texts()
    assert committees[0] == "Alle udvalg"
    assert [c.rsplit(" (", 1)[0] for c in committees[1:]] == ["Forebyggelses- og Socialudvalget"]

    result = page.locator(".result").filter(has_text="Status på omdannelse af Magnetens Boenheder")
    outcome = result.locator(".result-outcome")
    assert outcome.locator(".badge").inner_text() == "Taget til efterretning"
    assert outcome.locator(".result-outcome-body").inner_text() == (
        "Forebyggelses- og Socialudvalget"
    )
    assert "31. oktober 2024" in outcome.inner_text()
    assert (
        outcome.locator(".result-outcome-text")
        .inner_text()
        .startswith("Orientering givet, idet udvalget bemærker, at sagen følges tæt.")
    )
    assert unexpected_scripts(page) == []
    screenshot(page, "rejse-borger-botilbud-360")
    page.context.close()


def test_citizen_is_told_what_is_wrong_with_a_municipality_typed_by_hand(browser, site):
    page = new_page(browser, DESKTOP)
    page.goto(site + "/soeg/?q=botilbud&kommune=H%C3%B8je%20T%C3%A5strup")
    alert = page.get_by_role("alert")
    assert "Mente du Høje-Taastrup Kommune?" in alert.inner_text()
    alert.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_kommune"
    page.get_by_label("Kommune", exact=True).select_option(value="hoeje-taastrup")
    page.get_by_role("button", name="Vis resultater").click()
    assert page.get_by_role("heading", level=2, name=re.compile("resultat")).is_visible()
    page.context.close()


def test_journalist_takes_case_17_10000_into_a_spreadsheet(browser, site):
    page = new_page(browser, DESKTOP)
    page.goto(site + "/soeg/")
    page.get_by_label("Søg efter ord, emne eller sagsnummer").fill("17/10000")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url(site + CASE)

    steps = page.locator(".timeline-step")
    shown = [
        {
            "date": _iso(step.locator(".timeline-date").inner_text()),
            "body": step.locator(".timeline-body").inner_text(),
            "outcome": step.locator(".timeline-head .badge").inner_text(),
            "decision": step.locator(".trail-decision .prose").inner_text(),
            "link": step.locator(".trail-source a").get_attribute("href"),
        }
        for step in steps.all()
    ]
    assert len(shown) == 6
    rows = _downloaded_csv(page, page.get_by_role("link", name="CSV til regneark"))
    assert len(rows) == len(shown)
    for row, step in zip(rows, shown, strict=True):
        assert row["Sagsnummer"] == "17/10000"
        assert row["Beslutningsdato"] == step["date"]
        assert row["Besluttet af"] == step["body"]
        assert row["Udfald"] == step["outcome"]
        assert row["Beslutning"].strip() == step["decision"].strip()
        assert row["URL"] == site + step["link"]
    page.context.close()


def test_journalist_downloads_a_search_with_its_decisions(browser, site):
    page = new_page(browser, DESKTOP)
    page.goto(site + "/soeg/?q=botilbud&sortering=nyeste")
    results = page.locator(".result")
    shown = [
        {
            "title": r.locator("h3").inner_text(),
            "body": r.locator(".result-outcome-body").inner_text(),
            "outcome": r.locator(".result-outcome .badge").inner_text(),
            "line": r.locator(".result-outcome-text").inner_text(),
        }
        for r in results.all()
    ]
    assert shown
    rows = _downloaded_csv(page, page.get_by_role("link", name="CSV til regneark"))
    assert [r["Titel"] for r in rows] == [s["title"] for s in shown]
    for row, result in zip(rows, shown, strict=True):
        assert row["Besluttet af"] == result["body"]
        assert row["Udfald"] == result["outcome"]
        assert row["Beslutning"].startswith(result["line"].rstrip(" …"))
        assert row["URL"].startswith(site + "/")
    page.context.close()
