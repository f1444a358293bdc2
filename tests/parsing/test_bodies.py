"""A body's name, the one definition every reader uses (`minutes.parsing.bodies`)."""

from __future__ import annotations

from datetime import date

import pytest

from minutes.parsing.bodies import nominative, readable_capitals, same_body, settle_this_meeting
from minutes.parsing.model import Decision, Item, ParsedDocument

from .conftest import parse_text


@pytest.mark.parametrize(
    ("written", "base"),
    [
        ("Økonomiudvalgets", "Økonomiudvalget"),
        ("FORRETNINGSUDVALGETS", "Forretningsudvalget"),
        ("Sundheds- og Forebyggelsesudvalgets", "Sundheds- og Forebyggelsesudvalget"),
        ("BØRNE- OG UNGEUDVALGET", "Børne- og Ungeudvalget"),
        ("Byrådets:", "Byrådet"),
        ("Magistraten", "Magistraten"),
    ],
)
def test_a_body_is_written_in_its_base_form(written, base):
    assert nominative(written) == base


def test_the_committee_keeps_its_own_spelling():
    assert nominative("KMB IT-UDVALGETS", "KMB IT-udvalget") == "KMB IT-udvalget"
    assert nominative("Udvalgets", "Teknikudvalget") == "Teknikudvalget"
    assert nominative("ØKONOMIUDVALGET", "Teknikudvalget") == "Økonomiudvalget"


@pytest.mark.parametrize(
    ("capitals", "readable"),
    [
        ("KMB IT-UDVALGET", "KMB IT-udvalget"),
        ("BY- OG BOLIGUDVALGET", "By- og Boligudvalget"),
        ("UDVALGET FOR ERHVERV OG BY", "Udvalget for erhverv og by"),
        ("KB", "KB"),
    ],
)
def test_capitals_are_made_readable(capitals, readable):
    assert readable_capitals(capitals) == readable


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Økonomiudvalget", "ØKONOMIUDVALGETS"),
        ("Udvalget for Klima og Miljø (KMU)", "Udvalget for Klima og Miljø"),
        ("Byrådet 2022-2025", "Byrådet"),
        ("Aarhus Byråd", "Byrådet"),
        ("Københavns Borgerrepræsentation", "Borgerrepræsentationen"),
    ],
)
def test_one_body_in_several_spellings(a, b):
    assert same_body(a, b) and same_body(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Aarhus Byråd", "Odense Byråd"),
        ("Teknisk Udvalg", "Udvalget"),
        ("Økonomiudvalget", "Teknikudvalget"),
        ("Økonomiudvalget", None),
    ],
)
def test_different_bodies(a, b):
    assert not same_body(a, b)


def _minutes(*decisions: Decision, meeting: date | None = date(2021, 6, 2)) -> ParsedDocument:
    return ParsedDocument(
        kind="minutes",
        municipality=None,
        committee="Arbejdsmarkedsudvalget",
        term=None,
        date=meeting,
        start_time=None,
        location=None,
        items=[Item(number=1, title="Punkt", raw_title="Punkt", decisions=list(decisions))],
    )


def _decision(body: str, when: date | None) -> Decision:
    return Decision(body=body, date=when, outcome="other", this_meeting=False, text="Godkendt.")


def test_this_meeting_is_the_own_body_on_the_meeting_date_only():
    doc = _minutes(
        _decision("Arbejdsmarkedsudvalget", date(2021, 5, 5)),
        _decision("Socialudvalget", date(2021, 6, 2)),
        _decision("Arbejdsmarkedsudvalgets", None),
        _decision("ARBEJDSMARKEDSUDVALGET", date(2021, 6, 2)),
        _decision("Arbejdsmarkedsudvalget", date(2021, 6, 2)),
    )
    settle_this_meeting(doc)
    assert [d.this_meeting for d in doc.items[0].decisions] == [False, False, False, True, False]
    doc.kind = "agenda"
    settle_this_meeting(doc)
    assert not any(d.this_meeting for d in doc.items[0].decisions)


def test_without_a_meeting_date_the_own_bodys_last_decision_is_this_meetings():
    doc = _minutes(
        _decision("Arbejdsmarkedsudvalget", date(2021, 5, 5)),
        _decision("Arbejdsmarkedsudvalget", date(2021, 6, 2)),
        _decision("Socialudvalget", date(2021, 6, 9)),
        meeting=None,
    )
    settle_this_meeting(doc)
    assert [d.this_meeting for d in doc.items[0].decisions] == [False, True, False]


def test_the_text_parser_falls_back_to_the_file_name_for_the_municipality():
    text = "REFERAT Teknikudvalget d. 05-03-2024\n\n1. Godkendelse af dagsorden\nGodkendt.\n"
    assert parse_text(text).municipality is None
    assert parse_text(text, filename="ballerup_teknik.txt").municipality == "Ballerup Kommune"
    named = "Gentofte Kommune\n" + text
    assert parse_text(named, filename="ballerup_teknik.txt").municipality == "Gentofte Kommune"


def test_an_agenda_header_over_this_meetings_decisions_is_minutes():
    from minutes.parsing import parse

    doc = parse(
        "DAGSORDEN Socialudvalget d. 05-03-2020\n\nPunkt 1: Budgetopfølgning\n20/1235\n\n"
        "Indstilling\nAdministrationen indstiller, at budgetopfølgningen godkendes.\n\n"
        "Beslutning Socialudvalget den 05-03-2020\nGodkendt.\n".encode()
    )
    assert doc.kind == "minutes"
    assert "overskriften siger dagsorden, men punkterne har mødets beslutninger" in doc.warnings
    assert [(d.body, d.this_meeting) for d in doc.items[0].decisions] == [("Socialudvalget", True)]
