"""Reads for the pages: each returns what one page shows, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import (
    AgendaItem,
    Attendance,
    Case,
    Committee,
    Decision,
    Document,
    Meeting,
    Municipality,
    Section,
)
from .parsing.conventions import normalise_case_number


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
    """Everyone who has attended the committee, with how many meetings and their party."""
    return list(
        Attendance.objects.filter(meeting__committee=committee)
        .values("name")
        .annotate(
            meetings=Count("id", filter=Q(status__in=["present", "substitute"])),
            party=Max("party"),
            last_date=Max("meeting__date"),
        )
        .order_by("-meetings", "name")
    )


def get_meeting(municipality_slug: str, committee_slug: str, date) -> Meeting:
    meetings = (
        Meeting.objects.select_related("committee__municipality", "source")
        .filter(
            committee__municipality__slug=municipality_slug,
            committee__slug=committee_slug,
            date=date,
        )
        .prefetch_related(
            "attendance",
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related("case").prefetch_related(
                    "sections", "decisions", "votes", "attachments"
                ),
            ),
        )
        .order_by("kind")  # minutes before an agenda of the same day
    )
    meeting = next(iter(meetings), None)
    if meeting is None:
        raise Http404("Mødet findes ikke")
    return meeting


def neighbours(meeting: Meeting) -> tuple[Meeting | None, Meeting | None]:
    siblings = Meeting.objects.filter(committee_id=meeting.committee_id).select_related(
        "committee__municipality"
    )
    previous = siblings.filter(date__lt=meeting.date).order_by("-date").first()
    following = siblings.filter(date__gt=meeting.date).order_by("date").first()
    return previous, following


def get_case(municipality_slug: str, number: str) -> Case:
    return get_object_or_404(
        Case.objects.select_related("municipality"),
        municipality__slug=municipality_slug,
        normalised=normalise_case_number(number),
    )


@dataclass
class TrailStep:
    decision: Decision
    item: AgendaItem
    recommendation: str


def decision_trail(case: Case) -> list[TrailStep]:
    """Every decision on the case across committees and meetings, oldest first.

    The same decision is often printed in several committees' minutes (a later committee quotes
    the earlier ones); it is shown once, from the minutes of the body that took it when we have
    them.
    """
    decisions = (
        Decision.objects.filter(item__case=case)
        .select_related("item__meeting__committee__municipality")
        .prefetch_related(
            Prefetch(
                "item__sections",
                queryset=Section.objects.filter(heading__iexact="Indstilling"),
                to_attr="recommendations",
            )
        )
        .order_by("date", "item__meeting__date", "-this_meeting", "position")
    )
    steps: dict[tuple, TrailStep] = {}
    for decision in decisions:
        key = (decision.body.lower(), decision.date)
        if key in steps and not decision.this_meeting:
            continue
        recommendation = "\n\n".join(s.text for s in decision.item.recommendations)
        steps[key] = TrailStep(decision=decision, item=decision.item, recommendation=recommendation)
    return sorted(
        steps.values(), key=lambda s: (s.decision.date is None, s.decision.date, s.decision.body)
    )


def case_items(case: Case):
    return case.items.select_related("meeting__committee__municipality").order_by(
        "meeting__date", "position"
    )


def get_document(municipality_slug: str, slug: str) -> Document:
    return get_object_or_404(
        Document.objects.select_related("municipality", "source").prefetch_related("sections"),
        municipality__slug=municipality_slug,
        slug=slug,
    )
