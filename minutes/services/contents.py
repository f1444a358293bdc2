"""Writing a meeting's contents in bulk, and reading back what a meeting or document shows.

`write_contents` writes the attendance and items (with sections, decisions, votes and bilag) of
meetings with COPY, one statement per table for all of them; the fingerprints let a rebuild
tell whether anything changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from minutes.compounds import compound_parts
from minutes.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Case,
    Decision,
    Document,
    Meeting,
    Municipality,
    Section,
    SourceFile,
    Vote,
)
from minutes.parsing import Item, ParsedDocument
from minutes.parsing.conventions import (
    RECOMMENDATION_HEADINGS,
    SUMMARY_HEADINGS,
    normalise_case_number,
)


def write_contents(
    meetings: Sequence[tuple[Meeting, ParsedDocument]],
    step: Callable[[str], None],
    *,
    first_position: int = 0,
    item_source: SourceFile | None = None,
    with_attendance: bool = True,
) -> None:
    """Write the attendance and the items (with sections, decisions, votes and bilag) of
    meetings that have none stored: one COPY per table for all of them.

    An item page (`minutes.services.item_pages`) adds its item to a meeting that has others:
    its items then start at `first_position`, record `item_source`, and the meeting's
    attendance is written only `with_attendance`.

    `meeting.committee.municipality` must be loaded (the items' cases belong to it).
    """
    attendance = []
    for meeting, parsed in meetings if with_attendance else ():
        seen: set[str] = set()
        position = 0
        for attendee in parsed.attendance:
            if attendee.name.lower() in seen:
                continue
            seen.add(attendee.name.lower())
            attendance.append(
                (
                    meeting.pk,
                    position,
                    attendee.name[:200],
                    attendee.party or "",
                    attendee.status,
                    (attendee.note or "")[:500],
                )
            )
            position += 1
    copy_rows(Attendance, ("meeting", "position", "name", "party", "status", "note"), attendance)
    step("attendance")

    # The items' ids are drawn first so that their rows can be written after their sections
    # and decisions (the foreign keys are checked at commit): the search row the items'
    # trigger writes then has its decisions' outcomes at once, instead of being rewritten by
    # the decisions' trigger (which, for an item not yet written, changes nothing).
    listed = [
        (meeting, position, item)
        for meeting, parsed in meetings
        for position, item in enumerate(parsed.items, start=first_position)
    ]
    item_ids = next_ids(AgendaItem, len(listed))
    sections, decisions, votes, attachments = [], [], [], []
    for item_id, (_meeting, _position, item) in zip(item_ids, listed, strict=True):
        sections += [(item_id, i, s.heading[:200], s.text) for i, s in enumerate(item.sections)]
        decisions += [
            (item_id, i, d.body[:200], d.date, d.outcome, d.this_meeting, d.text)
            for i, d in enumerate(item.decisions)
        ]
        votes += [(item_id, i, v.party, v.count, v.position) for i, v in enumerate(item.votes)]
        attachments += [
            (item_id, i, title[:500], *_attachment_file(item, title))
            for i, title in enumerate(item.attachments)
        ]
    copy_rows(Section, ("item", "position", "heading", "text"), sections)
    step("sections")
    copy_rows(
        Decision,
        ("item", "position", "body", "date", "outcome", "this_meeting", "text"),
        decisions,
    )
    step("decisions")
    copy_rows(Vote, ("item", "position", "party", "count", "stance"), votes)
    copy_rows(Attachment, ("item", "position", "title", "file_name", "text"), attachments)
    step("attachments")

    # A case number printed two ways is stored as a meeting printed it: the last way within a
    # meeting, the first meeting's way across meetings (as when they are ingested one by one).
    printed: dict[int, dict[str, str]] = {}
    municipalities: dict[int, Municipality] = {}
    for meeting, parsed in meetings:
        municipality = meeting.committee.municipality
        municipalities[municipality.pk] = municipality
        known = printed.setdefault(municipality.pk, {})
        in_meeting = {
            normalise_case_number(i.case_number): i.case_number
            for i in parsed.items
            if i.case_number
        }
        for key, number in in_meeting.items():
            known.setdefault(key, number)
    cases = {pk: case_ids(municipalities[pk], found) for pk, found in printed.items()}
    items = []
    for item_id, (meeting, position, item) in zip(item_ids, listed, strict=True):
        committee = meeting.committee
        case_id = (
            cases[committee.municipality_id].get(normalise_case_number(item.case_number))
            if item.case_number
            else None
        )
        text = search_text(item, committee.name)
        items.append(
            (
                item_id,
                meeting.pk,
                position,
                item.number,
                item.title[:500],
                item.raw_title[:600],
                item.closed,
                case_id,
                item_source.pk if item_source else None,
                *(text[name] for name in SEARCH_TEXT_FIELDS),
            )
        )
    copy_rows(
        AgendaItem,
        ("id", "meeting", "position", "number", "title", "raw_title", "closed", "case", "source")
        + SEARCH_TEXT_FIELDS,
        items,
    )
    step("items")


def case_ids(municipality: Municipality, printed: dict[str, str]) -> dict[str, int]:
    """The ids of the municipality's cases by normalised number, created (as printed) where
    new. Ids only: a batch names hundreds of cases, most of them stored already, and model
    instances for them were a tenth of ingestion's Python time outside the parser."""
    if not printed:
        return {}
    Case.objects.bulk_create(
        [Case(municipality=municipality, number=n, normalised=key) for key, n in printed.items()],
        ignore_conflicts=True,
    )
    return dict(
        Case.objects.filter(municipality=municipality, normalised__in=printed).values_list(
            "normalised", "pk"
        )
    )


def next_ids(model: type[Model], n: int) -> list[int]:
    """n ids from the table's identity sequence, for rows written later in the transaction."""
    if not n:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, n],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _attachment_file(item, title: str) -> tuple[str, str]:
    """The package file (path, text) listed under `title`, or empty when none came with it."""
    for attached in item.attachment_files:
        if attached.title == title:
            return attached.file_name[:500], attached.text
    return "", ""


def copy_rows(model: type[Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """Write rows with COPY, the columns named by field.

    A meeting has ~150 child rows: one COPY per table sends them in one round trip, without a
    model instance and a quoted parameter per value (bulk_create's cost, a third of the Python
    time of ingestion). Like bulk_create it runs no save() or signals; database errors come out
    as Django's exceptions, as from any other query.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    names = ", ".join(quote(field.column) for field in columns)
    # Binary: each value goes as its type's bytes, so neither psycopg escapes the texts (a
    # meeting's ~50 KB) for COPY's text format nor PostgreSQL parses them back.
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN (FORMAT BINARY)"
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.copy(sql) as copy:
        copy.set_types([_copy_type(field) for field in columns])
        for row in rows:
            copy.write_row(row)


def _copy_type(field: Field) -> str:
    """The column's type as psycopg names it: `varchar(300)` is `varchar`, a key its target's."""
    return re.sub(r"\(\d+\)", "", field.db_type(connection))


def store_sources(sources: Sequence[SourceFile]) -> None:
    """Write new source files with COPY and give them their ids.

    bulk_create would put each original (tens of kilobytes, a 500-file batch megabytes) into
    the SQL text as a hex literal, which Python quotes and PostgreSQL's SQL lexer then reads
    character by character: a tenth of ingestion's database time.
    """
    now = timezone.now()
    fields = ("id", "sha256", "file_name", "content", "size", "content_type", "reader")
    fields += ("corrections", "ingested_at", "municipality")
    for source, pk in zip(sources, next_ids(SourceFile, len(sources)), strict=True):
        source.pk, source.ingested_at = pk, now
        source._state.adding, source._state.db = False, connection.alias
    copy_rows(
        SourceFile,
        fields,
        [
            (s.pk, s.sha256, s.file_name, bytes(s.content), s.size, s.content_type, s.reader)
            + (s.corrections, s.ingested_at, s.municipality_id)
            for s in sources
        ],
    )


# AgendaItem's search text columns, in the order search_text fills them.
SEARCH_TEXT_FIELDS = ("text_a", "text_b", "text_c", "text_d")


def search_text(item: Item, committee_name: str) -> dict[str, str]:
    """Split an item's text by weight: title A; Indstilling and decisions B; Resume and
    Sagsfremstilling C; everything else D, and last in D the last parts of the compound words
    of A–C ("plan" for "lokalplanen", minutes.compounds), so a search for a part finds the
    compounds below the items with the part as a word."""
    b, c, d = [], [], []
    for section in item.sections:
        heading = section.heading.lower()
        target = (
            b if heading in RECOMMENDATION_HEADINGS else c if heading in SUMMARY_HEADINGS else d
        )
        target.append(f"{section.heading}\n{section.text}" if section.heading else section.text)
    for decision in item.decisions:
        b.append(f"{decision.body}\n{decision.text}")
    # The parts of the compounds of title, Indstilling, decisions, Resume and Sagsfremstilling:
    # not of the other sections and bilag, whose far more text would cost ingestion ~4.5 times
    # as much for little (README, Search).
    parts = compound_parts([item.title, *b, *c])
    d.extend(item.attachments)
    # The text of attachments that came with the document: searchable at the lowest weight.
    d.extend(f.text for f in item.attachment_files if f.text)
    # The committee's name is searchable at the lowest weight, not in the title line: there it
    # put every item of "Socialudvalget" in the title tier of a search for it (issue 13).
    d.append(committee_name)
    if parts:
        d.append(" ".join(parts))
    return {
        "text_a": "\n".join(filter(None, [item.title, item.case_number or ""])),
        "text_b": "\n\n".join(b),
        "text_c": "\n\n".join(c),
        "text_d": "\n\n".join(d),
    }


def meeting_fingerprint(meeting: Meeting | None) -> tuple:
    """Everything a meeting shows, in a fixed order (rows of a rewrite come back in another
    physical order, so every query sorts by item and position)."""
    if meeting is None:
        return ()
    per_item = ("item__position", "position")
    items = tuple(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position")
        .values_list(
            "position",
            "number",
            "title",
            "raw_title",
            "case__normalised",
            "closed",
            "text_a",
            "text_b",
            "text_c",
            "text_d",
        )
    )
    decisions = tuple(
        Decision.objects.filter(item__meeting=meeting)
        .order_by(*per_item)
        .values_list("item__position", "body", "date", "outcome", "this_meeting", "text")
    )
    sections = tuple(
        Section.objects.filter(item__meeting=meeting)
        .order_by(*per_item)
        .values_list("item__position", "heading", "text")
    )
    votes = tuple(
        Vote.objects.filter(item__meeting=meeting)
        .order_by(*per_item)
        .values_list("item__position", "party", "count", "stance")
    )
    attachments = tuple(
        Attachment.objects.filter(item__meeting=meeting)
        .order_by(*per_item)
        .values_list("item__position", "title", "file_name", "text")
    )
    attendance = tuple(
        meeting.attendance.order_by("position").values_list("name", "party", "status", "note")
    )
    return (
        meeting.committee_id,
        meeting.date,
        meeting.kind,
        meeting.term,
        meeting.start_time,
        meeting.location,
        items,
        decisions,
        sections,
        attendance,
        votes,
        attachments,
    )


def document_fingerprint(document: Document | None) -> tuple:
    if document is None:
        return ()
    return (
        document.title,
        document.term,
        tuple(document.sections.order_by("position").values_list("heading", "level", "text")),
    )
