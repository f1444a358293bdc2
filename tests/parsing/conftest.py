"""Helpers for parser tests: no database is needed, the parser is pure Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from minutes.parsing import ParsedDocument, parse

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "fixtures"
GOLDEN = FIXTURES / "golden"
PDF = FIXTURES / "formats" / "ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04.pdf"


def parse_text(text: str, **kwargs) -> ParsedDocument:
    return parse(text.encode("utf-8"), **kwargs)


@pytest.fixture(scope="session")
def ballerup_pdf() -> bytes:
    return PDF.read_bytes()
