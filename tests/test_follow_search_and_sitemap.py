"""Issue 14's leftovers: the search page offers its feed near the top of the results, as the
other pages with a feed do, and sitemap.xml lists the pages about the archive and the people."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.core.cache import cache

from minutes import people
from minutes.models import Attendance, Municipality

pytestmark = pytest.mark.django_db

FEED_SENTENCE = "Atom-feed: læg adressen i en feedlæser"


def test_the_search_page_offers_to_follow_the_search_near_the_top_of_the_results(client):
    html = client.get(
        "/soeg/", {"q": "borgere", "kommune": "hoeje-taastrup", "sortering": "nyeste"}
    ).content.decode()
    # The feed of the same search and filters, in any order (a feed is newest first).
    feed = "/soeg/feed/?q=borgere&amp;kommune=hoeje-taastrup"
    offer = html.index(f'<a href="{feed}">Følg søgningen</a>')
    # Near the top of the results: after their heading, before the first result.
    assert html.index('id="results-heading"') < offer < html.index('<li class="result">')
    # With one sentence on what a feed is, as on the other pages (includes/follow.html).
    assert FEED_SENTENCE in html[offer : offer + 400]
    head = html.split("</head>", 1)[0]
    assert f'type="application/atom+xml" title="Nye træf for “borgere”" href="{feed}"' in head
    response = client.get(unescape(feed))
    assert response.status_code == 200
    assert ET.fromstring(response.content).findall("{http://www.w3.org/2005/Atom}entry")


@pytest.mark.parametrize("query", ["qwxyzzy", "17/99999"])
def test_a_search_without_results_offers_no_feed(client, query):
    html = client.get("/soeg/", {"q": query}).content.decode()
    assert "Følg søgningen" not in html and FEED_SENTENCE not in html


def _section(client, name: str) -> list[str]:
    response = client.get(f"/sitemap-{name}.xml")
    assert response.status_code == 200
    return re.findall(r"<loc>http://testserver([^<]+)</loc>", response.content.decode())


def test_the_sitemap_lists_the_pages_about_the_archive(client):
    cache.clear()
    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-sider.xml" in index
    pages = _section(client, "sider")
    assert sorted(pages) == sorted(
        ["/", "/om/", "/tilgaengelighed/", "/privatliv/", "/oversigt/", "/api/"]
    )
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_the_sitemap_lists_every_person_and_each_municipalitys_people(client):
    cache.clear()
    assert "http://testserver/sitemap-personer.xml" in client.get("/sitemap.xml").content.decode()
    urls = _section(client, "personer")
    assert len(urls) == len(set(urls)), "each page once"
    with_people = Municipality.objects.filter(
        pk__in=Attendance.objects.values("meeting__committee__municipality")
    )
    assert with_people.exists()
    expected = set()
    for municipality in with_people:
        expected.add(f"/{municipality.slug}/personer/")
        expected |= {person["url"] for person in people.people_of(municipality)}
    assert set(urls) == expected
    # The people pages answer.
    for url in sorted(urls)[:3] + sorted(urls)[-3:]:
        assert client.get(url).status_code == 200, url


def test_a_person_spelled_in_other_capitals_is_one_page_in_the_sitemap(client):
    cache.clear()
    before = _section(client, "personer")
    known = Attendance.objects.select_related("meeting__committee__municipality").first()
    Attendance.objects.create(
        meeting=known.meeting, position=999, name=known.name.upper(), status=known.status
    )
    cache.clear()
    assert sorted(_section(client, "personer")) == sorted(before)
    assert people.person_url(known.meeting.committee.municipality, known.name) in before
