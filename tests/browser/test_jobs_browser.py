"""An upload through the background jobs in a real browser without JavaScript: the progress page
reloads by itself (a Refresh header) until a real `manage.py worker` has read the files, then
the preview; after «Indlæs» the same for the ingestion, then the result. Screenshots at 360 and
1280 px, axe clean, no sideways scroll."""

from __future__ import annotations

import re

import pytest

from tests.test_jobs import DATABASE_BACKEND, run_worker_until_idle, seed_minutes

from .conftest import DESKTOP, PHONE, axe_violations, new_page, screenshot

pytestmark = pytest.mark.browser

ADMIN_UPLOAD = "/admin/minutes/sourcefile/upload/"
USER, PASSWORD = "redaktoer", "hemmelig-42"


def logged_in(browser, site, *, javascript: bool):
    page = new_page(browser, DESKTOP, javascript=javascript)
    page.goto(site + "/admin/login/?next=" + ADMIN_UPLOAD)
    page.locator("input[name=username]").fill(USER)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(site + ADMIN_UPLOAD)
    return page


def look_at(browser, site, url: str, name: str, axe_source: str) -> None:
    """The page at both widths: screenshots, no axe violation, no sideways scroll."""
    page = logged_in(browser, site, javascript=True)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(site + url + "?auto=0")  # still while it is looked at
        screenshot(page, f"{name}-{viewport['width']}")
        assert axe_violations(page, axe_source) == []
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.context.close()


def test_an_upload_shows_its_progress_and_reloads_until_the_worker_is_done(
    browser, site, settings, tmp_path, axe_source
):
    from django.contrib.auth import get_user_model

    settings.TASKS = DATABASE_BACKEND  # jobs wait for the worker, as in production
    get_user_model().objects.create_superuser(USER, "redaktoer@example.org", PASSWORD)
    paths = []
    for name, data in [*seed_minutes(2, year=2035), ("tom.txt", b" ")]:
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)

    page = logged_in(browser, site, javascript=False)
    page.locator("input[name=files]").set_input_files([str(p) for p in paths])
    page.get_by_label("Kommune").select_option(label="Høje-Taastrup Kommune")
    page.get_by_role("button", name="Forhåndsvis").click()
    page.wait_for_load_state()
    progress = page.locator("progress#upload-progress")
    assert progress.get_attribute("max") == "3" and progress.get_attribute("value") == "0"
    assert "0 af 3 filer læst (0 %)" in page.locator("#content-main").inner_text()
    preview_path = page.url.removeprefix(site)
    look_at(browser, site, preview_path, "admin-upload-laeses", axe_source)

    run_worker_until_idle()
    # No click and no script: the page reloads itself and shows the preview.
    page.get_by_text("3 filer, heraf 2 klar til at blive indlæst.").wait_for(timeout=20_000)
    assert "tom.txt: Filen er tom." in page.locator("#content-main").inner_text()

    page.get_by_role("button", name="Indlæs").click()
    page.wait_for_load_state()
    assert "0 af 3 filer indlæst (0 %)" in page.locator("#content-main").inner_text()
    result_path = page.url.removeprefix(site)
    assert re.fullmatch(rf"{ADMIN_UPLOAD}[0-9a-f-]+/resultat/", result_path)
    look_at(browser, site, result_path, "admin-upload-indlaeses", axe_source)

    run_worker_until_idle()
    page.get_by_text("3 filer behandlet. Uploaden er færdig.").wait_for(timeout=20_000)
    text = page.locator("#upload-result").inner_text()
    assert "oprettet" in text and "Filen er tom." in text
    page.context.close()
    look_at(browser, site, result_path, "admin-upload-resultat", axe_source)
