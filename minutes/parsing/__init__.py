"""Parsing: bytes of a published document in, a ParsedDocument out, or a ParseError.

Pure Python, no Django: the parser runs the same in the ingest command, the admin upload,
the command line (`python -m minutes.parsing FILE`) and the tests.
"""

from __future__ import annotations

from . import quality
from .budget import within_budget
from .model import (
    Attendee,
    Decision,
    DocumentSection,
    Item,
    ParsedDocument,
    ParseError,
    Section,
    Vote,
)
from .readers import read

__all__ = [
    "Attendee",
    "Decision",
    "DocumentSection",
    "Item",
    "ParseError",
    "ParsedDocument",
    "Section",
    "Vote",
    "parse",
    "quality",
]


def parse(
    data: bytes, *, filename: str | None = None, municipality: str | None = None
) -> ParsedDocument:
    """Parse one file: a ParsedDocument, or a ParseError that says what is wrong with the file.

    The reading has a hard time budget (`budget.time_limit`, PARSER_TIME_LIMIT): a file that
    takes longer is refused with a ParseError that says so.

    Only the readers' deliberate refusals are ParseErrors. Any other exception is a bug in a
    reader and is raised as it is, so that tests see it; ingestion turns it into a refusal
    that names it as the archive's fault, not the file's.
    """
    try:
        return within_budget(read, data, filename=filename, municipality=municipality)
    except RecursionError as exc:
        raise ParseError("Dokumentet er for dybt indlejret til at kunne læses") from exc
