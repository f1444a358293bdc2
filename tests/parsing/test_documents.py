"""Documents that are not minutes (memos, status tables, budget remarks) and who published them.

A document is read by the conventions of its genre: its own dated field or a date under its
title (never a date in its body), the committee its title names (never the recipients in
`Til:`), the municipality from its text (name, letterhead, mail and web domains), and its
headings and table rows kept as searchable section text. It has no items and no decisions.
Text that is neither minutes nor any municipal document is refused in Danish.
"""

from __future__ import annotations

from datetime import date

import pytest

from minutes.parsing import ParsedDocument, ParseError, parse
from minutes.parsing.municipality import (
    authority_of_domain,
    authority_of_file_name,
    find_authority,
    recognise_municipality,
)

from .conftest import FIXTURES

MEMO = FIXTURES / "formats" / "ballerup_notat-social-sundhed-og-beskaeftigelse_2012-12-04.pdf"
STATUS_TABLE = FIXTURES / "formats" / "aarhus_sager-paa-vej-sundhed-og-omsorg_2025-08-29.pdf"
BUDGET_REMARKS = FIXTURES / "seeds" / "003_44346b56906010c1.txt"


@pytest.fixture(scope="module")
def memo() -> ParsedDocument:
    return parse(MEMO.read_bytes(), filename=MEMO.name)


@pytest.fixture(scope="module")
def status_table() -> ParsedDocument:
    return parse(STATUS_TABLE.read_bytes(), filename=STATUS_TABLE.name)


def essentials(doc: ParsedDocument) -> tuple:
    return (doc.kind, doc.municipality, doc.date, doc.committee, doc.title)


def all_text(doc: ParsedDocument) -> str:
    return "\n".join(f"{s.heading}\n{s.text}" for s in doc.document_sections)


# --- The development set's documents --------------------------------------------------------


def test_the_memo_is_a_document_dated_by_its_own_date_field(memo):
    assert essentials(memo) == (
        "document",
        "Ballerup Kommune",
        date(2012, 12, 4),
        None,
        "Prioritering af midler til indsatser for kronisk syge borgere",
    )


def test_the_status_table_is_a_document_dated_by_its_ajourfoert_field(status_table):
    # The printed title ("Sager på vej – Sundhed og Omsorg 2025") repeats on every page and is
    # dropped as a running header by the PDF reader; the table's caption is the first heading.
    assert essentials(status_table) == (
        "document",
        "Aarhus Kommune",
        date(2025, 8, 29),
        None,
        "Fremsendte sager 2025",
    )


def test_budget_remarks_name_their_committee_and_municipality_in_their_text():
    doc = parse(BUDGET_REMARKS.read_bytes(), filename=BUDGET_REMARKS.name)
    assert essentials(doc) == (
        "document",
        "Høje-Taastrup Kommune",
        None,
        "Socialudvalget",
        "Budgetbemærkninger - Socialudvalget 2022-2025",
    )
    assert doc.term == "2022-2025"


def test_the_status_tables_rows_are_text_never_items_or_decisions(status_table):
    assert status_table.items == []
    assert not any(item.decisions for item in status_table.items)
    text = all_text(status_table)
    # The rows are kept, searchable, as they are printed.
    assert "Vedtaget. Byrådet 25. juni" in text
    assert "Godkendelse af Praksisplan for fysioterapi 2025" in text
    assert "Færdigbehandlede sager i 2024" in text
    # A table read column by column: its cells are text, not headings.
    headings = {s.heading for s in status_table.document_sections}
    assert not headings & {"Vedtaget. Byrådet 25. juni", "PUK", "HR"}


def test_the_memos_sections_hold_its_headings_and_its_table(memo):
    headings = [s.heading for s in memo.document_sections]
    assert headings[1:5] == [
        "Formål",
        "Baggrund",
        "Beskrivelse",
        "Indsatsområde i Ballerup Kommune",
    ]
    assert "1.  Forløbsprogrammer" in headings
    assert "8.  Tidlig opsporing" in headings
    text = all_text(memo)
    for cell in ("500.000 kr.", "720.000 kr.", "I alt\t2.890.000 kr.", "Sygeplejeklinik"):
        assert cell in text
    # The memo's fields are kept too (case and document numbers can be searched).
    assert "Sagsnr: 2012-21786" in memo.document_sections[0].text


def test_a_numbered_list_that_starts_again_at_1_is_no_heading(memo):
    headings = [s.heading for s in memo.document_sections]
    assert not any(h.startswith("1.  Modtager borger") for h in headings)
    assert "1.  Modtager borger og udarbejde plejeplansbeskrivelse og" in all_text(memo)


# --- The genre's conventions, on small texts -------------------------------------------------

MEMO_TEXT = """\
NOTAT

Til: Socialudvalget
Fra: Center for Sundhed
Dato: 3. marts 2024
Emne: Ny plan for hjemmeplejen
Sagsnr.: 24/1234

Baggrund
Administrationen foreslog den 5. maj 2023 en ny plan for hjemmeplejen i kommunen, og planen
har siden været i høring hos Ældrerådet og Handicaprådet.

Økonomi
Planen koster 2,1 mio. kr. årligt. Spørgsmål kan rettes til sundhed@gentofte.dk.
"""


def test_a_memo_takes_its_title_from_emne_and_its_date_from_dato():
    doc = parse(MEMO_TEXT.encode())
    assert essentials(doc) == (
        "document",
        "Gentofte Kommune",  # from the mail domain
        date(2024, 3, 3),
        None,  # "Til: Socialudvalget" names the recipient, not the committee
        "Ny plan for hjemmeplejen",
    )
    assert [s.heading for s in doc.document_sections][1:] == ["Baggrund", "Økonomi"]


def test_a_date_in_a_memos_body_is_not_its_date():
    text = MEMO_TEXT.replace("Dato: 3. marts 2024\n", "")
    assert parse(text.encode()).date is None


def test_a_memo_with_numbered_points_and_case_numbers_is_still_a_document():
    text = """\
Notat

Til: Økonomiudvalget
Fra: Økonomi og Analyse
Dato: 12. januar 2025

Status på anlægsprojekter

1. Ny skole i Vest

Sagsnr. 24/1001

Projektet følger tidsplanen, og byggeriet er i gang. Udgifterne holder sig inden for den
bevilgede ramme.

2. Renovering af rådhuset

Sagsnr. 24/1002

Projektet er forsinket med to måneder på grund af leverancer. Gladsaxe Kommune følger sagen.

3. Cykelsti langs Ringvejen

Sagsnr. 24/1003

Projektet er afsluttet.
"""
    doc = parse(text.encode())
    assert (doc.kind, doc.items, doc.title, doc.date) == (
        "document",
        [],
        "Status på anlægsprojekter",
        date(2025, 1, 12),
    )


@pytest.mark.parametrize(
    "text",
    [
        "Kære alle\n\nHusk kage på fredag.\n",
        "Bare en tekst uden struktur.",
        # A title and a body, but no memo fields, no numbered sections and no authority.
        "Boller i karry\n\nSkær kødet i tern og brun det i gryden.\nTilsæt karry og løg.\n"
        "Kog det hele i en time.\nServér med ris og agurkesalat.\n",
    ],
)
def test_text_that_is_no_municipal_document_is_refused_in_danish(text):
    with pytest.raises(
        ParseError, match="ligner hverken et referat, en dagsorden eller et kommunalt"
    ):
        parse(text.encode())


# --- Municipality detection: one definition for the parser and ingestion ---------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kontakt: mdo@balk.dk", "Ballerup Kommune"),
        ("Læs mere på https://www.aarhus.dk/politik", "Aarhus Kommune"),
        ("Skriv til post@hoeje-taastrup.dk", "Høje-Taastrup Kommune"),
        ("Mail: jura@kk.dk", "Københavns Kommune"),
    ],
)
def test_the_municipality_from_a_mail_or_web_domain(text, expected):
    assert recognise_municipality(text) == expected


def test_domains_that_are_no_authoritys_name_nothing():
    assert authority_of_domain("sundhed.dk") is None
    assert authority_of_domain("borger.dk") is None
    assert authority_of_domain("ballerup.com") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Høje-Taastrup Kommunes Byråd vedtog planen.", "Høje-Taastrup Kommune"),
        ("Borgerne i Ballerup Kom-\nmune får tilbuddet.", "Ballerup Kommune"),
        ("Mødet holdes på Ballerup Rådhus.", "Ballerup Kommune"),
        ("Strategi for kunstig intelligens i Aarhus\nKommune", "Aarhus Kommune"),
        ("Sundhedsaftalen med Region Hovedstaden", "Region Hovedstaden"),
    ],
)
def test_the_municipality_from_its_name(text, expected):
    assert recognise_municipality(text) == expected


def test_a_region_named_in_the_body_is_a_partner_not_the_publisher():
    opening = "Notat\n\n" + "\n" * 45
    body = (
        "Aftalen med Region Hovedstaden gælder fra 2013.\n"
        "Region Hovedstaden betaler halvdelen.\n"
        "Ballerup Kommune indgår i sundhedsaftalen.\n"
    )
    assert recognise_municipality(opening + body) == "Ballerup Kommune"


def test_the_file_name_is_the_fallback():
    assert authority_of_file_name("hoeje-taastrup_notat_2024.pdf").name == "Høje-Taastrup Kommune"
    assert find_authority("Intet navn her.", file_name="ballerup_notat.pdf")[0].name == (
        "Ballerup Kommune"
    )
    # The text wins over the file name.
    found, _ = find_authority("Gentofte Kommune", file_name="ballerup_notat.pdf")
    assert found.name == "Gentofte Kommune"


def test_a_misspelt_municipality_gets_the_nearest_name_as_a_hint():
    assert find_authority("Mødet blev holdt i Høje-Tåstrup Kommune.") == (
        None,
        "'Høje-Tåstrup Kommune' findes ikke; mente du 'Høje-Taastrup Kommune'?",
    )
