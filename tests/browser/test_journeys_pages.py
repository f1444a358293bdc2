"""The new pages in a real browser (people, sources, the pages about the archive), the
journalist's feed validated for RFC 4287, and the admin correcting a wrongly read committee in
the upload preview."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.atom import atom_problems, entries
from tests.test_held import MISREAD

from .conftest import DESKTOP, PHONE, axe_violations, new_page, page_problems, screenshot

pytestmark = pytest.mark.browser

CASE = "/hoeje-taastrup/sager/17-10000/"
MEETING = "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"
NEW_PAGE_TYPES = {
    "personer": "/hoeje-taastrup/personer/",
    "person": "/lyngby-taarbaek/personer/cecilie-lindahl/",
    "om": "/om/",
    "tilgaengelighed": "/tilgaengelighed/",
    "privatliv": "/privatliv/",
    "oversigt": "/oversigt/",
    # Changed: names linked to people, "Følg …", the Kilde section.
    "moede-kilde": MEETING,
    "sag-foelg": CASE,
    "dokument-kilde": "/hoeje-taastrup/dokumenter/budgetbemaerkninger-socialudvalget-2022-2025/",
    "udvalg-personer": "/lyngby-taarbaek/forebyggelses-og-socialudvalget/",
}


@pytest.mark.parametrize("width", ["telefon", "computer"])
def test_the_new_pages_pass_axe_and_fit_the_screen(browser, site, axe_source, width):
    viewport = PHONE if width == "telefon" else DESKTOP
    assert page_problems(browser, site, axe_source, viewport, NEW_PAGE_TYPES) == {}


def test_the_new_pages_need_no_javascript(browser, site):
    page = new_page(browser, PHONE, javascript=False)
    for path in NEW_PAGE_TYPES.values():
        page.goto(site + path)
        assert page.locator("script").count() == 0, path
    page.context.close()


def test_citizen_goes_from_a_meeting_to_a_person_and_back(browser, site):
    page = new_page(browser, PHONE, javascript=False)
    page.goto(site + MEETING)
    page.get_by_role("region", name="Deltagere").get_by_role("link", name="Turan Akbulut").click()
    page.wait_for_url(site + "/hoeje-taastrup/personer/turan-akbulut/")
    assert page.get_by_role("heading", level=1).inner_text() == "Turan Akbulut"
    assert "regnes for samme person" in page.locator(".notice").inner_text()
    meetings = page.get_by_role("region", name="Møder")
    assert meetings.locator(".badge").all_inner_texts() == ["Til stede", "Afbud"]
    meetings.get_by_role("link").first.click()
    page.wait_for_url(site + MEETING)
    page.context.close()


def test_journalist_follows_the_case_feed_and_it_is_valid_atom(browser, site):
    page = new_page(browser, DESKTOP)
    page.goto(site + CASE)
    head_feed = page.locator('head link[rel=alternate][type="application/atom+xml"]')
    follow = page.get_by_role("link", name="Følg nye beslutninger i sagen")
    # Offered near the top: above the trail, on the first screen.
    assert follow.bounding_box()["y"] < DESKTOP["height"]
    href = follow.get_attribute("href")
    assert head_feed.get_attribute("href") == href
    response = page.request.get(site + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    body = response.body()
    assert atom_problems(body) == []
    titles = [title for _, title, _ in entries(body)]
    assert titles[0] == "Socialudvalget 2. juni 2021: anbefalet"
    assert len(titles) == 6
    page.context.close()


def test_journalist_downloads_the_original_of_a_meeting(browser, site):
    page = new_page(browser, DESKTOP)
    page.goto(site + MEETING)
    link = page.get_by_role("region", name="Kilde").get_by_role("link").first
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert re.fullmatch(r"000_[0-9a-f]+\.txt", download.suggested_filename)
    assert "REFERAT Arbejdsmarkedsudvalget" in Path(download.path()).read_text("utf-8")
    page.context.close()


ADMIN_UPLOAD = "/admin/minutes/sourcefile/upload/"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["telefon", "computer"])
def test_admin_corrects_a_wrongly_read_committee_in_the_preview(
    browser, site, axe_source, tmp_path, viewport
):
    from django.contrib.auth import get_user_model

    from minutes.models import Meeting

    get_user_model().objects.create_superuser("redaktoer", "redaktoer@example.org", "hemmelig-42")
    upload = tmp_path / "side.txt"
    upload.write_bytes(MISREAD)

    page = new_page(browser, viewport)
    page.goto(site + "/admin/login/?next=" + ADMIN_UPLOAD)
    assert page.title().endswith("Referatarkivet – administration")
    page.locator("input[name=username]").fill("redaktoer")
    page.locator("input[name=password]").fill("hemmelig-42")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(site + ADMIN_UPLOAD)
    page.locator("input[name=files]").set_input_files(str(upload))
    page.locator("select[name=municipality]").select_option(label="Høje-Taastrup Kommune")
    page.get_by_role("button", name="Forhåndsvis").click()

    # The preview holds the file: the committee read is a link of the web page, not a body.
    problems = page.locator(".upload-problems")
    assert "Tilbage til forsi" in problems.inner_text()
    assert "0 klar til at blive indlæst" in page.locator("#content-main").inner_text()
    page.get_by_label("Udvalg").fill("Socialudvalget")
    page.get_by_role("button", name="Vis rettelserne").click()
    page.wait_for_load_state()
    facts = page.locator(".upload-file .facts").inner_text()
    assert "Socialudvalget" in facts and "bliver oprettet" in facts
    assert "1 klar til at blive indlæst" in page.locator("#content-main").inner_text()
    screenshot(page, f"rejse-admin-rettelse-{viewport['width']}")
    assert axe_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    page.get_by_role("button", name="Indlæs").click()
    page.wait_for_load_state()
    assert "oprettet" in page.locator("#upload-result").inner_text()
    meeting = Meeting.objects.get(source__file_name="side.txt")
    assert meeting.committee.name == "Socialudvalget"
    response = page.goto(site + meeting.get_absolute_url())
    assert response is not None and response.status == 200
    page.context.close()
