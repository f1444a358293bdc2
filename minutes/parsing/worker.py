"""A reading in a worker process (minutes.services.parse_ahead): pure parsing, no Django."""

from __future__ import annotations

from . import budget, parse
from .model import ParsedDocument


def read_or_none(
    data: bytes, file_name: str, municipality: str | None, limit: float
) -> ParsedDocument | budget.OverTime | None:
    """The parse; the refusal when the reading ran out of time (the writer must not spend the
    time again); None when it failed otherwise: the writer then reads the file again itself and
    reports what is wrong as it always does."""
    with budget.time_limit(limit):
        try:
            return parse(data, filename=file_name, municipality=municipality)
        except budget.OverTime as exc:
            return exc
        except Exception:  # noqa: BLE001 - ParseError or a reader's bug: the writer reports it
            return None
