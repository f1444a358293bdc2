"""The PDF families: FirstAgenda, Acadre and SBSYS prints, as text laid out the way pdfminer
gives it and as real PDFs (`pdfbuild`), each read by its family's reader.

The documents (`families/*.txt`, and the PDF pages below) are made up, modelled on how each
system prints minutes (the families described in the shared formats' README): the fields,
headings and decision forms are the systems' own, the people, cases and numbers invented.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from minutes.parsing import parse
from minutes.parsing.model import ParsedDocument
from minutes.parsing.quality import problems
from minutes.parsing.readers import acadre_pdf, firstagenda_pdf

from .conftest import parse_text
from .pdfbuild import build_pdf

FAMILIES = Path(__file__).with_name("families")

# --- Building PDFs: text at positions, so pdfminer makes the boxes and columns a print has ---


def positioned(entries: list[tuple[int, int, str]], size: int = 10) -> bytes:
    """A content stream printing each (x, y, text) in Helvetica (WinAnsi, so "–" prints)."""
    parts = []
    for x, y, text in entries:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        parts.append(
            b"BT /F1 %d Tf %d %d Td (" % (size, x, y) + escaped.encode("cp1252") + b") Tj ET"
        )
    return b"\n".join(parts)


def rows(x: int, top: int, block: str, step: int = 13) -> list[tuple[int, int, str]]:
    """The lines of `block` top-down from `top`; an empty line leaves a line's gap (pdfminer
    starts a new box there)."""
    lines = block.strip("\n").split("\n")
    return [(x, top - k * step, line) for k, line in enumerate(lines) if line]


def pdf(entries: list[tuple[int, int, str]]) -> bytes:
    return build_pdf(positioned(entries), compress=True)


def family(name: str) -> str:
    """A family document as pdfminer gives its text (`families/`): form feeds between pages,
    tabs between cells of one row, blank lines between boxes."""
    return (FAMILIES / name).read_text("utf-8")


def items_of(doc: ParsedDocument) -> list[tuple[int, str, str | None, bool, int]]:
    return [(i.number, i.title, i.case_number, i.closed, len(i.attachments)) for i in doc.items]


def decisions_of(doc: ParsedDocument) -> dict[int, list[tuple[str, date | None, str, bool]]]:
    return {
        i.number: [(d.body, d.date, d.outcome, d.this_meeting) for d in i.decisions]
        for i in doc.items
    }


def sections_of(doc: ParsedDocument, number: int) -> list[str]:
    return [s.heading for s in next(i for i in doc.items if i.number == number).sections]


def section(doc: ParsedDocument, number: int, heading: str) -> str:
    item = next(i for i in doc.items if i.number == number)
    return next(s.text for s in item.sections if s.heading == heading)


# --- FirstAgenda ------------------------------------------------------------------------------

FIRSTAGENDA = family("firstagenda.txt")


def test_firstagenda_minutes_header_items_and_titles_wrapped_over_three_lines():
    doc = parse_text(FIRSTAGENDA)
    assert doc.reader == "firstagenda-pdf"
    assert (doc.kind, doc.committee, doc.date, doc.start_time, doc.location) == (
        "minutes",
        "Børne- og Skoleudvalget",
        date(2025, 3, 12),
        "16:00",
        "Mødelokale 1, Rådhuset",
    )
    members = "Anne Marie Holm, Bo Kjærgaard, Camilla Lund, Dennis Riis, Else Munk, Frank Ibsen"
    assert [(a.name, a.status) for a in doc.attendance] == [
        (name, "present") for name in [*members.split(", "), "Gitte Vang"]
    ]
    assert items_of(doc) == [
        (1, "Godkendelse af dagsorden", "25/1012", False, 0),
        (
            2,
            "Ny skolestruktur for Vestbyen - udmøntning af Budgetaftale 2025 og høring af "
            "skolebestyrelserne på Vestbyskolen, Engskolen og Nørre Skole",
            "EMN-2025-003383",
            False,
            3,  # "Indstilling" is a listed document here, counted
        ),
        (3, "Kvalitetsrapport 2024 for folkeskolerne", "21/8910", False, 1),
        (4, "Klage over afgørelse om skoleplacering", "25/2210", True, 0),
        (5, "Underskriftsblad", "25/1012", False, 0),
    ]
    assert doc.items[3].raw_title == "Lukket: Klage over afgørelse om skoleplacering"
    assert problems(doc) == []


def test_firstagenda_beslutninger_first_sagsforloeb_entries_and_beslutningspunkter():
    doc = parse_text(FIRSTAGENDA)
    body = "Børne- og Skoleudvalget"
    assert decisions_of(doc) == {
        1: [(body, date(2025, 3, 12), "approved", True)],
        2: [
            # `Beslutninger` first, right under the case number: this meeting's.
            (body, date(2025, 3, 12), "approved", True),
            # The Sagsforløb: each entry a decision of its body on its date.
            (body, date(2025, 1, 15), "postponed", False),
            ("Økonomiudvalget", date(2025, 2, 3), "referred", False),
            ("Byrådet", date(2025, 2, 26), "approved", False),
        ],
        # No `Beslutninger`: the Sagsforløb entry of this body on this day is this meeting's.
        3: [(body, date(2025, 3, 12), "noted", True)],
        4: [(body, date(2025, 3, 12), "rejected", True)],
        5: [],
    }
    texts = [d.text for d in doc.items[1].decisions]
    assert texts[0].endswith("forlænges\ntil 1. maj 2025.")  # the lone "." is not text
    assert texts[2].startswith("Fremsendes til Børne- og Skoleudvalget med bemærkning")
    assert texts[3] == "Byrådet kunne tiltræde, at sagen behandles i Børne- og Skoleudvalget."
    # The recommendations under `Beslutningspunkter` are the Indstilling; the Bilag list is not.
    assert sections_of(doc, 2) == ["Resume", "Indstilling", "Sagsfremstilling"]
    assert section(doc, 2, "Indstilling").startswith("Det indstilles:\nAt 1) Børne- og Skole")
    assert section(doc, 2, "Indstilling").endswith("15. marts til 15. april 2025.")
    assert "Sagsforløb" not in section(doc, 2, "Indstilling")
    assert doc.items[1].attachments == [
        "Indstilling",
        "Bilag 1: Høringsmateriale - ny skolestruktur for Vestbyen",
        "Bilag 2: Kort over skoledistrikter i Vestbyen",
    ]
    assert section(doc, 3, "Indstilling") == (
        "At Børne- og Skoleudvalget tager kvalitetsrapporten til efterretning."
    )


def test_firstagenda_table_of_contents_is_dropped_whole_even_where_an_entry_wraps():
    text = firstagenda_pdf.drop_toc(FIRSTAGENDA)
    assert (
        "Indholdsfortegnelse" not in text
        and "skolebestyrelserne på Vestbyskolen, Engskolen" in text
    )
    before_items = text.split("Punkt 1:")[0]
    assert "Ny skolestruktur" not in before_items and "Underskriftsblad" not in before_items
    # Page breaks stay where they were.
    assert text.count("\f") == FIRSTAGENDA.count("\f")


def test_firstagenda_agenda_with_empty_beslutninger_blocks_stays_an_agenda():
    agenda = (
        FIRSTAGENDA.replace("REFERAT", "DAGSORDEN", 1)
        .replace("Beslutninger\nGodkendt.", "Beslutninger\n.")
        .replace("Beslutninger\nKlagen blev ikke imødekommet.", "Beslutninger\n.")
    )
    start = agenda.index("Beslutninger\nBørne- og Skoleudvalget godkendte")
    agenda = agenda[:start] + "Beslutninger\n.\n\n" + agenda[agenda.index("Resume") :]
    # An agenda's Sagsforløb cannot list the meeting's own decision yet.
    own = "Udvalg: Børne- og Skoleudvalget\nDato: 12-03-2025\nPunktnummer: 3\nTaget til efterretning.\n"
    assert own in agenda
    agenda = agenda.replace(own, "")
    doc = parse_text(agenda)
    assert doc.kind == "agenda"
    assert decisions_of(doc)[1] == [] and decisions_of(doc)[4] == []
    assert [(d.body, d.this_meeting) for d in doc.items[1].decisions] == [
        ("Børne- og Skoleudvalget", False),
        ("Økonomiudvalget", False),
        ("Byrådet", False),
    ]


def test_firstagenda_pdf_wrapped_title_labels_beside_values_and_sagsforloeb():
    labels = rows(72, 770, "Mødedato\nMødested\nMødedeltagere", step=26)
    values = """
Onsdag d. 05. marts 2025 kl. 15:30

Byrådssalen, Rådhuset

Lars Holm, Mette Kjær, Niels Krogh, Pia Lund,
Rasmus Toft
"""
    body = """
Punkt 1: Godkendelse af dagsorden

25/1103

Beslutninger
Godkendt.

Punkt 2: Trafiksikkerhedsplan 2025-2030 for Skolevejene i
Vestbyen og Nordbyen - endelig vedtagelse efter
Offentlig Høring

EMN-2024-010422

Beslutninger
Teknik- og Miljøudvalget kunne tiltræde indstillingen.

Beslutningspunkter
At 1) Trafiksikkerhedsplanen vedtages endeligt.
At 2) Anlægsbevillingen frigives.

Sagsforløb:
Udvalg: Teknik- og Miljøudvalget
Dato: 04-12-2024
Punktnummer: 7
Planforslaget blev godkendt og sendt i offentlig høring.

Bilag
Indstilling
Bilag 1: Trafiksikkerhedsplan 2025-2030
Bilag 2: Høringssvar

Punkt 3: Lukket: Erstatningssag vedrørende vejanlæg

21/8910

Beslutninger
Udsat.
"""
    page = (
        rows(72, 800, "REFERAT Teknik- og Miljøudvalget d. 05-03-2025")
        + labels
        + rows(170, 770, values)
        + rows(72, 680, body)
    )
    doc = parse(pdf(page))
    assert doc.reader == "firstagenda-pdf"
    assert (doc.committee, doc.date, doc.start_time, doc.location) == (
        "Teknik- og Miljøudvalget",
        date(2025, 3, 5),
        "15:30",
        "Byrådssalen, Rådhuset",
    )
    members = "Lars Holm, Mette Kjær, Niels Krogh, Pia Lund, Rasmus Toft"
    assert [a.name for a in doc.attendance] == members.split(", ")
    assert items_of(doc) == [
        (1, "Godkendelse af dagsorden", "25/1103", False, 0),
        (
            2,
            "Trafiksikkerhedsplan 2025-2030 for Skolevejene i Vestbyen og Nordbyen - endelig "
            "vedtagelse efter Offentlig Høring",
            "EMN-2024-010422",
            False,
            3,
        ),
        (3, "Erstatningssag vedrørende vejanlæg", "21/8910", True, 0),
    ]
    body = "Teknik- og Miljøudvalget"
    assert decisions_of(doc) == {
        1: [(body, date(2025, 3, 5), "approved", True)],
        2: [
            (body, date(2025, 3, 5), "approved", True),
            (body, date(2024, 12, 4), "approved", False),
        ],
        3: [(body, date(2025, 3, 5), "postponed", True)],
    }
    assert sections_of(doc, 2) == ["Indstilling"]
    assert problems(doc) == []


# --- Acadre -----------------------------------------------------------------------------------

ACADRE = family("acadre.txt")

KMU = "Udvalget for Klima og Miljø (KMU)"


def test_acadre_committee_with_its_code_running_numbers_and_two_column_members():
    doc = parse_text(ACADRE)
    assert doc.reader == "acadre-pdf"
    assert (doc.kind, doc.committee, doc.date, doc.start_time, doc.location) == (
        "minutes",
        KMU,  # the code's closing bracket is kept
        date(2013, 4, 10),
        "16:00",
        "Mødelokale 3, Rådhuset",
    )
    assert [(a.name, a.party, a.status) for a in doc.attendance] == [
        ("Anders Andersen", "A", "present"),
        ("Birgit Brask", "V", "present"),
        ("Carsten Clausen", "A", "present"),
        ("Dorthe Dam", "O", "present"),
        ("Erik Eskildsen", "F", "present"),
        ("Frida Fog", "V", "present"),
        ("Gert Gram", "A", "absent"),
    ]
    # Yearly running numbers; the numbered lists in the items are no items; the signature page
    # is not one either.
    assert items_of(doc) == [
        (715, "Godkendelse af dagsorden", "13/4410", False, 0),
        (
            716,
            "Udbud af vintertjeneste 2013-2017 for kommunens veje, stier og pladser",
            "13/1290",
            False,
            2,
        ),
        (717, "Spildevandsplan 2013-2016 - endelig vedtagelse", "12/8873", False, 0),
        (718, "Meddelelser", "13/0021", False, 0),
    ]
    assert sections_of(doc, 716) == ["Sagsfremstilling", "Indstilling"]
    assert "Side 4" not in section(doc, 716, "Sagsfremstilling")
    assert problems(doc) == []


def test_acadre_title_line_with_the_body_first_keeps_the_code():
    title = "Udvalget for Klima og Miljø (KMU) - Referat - 10. april 2013"
    doc = parse_text(title + ACADRE.split("(KMU)", 1)[1])
    assert (doc.committee, doc.date) == (KMU, date(2013, 4, 10))
    assert [i.number for i in doc.items] == [715, 716, 717, 718]


def test_acadre_several_dated_decisions_only_the_meeting_days_of_its_body_is_this_meetings():
    doc = parse_text(ACADRE)
    assert decisions_of(doc) == {
        715: [(KMU, date(2013, 4, 10), "approved", True)],
        716: [
            (KMU, date(2013, 3, 13), "postponed", False),
            (KMU, date(2013, 4, 10), "approved", True),
        ],
        717: [
            (KMU, date(2013, 4, 10), "recommended", True),
            ("Økonomiudvalget", date(2013, 4, 17), "recommended", False),
        ],
        718: [
            # Another body, the day before; its heading wrapped before the date.
            ("Udvalget for Sundhed, Ældre og Forebyggelse (SÆF)", date(2013, 4, 9), "noted", False),
            (KMU, date(2013, 4, 10), "noted", True),
        ],
    }
    assert doc.items[1].decisions[1].text == "Godkendt.\nGert Gram (A) var fraværende."


def test_acadre_running_header_and_signature_page_are_dropped_before_reading():
    text = acadre_pdf.prepare(ACADRE)
    assert "Side 3" not in text and "Side 6" not in text
    assert "Underskriftsside\t6" in text  # the table of contents' entry stays
    assert text.rstrip().endswith("Orientering givet.")  # the signature page is gone
    assert "Forebyggelse (SÆF) den 09-04-2013\n" in text


def test_acadre_pdf_members_in_two_columns_and_a_decision_without_the_code():
    header = """
Referat

Udvalget for Klima og Miljø (KMU)

Mødedato: 10-04-2013
Mødetidspunkt: 16:00
Mødested: Mødelokale 3, Rådhuset

Medlemmer:
"""
    item_716 = """
Indstilling
Teknik og Miljø indstiller,
1. Udbudsmaterialet godkendes.
2. Kontrakten tildeles det mest fordelagtige tilbud.

Beslutning i Udvalget for Klima og Miljø (KMU) den 13-03-2013
Udsat til næste møde.

Beslutning i Udvalget for Klima og Miljø den 10-04-2013
Godkendt.

Bilag
Udbudsmateriale vintertjeneste 2013-2017
Kort over ruter for vintertjeneste

717. Spildevandsplan 2013-2016 - endelig vedtagelse
"""
    item_717 = """
Beslutning i Udvalget for Klima og Miljø (KMU) den 10-04-2013
Anbefales.

Beslutning i Økonomiudvalget den 17-04-2013
Anbefales.


Underskriftsside

Anders Andersen (A)
Birgit Brask (V)
"""
    page = (
        rows(72, 800, header)
        # The members in two columns.
        + rows(72, 683, "Anders Andersen (A)\nCarsten Clausen (A)\nErik Eskildsen (F)")
        + rows(300, 683, "Birgit Brask (V)\nDorthe Dam (O)\nFrida Fog (V)")
        + rows(
            72,
            630,
            "Afbud:\nGert Gram (A)\n\n716. Udbud af vintertjeneste 2013-2017 for Kommunens Veje,\nStier og Pladser",
        )
        + rows(72, 565, "Sagsnr.: 13/1290")
        + rows(300, 565, "Sagen afgøres i: Udvalget for Klima og Miljø (KMU)")
        + rows(72, 539, item_716)
        + rows(72, 305, "Sagsnr.: 12/8873")
        + rows(300, 305, "Sagen afgøres i: Byrådet")
        + rows(72, 279, item_717)
    )
    doc = parse(pdf(page))
    assert doc.reader == "acadre-pdf"
    assert doc.committee == KMU
    # Column by column: the left one first.
    left, right = "Anders Andersen, Carsten Clausen, Erik Eskildsen", "Birgit Brask, Dorthe Dam"
    assert [(a.name, a.status) for a in doc.attendance] == [
        *((name, "present") for name in f"{left}, {right}, Frida Fog".split(", ")),
        ("Gert Gram", "absent"),
    ]
    assert items_of(doc) == [
        (
            716,
            "Udbud af vintertjeneste 2013-2017 for Kommunens Veje, Stier og Pladser",
            "13/1290",
            False,
            2,
        ),
        (717, "Spildevandsplan 2013-2016 - endelig vedtagelse", "12/8873", False, 0),
    ]
    assert decisions_of(doc) == {
        716: [
            (KMU, date(2013, 3, 13), "postponed", False),
            (KMU, date(2013, 4, 10), "approved", True),  # the body named without its code
        ],
        717: [
            (KMU, date(2013, 4, 10), "recommended", True),
            ("Økonomiudvalget", date(2013, 4, 17), "recommended", False),
        ],
    }
    assert problems(doc) == []


# --- SBSYS ------------------------------------------------------------------------------------

SBSYS_GROUP = family("sbsys_working_group.txt")


def test_sbsys_working_group_header_fields_in_a_column_and_hierarchical_items():
    doc = parse_text(SBSYS_GROUP)
    assert doc.reader == "sbsys-pdf"
    assert (doc.kind, doc.committee, doc.date, doc.start_time, doc.location) == (
        "minutes",
        "Styregruppen for Digitalisering og IT",
        date(2024, 3, 12),
        "13:00",
        "Mødelokale 2.14, Rådhuset",  # not the date
    )
    # "Anne Andersen, Bo Berg, Carl Clausen," wraps: its next line is still the Deltagere.
    present = ["Anne Andersen", "Bo Berg", "Carl Clausen", "Dorte Dahl"]
    assert [(a.name, a.status) for a in doc.attendance] == [
        *((name, "present") for name in present),
        ("Erik Eriksen", "absent"),
    ]
    # Top-level numbers are the items; 2.1 and 2.2 are parts of item 2.
    assert items_of(doc) == [
        (1, "Godkendelse af dagsorden og referat fra sidste møde", None, False, 0),
        (2, "Status på digitaliseringsstrategien", None, False, 0),
        (3, "Budget 2025 for IT-området", None, False, 0),
        (4, "Eventuelt", None, False, 0),
    ]
    assert sections_of(doc, 2) == ["2.1 Selvbetjeningsløsninger", "2.2 Ny intranetløsning"]
    assert section(doc, 2, "2.1 Selvbetjeningsløsninger") == (
        "Oplæg: Projektleder Hanne Holm gav status på de nye selvbetjeningsløsninger, der er\n"
        "taget i brug på byggesagsområdet."
    )
    assert section(doc, 1, "Oplæg").startswith("Dagsorden og referat fra mødet den 6. februar")
    assert problems(doc) == []


def test_sbsys_working_group_a_written_referat_is_this_meetings_decision():
    doc = parse_text(SBSYS_GROUP)
    group, day = "Styregruppen for Digitalisering og IT", date(2024, 3, 12)
    assert decisions_of(doc) == {
        1: [(group, day, "approved", True)],
        2: [(group, day, "noted", True), (group, day, "approved", True)],
        3: [(group, day, "noted", True)],
        4: [],  # an empty Referat: decides nothing
    }
    assert [d.text for d in doc.items[1].decisions] == [
        "Styregruppen tog orienteringen til efterretning.",
        "Styregruppen godkendte tidsplanen.",
    ]


def test_sbsys_working_group_pdf_with_label_and_number_columns():
    values = """
14. november 2023
09.00 - 11.30
Teknisk Forvaltning, lokale 1.12
Jens Juhl, Karin Kock, Lone Lind, Mads Mørk
Nina Nørby
"""
    part_1 = """
Skybrudsvej i Søndergade
Oplæg: Projektlederen gennemgik tidsplanen for anlægget,
der forventes færdigt i foråret 2024.
Referat: Arbejdsgruppen tog orienteringen til efterretning.
"""
    part_2 = """
Regnvandsbassin ved Engvej
Oplæg: Forslag til placering af bassinet.
Referat: Arbejdsgruppen godkendte placeringen.
"""
    page = (
        rows(72, 800, "Referat\n\nArbejdsgruppen for Klimatilpasning")
        # The header table: labels in one column, values in the next.
        + rows(72, 750, "Dato:\nTid:\nSted:\nDeltagere:\nAfbud:")
        + rows(160, 750, values)
        # The item numbers in a column of their own.
        + rows(72, 660, "1")
        + rows(110, 660, "Godkendelse af dagsorden\nReferat: Dagsordenen blev godkendt.")
        + rows(72, 620, "2")
        + rows(110, 620, "Status på skybrudsprojekter")
        + rows(72, 594, "2.1")
        + rows(110, 594, part_1)
        + rows(72, 530, "2.2")
        + rows(110, 530, part_2)
        + rows(72, 478, "3")
        + rows(110, 478, "Eventuelt\nReferat: Tomt indhold")
    )
    doc = parse(pdf(page))
    assert doc.reader == "sbsys-pdf"
    assert (doc.committee, doc.date, doc.start_time, doc.location) == (
        "Arbejdsgruppen for Klimatilpasning",
        date(2023, 11, 14),
        "09:00",
        "Teknisk Forvaltning, lokale 1.12",
    )
    assert [(a.name, a.status) for a in doc.attendance][-2:] == [
        ("Mads Mørk", "present"),
        ("Nina Nørby", "absent"),
    ]
    assert items_of(doc) == [
        (1, "Godkendelse af dagsorden", None, False, 0),
        (2, "Status på skybrudsprojekter", None, False, 0),
        (3, "Eventuelt", None, False, 0),
    ]
    assert sections_of(doc, 2) == ["2.1 Skybrudsvej i Søndergade", "2.2 Regnvandsbassin ved Engvej"]
    group, day = "Arbejdsgruppen for Klimatilpasning", date(2023, 11, 14)
    assert decisions_of(doc) == {
        1: [(group, day, "approved", True)],
        2: [(group, day, "noted", True), (group, day, "approved", True)],
        3: [],  # "Tomt indhold"
    }
    assert problems(doc) == []


SBSYS_COMMITTEE = family("sbsys_committee.txt")


def test_sbsys_committee_capital_headings_slots_and_earlier_treatment():
    doc = parse_text(SBSYS_COMMITTEE)
    assert doc.reader == "sbsys-pdf"
    assert (doc.committee, doc.date, doc.start_time) == (
        "Kommunalbestyrelsen",
        date(2013, 5, 27),
        "18:00",
    )
    assert items_of(doc) == [
        (1, "Godkendelse af dagsorden", "00.01.00-A00-5-13", False, 0),
        (2, "Årsregnskab 2012 for Ballerup Kommune", "00.30.14-Ø00-1-13", False, 2),
        (3, "Skolestruktur - høringssvar", "17.01.00-P20-2-13", False, 0),
    ]
    assert sections_of(doc, 2) == [
        "Resume",
        "Administrationens indstilling",
        "Punktet behandlet tidligere",  # a reference, no decision
    ]
    assert decisions_of(doc) == {
        1: [("Kommunalbestyrelsen", date(2013, 5, 27), "approved", True)],
        2: [
            # The slot says no date; the earlier treatment it points at does.
            ("Økonomiudvalget", date(2013, 5, 13), "recommended", False),
            ("Kommunalbestyrelsen", date(2013, 5, 27), "approved", True),
        ],
        # "Tomt indhold": Børne- og Ungeudvalget has not decided.
        3: [("Kommunalbestyrelsen", date(2013, 5, 27), "postponed", True)],
    }
    assert problems(doc) == []


def test_a_slot_of_a_body_named_in_several_words_is_read_in_nominative():
    doc = parse_text(
        SBSYS_COMMITTEE.replace("Tomt indhold", "Anbefales over for Kommunalbestyrelsen.")
    )
    assert decisions_of(doc)[3][0] == ("Børne- og Ungeudvalget", None, "recommended", False)


# --- Fingerprints -----------------------------------------------------------------------------


def test_each_family_reads_only_its_own_documents():
    readers = {
        name: parse_text(text).reader
        for name, text in (
            ("firstagenda", FIRSTAGENDA),
            ("acadre", ACADRE),
            ("sbsys group", SBSYS_GROUP),
            ("sbsys committee", SBSYS_COMMITTEE),
        )
    }
    assert readers == {
        "firstagenda": "firstagenda-pdf",
        "acadre": "acadre-pdf",
        "sbsys group": "sbsys-pdf",
        "sbsys committee": "sbsys-pdf",
    }
    plain = (
        "Referat\nØkonomiudvalget den 5. maj 2020\n\n1. Budget\nSagsnr. 20/1\nBeslutning\nGodkendt."
    )
    assert parse_text(plain).reader == "text"


# --- The general rules the families brought -----------------------------------------------


def test_a_case_number_printed_before_the_next_heading_pulls_no_text_into_a_title():
    doc = parse_text(
        "Referat\nØkonomiudvalget den 5. maj 2020\n\n"
        "Sagsnr. 20/1\n1. Budget for skoler\nGodkendt af alle\n"
        "Sagsnr. 20/2\n2. Regnskab for Skoler\nBeslutning\nGodkendt.\n"
    )
    assert [(i.number, i.title, i.case_number) for i in doc.items] == [
        (1, "Budget for skoler", "20/1"),
        (2, "Regnskab for Skoler", "20/2"),
    ]


def test_a_sagsforloeb_line_with_a_routing_code_is_no_history_block():
    # Brønderslev prints the route of the case ("Sagsforløb: FR/SS") above the resume's text.
    doc = parse_text(
        "Referat\nSocial- og Sundhedsudvalget den 15. april 2021\n\n"
        "3. Behandling af §18 ansøgninger\nSag 21/100\nResume\nSagsforløb: FR/SS\n"
        "Kommunen har modtaget 67 ansøgninger om tilskud.\nSagsfremstilling\n"
        "Frivilligrådet har behandlet ansøgningerne.\nBeslutning\nGodkendt.\n"
    )
    assert section(doc, 3, "Resume") == (
        "Sagsforløb: FR/SS\nKommunen har modtaget 67 ansøgninger om tilskud."
    )
    assert [(d.body, d.text) for d in doc.items[0].decisions] == [
        ("Social- og Sundhedsudvalget", "Godkendt.")
    ]
