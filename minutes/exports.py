"""Downloads for spreadsheets and programs: agenda items with what was decided (search results,
a committee's meetings), a case's decision trail, and the /api/ page that documents them.

CSV is written the way Danish Excel opens it by double-click: UTF-8 with a byte-order mark and
semicolons between cells (Excel in Danish expects `;`, since `,` is the decimal sign). Every
cell goes through `spreadsheet_cell`: no character XML cannot hold, and a cell a spreadsheet
would run as a formula starts with `'`.

Large exports are streamed: rows are fetched, given their decisions and written EXPORT_CHUNK at
a time (`item_chunks`), so a worker holds one chunk, not a committee's 10,000 items, and the
first bytes leave before the last rows are read. A database error after the first chunk can no
longer change the status: the CSV then ends with a row and the JSON with an "error" member that
say the export was cut off.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import DatabaseError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from . import selectors
from .boundary import spreadsheet_cell
from .item_decisions import item_outcomes
from .models import AgendaItem, Case, Decision

log = logging.getLogger(__name__)
T = TypeVar("T")

CSV_DELIMITER = ";"
# Rows fetched, decided and written at a time by a streamed export (two queries per chunk for
# the decisions, see item_decisions): what a worker holds of an export at once.
EXPORT_CHUNK = 200
CUT_OFF_MESSAGE = (
    "Eksporten blev afbrudt, fordi databasen ikke svarede; rækkerne ovenfor er ikke alle. "
    "Prøv igen om lidt."
)

# One row per agenda item: where and when, what it is, what was proposed and what was decided.
ITEM_COLUMNS: list[tuple[str, str]] = [
    ("municipality", "Kommune"),
    ("committee", "Udvalg"),
    ("meeting_date", "Mødedato"),
    ("item_number", "Punkt"),
    ("case_number", "Sagsnummer"),
    ("title", "Titel"),
    ("recommendation", "Indstilling"),
    ("decision_body", "Besluttet af"),
    ("decision_date", "Beslutningsdato"),
    ("decision_outcome", "Udfald"),
    ("decision_text", "Beslutning"),
    ("closed", "Lukket punkt"),
    ("url", "URL"),
]

# One row per decision on a case, oldest first, as the case page's trail shows them.
TRAIL_COLUMNS: list[tuple[str, str]] = [
    ("municipality", "Kommune"),
    ("case_number", "Sagsnummer"),
    ("decision_date", "Beslutningsdato"),
    ("decision_body", "Besluttet af"),
    ("decision_outcome", "Udfald"),
    ("decision_text", "Beslutning"),
    ("recommendation", "Indstilling"),
    ("committee", "Referat fra udvalg"),
    ("meeting_date", "Mødedato"),
    ("item_number", "Punkt"),
    ("title", "Titel"),
    ("url", "URL"),
]

# A committee's export holds every item of every meeting; more is a database dump.
COMMITTEE_ITEM_LIMIT = 10_000


def _decision_fields(decision: Decision | None) -> dict[str, Any]:
    if decision is None:
        return {"body": "", "date": None, "outcome": "", "outcome_label": "", "text": ""}
    return {
        "body": decision.body,
        "date": decision.date.isoformat() if decision.date else None,
        "outcome": decision.outcome,
        "outcome_label": decision.get_outcome_display(),
        "text": decision.text,
    }


def item_records(
    items: Sequence[AgendaItem], url_of: Callable[[AgendaItem], str]
) -> list[dict[str, Any]]:
    """One plain dict per item with its decision (`item_decisions`), for CSV and JSON.

    The items need their meeting, committee, municipality and case loaded.
    """
    outcomes = item_outcomes(items)
    records = []
    for item in items:
        outcome = outcomes[item.pk]
        meeting = item.meeting
        records.append(
            {
                "municipality": meeting.committee.municipality.name,
                "committee": meeting.committee.name,
                "meeting_date": meeting.date.isoformat(),
                "meeting_kind": meeting.get_kind_display(),
                "item_number": item.number,
                "case_number": item.case.number if item.case else None,
                "title": item.title,
                "recommendation": outcome.recommendation,
                "decision": _decision_fields(outcome.decision) if outcome.decision else None,
                "closed": item.closed,
                "url": url_of(item),
            }
        )
    return records


def flat_item_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record of `item_records` with its decision as columns, as ITEM_COLUMNS name them."""
    decision = record["decision"] or _decision_fields(None)
    return {
        **record,
        "decision_body": decision["body"],
        "decision_date": decision["date"],
        "decision_outcome": decision["outcome_label"],
        "decision_text": decision["text"],
        "closed": "ja" if record["closed"] else "nej",
    }


def item_chunks(
    items: QuerySet[AgendaItem],
    url_of: Callable[[AgendaItem], str],
    *,
    limit: int,
) -> Iterator[list[dict[str, Any]]]:
    """`item_records` of the first `limit` items, EXPORT_CHUNK items per query (the queryset's
    order must be total, so that the slices neither skip nor repeat an item)."""
    size = EXPORT_CHUNK
    for start in range(0, limit, size):
        chunk = list(items[start : min(start + size, limit)])
        if chunk:
            yield item_records(chunk, url_of)
        if len(chunk) < size:
            return


def started(chunks: Iterator[T]) -> Iterator[T]:
    """`chunks` with the first one fetched now, in the view: a database error there is still
    answered with a status (the 503 page), not a cut-off download."""
    first = next(chunks, None)
    return chunks if first is None else itertools.chain([first], chunks)


def _cut_off(exc: DatabaseError) -> None:
    log.warning("Export cut off by a database error: %s", exc)


def csv_response(
    file_name: str,
    columns: Sequence[tuple[str, str]],
    chunks: Iterable[Sequence[dict[str, Any]]],
) -> StreamingHttpResponse:
    """A CSV download streamed a chunk of rows at a time, as `chunks` fetches them."""

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
        # The byte-order mark: Excel then reads the Danish letters as UTF-8.
        buffer.write("\ufeff")
        writer.writerow([title for _key, title in columns])
        try:
            for rows in chunks:
                for row in rows:
                    writer.writerow(
                        [
                            spreadsheet_cell("" if row.get(key) is None else str(row[key]))
                            for key, _ in columns
                        ]
                    )
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        except DatabaseError as exc:
            _cut_off(exc)
            writer.writerow([CUT_OFF_MESSAGE])
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def json_response(payload: dict[str, Any]) -> JsonResponse:
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})


def json_stream(
    payload: dict[str, Any], key: str, chunks: Iterable[Sequence[dict[str, Any]]]
) -> StreamingHttpResponse:
    """`payload` (not empty) with a list under `key` streamed a chunk at a time, as `chunks`
    fetches it."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, indent=1)

    def parts() -> Iterator[str]:
        # The payload's own members, then the list's opening: '{ ..., "items": ['.
        yield dumps(payload)[: -len("\n}")] + f',\n "{key}": ['
        first = True
        error = None
        try:
            for records in chunks:
                if records:
                    yield ("" if first else ",") + ",".join(dumps(r) for r in records)
                    first = False
        except DatabaseError as exc:
            _cut_off(exc)
            error = CUT_OFF_MESSAGE
        yield "]" + (f',\n "error": {dumps(error)}' if error else "") + "\n}\n"

    return StreamingHttpResponse(parts(), content_type="application/json")


# --- A case's decision trail -----------------------------------------------------------------


def _trail_records(request: HttpRequest, case: Case) -> list[dict[str, Any]]:
    records = []
    for step in selectors.decision_trail(case):
        meeting = step.item.meeting
        records.append(
            {
                "municipality": case.municipality.name,
                "case_number": case.number,
                "decision": _decision_fields(step.decision),
                "recommendation": step.recommendation,
                "committee": meeting.committee.name,
                "meeting_date": meeting.date.isoformat(),
                "item_number": step.item.number,
                "title": step.item.title,
                "url": request.build_absolute_uri(step.url),
            }
        )
    return records


def _case_file_name(case: Case, extension: str) -> str:
    return f"sag-{case.municipality.slug}-{case.url_number}.{extension}"


@require_GET
def case_trail_csv(request: HttpRequest, municipality: str, number: str) -> HttpResponse:
    case = selectors.get_case(municipality, number)
    if case.url_number != number:
        return redirect("minutes:case_trail_csv", case.municipality.slug, case.url_number)
    # A case's trail is a handful of decisions: one chunk.
    rows = [
        {
            **record,
            "decision_body": record["decision"]["body"],
            "decision_date": record["decision"]["date"],
            "decision_outcome": record["decision"]["outcome_label"],
            "decision_text": record["decision"]["text"],
        }
        for record in _trail_records(request, case)
    ]
    return csv_response(_case_file_name(case, "csv"), TRAIL_COLUMNS, [rows])


@require_GET
def case_trail_json(request: HttpRequest, municipality: str, number: str) -> HttpResponse:
    case = selectors.get_case(municipality, number)
    if case.url_number != number:
        return redirect("minutes:case_trail_json", case.municipality.slug, case.url_number)
    items = selectors.case_items(case)
    for item in items:
        item.case = case
    return json_response(
        {
            "municipality": case.municipality.name,
            "case_number": case.number,
            "title": selectors.case_title(items),
            "url": request.build_absolute_uri(case.get_absolute_url()),
            "decisions": _trail_records(request, case),
            "items": item_records(
                items, lambda i: request.build_absolute_uri(i.get_absolute_url())
            ),
        }
    )


# --- A committee's meetings ------------------------------------------------------------------


def _committee_items(committee) -> QuerySet[AgendaItem]:
    # The id last: a total order, so that the export's slices neither skip nor repeat an item.
    return (
        AgendaItem.objects.displayed()
        .filter(meeting__committee=committee)
        .select_related("meeting__committee__municipality", "case")
        .order_by("meeting__date", "-meeting__kind", "position", "pk")
    )


def _committee_chunks(request: HttpRequest, committee) -> Iterator[list[dict[str, Any]]]:
    return item_chunks(
        _committee_items(committee),
        lambda i: request.build_absolute_uri(i.get_absolute_url()),
        limit=COMMITTEE_ITEM_LIMIT,
    )


@require_GET
def committee_items_csv(request: HttpRequest, municipality: str, committee: str) -> HttpResponse:
    obj = selectors.get_committee(municipality, committee)
    return csv_response(
        f"{obj.municipality.slug}-{obj.slug}.csv",
        ITEM_COLUMNS,
        started([flat_item_row(r) for r in records] for records in _committee_chunks(request, obj)),
    )


@require_GET
def committee_items_json(request: HttpRequest, municipality: str, committee: str) -> HttpResponse:
    obj = selectors.get_committee(municipality, committee)
    return json_stream(
        {
            "municipality": obj.municipality.name,
            "committee": obj.name,
            "url": request.build_absolute_uri(obj.get_absolute_url()),
        },
        "items",
        started(_committee_chunks(request, obj)),
    )


# --- /api/ -----------------------------------------------------------------------------------


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "minutes/api.html",
        {
            "outcomes": Decision.Outcome.choices,
            "item_columns": [title for _key, title in ITEM_COLUMNS],
            "trail_columns": [title for _key, title in TRAIL_COLUMNS],
            "base": request.build_absolute_uri("/").rstrip("/"),
        },
    )
