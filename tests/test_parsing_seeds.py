"""The seed formats parse into the structure the archive stores."""

from __future__ import annotations

from datetime import date

import pytest

from minutes.parsing import ParseError, parse

from .conftest import seed_path


def test_header_attendance_and_items_of_the_2021_minutes():
    doc = parse(seed_path("000").read_bytes())
    assert (doc.kind, doc.committee, doc.date, doc.start_time, doc.location) == (
        "minutes",
        "Arbejdsmarkedsudvalget",
        date(2021, 6, 2),
        "16:00",
        "Mødelokale B203",
    )
    assert [i.number for i in doc.items] == [1, 2, 3, 4, 5, 6, 7]
    item5 = doc.items[4]
    assert item5.title == "Status på plan for det specialiserede socialområde for voksne 2021"
    assert item5.case_number == "17/10000"
    assert [(d.body, d.date, d.outcome, d.this_meeting) for d in item5.decisions] == [
        ("Institutions- og Skoleudvalget", date(2021, 6, 1), "recommended", False),
        ("Fritids- og Kulturudvalget", date(2021, 6, 1), "recommended", False),
        ("Arbejdsmarkedsudvalget", date(2021, 6, 2), "recommended", True),
        ("Ældre- og Sundhedsudvalget", date(2021, 6, 2), "recommended", False),
        ("Socialudvalget", date(2021, 6, 2), "recommended", False),
    ]
    assert doc.items[5].closed and doc.items[5].case_number == "20/22278"
    assert len(doc.items[1].attachments) == 4


def test_absent_member_and_vote_by_party():
    doc = parse(seed_path("001").read_bytes())
    absent = [a.name for a in doc.attendance if a.status == "absent"]
    assert absent == ["Emil Viskum"]
    votes = [(v.party, v.count, v.position) for v in doc.items[3].votes]
    assert votes == [("A", 1, "abstain"), ("Ø", 1, "absent"), ("B", 1, "for"), ("C", 4, "for")]


def test_kle_case_numbers_term_and_decision_blocks_of_lyngby():
    doc = parse(seed_path("002").read_bytes())
    assert (doc.committee, doc.term) == ("Forebyggelses- og Socialudvalget", "2022-2025")
    assert doc.items[2].case_number == "00.32.10-S55-55-23"
    assert doc.items[7].case_number == "27.00.00-Ø00-2-24"
    bodies = [(d.body, d.date) for d in doc.items[1].decisions]
    assert bodies[0] == ("Teknikudvalget", date(2024, 10, 29))
    assert len(bodies) == 7
    people = {(a.name, a.status) for a in doc.attendance}
    assert ("Gitte Kjær-Westermann", "absent") in people
    assert ("Cecilie Lindahl", "substitute") in people


def test_budget_remarks_are_a_document_with_numbered_sections():
    doc = parse(seed_path("003").read_bytes())
    assert doc.kind == "document"
    assert doc.title == "Budgetbemærkninger - Socialudvalget 2022-2025"
    headings = [s.heading for s in doc.document_sections]
    assert "1.1 Pension og Boligstøtte" in headings


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02\x03" * 100, b"Bare en tekst uden struktur."])
def test_unreadable_input_is_a_parse_error(data):
    with pytest.raises(ParseError):
        parse(data)
