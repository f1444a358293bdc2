"""Parsing: bytes of a published document in, a ParsedDocument out, or a ParseError.

Pure Python, no Django: the parser runs the same in the ingest command, the admin upload,
the command line (`python -m minutes.parsing FILE`) and the tests.
"""

from __future__ import annotations

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
]


def parse(
    data: bytes, *, filename: str | None = None, municipality: str | None = None
) -> ParsedDocument:
    """Parse one file. Any input ends in a ParsedDocument or a ParseError, never another exception."""
    try:
        return read(data, filename=filename, municipality=municipality)
    except ParseError:
        raise
    except RecursionError as exc:
        raise ParseError("Dokumentet er for dybt indlejret til at kunne læses") from exc
    except Exception as exc:  # noqa: BLE001 - the contract: nothing but ParseError escapes
        raise ParseError(f"Dokumentet kunne ikke læses: {type(exc).__name__}: {exc}") from exc
