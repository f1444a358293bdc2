"""Meetings assembled from item pages: one published page per agenda item.

Københavns Kommune, eDoc Publishing and some municipal sites publish each agenda item on a page
of its own, with the meeting's body and date in the page header. A meeting is then the sum of
its item pages, which arrive one at a time and in any order. Each page adds its item to the
meeting, or replaces the item with the same number (a changed page is a new version of that
item); the meeting's other items stay as they are. The same page twice changes nothing (the
source file's hash is checked before anything is parsed).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.db.models import Max

from minutes.models import AgendaItem, Meeting, Municipality, SourceFile, SourceVersion
from minutes.parsing import ParsedDocument
from minutes.services.contents import write_contents
from minutes.services.ingestion import Status, committee_for, meeting_fields


def store_item_page(
    parsed: ParsedDocument,
    source: SourceFile,
    municipality: Municipality,
    step: Callable[[str], None],
    *,
    record_version: bool = True,
) -> tuple[Meeting, Status]:
    """Add or replace the page's item(s) in its meeting, creating the meeting if it is new."""
    committee = committee_for(municipality, parsed.committee)
    meeting = (
        Meeting.objects.select_for_update()
        .filter(committee=committee, date=parsed.date, kind=parsed.kind)
        .first()
    )
    if meeting is None:
        meeting = Meeting.objects.create(
            committee=committee,
            date=parsed.date,
            kind=parsed.kind,
            **meeting_fields(parsed, source),
        )
        status: Status = "created"
        with_attendance = True
    else:
        # What the meeting lacks, a page may give; what it has, another page gave.
        fields = meeting_fields(parsed, source)
        meeting.start_time = meeting.start_time or fields["start_time"]
        meeting.location = meeting.location or fields["location"]
        meeting.term = meeting.term or fields["term"]
        # The newest page is the meeting's source: an earlier page whose item was replaced is
        # then nobody's source, and a rebuild never puts its old item back.
        meeting.source = source
        meeting.save()  # also moves updated_at, so the page is rendered anew
        meeting.items.filter(number__in=[item.number for item in parsed.items]).delete()
        with_attendance = not meeting.attendance.exists()
        status = "updated"
    if record_version:
        SourceVersion.objects.create(source=source, meeting=meeting)
    step("meeting")

    committee.municipality = municipality
    meeting.committee = committee
    last = meeting.items.aggregate(last=Max("position"))["last"]
    write_contents(
        [(meeting, parsed)],
        step,
        first_position=0 if last is None else last + 1,
        item_source=source,
        with_attendance=with_attendance,
    )
    _order_by_number(meeting)
    return meeting, status


def _order_by_number(meeting: Meeting) -> None:
    """Positions follow the item numbers, whatever order the pages came in.

    Two statements, because (meeting, position) is unique at every moment: first out of the
    way, then into place.
    """
    table = AgendaItem._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET position = position + 20000 WHERE meeting_id = %s", [meeting.pk]
        )
        cursor.execute(
            f"""
            UPDATE {table} AS item SET position = ordered.rank - 1
            FROM (
                SELECT id, row_number() OVER (ORDER BY number, id) AS rank
                FROM {table} WHERE meeting_id = %s
            ) AS ordered
            WHERE item.id = ordered.id
            """,
            [meeting.pk],
        )
