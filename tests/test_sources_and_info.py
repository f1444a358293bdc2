"""Stored originals: every meeting and document links to the file it was read from, with its
versions, downloaded under its own name and never rendered as a page. And the pages about the
archive: Om, tilgængelighedserklæring, privatliv og cookies, a sitemap for people."""

from __future__ import annotations

import re

import pytest

from minutes.models import Municipality, SourceFile
from minutes.services.ingestion import ingest_file

from .conftest import FIXTURES, seed_path

pytestmark = pytest.mark.django_db

MEETING = "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"
DOCUMENT = "/hoeje-taastrup/dokumenter/budgetbemaerkninger-socialudvalget-2022-2025/"
INFO_PAGES = {
    "/om/": "Om Referatarkivet",
    "/tilgaengelighed/": "Tilgængelighedserklæring",
    "/privatliv/": "Privatliv og cookies",
    "/oversigt/": "Oversigt over sider",
}


def _source_links(html: str) -> list[str]:
    section = html.split('id="sources-heading"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'href="(/kilde/\d+/)"', section)


def test_a_meeting_links_to_its_original_which_downloads_byte_for_byte(client):
    links = _source_links(client.get(MEETING).content.decode())
    assert len(links) == 1
    response = client.get(links[0])
    assert response.status_code == 200
    path = seed_path("000")
    assert b"".join(response.streaming_content) == path.read_bytes()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{path.name}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_html_original_is_a_download_never_a_page(client):
    path = FIXTURES / "formats" / "aarhus_byraad_2025-10-08_DAGSORDEN.html"
    result = ingest_file(data=path.read_bytes(), file_name=path.name, municipality="Aarhus Kommune")
    html = client.get(result.meeting.get_absolute_url()).content.decode()
    (link,) = _source_links(html)
    response = client.get(link)
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Disposition"].startswith("attachment;")
    assert path.name in response["Content-Disposition"]
    # Opened anyway, it could run nothing: sandboxed, no sources of any kind.
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_a_new_version_is_listed_beside_the_first(client):
    path = seed_path("000")
    corrected = path.read_text("utf-8").replace(
        "Taget til efterretning.", "Taget til efterretning med bemærkninger.", 1
    )
    ingest_file(
        data=corrected.encode(),
        file_name="rettet-" + path.name,
        municipality="Høje-Taastrup Kommune",
    )
    html = client.get(MEETING).content.decode()
    links = _source_links(html)
    assert len(links) == 2
    section = html.split('id="sources-heading"', 1)[1]
    assert section.index(path.name) < section.index("version 1") < section.index("rettet-")
    assert "nyeste version" in section
    # Both stay downloadable: the earlier original is kept.
    assert b"".join(client.get(links[0]).streaming_content) == path.read_bytes()
    assert b"".join(client.get(links[1]).streaming_content) == corrected.encode()


def test_a_document_links_to_its_original(client):
    (link,) = _source_links(client.get(DOCUMENT).content.decode())
    assert client.get(link)["Content-Disposition"].startswith("attachment;")


def test_a_stored_file_that_is_no_source_is_not_served(client):
    orphan = SourceFile.objects.create(
        sha256="0" * 64,
        file_name="intern.txt",
        content=b"ikke offentlig",
        size=14,
        content_type="text",
        municipality=Municipality.objects.get(name="Høje-Taastrup Kommune"),
    )
    assert client.get(f"/kilde/{orphan.pk}/").status_code == 404
    assert client.get("/kilde/999999999/").status_code == 404


@pytest.mark.parametrize(("url", "heading"), INFO_PAGES.items())
def test_the_pages_about_the_archive_are_linked_from_every_page(client, url, heading):
    html = client.get(url).content.decode()
    assert f"<h1>{heading}</h1>" in html.replace("&shy;", "")
    footer = client.get(MEETING).content.decode().split('class="site-footer"', 1)[1]
    assert f'href="{url}"' in footer


def test_the_accessibility_statement_has_the_templates_headings(client):
    html = client.get("/tilgaengelighed/").content.decode()
    headings = re.findall(r"<h2 [^>]*>([^<]+)</h2>", html)
    assert headings == [
        "Oplever du, at der er ikke-tilgængeligt indhold?",
        "Overholdelsesstatus",
        "Ikke-tilgængeligt indhold",
        "Udarbejdelse af denne tilgængelighedserklæring",
        "Håndhævelsesprocedure",
    ]
    assert "webtilgængelighedsloven" in html and "WCAG 2.1" in html


def test_the_contact_is_the_operators(client, settings):
    assert "har endnu ikke oplyst" in client.get("/tilgaengelighed/").content.decode()
    settings.CONTACT_EMAIL = "redaktion@example.dk"
    settings.CONTACT_PHONE = "12 34 56 78"
    html = client.get("/tilgaengelighed/").content.decode()
    assert '<a href="mailto:redaktion@example.dk">' in html and 'href="tel:12345678"' in html


@pytest.mark.parametrize(
    "url", [*INFO_PAGES, "/", MEETING, DOCUMENT, "/hoeje-taastrup/personer/", "/soeg/?q=botilbud"]
)
def test_privacy_holds_no_page_sets_a_cookie_for_a_visitor(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies and "Set-Cookie" not in response.headers


def test_the_about_page_names_sources_and_update_times(client):
    html = client.get("/om/").content.decode()
    row = re.search(r"Høje-Taastrup Kommune</a></th>(.*?)</tr>", html, re.S).group(1)
    # Its three seed meetings (the fourth seed file is a document), the newest of them.
    assert '<td class="num">3</td>' in row
    assert "2. juni 2021" in row  # the newest
    assert "holdt tilbage" in html and "samme navn" in html


def test_the_human_sitemap_lists_municipalities_committees_and_documents(client):
    html = client.get("/oversigt/").content.decode()
    for href in [
        "/hoeje-taastrup/",
        "/hoeje-taastrup/arbejdsmarkedsudvalget/",
        "/hoeje-taastrup/personer/",
        "/lyngby-taarbaek/forebyggelses-og-socialudvalget/",
        DOCUMENT,
        "/sitemap.xml",
    ]:
        assert f'href="{href}"' in html, href


def test_no_web_font_is_named_that_is_not_shipped():
    from .conftest import ROOT

    css = (ROOT / "static" / "css" / "archive.css").read_text("utf-8")
    families = re.findall(r"font-family:([^;]+);", css)
    assert families and all("Plex" not in f for f in families)
    assert "@font-face" not in css


def test_a_meetings_sources_are_found_through_indexes_not_by_reading_every_item():
    """The originals of a meeting: its versions' files and its item pages' files, each looked
    up by the meeting (an OR across both joins read every item of the archive: 120 ms of a
    meeting's first render at 200,000 items)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minutes.models import Meeting
    from minutes.selectors import source_versions

    meeting = Meeting.objects.get(date="2021-06-02", committee__slug="arbejdsmarkedsudvalget")
    with CaptureQueriesContext(connection) as captured:
        sources = source_versions(meeting=meeting)
    assert [s.pk for s in sources] == [meeting.source_id]
    (query,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
        plan = cursor.fetchone()[0]

    def items_read(node: dict) -> int:
        own = node["Actual Rows"] * node["Actual Loops"]
        here = own if node.get("Relation Name") == "minutes_agendaitem" else 0
        return here + sum(items_read(child) for child in node.get("Plans", []))

    assert 0 < items_read(plan[0]["Plan"]) <= meeting.items.count()
