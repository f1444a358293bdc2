"""Reads for the pages: each returns what one page shows, in a fixed number of queries."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import PurePosixPath

from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q
from django.db.models.functions import Lower, Trim
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import (
    AgendaItem,
    Attachment,
    Attendance,
    Case,
    Committee,
    Decision,
    Document,
    Meeting,
    Municipality,
    Section,
    SourceFile,
    SourceVersion,
)
from .parsing.conventions import RECOMMENDATION_HEADINGS, normalise_case_number
from .people import person_url


def archive_counts() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.filter(committees__isnull=False).distinct().count(),
        "meetings": Meeting.objects.count(),
        "items": AgendaItem.objects.count(),
        "cases": Case.objects.count(),
        "documents": Document.objects.count(),
    }


def municipalities_with_content():
    return (
        Municipality.objects.annotate(
            meeting_count=Count("committees__meetings", distinct=True),
            document_count=Count("documents", distinct=True),
        )
        .filter(Q(meeting_count__gt=0) | Q(document_count__gt=0))
        .order_by("name")
    )


def sources_overview():
    """Each municipality in the archive with its meetings, its newest meeting and when a file of
    it last came in (the Om-page's table of sources and update times), in one query."""
    return (
        Municipality.objects.annotate(
            meeting_count=Count("committees__meetings", distinct=True),
            latest_meeting=Max("committees__meetings__date"),
            last_ingested=Max("source_files__ingested_at"),
        )
        .filter(last_ingested__isnull=False)
        .order_by("name")
    )


def latest_meetings(*, municipality: Municipality | None = None, limit: int = 10):
    meetings = Meeting.objects.select_related("committee__municipality").order_by(
        "-date", "committee__name"
    )
    if municipality is not None:
        meetings = meetings.filter(committee__municipality=municipality)
    return meetings[:limit]


def get_municipality(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug)


def committees_of(municipality: Municipality):
    return (
        municipality.committees.annotate(
            meeting_count=Count("meetings"), latest_date=Max("meetings__date")
        )
        .filter(meeting_count__gt=0)
        .order_by("name")
    )


def get_committee(municipality_slug: str, committee_slug: str) -> Committee:
    return get_object_or_404(
        Committee.objects.select_related("municipality"),
        municipality__slug=municipality_slug,
        slug=committee_slug,
    )


@dataclass
class YearOfMeetings:
    year: int
    meetings: list[Meeting]


def meetings_by_year(committee: Committee) -> list[YearOfMeetings]:
    meetings = committee.meetings.annotate(item_count=Count("items")).order_by("-date")
    return [
        YearOfMeetings(year, list(group))
        for year, group in groupby(meetings, key=lambda m: m.date.year)
    ]


def committee_members(committee: Committee) -> list[dict]:
    """Everyone the minutes list as attending the committee: meetings present, as substitute,
    absent, and the span of dates, in one grouped query; each with their person page."""
    members = list(
        Attendance.objects.filter(meeting__committee=committee)
        .values("name")
        .annotate(
            present=Count("id", filter=Q(status=Attendance.Status.PRESENT)),
            substitute=Count("id", filter=Q(status=Attendance.Status.SUBSTITUTE)),
            absent=Count("id", filter=Q(status=Attendance.Status.ABSENT)),
            meetings=Count("id", filter=Q(status__in=["present", "substitute"])),
            party=Max("party"),
            first_date=Min("meeting__date"),
            last_date=Max("meeting__date"),
        )
        .order_by("-meetings", "name")
    )
    for member in members:
        member["url"] = person_url(committee.municipality, member["name"])
    return members


def committee_feed_meetings(committee: Committee, limit: int = 30):
    return (
        committee.meetings.select_related("committee__municipality")
        .annotate(item_count=Count("items"))
        .order_by("-date", "-kind")[:limit]
    )


# What a cached meeting page depends on, in one statement by the indexes and without building
# model instances (views.meeting): the meeting (minutes before an agenda of the same day, as
# get_meeting), when it was last written, and its committee's previous and next meeting.
_MEETING_VERSION_SQL = """
    SELECT m.id, m.updated_at,
           (SELECT p.id FROM minutes_meeting p WHERE p.committee_id = m.committee_id
              AND p.date < m.date ORDER BY p.date DESC LIMIT 1),
           (SELECT n.id FROM minutes_meeting n WHERE n.committee_id = m.committee_id
              AND n.date > m.date ORDER BY n.date LIMIT 1)
    FROM minutes_meeting m
    JOIN minutes_committee c ON c.id = m.committee_id
    JOIN minutes_municipality mu ON mu.id = c.municipality_id
    WHERE mu.slug = %s AND c.slug = %s AND m.date = %s
    ORDER BY m.kind DESC
    LIMIT 1
"""


def meeting_version(municipality_slug: str, committee_slug: str, date) -> tuple:
    """(id, updated_at, previous id, next id) of the meeting get_meeting finds; 404 if none."""
    with connection.cursor() as cursor:
        cursor.execute(_MEETING_VERSION_SQL, [municipality_slug, committee_slug, date])
        row = cursor.fetchone()
    if row is None:
        raise Http404("Mødet findes ikke")
    return row


# The same for a case page (views.case): the case as printed (for the redirect to its own
# address), its items' count and their meetings' newest update, as get_case annotates them.
_CASE_VERSION_SQL = """
    SELECT k.id, k.number, count(i.id), max(m.updated_at)
    FROM minutes_case k
    JOIN minutes_municipality mu ON mu.id = k.municipality_id
    LEFT JOIN minutes_agendaitem i ON i.case_id = k.id
    LEFT JOIN minutes_meeting m ON m.id = i.meeting_id
    WHERE mu.slug = %s AND k.normalised = %s
    GROUP BY k.id
"""


def case_version(municipality_slug: str, number: str) -> tuple:
    """(id, number as printed, item count, newest update) of the case get_case finds; 404 if
    none."""
    with connection.cursor() as cursor:
        cursor.execute(_CASE_VERSION_SQL, [municipality_slug, normalise_case_number(number)])
        row = cursor.fetchone()
    if row is None:
        raise Http404("Sagen findes ikke")
    return row


def get_meeting(municipality_slug: str, committee_slug: str, date) -> Meeting:
    meetings = (
        Meeting.objects.select_related("committee__municipality")
        .filter(
            committee__municipality__slug=municipality_slug,
            committee__slug=committee_slug,
            date=date,
        )
        # Minutes before an agenda of the same day: the URL names the day, the minutes win.
        .order_by("-kind")
    )
    meeting = next(iter(meetings), None)
    if meeting is None:
        raise Http404("Mødet findes ikke")
    return meeting


@dataclass
class AttendanceGroups:
    present: list[Attendance]
    substitutes: list[Attendance]
    absent: list[Attendance]

    def __bool__(self) -> bool:
        return bool(self.present or self.substitutes or self.absent)


def attendance_groups(meeting: Meeting) -> AttendanceGroups:
    """The meeting's attendance, present / substitutes / absent, in one query."""
    people = list(meeting.attendance.all())
    municipality = meeting.committee.municipality
    for attendance in people:
        attendance.person_url = person_url(municipality, attendance.name)
    return AttendanceGroups(
        present=[a for a in people if a.status == Attendance.Status.PRESENT],
        substitutes=[a for a in people if a.status == Attendance.Status.SUBSTITUTE],
        absent=[a for a in people if a.status == Attendance.Status.ABSENT],
    )


def neighbours(meeting: Meeting) -> tuple[Meeting | None, Meeting | None]:
    """The committee's previous and next meeting, in one query."""
    siblings = Meeting.objects.filter(committee_id=meeting.committee_id).select_related(
        "committee__municipality"
    )
    previous = siblings.filter(date__lt=meeting.date).order_by("-date")[:1]
    following = siblings.filter(date__gt=meeting.date).order_by("date")[:1]
    found = {m.date > meeting.date: m for m in previous.union(following, all=True)}
    return found.get(False), found.get(True)


# The related rows of a meeting's items, as plain lists on each item (relation → attribute):
# with `to_attr` the prefetch does not build a queryset per item and relation, which was a
# third of fetching a 17-item agenda.
ITEM_PARTS = {
    "sections": "section_list",
    "decisions": "decision_list",
    "votes": "vote_list",
    "attachments": "attachment_list",
}


# An attachment's extracted text feeds search only; the agenda shows its title and link.
PART_ROWS = {"attachments": Attachment.objects.defer("text")}


def attachment_file(pk: int) -> tuple[bytes, str]:
    """The bytes and file name of an attachment that came inside its meeting's package.

    The package (the stored original zip) keeps the file; 404 when the attachment has none.
    """
    attachment = get_object_or_404(
        Attachment.objects.select_related("item__source", "item__meeting__source").exclude(
            file_name=""
        ),
        pk=pk,
    )
    source = attachment.item.source or attachment.item.meeting.source
    try:
        with zipfile.ZipFile(io.BytesIO(bytes(source.content))) as package:
            data = package.read(attachment.file_name)
    except (KeyError, zipfile.BadZipFile) as exc:
        raise Http404("Bilaget findes ikke i den gemte originalfil") from exc
    return data, PurePosixPath(attachment.file_name).name


# The MIME type each stored kind of original is served with (SourceFile.content_type).
SOURCE_MEDIA_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html",
    "xml": "application/xml",
    "zip": "application/zip",
    "text": "text/plain",
}


def source_file(pk: int) -> SourceFile:
    """A stored original that is, or was, the source of something published; 404 otherwise."""
    published = (
        Q(Exists(SourceVersion.objects.filter(source=OuterRef("pk"))))
        | Q(Exists(AgendaItem.objects.filter(source=OuterRef("pk"))))
        | Q(Exists(Meeting.objects.filter(source=OuterRef("pk"))))
        | Q(Exists(Document.objects.filter(source=OuterRef("pk"))))
    )
    return get_object_or_404(SourceFile.objects.filter(published), pk=pk)


def source_versions(*, meeting: Meeting | None = None, document: Document | None = None):
    """The originals a meeting or document was read from (for a meeting put together from one
    page per item, those pages too), oldest first, without their bytes, in one query."""
    if meeting is not None:
        # The ids first, each through its own index: an OR across the two joins made
        # PostgreSQL read every item of the archive (120 ms of a meeting's first render at
        # 200,000 items).
        ids = (
            SourceVersion.objects.filter(meeting=meeting)
            .order_by()
            .values("source")
            .union(AgendaItem.objects.filter(meeting=meeting).order_by().values("source"))
        )
        read_from = Q(pk__in=ids)
    else:
        read_from = Q(versions__document=document)
    return list(
        SourceFile.objects.filter(read_from).defer("content").distinct().order_by("ingested_at")
    )


def meeting_items(meeting: Meeting) -> list[AgendaItem]:
    """Every item with all it shows (its parts in the lists ITEM_PARTS names), in 5 queries."""
    # The case's municipality is the meeting's: set here instead of joined on every row.
    municipality = meeting.committee.municipality
    items = list(
        meeting.items.displayed()
        .select_related("case")
        .prefetch_related(
            *(
                Prefetch(part, queryset=PART_ROWS.get(part), to_attr=attr)
                for part, attr in ITEM_PARTS.items()
            )
        )
    )
    for item in items:
        if item.case is not None:
            item.case.municipality = municipality
    return items


def get_case(municipality_slug: str, number: str) -> Case:
    """The case, with the newest update of its meetings and its item count: together they
    change whenever its trail can (views.case caches the page on them)."""
    return get_object_or_404(
        Case.objects.select_related("municipality").annotate(
            latest_update=Max("items__meeting__updated_at"), item_count=Count("items")
        ),
        municipality__slug=municipality_slug,
        normalised=normalise_case_number(number),
    )


@dataclass
class TrailStep:
    case: Case
    decision: Decision
    item: AgendaItem
    recommendation: str
    # The Indstilling is printed again with each committee's decision; show it once.
    repeats_previous_recommendation: bool = False

    @property
    def url(self) -> str:
        """The decision's own anchor in the minutes it was read from."""
        return f"{self.item.meeting.get_absolute_url()}#{self.decision.anchor}"


def decision_trail(case: Case) -> list[TrailStep]:
    """Every decision on the case across committees and meetings, oldest first.

    The same decision is often printed in several committees' minutes (a later committee quotes
    the earlier ones); it is shown once, from the minutes of the body that took it when we have
    them. Decisions of the same day keep the order the minutes print them in.
    """
    decisions = (
        Decision.objects.filter(item__case=case)
        .select_related("item__meeting__committee__municipality")
        .prefetch_related(
            Prefetch(
                "item__sections",
                queryset=Section.objects.alias(key=Lower(Trim("heading"))).filter(
                    key__in=sorted(RECOMMENDATION_HEADINGS)
                ),
                to_attr="recommendations",
            )
        )
        .order_by("date", "item__meeting__date", "-this_meeting", "position")
    )
    steps: dict[tuple, TrailStep] = {}
    for decision in decisions:
        key = (decision.body.lower(), decision.date)
        if key in steps and not (decision.this_meeting and not steps[key].decision.this_meeting):
            continue
        recommendation = "\n\n".join(s.text for s in decision.item.recommendations)
        steps[key] = TrailStep(
            case=case, decision=decision, item=decision.item, recommendation=recommendation
        )
    trail = sorted(
        steps.values(),
        key=lambda s: (
            s.decision.date is None,
            s.decision.date,
            s.item.meeting.date,
            s.item.position,
            s.decision.position,
        ),
    )
    for previous, step in zip(trail, trail[1:], strict=False):
        step.repeats_previous_recommendation = bool(
            step.recommendation and step.recommendation == previous.recommendation
        )
    return trail


# "Fritids- og Kulturudvalget", "Klima-, Miljø- og Teknikudvalget", "Økonomiudvalget", "Byrådet".
_WORD = r"[A-ZÆØÅ][a-zæøåéü]*"
_BODY_RE = re.compile(
    rf"\b(?:{_WORD}-(?:,\s*{_WORD}-)*\s+og\s+)?{_WORD}udvalget\b"
    r"|\b(?:Byrådet|Kommunalbestyrelsen|Regionsrådet|Borgerrepræsentationen)\b"
)


def bodies_named_in(text: str) -> list[str]:
    """The deciding bodies an Indstilling addresses, in the order it names them."""
    seen: dict[str, str] = {}
    for match in _BODY_RE.finditer(text or ""):
        seen.setdefault(match.group(0).lower(), match.group(0))
    return list(seen.values())


@dataclass
class CaseStatus:
    latest: TrailStep
    # Bodies the latest Indstilling sends the case to that have not decided in the archive yet.
    pending: list[str] = field(default_factory=list)


def case_status(trail: list[TrailStep]) -> CaseStatus | None:
    """Where the case stands now: the latest decision, and who is still to decide it."""
    if not trail:
        return None
    latest = trail[-1]
    # The round of decisions that answered the same Indstilling as the latest one.
    round_start = len(trail) - 1
    while round_start > 0 and trail[round_start].repeats_previous_recommendation:
        round_start -= 1
    decided = {step.decision.body.lower() for step in trail[round_start:]}
    pending = [b for b in bodies_named_in(latest.recommendation) if b.lower() not in decided]
    return CaseStatus(latest=latest, pending=pending)


def case_title(items: list[AgendaItem]) -> str:
    """The case's title as the newest agenda item words it."""
    return items[-1].title if items else ""


def case_items(case: Case) -> list[AgendaItem]:
    return list(
        case.items.displayed()
        .select_related("meeting__committee__municipality")
        .order_by("meeting__date", "position")
    )


def get_document(municipality_slug: str, slug: str) -> Document:
    return get_object_or_404(
        Document.objects.select_related("municipality", "source").prefetch_related("sections"),
        municipality__slug=municipality_slug,
        slug=slug,
    )


# --- Sitemaps: one query per page of URLs, with what get_absolute_url needs joined in. ---


def sitemap_municipalities():
    return (
        Municipality.objects.filter(
            Q(Exists(Meeting.objects.filter(committee__municipality=OuterRef("pk"))))
            | Q(Exists(Document.objects.filter(municipality=OuterRef("pk"))))
        )
        .annotate(lastmod=Max("committees__meetings__updated_at"))
        .order_by("name")
    )


def sitemap_committees():
    return (
        Committee.objects.select_related("municipality")
        .annotate(lastmod=Max("meetings__updated_at"))
        .filter(lastmod__isnull=False)
        .order_by("municipality__name", "name")
    )


def sitemap_meetings():
    """One URL per committee and day: an agenda is left out when the minutes of the day exist."""
    minutes_same_day = Meeting.objects.filter(
        committee=OuterRef("committee"), date=OuterRef("date"), kind=Meeting.Kind.MINUTES
    )
    return (
        Meeting.objects.select_related("committee__municipality")
        .exclude(Q(kind=Meeting.Kind.AGENDA) & Q(Exists(minutes_same_day)))
        .order_by("committee_id", "date")
    )


def sitemap_cases():
    return (
        Case.objects.select_related("municipality")
        .annotate(lastmod=Max("items__meeting__updated_at"))
        .filter(lastmod__isnull=False)
        .order_by("municipality_id", "normalised")
    )


def sitemap_documents():
    return Document.objects.select_related("municipality").order_by("municipality_id", "slug")
