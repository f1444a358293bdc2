"""Prepared statements for the search statements whose shape repeats from search to search.

Django's psycopg backend binds parameters on the client, so PostgreSQL parses and plans every
statement anew. For the statements below planning cost more than running (the result rows'
five-table join: 0.85 ms of planning for 0.1 ms of work; the count and facets: 0.5 ms on every
search). Sent with server-side binding and prepared, each is planned once per connection and
shape: PostgreSQL plans the first five runs for their parameters and then keeps a generic plan
when it costs no more than those did (plan_cache_mode auto).

Only statements whose plan does not hang on their parameters' selectivity go through here: the
ranking (search.Search.page_sql) is planned for each query's words, as before.

Behind pgbouncer in transaction mode (settings.BEHIND_PGBOUNCER) a prepared statement would
outlive the server connection it was prepared on: there the cursor is Django's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper


class _PreparingCursor(psycopg.Cursor):
    """Server-side binding, every statement prepared (psycopg keeps the last 100 per
    connection)."""

    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None, **kwargs):
        return super().execute(query, params, prepare=True, **kwargs)


class _LoggedCursor(CursorDebugWrapper):
    """Django's query log for these statements: psycopg keeps no text of a statement it runs
    as prepared (Django would log None), so the log has it with its parameters filled in, as
    Django logs its own."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)


@contextmanager
def prepared_cursor(*, prepare: bool = True) -> Iterator[Any]:
    """A cursor like `connection.cursor()` (logged, wrapped, in Django's transaction state)
    whose statements are prepared; Django's own cursor when not `prepare`."""
    if settings.BEHIND_PGBOUNCER or not prepare:
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = _PreparingCursor(connection.connection)
    cursor = (
        _LoggedCursor(raw, connection) if connection.queries_logged else connection.make_cursor(raw)
    )
    with cursor:
        yield cursor
