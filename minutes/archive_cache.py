"""Reads that follow from the whole archive — the home page (counts, municipalities, newest
meetings) and the search form's lists of municipalities, committees and years — kept in the
page cache until the archive changes, instead of counting and grouping every table per visitor.

"Until the archive changes" is `archive_stamp()`: the newest id of each table that ingestion,
reparsing or the admin add rows to, read in one statement from the primary keys' indexes
(~0.2 ms at any size). Ingesting a meeting, a new version of one (a new original, new items) or
a document changes it. What it cannot see — a row deleted, a municipality renamed in the
admin — shows within ARCHIVE_CACHE_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

T = TypeVar("T")

ARCHIVE_CACHE_SECONDS = 5 * 60
_TABLES = (
    "minutes_municipality",
    "minutes_committee",
    "minutes_meeting",
    "minutes_agendaitem",
    "minutes_case",
    "minutes_document",
    "minutes_sourcefile",
)
_STAMP_SQL = "SELECT concat_ws('.', {})".format(
    ", ".join(f"(SELECT max(id) FROM {table})" for table in _TABLES)
)


def archive_stamp() -> str:
    """Changes whenever a row is added to the archive's tables."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMP_SQL)
        return cursor.fetchone()[0] or "empty"


def cached_for_archive(name: str, compute: Callable[[], T], *, stamp: str | None = None) -> T:
    """`compute()`, once per state of the archive (and at most ARCHIVE_CACHE_SECONDS old)."""
    key = f"archive:{name}:{stamp or archive_stamp()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ARCHIVE_CACHE_SECONDS)
    return value
