"""The Atom feeds are valid RFC 4287 (author, ids, updated) and dated by the minutes, so a
re-parse of the same minutes announces nothing again."""

from __future__ import annotations

import pytest

from minutes.services.ingestion import ingest_file

from .atom import atom_problems, entries
from .conftest import seed_path

pytestmark = pytest.mark.django_db

COMMITTEE_FEED = "/hoeje-taastrup/arbejdsmarkedsudvalget/feed/"
CASE_FEED = "/hoeje-taastrup/sager/17-10000/feed/"
FEEDS = [COMMITTEE_FEED, CASE_FEED, "/soeg/feed/?q=botilbud", "/soeg/feed/?q=ingenting-xyzzy"]


def test_the_checker_finds_what_rfc_4287_requires():
    """The check below can fail: a feed without author, entry dates or ids is named."""
    bare = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>/relativ</id>'
        b"<updated>2024-01-01</updated><entry><title>e</title></entry></feed>"
    )
    found = " | ".join(atom_problems(bare))
    assert "feed: no atom:author" in found
    assert "is not an absolute IRI" in found and "is not RFC 3339" in found
    assert "entry 1: 0 atom:id" in found and "entry 1: 0 atom:updated" in found
    assert "neither atom:content nor a link" in found


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_has_the_elements_rfc_4287_requires(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert atom_problems(response.content) == []
    assert b"<author><name>Referatarkivet</name></author>" in response.content


def test_entries_are_dated_by_the_decision_and_the_meeting(client):
    case = entries(client.get(CASE_FEED).content)
    # "Socialudvalget 2. juni 2021: anbefalet": updated is the decision's day.
    assert case[0][1] == "Socialudvalget 2. juni 2021: anbefalet"
    assert case[0][2].startswith("2021-06-02T00:00:00")
    committee = entries(client.get(COMMITTEE_FEED).content)
    assert committee[0][2].startswith("2021-06-02T00:00:00")


def test_a_reparse_announces_nothing_again(client):
    before = {url: client.get(url).content for url in (COMMITTEE_FEED, CASE_FEED)}
    # A corrected version of the same minutes (new bytes: stored as a new version).
    path = seed_path("000")
    corrected = path.read_text("utf-8").replace(
        "Taget til efterretning.", "Taget til efterretning med bemærkninger.", 1
    )
    result = ingest_file(
        data=corrected.encode(), file_name=path.name, municipality="Høje-Taastrup Kommune"
    )
    assert result.status == "updated"
    for url, old in before.items():
        new = client.get(url).content
        assert [(i, u) for i, _, u in entries(new)] == [(i, u) for i, _, u in entries(old)], url
        # The feed's own updated is the newest entry's day, not the moment of the re-parse.
        assert new.split(b"<entry>")[0] == old.split(b"<entry>")[0], url


@pytest.mark.parametrize(
    ("page", "feed", "follow"),
    [
        ("/hoeje-taastrup/arbejdsmarkedsudvalget/", COMMITTEE_FEED, "Følg nye møder i udvalget"),
        (
            "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/",
            COMMITTEE_FEED,
            "Følg nye møder i udvalget",
        ),
        ("/hoeje-taastrup/sager/17-10000/", CASE_FEED, "Følg nye beslutninger i sagen"),
    ],
)
def test_a_page_offers_its_feed_in_the_head_and_near_the_top(client, page, feed, follow):
    html = client.get(page).content.decode()
    head, body = html.split("</head>", 1)
    assert 'type="application/atom+xml"' in head and f'href="{feed}"' in head
    offer = body.index(f'<a href="{feed}">{follow}</a>')
    # Near the top: before the page's first section heading, with what a feed is.
    assert offer < body.index("<h2")
    assert "Atom-feed: læg adressen i en feedlæser" in body[offer : offer + 400]
