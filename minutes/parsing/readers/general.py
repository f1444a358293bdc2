"""The general readers: structure and Danish conventions, for every file no family reader took."""

from __future__ import annotations

from ..model import ParsedDocument
from ..text import parse_text
from . import Reader, Source


def read_text(
    source: Source, *, municipality: str | None = None, text: str | None = None
) -> ParsedDocument:
    """The text parser on the file's text, or on a family reader's `text` prepared from it; the
    file name is the municipality's fallback when the text names none."""
    return parse_text(
        source.text if text is None else text,
        municipality=municipality,
        from_pdf=source.kind == "pdf",
        file_name=source.filename or "",
    )


READERS = [
    Reader("pdf", lambda s: s.kind == "pdf", read_text),
    Reader("html", lambda s: s.kind == "html", read_text),
    Reader("text", lambda s: s.kind == "text", read_text),
]
