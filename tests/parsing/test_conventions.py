"""Danish conventions: dates, times, case numbers, outcomes, votes, attendance notes."""

from __future__ import annotations

from datetime import date

import pytest

from minutes.parsing import ParseError, parse
from minutes.parsing.conventions import (
    CASE_NUMBER_PATTERNS,
    attendance_notes,
    classify_outcome,
    find_case_number,
    find_date,
    find_time,
    normalise_case_number,
)
from minutes.parsing.headings import attachment_heading, decision_heading
from minutes.parsing.vocabulary import (
    ATTACHMENT_HEADINGS,
    ATTACHMENT_WORDS,
    DECISION_HEADINGS,
    DECISION_WORDS,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("d. 02-06-2021", date(2021, 6, 2)),
        ("Dato: 04.12.2012", date(2012, 12, 4)),
        ("tirsdag den 4. december 2012, kl. 13:00", date(2012, 12, 4)),
        ("Onsdag d. 02. juni 2021 kl. 16:00", date(2021, 6, 2)),
        ("den 5. maj 2020", date(2020, 5, 5)),
        ("3. sept. 2019", date(2019, 9, 3)),
        ("4/12-2012", date(2012, 12, 4)),
        ("05.02.20", date(2020, 2, 5)),
        ("2024-10-31", date(2024, 10, 31)),
        ("31-02-2024 og 01-03-2024", date(2024, 3, 1)),  # an impossible date is skipped
        ("ingen dato her", None),
    ],
)
def test_find_date(text, expected):
    assert find_date(text) == expected


def _printed_dates():
    """Every way the minutes print a date, for days across decades, month ends, leap days and
    days that do not exist."""
    spellings = {
        1: ("januar", "jan."),
        2: ("februar", "feb"),
        3: ("marts", "mar."),
        4: ("april", "apr"),
        5: ("maj", "Maj"),
        6: ("juni", "jun."),
        7: ("juli", "jul"),
        8: ("august", "aug."),
        9: ("september", "sept.", "sep"),
        10: ("oktober", "okt."),
        11: ("november", "nov"),
        12: ("december", "dec."),
    }
    for year in (1899, 1900, 1999, 2000, 2012, 2024, 2025, 2100, 2101):
        for month in range(1, 13):
            for day in (1, 9, 10, 28, 29, 30, 31):
                yield f"{day}-{month}-{year}"
                yield f"{day:02d}.{month:02d}.{year}"
                yield f"{day}/{month}-{year}"
                yield f"{year}-{month:02d}-{day:02d}"
                for name in spellings[month]:
                    yield f"{day}. {name} {year}"
                    yield f"{day} {name} {year}"


def test_plain_dates_are_read_as_dateparser_reads_them(monkeypatch):
    """The fast reading of plain dates (2-6-2021, 2021-06-02, 2. juni 2021) gives what
    dateparser gives for every one of them, impossible days and years out of range included."""
    from minutes.parsing import conventions

    tokens = list(_printed_dates())
    fast = [conventions._parse_date_token.__wrapped__(token) for token in tokens]
    monkeypatch.setattr(conventions, "_PLAIN_DATE", __import__("re").compile(r"(?!)"))
    slow = [conventions._parse_date_token.__wrapped__(token) for token in tokens]
    differ = [(t, f, s) for t, f, s in zip(tokens, fast, slow, strict=True) if f != s]
    assert not differ, differ[:10]
    assert date(2024, 2, 29) in fast and fast.count(None) > 100


def test_find_time():
    assert find_time("kl. 9.30") == "09:30"
    assert find_time("kl. 16") == "16:00"
    assert find_time("16:00 - 18:00") is None
    assert find_time("16:00 - 18:00", bare=True) == "16:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17/10000", "17/10000"),
        ("00.32.10-S55-55-23", "00.32.10-S55-55-23"),
        ("27.00.00-Ø00-2-24", "27.00.00-Ø00-2-24"),
        ("Sagsnr.: 2013-12345 Dok.nr.: 2013-99999", "2013-12345"),
        ("Dok.nr.: 2013-99999 Sagsnr.: 2013-12345", "2013-12345"),
        ("Sags ID: EMN-2024-001234", "EMN-2024-001234"),
        ("Sagsnummer 330-2019-1234", "330-2019-1234"),
        ("Sag nr. 57", "57"),
        ("Sagnr.: 24/123", "24/123"),
    ],
)
def test_find_case_number(text, expected):
    assert find_case_number(text) == expected


@pytest.mark.parametrize(
    ("printed", "normalised"),
    [
        ("17/10000", "17/10000"),
        ("2017/10000", "17/10000"),
        ("sag 17-10000", "17/10000"),
        ("Sagsnr.: 17 / 010000", "17/10000"),
        ("00.32.10-s55-55-23", "00.32.10-S55-55-23"),
        ("EMN-2024-001234", "EMN-2024-001234"),
        ("Sag nr. 57", "57"),
    ],
)
def test_normalise_case_number(printed, normalised):
    assert normalise_case_number(printed) == normalised


def test_case_number_patterns_match_whole_printed_numbers():
    for number in ("17/10000", "00.32.10-S55-55-23", "2013-12345", "EMN-2024-001234"):
        assert any(pattern.fullmatch(number) for pattern in CASE_NUMBER_PATTERNS)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Godkendt.", "approved"),
        ("Indstillingen godkendt", "approved"),
        ("Godkendt, og sagen oversendes til Byrådet.", "approved"),
        ("Anbefales godkendt.", "recommended"),
        ("Indstilles til godkendelse", "recommended"),
        ("Taget til efterretning", "noted"),
        ("Orientering givet.", "noted"),
        ("Ikke godkendt.", "rejected"),
        ("Forslaget faldt med 8 stemmer mod 21.", "rejected"),
        ("Udsat til næste møde.", "postponed"),
        ("Oversendes til budgetforhandlingerne.", "referred"),
        ("Udvalget ønsker en fornyet sag.", "other"),
        ("", "other"),
    ],
)
def test_classify_outcome(text, outcome):
    assert classify_outcome(text) == outcome


def test_attendance_notes_ignore_absence_during_one_item():
    notes = attendance_notes("Cecilie Lindahl (B) var fraværende under punktet.")
    assert notes == []


def test_attendance_notes_substitute_follows_absence():
    notes = attendance_notes("Bo Berg (V) var fraværende. I stedet deltog Dorte Dahl (V).")
    assert [(a.name, a.party, a.status) for a in notes] == [
        ("Bo Berg", "V", "absent"),
        ("Dorte Dahl", "V", "substitute"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Filen er tom"),
        (b"   \n\n", "Filen er tom"),
        (b"\x00\x01\x02\x03" * 100, "binær"),
        (b"PK\x03\x04rest", "zip"),
        (b"Bare en tekst uden struktur.", "hverken et referat"),
    ],
)
def test_parse_errors_are_danish_and_say_what(data, message):
    with pytest.raises(ParseError, match=message):
        parse(data)


def test_every_decision_and_attachment_heading_passes_the_cheap_word_test():
    # decision_heading/attachment_heading skip their regexes for lines without these words; a
    # heading added to the sets without one of them would silently stop being recognised.
    for heading in DECISION_HEADINGS:
        assert any(word in heading for word in DECISION_WORDS), heading
        assert decision_heading(heading.capitalize()) is not None, heading
    for heading in ATTACHMENT_HEADINGS:
        assert any(word in heading for word in ATTACHMENT_WORDS), heading
        assert attachment_heading(heading.capitalize()) == (True, ""), heading
