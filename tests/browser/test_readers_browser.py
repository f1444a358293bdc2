"""What the readers bring in, seen in a real browser: an SBSYS package through the admin upload,
a FirstAgenda web page through `manage.py ingest`, a meeting assembled from item pages, and a
page the readers cannot read, held in the preview. Screenshots at 360 and 1280 px, axe clean."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import FIXTURES
from tests.parsing.test_html_readers import KK_ITEM_PAGE
from tests.test_item_pages import ITEM_3
from tests.test_packages import LETTER, package

from .conftest import DESKTOP, PHONE, axe_violations, new_page, screenshot

pytestmark = pytest.mark.browser

ADMIN_UPLOAD = "/admin/minutes/sourcefile/upload/"
AARHUS = FIXTURES / "formats" / "aarhus_byraad_2025-10-08_DAGSORDEN.html"
EMPTY_PAGE = FIXTURES / "held" / "aarhus_byraad_2025-10-08_uden-punkter.html"


def admin_page(browser, site):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("redaktoer", "redaktoer@example.org", "hemmelig-42")
    page = new_page(browser, DESKTOP)
    page.goto(site + "/admin/login/?next=" + ADMIN_UPLOAD)
    page.locator("input[name=username]").fill("redaktoer")
    page.locator("input[name=password]").fill("hemmelig-42")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(site + ADMIN_UPLOAD)
    return page


def preview(page, path) -> str:
    page.locator("input[name=files]").set_input_files(str(path))
    page.get_by_role("button", name="Forhåndsvis").click()
    page.wait_for_load_state()
    return page.locator("#content-main").inner_text()


def look_at(browser, site, url: str, name: str, axe_source: str) -> None:
    """The public page at both widths: screenshots, no axe violation, no sideways scroll."""
    for viewport in (PHONE, DESKTOP):
        page = new_page(browser, viewport)
        response = page.goto(site + url)
        assert response is not None and response.status == 200, url
        screenshot(page, f"{name}-{viewport['width']}")
        assert axe_violations(page, axe_source) == []
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.context.close()


def test_an_sbsys_package_goes_in_through_the_admin_with_its_bilag(
    browser, site, tmp_path, axe_source
):
    path = tmp_path / "Publication32.zip"
    path.write_bytes(package())
    page = admin_page(browser, site)
    shown = preview(page, path)
    assert "Læst af\tpackage:sbsys-xml" in shown or "package:sbsys-xml" in shown
    assert "KMB IT-udvalget" in shown
    screenshot(page, "admin-pakke-forhaandsvisning-1280")
    page.get_by_role("button", name="Indlæs").click()
    page.wait_for_load_state()
    assert "Publication32.zip" in page.locator("body").inner_text()

    url = "/ballerup/kmb-it-udvalget/2013-05-15/"
    page.goto(site + url)
    toc = page.get_by_role("navigation", name="Dagsorden")
    assert toc.get_by_role("link").count() == 5
    with page.expect_download() as download:
        page.get_by_role("link", name=LETTER).click()
    assert download.value.suggested_filename == "1.pdf"
    page.context.close()
    look_at(browser, site, url, "moede-sbsys-pakke", axe_source)


def test_a_firstagenda_page_goes_in_through_the_ingest_command(browser, site, axe_source):
    call_command("ingest", str(AARHUS), "--no-progress", stdout=StringIO())
    url = "/aarhus/aarhus-byraad/2025-10-08/"
    page = new_page(browser, DESKTOP)
    page.goto(site + url)
    toc = page.get_by_role("navigation", name="Dagsorden")
    assert toc.get_by_role("link").count() == 33
    # Item 2's trail: the Sagsforløb decisions of the bodies that had the budget before.
    bodies = page.locator("#punkt-2 .decision-body").all_inner_texts()
    assert len(bodies) == 4
    assert "Magistraten" in bodies
    page.context.close()
    look_at(browser, site, url, "moede-firstagenda-side", axe_source)


def test_item_pages_add_up_to_a_meeting(browser, site, tmp_path, axe_source):
    page = admin_page(browser, site)
    for name, data in (("punkt-5.html", KK_ITEM_PAGE.encode()), ("punkt-3.html", ITEM_3)):
        path = tmp_path / name
        path.write_bytes(data)
        shown = preview(page, path)
        assert "item-page-html" in shown
        page.get_by_role("button", name="Indlæs").click()
        page.wait_for_load_state()
        page.goto(site + ADMIN_UPLOAD)
    page.context.close()
    url = "/koebenhavns/oekonomiudvalget/2024-03-12/"
    look_at(browser, site, url, "moede-punktsider", axe_source)
    page = new_page(browser, DESKTOP)
    page.goto(site + url)
    titles = page.locator("article.item h2").all_inner_texts()
    assert len(titles) == 2
    assert "Salg af Kødbyens gamle lagerhal" in titles[0]
    assert "Udbud af rengøring" in titles[1]
    page.context.close()


def test_a_page_the_readers_cannot_read_is_held_in_the_preview(browser, site):
    page = admin_page(browser, site)
    shown = preview(page, EMPTY_PAGE)
    assert "holdes tilbage: ser forkert læst ud" in shown
    assert "Dagsordenen har ingen dagsordenspunkter." in shown
    screenshot(page, "admin-tilbageholdt-1280")
    page.set_viewport_size(PHONE)
    screenshot(page, "admin-tilbageholdt-360")
    page.get_by_role("button", name="Indlæs").click()
    page.wait_for_load_state()
    assert "tilbageholdt" in page.locator("body").inner_text()
    response = page.goto(site + "/aarhus/aarhus-byraad/2025-10-08/")
    assert response is not None and response.status == 404
    page.context.close()
