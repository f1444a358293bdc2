"""Layouts of web-published minutes beyond the development set, written here in their shape:
an OS2dagsorden (Drupal) meeting page, and attendance noted in prose."""

from __future__ import annotations

from datetime import date

import pytest

from minutes.parsing import parse
from minutes.parsing.conventions import attendance_notes

# The shape of an OS2dagsorden meeting page as text: an English-formatted date in the header,
# no committee in it, each item `Pkt. N` with its case line, and each decision under a line
# naming the committee, the meeting's date and the item.
OS2DAGSORDEN = """Referat

Dato: Torsdag, March 7, 2024 - 17:00
Sted: Mødelokale 3

  Pkt. 12

  Godkendelse af dagsorden

  Sagsnr. 401122 Teknik- og Miljøudvalget Åbent punkt

  Teknik- og Miljøudvalget, 07-03-2024, pkt. 12

  Dagsordenen blev godkendt.

  Pkt. 13

  Ny belysning på stisystemet

  Sagsnr. 398877 Teknik- og Miljøudvalget Åbent punkt

  Resume

  Forvaltningen foreslår LED-belysning på de kommunale stier.

  Indstilling

  Forvaltningen indstiller, at projektet godkendes.

  Sagsfremstilling

  Belysningen er udtjent og bruger meget strøm.

  Teknik- og Miljøudvalget, 07-03-2024, pkt. 13

  Godkendt.

  Pkt. 14

  Orientering om vejarbejder

  Sagsnr. 398901 Teknik- og Miljøudvalget Åbent punkt

  Teknik- og Miljøudvalget, 07-03-2024, pkt. 14

  Taget til efterretning.
"""


def test_an_os2dagsorden_page_gives_its_committee_date_and_decisions():
    doc = parse(OS2DAGSORDEN.encode("utf-8"), filename="moede.txt", municipality="Roskilde")
    assert (doc.kind, doc.committee, doc.date) == (
        "minutes",
        "Teknik- og Miljøudvalget",
        date(2024, 3, 7),
    )
    assert [(i.number, i.title, i.case_number) for i in doc.items] == [
        (12, "Godkendelse af dagsorden", "401122"),
        (13, "Ny belysning på stisystemet", "398877"),
        (14, "Orientering om vejarbejder", "398901"),
    ]
    decisions = [
        (d.body, d.date, d.outcome, d.this_meeting, d.text)
        for item in doc.items
        for d in item.decisions
    ]
    assert decisions == [
        (
            "Teknik- og Miljøudvalget",
            date(2024, 3, 7),
            "approved",
            True,
            "Dagsordenen blev godkendt.",
        ),
        ("Teknik- og Miljøudvalget", date(2024, 3, 7), "approved", True, "Godkendt."),
        ("Teknik- og Miljøudvalget", date(2024, 3, 7), "noted", True, "Taget til efterretning."),
    ]
    assert [s.heading for s in doc.items[1].sections] == [
        "Resume",
        "Indstilling",
        "Sagsfremstilling",
    ]
    assert not [w for w in doc.warnings if "overskriften" in w]


def test_a_line_naming_another_body_and_item_is_not_this_meetings_decision():
    text = OS2DAGSORDEN.replace(
        "  Teknik- og Miljøudvalget, 07-03-2024, pkt. 13\n",
        "  Økonomiudvalget, 12-02-2024, pkt. 4\n\n  Anbefalet.\n\n"
        "  Teknik- og Miljøudvalget, 07-03-2024, pkt. 13\n",
    )
    doc = parse(text.encode("utf-8"), filename="moede.txt", municipality="Roskilde")
    item = doc.items[1]
    assert [(d.body, d.date, d.this_meeting) for d in item.decisions] == [
        ("Økonomiudvalget", date(2024, 2, 12), False),
        ("Teknik- og Miljøudvalget", date(2024, 3, 7), True),
    ]


def test_absence_written_as_prose_names_everyone_and_no_pronoun():
    notes = attendance_notes(
        "Der er afbud fra Mette Holm, Jens Lund Kristensen og Sara Berg.\n\n"
        "Anders Vinther (V), Lone Dahl og Ib Madsen var fraværende."
    )
    assert [(a.name, a.party, a.status) for a in notes] == [
        ("Anders Vinther", "V", "absent"),
        ("Lone Dahl", None, "absent"),
        ("Ib Madsen", None, "absent"),
        ("Mette Holm", None, "absent"),
        ("Jens Lund Kristensen", None, "absent"),
        ("Sara Berg", None, "absent"),
    ]


# The shape of a web page whose items are accordions: the title, then the same numbered heading
# in the panel, a case line with document number, `Beslutningstema`, and under each decision
# heading an absence field that is often empty.
ACCORDIONS = """Teknisk Udvalg – Referat – 4. november 2019

1. Godkendelse af dagsorden

1.     Godkendelse af dagsorden

Sagsnr.: 100-2019-1111        Dok.nr.: 100-2019-2222        Åbent
Kompetence: Teknisk Udvalg
Beslutningstema
Godkendelse af dagsorden.
Indstilling
Direktøren indstiller, at dagsordenen godkendes.
Beslutning i Teknisk Udvalg den 4. november 2019:
Fraværende:
Godkendt.

2. Vintertjeneste 2019-2020

2.     Vintertjeneste 2019-2020

Sagsnr.: 100-2019-3333        Dok.nr.: 100-2019-4444        Åbent
Kompetence: Teknisk Udvalg
Beslutningstema
Regulativ for vintertjeneste.
Indstilling
Direktøren indstiller, at regulativet godkendes.
Beslutning i Teknisk Udvalg den 4. november 2019:
Fraværende:
Taget til efterretning.
"""


def test_a_heading_printed_twice_is_one_item_and_an_empty_absence_field_no_one():
    doc = parse(ACCORDIONS.encode("utf-8"), filename="referat.txt", municipality="Tårnby")
    assert (doc.committee, doc.date) == ("Teknisk Udvalg", date(2019, 11, 4))
    assert [(i.number, i.title, i.case_number) for i in doc.items] == [
        (1, "Godkendelse af dagsorden", "100-2019-1111"),
        (2, "Vintertjeneste 2019-2020", "100-2019-3333"),
    ]
    assert [[(d.outcome, d.text) for d in i.decisions] for i in doc.items] == [
        [("approved", "Godkendt.")],
        [("noted", "Taget til efterretning.")],
    ]
    assert [s.heading for s in doc.items[1].sections] == [
        "Kompetence",
        "Beslutningstema",
        "Indstilling",
    ]
    assert doc.attendance == []  # "Fraværende:" above "Godkendt." names no one


def test_metadata_under_a_heading_is_not_text_initials_and_a_bare_status_line_included():
    text = """Byrådet

Referat fra mødet den 17. september 2019 kl. 17:00

1.      Trafiksikkerhedsplan

Sag 306-2019-600

Dok. 306-2019-263412

Initialer: PIM

Åbent

Sagsfremstilling

Planen er revideret efter høringen.

Beslutning

Godkendt.
"""
    doc = parse(text.encode("utf-8"), filename="referat.txt", municipality="Odsherred")
    (item,) = doc.items
    assert item.case_number == "306-2019-600"
    assert [(s.heading, s.text) for s in item.sections] == [
        ("Sagsfremstilling", "Planen er revideret efter høringen.")
    ]


def test_items_numbered_nr_with_a_dash_are_items():
    text = """Økonomiudvalget
Referat
Mødedato: 23. marts 2015, kl. 16:00

Nr.60 - Godkendelse af dagsordenen

Beslutning i Økonomiudvalget den 23-03-2015

Godkendt.

Nr.61 - Salg af grund

Sagsnr.: 15/2222

Beslutning i Økonomiudvalget den 23-03-2015

Anbefales.
"""
    doc = parse(text.encode("utf-8"), filename="referat.txt", municipality="Fredensborg")
    assert [(i.number, i.title, i.case_number) for i in doc.items] == [
        (60, "Godkendelse af dagsordenen", None),
        (61, "Salg af grund", "15/2222"),
    ]
    assert [[d.outcome for d in i.decisions] for i in doc.items] == [["approved"], ["recommended"]]


def test_a_page_that_opens_with_its_body_and_date_and_numbers_its_items():
    """No 'Referat' line: the body's name and the date open the page; items are numbered and
    their sections (Sagstema, Redegørelse, …) and decisions say they are items."""
    text = """Kommunalbestyrelsen
30. aug 2022

136. Godkendelse af dagsorden

Sagstema

Godkendelse af dagsorden til dagens møde.

Redegørelse

Dagsordenen godkendes som første punkt.

Indstilling

Til godkendelse.

Beslutning

Godkendt.

137. Mødeplan 2023

Sagstema

Tidspunkter for møderne i 2023.

Høring og sagsgang

Økonomiudvalget har behandlet sagen.

Beslutning

Godkendt.
"""
    doc = parse(text.encode("utf-8"), filename="side.txt", municipality="Thisted")
    assert (doc.kind, doc.committee, doc.date) == (
        "minutes",
        "Kommunalbestyrelsen",
        date(2022, 8, 30),
    )
    assert [(i.number, i.title) for i in doc.items] == [
        (136, "Godkendelse af dagsorden"),
        (137, "Mødeplan 2023"),
    ]
    assert [s.heading for s in doc.items[0].sections] == ["Sagstema", "Redegørelse", "Indstilling"]
    assert [
        [(d.body, d.date, d.outcome, d.this_meeting) for d in i.decisions] for i in doc.items
    ] == [[("Kommunalbestyrelsen", date(2022, 8, 30), "approved", True)]] * 2


def test_items_whose_number_stands_under_their_title():
    """A page that prints each item's title and then `Sag nr. N`, members with their roles
    first, and the earlier bodies' decisions as `<Udvalg>, <dato>, pkt. N:` lines."""
    text = """Kommunalbestyrelsen

24-09-2019

Medlemmer

Formand Erik Nielsen (A)
Mogens Brauer (C)

Sager 129 - 130

Spørgetid
Sag nr. 129

Beslutningskompetence: KB

Beslutning

Taget til efterretning.

Tillæg 1 til Lokalplan 145 - endelig vedtagelse
Sag nr. 130

Beslutningskompetence: KB

Indstilling

Forvaltningen indstiller, at tillægget vedtages.

Teknik- og Miljøudvalget, 10. september 2019, pkt. 65:

Anbefales.

Beslutning

Godkendt.
"""
    doc = parse(text.encode("utf-8"), filename="side.txt", municipality="Rødovre")
    assert (doc.committee, doc.date) == ("Kommunalbestyrelsen", date(2019, 9, 24))
    assert [(i.number, i.title) for i in doc.items] == [
        (129, "Spørgetid"),
        (130, "Tillæg 1 til Lokalplan 145 - endelig vedtagelse"),
    ]
    assert [(d.body, d.date, d.outcome, d.this_meeting) for d in doc.items[1].decisions] == [
        ("Teknik- og Miljøudvalget", date(2019, 9, 10), "recommended", False),
        ("Kommunalbestyrelsen", date(2019, 9, 24), "approved", True),
    ]
    assert [(a.name, a.party) for a in doc.attendance] == [
        ("Erik Nielsen", "A"),
        ("Mogens Brauer", "C"),
    ]


LONG = (
    "idet udvalget samtidig bad forvaltningen om at vende tilbage med en plan for den videre "
    "inddragelse af borgerne, af de lokale foreninger og af erhvervslivet i området, og at "
    "planen skal indeholde en tidsplan og et budget for hele forløbet frem til og med 2026"
)


def test_long_paragraphs_with_a_heading_word_stay_text_and_long_labelled_headings_count():
    # Lines longer than any heading skip the heading classifiers (a third of a meeting's lines):
    # a labelled heading (colon within its first 61 characters) or a line opening with its
    # decision word must still be read as one however long, and prose naming a decision stays.
    doc = parse(
        "Referat\nTeknik- og Miljøudvalget\nMødedato: 7. marts 2024\n\n"
        "1. Ny belysning på stisystemet\nSagsnr. 24/1234\n\n"
        f"Sagsfremstilling\nDenne sag er en opfølgning på Byrådets beslutning om stierne, {LONG}.\n\n"
        f"Indstilling: Forvaltningen indstiller, at projektet godkendes, {LONG}.\n\n"
        f"Beslutning: Godkendt, {LONG}.\n".encode()
    )
    (item,) = doc.items
    sections = {s.heading: s.text for s in item.sections}
    assert sections["Sagsfremstilling"].startswith("Denne sag er en opfølgning på Byrådets")
    assert sections["Indstilling"].startswith("Forvaltningen indstiller, at projektet godkendes")
    (decision,) = item.decisions
    assert decision.text.startswith("Godkendt, idet udvalget") and decision.outcome == "approved"


@pytest.mark.parametrize("gap", [" " * 90, "\t" * 90, "\u2003" * 90, " \u00a0" * 45])
def test_a_heading_spread_out_by_runs_of_spaces_is_still_a_heading(gap):
    # Over 200 characters as printed, a short heading once its runs of whitespace are one
    # space (a PDF export's spacing): the classifiers still read it, whatever the whitespace.
    heading = f"Byrådets{gap}beslutning{gap}den 3. maj 2021"
    doc = parse(
        "Referat\nByrådet\nMødedato: 3. maj 2021\n\n"
        "1. Ny belysning på stisystemet\nSagsnr. 24/1234\n\n"
        "Sagsfremstilling\nDer er behov for ny belysning.\n\n"
        f"{heading}\nGodkendt.\n".encode()
    )
    (item,) = doc.items
    assert [(d.body, d.date, d.text) for d in item.decisions] == [
        ("Byrådet", date(2021, 5, 3), "Godkendt.")
    ]
