"""Large exports are streamed with bounded memory (issue 15: the CSV of a common word took
1.4–3.4 s and was built whole in memory per request).

Each export is a streamed response that fetches its rows a chunk at a time while the body is
read: with a chunk of two rows, the database is still being asked for rows after the first
part of the body has left, every agenda-item query asks for at most two rows, and the result is
the same file as with the default chunk. A database error after the first chunk ends the file
with a line that says it was cut off; one before it is still a 503.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minutes import exports
from minutes.models import AgendaItem

pytestmark = pytest.mark.django_db

# A query that reads agenda-item rows themselves (not ids from the search table).
ITEM_ROWS = re.compile(r'^SELECT "minutes_agendaitem"\."id", "minutes_agendaitem"\."meeting_id"')
COMMITTEE = "/hoeje-taastrup/arbejdsmarkedsudvalget/"
# Large exports: a search of a common word, a committee's items as CSV and JSON.
LARGE = [
    "/api/search.csv?q=borgere+OR+ledige+OR+udvalget",
    COMMITTEE + "punkter.csv",
    COMMITTEE + "punkter.json",
]


@pytest.mark.parametrize("url", LARGE)
def test_a_large_export_is_streamed_a_chunk_at_a_time(client, monkeypatch, url):
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 2)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        assert response.streaming, "the export must not be built whole before it is sent"
        asked_in_the_view = len(queries)
        pieces, asked_so_far = [], []
        for piece in response.streaming_content:
            pieces.append(piece)
            asked_so_far.append(len(queries))
    # Rows were still being fetched after the first part of the file had left.
    assert len(pieces) >= 3, pieces
    assert asked_so_far[-1] > asked_so_far[0] >= asked_in_the_view
    # No query fetched more agenda items than one chunk: by LIMIT (a committee's) or by id
    # (a search's, ranked in the search table first).
    item_queries = [q["sql"] for q in queries.captured_queries if ITEM_ROWS.search(q["sql"])]
    assert item_queries
    assert all(_rows_asked(q) <= 2 for q in item_queries), item_queries


def _rows_asked(sql: str) -> int:
    # The statement's own LIMIT is its last.
    if limits := re.findall(r"LIMIT (\d+)", sql):
        return int(limits[-1])
    ids = re.search(r'"minutes_agendaitem"\."id" IN \(([^)]*)\)', sql)
    # A search page's rows are read by their ranked ids (search_rows).
    ids = ids or re.search(r"unnest\('\{([^}]*)\}'", sql)
    return len(ids[1].split(",")) if ids else 10**9


@pytest.mark.parametrize("url", LARGE)
def test_chunks_neither_skip_nor_repeat_a_row(client, monkeypatch, url):
    whole = client.get(url).getvalue()
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 2)
    assert client.get(url).getvalue() == whole


def test_the_committee_export_holds_every_item_once(client, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 3)
    text = client.get(COMMITTEE + "punkter.csv").getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    data = json.loads(client.get(COMMITTEE + "punkter.json").getvalue())
    expected = AgendaItem.objects.displayed().filter(
        meeting__committee__slug="arbejdsmarkedsudvalget"
    )
    keys = sorted((str(i.meeting.date), str(i.number), i.title) for i in expected)
    assert sorted((r["Mødedato"], r["Punkt"], r["Titel"]) for r in rows) == keys
    assert sorted(
        (i["meeting_date"], str(i["item_number"]), i["title"]) for i in data["items"]
    ) == (keys)
    assert data["committee"] == "Arbejdsmarkedsudvalget"


@pytest.fixture
def timeout_after_first_piece():
    """After the first part of the body, every query is cancelled by its statement timeout, as
    on a database that stops answering mid-download (a real timeout, from PostgreSQL)."""

    def cancelled(execute, sql, params, many, context):
        execute("SET LOCAL statement_timeout = 50", None, False, context)
        execute("SELECT pg_sleep(1)", None, False, context)
        return execute(sql, params, many, context)

    def read(response) -> bytes:
        pieces = iter(response.streaming_content)
        first = next(pieces)
        with connection.execute_wrapper(cancelled):
            return first + b"".join(pieces)

    return read


def test_a_csv_cut_off_by_the_database_says_so_in_its_last_line(
    client, monkeypatch, timeout_after_first_piece
):
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 2)
    response = client.get(COMMITTEE + "punkter.csv")
    assert response.status_code == 200
    text = timeout_after_first_piece(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Kommune"
    assert len(rows) == 1 + 2 + 1  # the header, the first chunk, the notice
    assert rows[-1] == [exports.CUT_OFF_MESSAGE]


def test_a_json_export_cut_off_by_the_database_is_still_json_and_says_so(
    client, monkeypatch, timeout_after_first_piece
):
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 2)
    response = client.get(COMMITTEE + "punkter.json")
    data = json.loads(timeout_after_first_piece(response))
    assert len(data["items"]) == 2
    assert data["error"] == exports.CUT_OFF_MESSAGE


def test_a_timeout_before_the_first_chunk_is_the_503_page(client):
    """The first chunk is read in the view: a database that does not answer then gives a
    status, not a download cut off at its header."""

    def cancelled(execute, sql, params, many, context):
        if 'FROM "minutes_agendaitem"' in sql:
            execute("SET LOCAL statement_timeout = 50", None, False, context)
            execute("SELECT pg_sleep(1)", None, False, context)
        return execute(sql, params, many, context)

    client.raise_request_exception = False
    with connection.execute_wrapper(cancelled):
        response = client.get(COMMITTEE + "punkter.csv")
    assert response.status_code == 503
    assert "Siden tog for lang tid" in response.content.decode()
