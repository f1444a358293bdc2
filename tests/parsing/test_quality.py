"""The signs of a failed read: every good parse passes, every typical misreading is named."""

from __future__ import annotations

from datetime import date

import pytest

from minutes.parsing import Attendee, Item, ParsedDocument, parse, quality

from .conftest import FIXTURES, PDF


def meeting(**changes) -> ParsedDocument:
    doc = ParsedDocument(
        kind="minutes",
        municipality="Aarhus Kommune",
        committee="Teknisk Udvalg",
        term=None,
        date=date(2025, 10, 8),
        location="Rådhuset, mødesal 1",
        attendance=[Attendee("Anna Hansen", "A"), Attendee("Bo Jensen", "V", "absent")],
        items=[
            Item(number=n, title=title, raw_title=title)
            for n, title in enumerate(
                ["Godkendelse af dagsorden", "Lokalplan 1234", "Budget 2026", "Eventuelt"], 1
            )
        ],
    )
    for name, value in changes.items():
        setattr(doc, name, value)
    return doc


@pytest.mark.parametrize(
    "path",
    [*sorted((FIXTURES / "seeds").glob("*.txt")), PDF],
    ids=lambda p: p.name,
)
def test_the_real_documents_read_well_have_no_problems(path):
    assert quality.problems(parse(path.read_bytes())) == []


def test_a_good_meeting_has_no_problems():
    assert quality.problems(meeting()) == []


@pytest.mark.parametrize(
    ("committee", "why"),
    [
        ("Tilbage til forsi", "ligner et link eller en knap fra hjemmesiden"),
        ("Hent som PDF", "ligner et link eller en knap fra hjemmesiden"),
        ("Resume", "er en overskrift i dokumentet"),
        ("Beslutning", "er en overskrift i dokumentet"),
        ("Punkt", "er en etiket i dokumentet"),
        ("8. oktober 2025", "er en dato"),
        ("12", "er ikke et navn"),
    ],
)
def test_a_committee_that_is_not_a_body_is_named(committee, why):
    assert quality.problems(meeting(committee=committee)) == [
        f"Udvalget '{committee}' {why}, ikke et udvalgs navn."
    ]


@pytest.mark.parametrize(
    "committee",
    [
        "Byrådet",
        "Kommunalbestyrelsen",
        "Udvalget for Klima og Miljø (KMU)",
        "KMB IT-udvalget",
        "Forebyggelses- og Socialudvalget",
        "Regionsrådet",
        "Arbejdsgruppe vedr. ældreplan",
    ],
)
def test_real_body_names_pass(committee):
    assert quality.problems(meeting(committee=committee)) == []


def test_minutes_without_items_are_named():
    assert quality.problems(meeting(items=[])) == ["Referatet har ingen dagsordenspunkter."]
    assert quality.problems(meeting(kind="agenda", items=[])) == [
        "Dagsordenen har ingen dagsordenspunkter."
    ]


def test_an_item_page_has_one_item_and_that_is_fine():
    doc = meeting(item_page=True)
    doc.items = doc.items[1:2]
    assert quality.problems(doc) == []


def test_items_without_titles_are_named():
    doc = meeting()
    doc.items[1].title = " "
    assert quality.problems(doc) == ["Punkt 2 har ingen titel."]


def test_attendees_that_are_labels_are_named():
    doc = meeting(attendance=[Attendee("Punkt"), Attendee("Titel"), Attendee("Anna Hansen")])
    assert quality.problems(doc) == ["Mødedeltagerne 'Punkt', 'Titel' er ikke navne på personer."]


def test_a_place_that_is_a_date_is_named():
    assert quality.problems(meeting(location="8. oktober 2025")) == [
        "Mødestedet '8. oktober 2025' er en dato, ikke et sted."
    ]


def test_many_items_with_one_title_are_named():
    doc = meeting(
        items=[Item(number=n, title="Baggrund", raw_title="Baggrund") for n in range(1, 8)]
    )
    assert quality.problems(doc) == [
        "7 af 7 punkter har samme titel ('baggrund'); punkterne er sandsynligvis læst forkert."
    ]


def test_repeated_procedural_titles_are_normal():
    titles = ["Lukket punkt"] * 4 + ["Budget"]
    doc = meeting(items=[Item(number=n, title=t, raw_title=t) for n, t in enumerate(titles, 1)])
    assert quality.problems(doc) == []


def test_a_date_far_from_now_is_named():
    assert quality.problems(meeting(date=date(1901, 1, 1)), today=date(2026, 1, 1)) == [
        "Mødedatoen 01-01-1901 er ikke en troværdig mødedato."
    ]


def test_documents_are_not_judged_as_meetings():
    assert quality.problems(meeting(kind="document", items=[], committee=None)) == []
