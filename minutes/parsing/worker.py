"""A reading in a worker process (minutes.services.parse_ahead): pure parsing, no Django."""

from __future__ import annotations

from . import budget, parse
from .model import ParsedDocument


def read_or_none(
    data: bytes, file_name: str, municipality: str | None, limit: float
) -> ParsedDocument | None:
    """The parse, or None when the reading fails: the writer then reads the file again itself
    and reports what is wrong as it always does."""
    with budget.time_limit(limit):
        try:
            return parse(data, filename=file_name, municipality=municipality)
        except Exception:  # noqa: BLE001 - ParseError or a reader's bug: the writer reports it
            return None
