"""The PDF path: layout-aware extraction in a child process with memory and time limits."""

from __future__ import annotations

from datetime import date

import pytest

from minutes.parsing import ParseError, parse
from minutes.parsing.pdf import Line, Page, pages_to_text, pdf_to_text

from .pdfbuild import build_pdf, text_stream, zero_bomb

MINUTES_LINES = [
    "REFERAT Teknikudvalget d. 05-03-2024",
    "Punkt 1: Vejnavngivning",
    "24/1",
    "Beslutning",
    "Godkendt.",
]


def test_a_generated_pdf_parses_like_its_text():
    doc = parse(build_pdf(text_stream(MINUTES_LINES), compress=True))
    assert (doc.committee, doc.date) == ("Teknikudvalget", date(2024, 3, 5))
    assert [(i.number, i.case_number, [d.text for d in i.decisions]) for i in doc.items] == [
        (1, "24/1", ["Godkendt."])
    ]


def test_the_real_pdf_has_no_running_headers_and_pages_split_by_form_feeds(ballerup_pdf):
    text = pdf_to_text(ballerup_pdf)
    assert text.count("\f") == 14  # 15 pages
    assert "Side 3" not in text and "Dato: 04.12.2012" not in text
    # The running header "Referat" is gone; the title page's own "Referat" is kept.
    assert text.splitlines()[0] == "Referat"


def test_encrypted_pdf_is_a_parse_error():
    with pytest.raises(ParseError, match="krypteret"):
        parse(build_pdf(text_stream(MINUTES_LINES), encrypt=True))


def test_truncated_pdf_is_a_parse_error(ballerup_pdf):
    with pytest.raises(ParseError, match="beskadiget eller afkortet"):
        parse(ballerup_pdf[: len(ballerup_pdf) // 3])


def test_pdf_without_text_is_a_parse_error_that_suggests_a_scan():
    with pytest.raises(ParseError, match="ingen tekst"):
        parse(build_pdf(b""))


def test_decompression_bomb_hits_the_memory_limit():
    bomb = build_pdf(b"", raw_flate=zero_bomb(400))
    with pytest.raises(ParseError, match="hukommelse") as error:
        pdf_to_text(bomb, memory_mb=200)
    assert error.value.page == 1


def test_slow_pdf_hits_the_time_limit(ballerup_pdf):
    with pytest.raises(ParseError, match="sekunder"):
        pdf_to_text(ballerup_pdf, timeout=0.05)


def _line(x0: float, top: float, text: str) -> Line:
    return Line(x0, top - 10, x0 + 6 * len(text), top, text)


def test_reading_order_keeps_a_two_column_member_list_under_its_label():
    page = Page(
        number=1,
        width=595,
        height=842,
        boxes=[
            [_line(72, 700, "Tilstede:")],
            [_line(150, 700, "Anna Hansen (A)"), _line(150, 686, "Bent Olsen (B)")],
            [_line(320, 700, "Carl Jensen (V)"), _line(320, 686, "Dorte Dahl (Ø)")],
            [_line(72, 650, "Afbud:")],
            [_line(150, 650, "Erik Eriksen (C)")],
        ],
    )
    lines = [line for line in pages_to_text([page]).splitlines() if line.strip()]
    assert lines == [
        "Tilstede:",
        "Anna Hansen (A)",
        "Bent Olsen (B)",
        "Carl Jensen (V)",
        "Dorte Dahl (Ø)",
        "Afbud:\tErik Eriksen (C)",
    ]


def test_running_header_and_page_number_are_dropped_by_position():
    def page(number: int, body: str) -> Page:
        return Page(
            number=number,
            width=595,
            height=842,
            boxes=[
                [_line(400, 800, "Økonomiudvalget"), _line(400, 786, f"Side {number}")],
                [_line(72, 600, body)],
                [_line(280, 40, f"{number}")],
            ],
        )

    text = pages_to_text([page(1, "Første side"), page(2, "Anden side"), page(3, "Tredje side")])
    assert [line for line in text.splitlines() if line.strip() and line != "\f"] == [
        "Første side",
        "Anden side",
        "Tredje side",
    ]
