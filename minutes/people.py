"""People as the minutes name them, per municipality: no register of persons exists, so the
same name within a municipality is taken to be the same person (spelled the same, ignoring
case and punctuation, i.e. the same URL slug). Read at request time from the attendance lists;
nothing is stored, and no identity beyond the name is invented."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.http import Http404
from django.urls import reverse

from .models import Attendance, Meeting, Municipality, Vote
from .text import danish_slug

ATTENDED = [Attendance.Status.PRESENT, Attendance.Status.SUBSTITUTE]


def person_url(municipality: Municipality, name: str) -> str:
    return reverse("minutes:person", args=[municipality.slug, danish_slug(name)])


def everyone() -> list[dict]:
    """Every person of every municipality (by the same rule as `people_of`: one per slug), with
    the address of their page and the newest change of a meeting that names them, in one query:
    for sitemap.xml. Names that make no slug (punctuation only) have no page."""
    rows = (
        Attendance.objects.values("meeting__committee__municipality__slug", "name")
        .annotate(lastmod=Max("meeting__updated_at"))
        .order_by("meeting__committee__municipality__slug", "name")
    )
    people: dict[tuple[str, str], dict] = {}
    for row in rows:
        municipality, slug = row["meeting__committee__municipality__slug"], danish_slug(row["name"])
        if not slug:
            continue
        known = people.get((municipality, slug))
        if known is not None:
            known["lastmod"] = max(known["lastmod"], row["lastmod"])
            continue
        people[(municipality, slug)] = {
            "municipality": municipality,
            "url": reverse("minutes:person", args=[municipality, slug]),
            "lastmod": row["lastmod"],
        }
    return list(people.values())


def _attendance_of(municipality: Municipality):
    return Attendance.objects.filter(meeting__committee__municipality=municipality)


def people_of(municipality: Municipality) -> list[dict]:
    """Everyone on the municipality's attendance lists, one row per name, in one query."""
    rows = (
        _attendance_of(municipality)
        .values("name")
        .annotate(
            meetings=Count("id", filter=Q(status__in=ATTENDED)),
            absent=Count("id", filter=Q(status=Attendance.Status.ABSENT)),
            party=Max("party"),
            first_date=Min("meeting__date"),
            last_date=Max("meeting__date"),
        )
        .order_by("name")
    )
    people: dict[str, dict] = {}
    for row in rows:
        slug = danish_slug(row["name"])
        if slug in people:  # the same name spelled with other capitals or hyphens
            known = people[slug]
            known["meetings"] += row["meetings"]
            known["absent"] += row["absent"]
            known["first_date"] = min(known["first_date"], row["first_date"])
            known["last_date"] = max(known["last_date"], row["last_date"])
            known["party"] = known["party"] or row["party"]
            continue
        people[slug] = {**row, "url": person_url(municipality, row["name"])}
    return sorted(people.values(), key=lambda p: p["name"].lower())


@dataclass
class CommitteeRecord:
    committee_name: str
    committee_url: str
    present: int = 0
    substitute: int = 0
    absent: int = 0


@dataclass
class RecordedVote:
    meeting: Meeting
    item_number: int
    item_title: str
    item_url: str
    party: str
    stance: str
    count: int | None


@dataclass
class Person:
    name: str
    municipality: Municipality
    spellings: list[str]
    parties: list[str]
    attendance: list[Attendance]
    committees: list[CommitteeRecord] = field(default_factory=list)
    votes: list[RecordedVote] = field(default_factory=list)

    @property
    def present(self) -> int:
        return sum(1 for a in self.attendance if a.status == Attendance.Status.PRESENT)

    @property
    def substitute(self) -> int:
        return sum(1 for a in self.attendance if a.status == Attendance.Status.SUBSTITUTE)

    @property
    def absent(self) -> int:
        return sum(1 for a in self.attendance if a.status == Attendance.Status.ABSENT)


def get_person(municipality: Municipality, slug: str) -> Person:
    """The person the slug names in the municipality, with every meeting the attendance lists
    name them at and the votes recorded there for their party, in three queries; 404 if none."""
    names = [
        name
        for name in _attendance_of(municipality).values_list("name", flat=True).distinct()
        if danish_slug(name) == slug
    ]
    if not names:
        raise Http404("Personen findes ikke i kommunens referater")
    attendance = list(
        _attendance_of(municipality)
        .filter(name__in=names)
        .select_related("meeting__committee__municipality")
        .order_by("-meeting__date", "meeting__committee__name")
    )
    committees: dict[int, CommitteeRecord] = {}
    for record in attendance:
        committee = record.meeting.committee
        row = committees.setdefault(
            committee.pk, CommitteeRecord(committee.name, committee.get_absolute_url())
        )
        # The status values (present, substitute, absent) are CommitteeRecord's counters.
        setattr(row, record.status, getattr(row, record.status) + 1)
    # The newest spelling and party first: how the latest minutes name them.
    spellings = list(dict.fromkeys(a.name for a in attendance))
    parties = list(dict.fromkeys(a.party for a in attendance if a.party))
    return Person(
        name=spellings[0],
        municipality=municipality,
        spellings=spellings,
        parties=parties,
        attendance=attendance,
        committees=sorted(committees.values(), key=lambda c: c.committee_name),
        votes=_party_votes(attendance),
    )


def _party_votes(attendance: list[Attendance]) -> list[RecordedVote]:
    """The votes the minutes record for the person's party at meetings the person attended.

    Minutes record votes per party, not per person: this is the party's vote, which the page
    says, never a vote attributed to the person.
    """
    party_at = {a.meeting_id: a.party for a in attendance if a.party and a.status in set(ATTENDED)}
    if not party_at:
        return []
    meetings = {a.meeting_id: a.meeting for a in attendance}
    votes = (
        Vote.objects.filter(item__meeting_id__in=party_at, party__in=set(party_at.values()))
        .select_related("item")
        .order_by("-item__meeting__date", "item__position", "position")
    )
    return [
        RecordedVote(
            meeting=meetings[vote.item.meeting_id],
            item_number=vote.item.number,
            item_title=vote.item.title,
            item_url=f"{meetings[vote.item.meeting_id].get_absolute_url()}#{vote.item.anchor}",
            party=vote.party,
            stance=vote.get_stance_display(),
            count=vote.count,
        )
        for vote in votes
        if party_at[vote.item.meeting_id] == vote.party
    ]
