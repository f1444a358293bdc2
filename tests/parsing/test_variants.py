"""One test per layout variant the parser must read, on small realistic snippets.

Each snippet is written in the style of a real Danish publishing system (eDoc, Acadre, SBSYS,
FirstAgenda, Drupal/OS2); the assertions are the fields an archive user would look at.
"""

from __future__ import annotations

from datetime import date

from minutes.parsing.conventions import normalise_case_number

from .conftest import parse_text

ITEM_BODY = """
Sagsnr.: 24/1234

Indstilling
Forvaltningen indstiller, at sagen godkendes.

Beslutning
Godkendt.
"""


def _minutes(header: str, body: str = "") -> str:
    return header.strip() + "\n\n" + (body or f"1. Godkendelse af dagsorden\n{ITEM_BODY}")


# --- Headers -------------------------------------------------------------------------------


def test_header_on_one_line_with_term_and_numeric_date():
    doc = parse_text(_minutes("REFERAT Teknikudvalget 2022-2025 d. 05-03-2024"))
    assert (doc.kind, doc.committee, doc.term, doc.date) == (
        "minutes",
        "Teknikudvalget",
        "2022-2025",
        date(2024, 3, 5),
    )


def test_header_spread_over_several_lines():
    header = """
Referat
til
mødet i Økonomiudvalget
den 5. maj 2020 kl. 18:00
i Byrådssalen, Rådhuset
"""
    doc = parse_text(_minutes(header))
    assert (doc.committee, doc.date, doc.start_time, doc.location) == (
        "Økonomiudvalget",
        date(2020, 5, 5),
        "18:00",
        "Byrådssalen, Rådhuset",
    )


def test_header_label_on_one_line_value_on_the_next():
    header = """
Dagsorden

Børne- og Skoleudvalget

Mødedato
Tirsdag d. 4. marts 2025 kl. 15:30

Mødested
Rådhuset, mødelokale 2
"""
    body = "Punkt 1: Godkendelse af dagsorden\n\n25/100\n\nIndstilling\nAt dagsordenen godkendes."
    doc = parse_text(_minutes(header, body))
    assert (doc.kind, doc.committee, doc.date, doc.start_time, doc.location) == (
        "agenda",
        "Børne- og Skoleudvalget",
        date(2025, 3, 4),
        "15:30",
        "Rådhuset, mødelokale 2",
    )


def test_header_with_dato_tid_sted_fields_and_dotted_date():
    header = """
Beslutningsprotokol
Udvalg: Kultur- og Fritidsudvalget
Dato: 12.03.2014
Tid: 16.00 - 18.30
Sted: Mødelokale 1, Rådhuset
"""
    doc = parse_text(_minutes(header))
    assert (doc.kind, doc.committee, doc.date, doc.start_time, doc.location) == (
        "minutes",
        "Kultur- og Fritidsudvalget",
        date(2014, 3, 12),
        "16:00",
        "Mødelokale 1, Rådhuset",
    )


def test_header_with_committee_before_the_kind_word():
    doc = parse_text(_minutes("Byrådet - Referat - onsdag den 28. august 2019"))
    assert (doc.kind, doc.committee, doc.date) == ("minutes", "Byrådet", date(2019, 8, 28))


# --- Item headings -------------------------------------------------------------------------


def _items(body: str) -> list[tuple[int, str]]:
    doc = parse_text(_minutes("REFERAT Teknikudvalget d. 05-03-2024", body))
    return [(item.number, item.title) for item in doc.items]


def test_item_heading_punkt_n():
    body = f"Punkt 1: Godkendelse af dagsorden\n{ITEM_BODY}\nPunkt 2: Meddelelser\n{ITEM_BODY}"
    assert _items(body) == [(1, "Godkendelse af dagsorden"), (2, "Meddelelser")]


def test_item_heading_n_dot():
    body = f"1. Godkendelse af dagsorden\n{ITEM_BODY}\n2. Budgetopfølgning 2024\n{ITEM_BODY}"
    assert _items(body) == [(1, "Godkendelse af dagsorden"), (2, "Budgetopfølgning 2024")]


def test_item_heading_pkt_n():
    body = f"Pkt. 1 Godkendelse af dagsorden\n{ITEM_BODY}\nPkt. 2 Vejnavngivning\n{ITEM_BODY}"
    assert _items(body) == [(1, "Godkendelse af dagsorden"), (2, "Vejnavngivning")]


def test_item_heading_n_space_colon():
    body = f"1 : Godkendelse af dagsorden\n{ITEM_BODY}\n2 : Lokalplan 12\n{ITEM_BODY}"
    assert _items(body) == [(1, "Godkendelse af dagsorden"), (2, "Lokalplan 12")]


def test_item_heading_yearly_running_number():
    body = f"412. Godkendelse af dagsorden\n{ITEM_BODY}\n413. Salg af grund\n{ITEM_BODY}"
    assert _items(body) == [(412, "Godkendelse af dagsorden"), (413, "Salg af grund")]


def test_item_number_alone_on_a_line_before_the_title():
    body = f"1.\n\nGodkendelse af dagsorden\n{ITEM_BODY}\n2.\n\nTakstreduktion i 2013\n{ITEM_BODY}"
    assert _items(body) == [(1, "Godkendelse af dagsorden"), (2, "Takstreduktion i 2013")]


def test_item_title_wrapped_over_two_lines():
    body = (
        "1. Prioritering af midler til kronisk syge borgere og\n"
        "hverdagsrehabilitering for ældre\n" + ITEM_BODY
    )
    assert _items(body) == [
        (1, "Prioritering af midler til kronisk syge borgere og hverdagsrehabilitering for ældre")
    ]


def test_item_with_lukket_prefix_is_closed():
    body = f"1. Godkendelse af dagsorden\n{ITEM_BODY}\n2. Lukket: Personalesag\n\n24/999\n"
    doc = parse_text(_minutes("REFERAT Økonomiudvalget d. 05-03-2024", body))
    closed = doc.items[1]
    assert (closed.closed, closed.title, closed.raw_title) == (
        True,
        "Personalesag",
        "Lukket: Personalesag",
    )
    assert not doc.items[0].closed


def test_lettered_sub_items_stay_inside_the_item():
    body = """1. Meddelelser

Sagsnr.: 2011-29298

a. Møder og konferencer

b. Konference den 23. januar 2012

Bilag
2012-208960 - Program for konferencen

c. Status på rygestop

2. Næste punkt

Sagsnr.: 2012-1
"""
    doc = parse_text(_minutes("REFERAT Sundhedsudvalget d. 04.12.2012", body))
    assert [i.number for i in doc.items] == [1, 2]
    headings = [s.heading for s in doc.items[0].sections]
    assert headings == [
        "a. Møder og konferencer",
        "b. Konference den 23. januar 2012",
        "c. Status på rygestop",
    ]
    assert doc.items[0].attachments == ["2012-208960 - Program for konferencen"]


def test_numbered_list_inside_an_item_is_not_an_item():
    body = """1. Budgetopfølgning

Sagsnr.: 24/10

Sagsfremstilling
Der forventes et merforbrug på tre områder:
1. Ungeindsats myndighed
2. Ungdomsuddannelser
3. Udførende myndighed

Beslutning
Godkendt.

2. Meddelelser

Sagsnr.: 24/11
"""
    assert _items(body) == [(1, "Budgetopfølgning"), (2, "Meddelelser")]


# --- Case numbers --------------------------------------------------------------------------


def _case(body: str) -> str | None:
    doc = parse_text(_minutes("REFERAT Teknikudvalget d. 05-03-2024", body))
    return doc.items[0].case_number


def test_case_number_year_serial():
    assert _case("Punkt 1: Vejnavngivning\n\n17/10000\n\nBeslutning\nGodkendt.") == "17/10000"


def test_case_number_kle_with_oe_in_the_action_code():
    body = "Punkt 1: Nyt tilbud\n\n27.00.00-Ø00-2-24\n\nBeslutning\nGodkendt."
    assert _case(body) == "27.00.00-Ø00-2-24"


def test_case_number_sagsnr_label_wins_over_dok_nr():
    body = "1. Bygningsvedligeholdelse\n\nSagsnr.: 2013-12345\nDok.nr.: 2013-99999\n\nBeslutning\nGodkendt."
    assert _case(body) == "2013-12345"


def test_case_number_dok_nr_first_is_not_taken():
    body = "1. Bygningsvedligeholdelse\n\nDok.nr.: 2013-99999\nSagsnr.: 2013-12345\n\nBeslutning\nGodkendt."
    assert _case(body) == "2013-12345"


def test_case_number_emn_style():
    body = "1. Klage over afgørelse\n\nSags ID: EMN-2024-001234\n\nBeslutning\nGodkendt."
    assert _case(body) == "EMN-2024-001234"


def test_case_number_three_part_sbsys_style():
    body = "1. Budget 2020\n\nSagsnummer: 330-2019-1234\n\nBeslutning\nGodkendt."
    assert _case(body) == "330-2019-1234"


def test_case_number_sag_nr():
    assert _case("412. Salg af grund\n\nSag nr. 57\n\nBeslutning\nGodkendt.") == "57"


def test_case_number_sagnr_without_s():
    assert _case("1. Salg af grund\n\nSagnr.: 24/123\n\nBeslutning\nGodkendt.") == "24/123"


def test_case_number_printed_before_the_title():
    body = (
        "Sagsnr. 24/501\n1. Vejnavngivning\nForslag til nye vejnavne.\n\nBeslutning\nGodkendt.\n\n"
        "Sagsnr. 24/502\n2. Salg af grund\nGrunden sælges.\n\nBeslutning\nGodkendt.\n"
    )
    doc = parse_text(_minutes("REFERAT Teknikudvalget d. 05-03-2024", body))
    assert [(i.number, i.case_number) for i in doc.items] == [(1, "24/501"), (2, "24/502")]
    assert "24/502" not in doc.items[0].decisions[0].text


def test_case_number_printed_after_the_title_in_the_heading():
    body = "1. Lokalplan 123 for Stationsvej (24/7788)\n\nBeslutning\nGodkendt.\n"
    doc = parse_text(_minutes("REFERAT Teknikudvalget d. 05-03-2024", body))
    item = doc.items[0]
    assert (item.case_number, item.title) == ("24/7788", "Lokalplan 123 for Stationsvej")
    assert item.raw_title == "Lokalplan 123 for Stationsvej (24/7788)"


def test_case_number_keeps_printed_form_and_stores_a_normalised_one():
    doc = parse_text(
        _minutes("REFERAT Teknikudvalget d. 05-03-2024", "1. Vej\n\nSagsnr.: 2017-010000\n")
    )
    item = doc.items[0]
    assert item.case_number == "2017-010000"
    assert item.case_number_normalised == "17/10000" == normalise_case_number("17/10000")


# --- Decisions -----------------------------------------------------------------------------


def _decisions(header: str, body: str) -> list[tuple]:
    doc = parse_text(_minutes(header, body))
    return [
        (d.body, d.date, d.outcome, d.this_meeting, d.text)
        for item in doc.items
        for d in item.decisions
    ]


def test_decision_heading_beslutning_body_den_date():
    body = "Punkt 1: Vej\n\n24/1\n\nBeslutning Teknikudvalget den 05-03-2024\n\nGodkendt."
    assert _decisions("REFERAT Teknikudvalget d. 05-03-2024", body) == [
        ("Teknikudvalget", date(2024, 3, 5), "approved", True, "Godkendt.")
    ]


def test_decision_heading_beslutning_i_body():
    body = "1. Vej\n\nSagsnr.: 24/1\n\nBeslutning i Teknikudvalget den 5. marts 2024:\nAnbefales."
    assert _decisions("REFERAT Teknikudvalget d. 05-03-2024", body) == [
        ("Teknikudvalget", date(2024, 3, 5), "recommended", True, "Anbefales.")
    ]


def test_decision_heading_genitive_with_dotted_date_and_punkt():
    body = (
        "1. Vej\n\nSagsnr.: 2014-1\n\nTeknikudvalgets beslutning den 12.03.2014 Punkt 1\n"
        "Indstillingen godkendt\n\nFølgende deltog ikke i behandlingen af punktet:\n"
    )
    assert _decisions("Referat\n\nTeknikudvalget\nonsdag den 12. marts 2014", body) == [
        ("Teknikudvalget", date(2014, 3, 12), "approved", True, "Indstillingen godkendt")
    ]


def test_beslutning_heading_followed_by_body_and_date_lines():
    body = """Punkt 1: Rammeaftale 2025

00.17.00-A00-3-24

Beslutning
Skoleudvalget, den 30. oktober 2024
Anbefalet.
Teknikudvalget, den 31. oktober 2024
Godkendt.
"""
    assert _decisions("REFERAT Teknikudvalget d. 31-10-2024", body) == [
        ("Skoleudvalget", date(2024, 10, 30), "recommended", False, "Anbefalet."),
        ("Teknikudvalget", date(2024, 10, 31), "approved", True, "Godkendt."),
    ]


def test_beslutninger_heading_with_pkt_lines():
    body = """1. Budget 2022

Sagsnr.: 21/55

Beslutninger
Økonomiudvalget, 3. maj 2021, pkt. 18:
Anbefales.

Byrådet, 11. maj 2021, pkt. 7:
Godkendt.
"""
    assert _decisions("REFERAT Byrådet d. 11-05-2021", body) == [
        ("Økonomiudvalget", date(2021, 5, 3), "recommended", False, "Anbefales."),
        ("Byrådet", date(2021, 5, 11), "approved", True, "Godkendt."),
    ]


def test_decision_before_and_after_the_indstilling_read_the_same():
    before = "1. Vej\n\n24/1\n\nBeslutning\nGodkendt.\n\nIndstilling\nAt sagen godkendes.\n"
    after = "1. Vej\n\n24/1\n\nIndstilling\nAt sagen godkendes.\n\nBeslutning\nGodkendt.\n"
    for body in (before, after):
        doc = parse_text(_minutes("REFERAT Teknikudvalget d. 05-03-2024", body))
        item = doc.items[0]
        assert [(d.text, d.this_meeting) for d in item.decisions] == [("Godkendt.", True)]
        assert [(s.heading, s.text) for s in item.sections] == [
            ("Indstilling", "At sagen godkendes.")
        ]


def test_several_dated_decisions_of_the_same_committee_only_one_is_this_meetings():
    body = """Punkt 1: Skolestruktur

24/77

Beslutning Børne- og Skoleudvalget den 06-02-2024
Udsat.

Beslutning Børne- og Skoleudvalget den 05-03-2024
Godkendt.
"""
    assert [
        (d[1], d[2], d[3])
        for d in _decisions("REFERAT Børne- og Skoleudvalget d. 05-03-2024", body)
    ] == [(date(2024, 2, 6), "postponed", False), (date(2024, 3, 5), "approved", True)]


def test_uppercase_headings():
    body = "1. VEJNAVNGIVNING\n\nSAGSNR.: 24/1\n\nINDSTILLING\nAt navnet godkendes.\n\nBESLUTNING\nGodkendt.\n"
    doc = parse_text(_minutes("REFERAT TEKNIKUDVALGET D. 05-03-2024", body))
    item = doc.items[0]
    assert item.case_number == "24/1"
    assert [s.heading for s in item.sections] == ["INDSTILLING"]
    assert [(d.text, d.outcome, d.this_meeting) for d in item.decisions] == [
        ("Godkendt.", "approved", True)
    ]


def test_heading_glued_to_its_text():
    body = "Punkt 1: Vejnavngivning\n\n24/1\n\nIndstillingAt navnet godkendes.\n\nBeslutningGodkendt.\n"
    doc = parse_text(_minutes("REFERAT Teknikudvalget d. 05-03-2024", body))
    item = doc.items[0]
    assert [(s.heading, s.text) for s in item.sections] == [("Indstilling", "At navnet godkendes.")]
    assert [(d.text, d.outcome) for d in item.decisions] == [("Godkendt.", "approved")]


# --- Attendance ----------------------------------------------------------------------------


def _attendance(header: str) -> list[tuple]:
    doc = parse_text(_minutes(header))
    return [(a.name, a.party, a.status, a.note) for a in doc.attendance]


def test_attendance_modedeltagere_with_afbud_mark():
    header = """REFERAT Socialudvalget d. 05-02-2020
Mødedato Onsdag d. 05. februar 2020 kl. 17:00
Mødedeltagere Esat Senturk (A), Emil Viskum (V) (Afbud), Jeanette Ingemann (C)
"""
    assert _attendance(header) == [
        ("Esat Senturk", "A", "present", None),
        ("Emil Viskum", "V", "absent", "Afbud"),
        ("Jeanette Ingemann", "C", "present", None),
    ]


def test_attendance_tilstede_afbud_sekretaer_lists():
    header = """Referat

Sundhedsudvalget
tirsdag den 4. december 2012, kl. 13:00
i Mødecenter C

Tilstede
Lolan Ottesen (A) - formand
Birte Kramhøft (F)

Afbud/Fraværende
Karl Nielsen (V)

Sekretær
Mie Andresen
"""
    assert _attendance(header) == [
        ("Lolan Ottesen", "A", "present", "formand"),
        ("Birte Kramhøft", "F", "present", None),
        ("Karl Nielsen", "V", "absent", "Afbud"),
        ("Mie Andresen", None, "present", "Sekretær"),
    ]


def test_attendance_medlemmer_and_fravaerende_med_afbud():
    header = """REFERAT Økonomiudvalget d. 05-03-2024
Medlemmer: Anna Hansen (A), Bo Jensen (V), Carl Olsen (C)
Fraværende med afbud: Bo Jensen (V)
"""
    assert _attendance(header) == [
        ("Anna Hansen", "A", "present", None),
        ("Bo Jensen", "V", "absent", "Afbud"),
        ("Carl Olsen", "C", "present", None),
    ]


def test_attendance_note_var_fravaerende_i_stedet_deltog():
    body = (
        "Punkt 1: Godkendelse af dagsorden\n\n24/1\n\nBeslutning\nTeknikudvalget, den 5. marts 2024\n"
        "Godkendt.\nGitte Hansen (B) var fraværende. I stedet deltog Cecilie Lind (B).\n"
    )
    header = "REFERAT Teknikudvalget d. 05-03-2024\nMødedeltagere Anna Holm, Gitte Hansen"
    doc = parse_text(_minutes(header, body))
    assert [(a.name, a.party, a.status) for a in doc.attendance] == [
        ("Anna Holm", None, "present"),
        ("Gitte Hansen", "B", "absent"),
        ("Cecilie Lind", "B", "substitute"),
    ]


def test_attendance_note_afbud_fra_i_stedet_modte():
    header = """REFERAT Byrådet d. 05-03-2024
Mødedeltagere Anna Holm (A), Bo Berg (V)
Afbud fra Bo Berg (V). I stedet mødte Dorte Dahl (V).
"""
    assert _attendance(header) == [
        ("Anna Holm", "A", "present", None),
        ("Bo Berg", "V", "absent", "Afbud"),
        ("Dorte Dahl", "V", "substitute", "I stedet for Bo Berg"),
    ]


def test_attendance_alle_var_modt():
    header = (
        "REFERAT Byrådet d. 05-03-2024\nMødedeltagere Anna Holm (A), Bo Berg (V)\nAlle var mødt."
    )
    assert [a[2] for a in _attendance(header)] == ["present", "present"]


def test_attendance_two_column_member_list_second_column_is_not_absent():
    header = (
        "Referat\nTeknikudvalget\nDato: 05.03.2024\n\nTilstede:\n"
        "Anna Hansen (A)\t\tCarl Jensen (V)\nBent Olsen (B)\t\tDorte Dahl (Ø)\n\n"
        "Afbud:\nErik Eriksen (C)\n"
    )
    assert [(a[0], a[2]) for a in _attendance(header)] == [
        ("Anna Hansen", "present"),
        ("Carl Jensen", "present"),
        ("Bent Olsen", "present"),
        ("Dorte Dahl", "present"),
        ("Erik Eriksen", "absent"),
    ]


# --- Votes ---------------------------------------------------------------------------------


def _votes(decision: str) -> list[tuple]:
    body = f"Punkt 1: Budget\n\n24/1\n\nBeslutning\n{decision}\n"
    doc = parse_text(_minutes("REFERAT Byrådet d. 05-03-2024", body))
    return [(v.party, v.count, v.position) for v in doc.items[0].votes]


def test_votes_by_party_with_counts():
    assert _votes("A (1) undlader at stemme, Ø (1) er fraværende, B (1) og C (4) stemmer for.") == [
        ("A", 1, "abstain"),
        ("Ø", 1, "absent"),
        ("B", 1, "for"),
        ("C", 4, "for"),
    ]


def test_votes_for_stemte_party_list():
    assert _votes("Anbefales. For stemte: A, B, F og Ø. Imod stemte: V og O.") == [
        ("A", None, "for"),
        ("B", None, "for"),
        ("F", None, "for"),
        ("Ø", None, "for"),
        ("V", None, "against"),
        ("O", None, "against"),
    ]


def test_votes_tally_without_parties():
    assert _votes("Forslaget blev vedtaget med 21 stemmer mod 8.") == [
        ("", 21, "for"),
        ("", 8, "against"),
    ]


# --- Noise ---------------------------------------------------------------------------------


def test_running_page_headers_footers_and_form_feeds_are_dropped():
    page_header = "Teknikudvalget\nReferat\nDato: 05.03.2024\n"
    pages = [
        "Referat\n\nTeknikudvalget\nonsdag den 5. marts 2024, kl. 16:00\n\n"
        "1. Vejnavngivning\n\nSagsnr.: 24/1\n\nSagsfremstilling\nForslaget omfatter tre veje,",
        "som ligger i det nye kvarter.\n\nBeslutning\nGodkendt.\n",
        "2. Salg af grund\n\nSagsnr.: 24/2\n\nBeslutning\nGodkendt.\n",
    ]
    text = "\f".join(f"{page_header}\n{body}\n\nSide {n} af 3\n" for n, body in enumerate(pages, 1))
    doc = parse_text(text)
    assert (doc.committee, doc.date, [i.number for i in doc.items]) == (
        "Teknikudvalget",
        date(2024, 3, 5),
        [1, 2],
    )
    section = doc.items[0].sections[0]
    assert "Side" not in section.text and "Dato:" not in section.text
    assert section.text.split() == [
        "Forslaget",
        "omfatter",
        "tre",
        "veje,",
        "som",
        "ligger",
        "i",
        "det",
        "nye",
        "kvarter.",
    ]
    assert [d.text for d in doc.items[1].decisions] == ["Godkendt."]


def test_table_of_contents_with_dotted_leaders_is_skipped():
    body = """Indholdsfortegnelse

Godkendelse af dagsorden.....\t3
Vejnavngivning.....\t4

Punkt 1: Godkendelse af dagsorden

24/1

Beslutning Teknikudvalget den 05-03-2024
Godkendt.

Punkt 2: Vejnavngivning

24/2
"""
    assert _items(body) == [(1, "Godkendelse af dagsorden"), (2, "Vejnavngivning")]


def test_table_of_contents_with_a_separate_page_number_column_is_skipped():
    body = """INDHOLDSFORTEGNELSE

Åbent referat
1. Meddelelser
2. Bygningsvedligeholdelse 2013

3
4

Lukket referat
\f
1. Meddelelser

Sagsnr.: 2011-29298

Beslutning
Taget til efterretning

2. Bygningsvedligeholdelse 2013

Sagsnr.: 2012-28504
"""
    doc = parse_text(_minutes("Referat\nSundhedsudvalget\ntirsdag den 4. december 2012", body))
    assert [(i.number, i.title, i.closed) for i in doc.items] == [
        (1, "Meddelelser", False),
        (2, "Bygningsvedligeholdelse 2013", False),
    ]


def test_signature_page_after_the_last_item_is_dropped():
    body = f"1. Vej\n{ITEM_BODY}\nUnderskrifter:\nAnna Hansen\n______________\nBo Berg\n"
    doc = parse_text(_minutes("REFERAT Teknikudvalget d. 05-03-2024", body))
    assert [d.text for d in doc.items[0].decisions] == ["Godkendt."]


def test_web_page_boilerplate_is_dropped():
    html = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<nav><a href="/">Forside</a></nav><div class="share-buttons">Del på Facebook</div>
<main><h1>Referat</h1><p>Teknikudvalget</p><p>Onsdag den 5. marts 2024 kl. 16.00</p>
<h2>1. Vejnavngivning</h2><p>Sagsnr.: 24/1</p>
<h3>Beslutning</h3><p>Godkendt.</p>
<p><a href="#top">Til toppen</a></p><p><a href="x.pdf">Hent som PDF</a></p>
<p><a>Kopier link</a></p>
<h2>2. Salg af grund</h2><p>Sagsnr.: 24/2</p><h3>Beslutning</h3><p>Udsat.</p>
</main><footer>Kommunen · Rådhuset</footer></body></html>"""
    doc = parse_text(html)
    assert (doc.committee, doc.date, doc.start_time) == (
        "Teknikudvalget",
        date(2024, 3, 5),
        "16:00",
    )
    assert [(i.number, i.case_number, [d.text for d in i.decisions]) for i in doc.items] == [
        (1, "24/1", ["Godkendt."]),
        (2, "24/2", ["Udsat."]),
    ]


# --- Agendas -------------------------------------------------------------------------------


def test_agenda_gets_no_invented_decisions():
    text = """DAGSORDEN Teknikudvalget d. 05-03-2024

Punkt 1: Vejnavngivning

24/1

Indstilling
Forvaltningen indstiller, at navnene godkendes.

Beslutning

Punkt 2: Budget

24/2

Beslutning i Økonomiudvalget den 20-02-2024
Anbefales.

Beslutning Teknikudvalget den 05-03-2024
"""
    doc = parse_text(text)
    assert doc.kind == "agenda"
    assert doc.items[0].decisions == []
    # An earlier body's decision printed in the agenda is real, and not this meeting's.
    assert [(d.body, d.outcome, d.this_meeting) for d in doc.items[1].decisions] == [
        ("Økonomiudvalget", "recommended", False)
    ]


def test_municipality_is_recognised_from_the_text_or_taken_as_given():
    text = "Ballerup Kommune\n" + _minutes("REFERAT Teknikudvalget d. 05-03-2024")
    assert parse_text(text).municipality == "Ballerup Kommune"
    assert parse_text(text, municipality="Furesø Kommune").municipality == "Furesø Kommune"


# --- Whole documents in other publishing systems' layouts -----------------------------------


def test_firstagenda_style_minutes_with_numbered_toc_and_metadata_lines():
    text = """Syddjurs Kommune

Referat

Økonomiudvalget

Mødedato: 14. marts 2023
Mødetidspunkt: 15:00 - 17:00
Mødested: Mødelokale 1, Rådhuset
Deltagere: Anna Hansen (A), Bo Berg (V), Carl Dahl (C)
Fraværende: Dorte Ernst (F)

Indholdsfortegnelse
1. Godkendelse af dagsorden .............. 3
2. Budgetopfølgning pr. 31. januar 2023 .............. 4

1. Godkendelse af dagsorden
Sagsnummer: 23/1234
Sagsansvarlig: Jens Jensen

Beslutning
Godkendt.

2. Budgetopfølgning pr. 31. januar 2023
Sagsnummer: 23/2222
Sagsansvarlig: Jens Jensen

Beslutning fra Økonomiudvalget, 12. maj 2022
Anbefales.

Beslutning Økonomiudvalget 14-03-2023
Godkendt.

Bilag
1. Budgetopfølgning
2. Notat om anlæg
"""
    doc = parse_text(text)
    assert (doc.municipality, doc.committee, doc.date, doc.start_time) == (
        "Syddjurs Kommune",
        "Økonomiudvalget",
        date(2023, 3, 14),
        "15:00",
    )
    assert [(a.name, a.status) for a in doc.attendance][-1] == ("Dorte Ernst", "absent")
    assert [(i.number, i.case_number) for i in doc.items] == [(1, "23/1234"), (2, "23/2222")]
    assert [(d.date, d.outcome, d.this_meeting) for d in doc.items[1].decisions] == [
        (date(2022, 5, 12), "recommended", False),
        (date(2023, 3, 14), "approved", True),
    ]
    assert doc.items[1].attachments == ["1. Budgetopfølgning", "2. Notat om anlæg"]


def test_one_line_referat_fra_modet_header_with_term_in_parentheses():
    text = """Referat fra mødet i Børne- og Ungdomsudvalget (2022-2025) den 12. maj 2022 kl. 16.00
Sted: Rådhuset, udvalgsværelse 2

1. Valg af skolebestyrelse (2022-0123456)

Beslutning
Udvalget godkendte indstillingen.

2. Lukket punkt: Personalesag (2022-0654321)

Beslutning
Godkendt.
"""
    doc = parse_text(text)
    assert (doc.committee, doc.term, doc.date, doc.start_time, doc.location) == (
        "Børne- og Ungdomsudvalget",
        "2022-2025",
        date(2022, 5, 12),
        "16:00",
        "Rådhuset, udvalgsværelse 2",
    )
    assert [(i.number, i.title, i.case_number, i.closed) for i in doc.items] == [
        (1, "Valg af skolebestyrelse", "2022-0123456", False),
        (2, "Personalesag", "2022-0654321", True),
    ]
