"""The general readers: structure and Danish conventions, for every file no family reader took."""

from __future__ import annotations

from ..model import ParsedDocument
from ..text import parse_text
from . import Reader, Source


def _read_text(source: Source, *, municipality: str | None = None) -> ParsedDocument:
    return parse_text(source.text, municipality=municipality, from_pdf=source.kind == "pdf")


READERS = [
    Reader("pdf", lambda s: s.kind == "pdf", _read_text),
    Reader("html", lambda s: s.kind == "html", _read_text),
    Reader("text", lambda s: s.kind == "text", _read_text),
]
