"""Writes: one atomic service that turns a file into a meeting or document in the archive.

Used by the `ingest` command, the admin upload, `reparse` and the tests. One transaction per
file; the same bytes twice change nothing; a new version of a meeting replaces its content and
keeps the earlier source file as an earlier version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import Literal

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from minutes.data.municipalities import by_name, suggest
from minutes.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Case,
    Committee,
    Decision,
    Document,
    DocumentSection,
    Meeting,
    Municipality,
    Section,
    SourceFile,
    SourceVersion,
    Vote,
)
from minutes.parsing import ParsedDocument, ParseError, parse
from minutes.parsing.conventions import normalise_case_number
from minutes.parsing.sniff import sniff
from minutes.text import danish_slug

Status = Literal["created", "updated", "unchanged"]

RECOMMENDATION_HEADINGS = {"indstilling", "indstillinger", "forslag", "direktionens indstilling"}
SUMMARY_HEADINGS = {"resume", "resumé", "sammendrag", "sagsfremstilling", "sagsbeskrivelse"}


class IngestError(Exception):
    """A file that cannot go into the archive; the message names the reason in Danish."""

    def __init__(self, file_name: str, reason: str):
        self.file_name = file_name
        self.reason = reason
        super().__init__(f"{file_name}: {reason}")


@dataclass
class IngestResult:
    file_name: str
    status: Status
    meeting: Meeting | None = None
    document: Document | None = None
    warnings: tuple[str, ...] = ()

    @property
    def target(self) -> Meeting | Document | None:
        return self.meeting or self.document


def resolve_municipality(name: str) -> Municipality:
    """The archive's municipality for a name in any common spelling, or an error with a suggestion."""
    authority = by_name(name)
    if authority is not None:
        found = Municipality.objects.filter(code=authority.code).first()
        if found is not None:
            return found
    hint = suggest(name)
    reason = f"Kommunen '{name}' findes ikke"
    raise IngestError("", f"{reason}; mente du '{hint}'?" if hint else f"{reason}.")


def ingest_file(
    *,
    data: bytes,
    file_name: str,
    municipality: Municipality | str | None = None,
    committee: str | None = None,
    meeting_date=None,
    parsed: ParsedDocument | None = None,
    after_write: Callable[[str], None] | None = None,
) -> IngestResult:
    """Store one file. Raises IngestError, with the database unchanged, if it cannot be stored.

    `committee` and `meeting_date` fill in what the parser could not find (the admin preview).
    `after_write` is called between writes; tests use it to fail half way through.
    """
    if not data or not data.strip():
        raise IngestError(file_name, "Filen er tom.")
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise IngestError(
            file_name,
            f"Filen er større end grænsen på {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        )
    sha256 = hashlib.sha256(data).hexdigest()
    existing = SourceFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return _unchanged(file_name, existing)

    municipality_obj = _municipality(file_name, municipality, parsed)
    if parsed is None:
        try:
            parsed = parse(data, filename=file_name, municipality=municipality_obj.name)
        except ParseError as exc:
            raise IngestError(file_name, str(exc)) from exc
    if committee:
        parsed.committee = committee
    if meeting_date:
        parsed.date = meeting_date
    if parsed.kind != "document":
        if not parsed.committee:
            raise IngestError(file_name, "Udvalget kunne ikke findes i dokumentet; angiv det.")
        if not parsed.date:
            raise IngestError(file_name, "Mødedatoen kunne ikke findes i dokumentet; angiv den.")

    step = after_write or (lambda _name: None)
    try:
        with transaction.atomic():
            # One writer per municipality at a time: two uploads of the same minutes serialise
            # here, and the second finds the first's file.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [municipality_obj.pk])
            existing = SourceFile.objects.filter(sha256=sha256).first()
            if existing is not None:
                return _unchanged(file_name, existing)
            source = SourceFile.objects.create(
                sha256=sha256,
                file_name=file_name[:255],
                content=data,
                size=len(data),
                content_type=sniff(data),
                municipality=municipality_obj,
            )
            step("source")
            if parsed.kind == "document":
                document, status = _store_document(parsed, source, municipality_obj, step)
                return IngestResult(
                    file_name, status, document=document, warnings=tuple(parsed.warnings)
                )
            meeting, status = _store_meeting(parsed, source, municipality_obj, step)
            return IngestResult(file_name, status, meeting=meeting, warnings=tuple(parsed.warnings))
    except IntegrityError as exc:
        raise IngestError(file_name, f"Databasen afviste dokumentet: {exc}") from exc


def rebuild_from_source(*, source: SourceFile) -> tuple[IngestResult, bool]:
    """Re-parse a stored original with the current parser and rewrite what it produced.

    Returns the result and whether anything changed. The original bytes are never touched.
    """
    try:
        parsed = parse(
            bytes(source.content), filename=source.file_name, municipality=source.municipality.name
        )
    except ParseError as exc:
        raise IngestError(source.file_name, str(exc)) from exc
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [source.municipality_id])
        if parsed.kind == "document":
            before = _document_fingerprint(source.documents.first())
            document, _ = _store_document(
                parsed, source, source.municipality, lambda _n: None, record_version=False
            )
            changed = before != _document_fingerprint(document)
            return IngestResult(
                source.file_name, "updated" if changed else "unchanged", document=document
            ), changed
        meeting = source.meetings.first()
        before = _meeting_fingerprint(meeting)
        meeting, _ = _store_meeting(
            parsed, source, source.municipality, lambda _n: None, record_version=False
        )
        changed = before != _meeting_fingerprint(meeting)
        return IngestResult(
            source.file_name, "updated" if changed else "unchanged", meeting=meeting
        ), changed


def _unchanged(file_name: str, source: SourceFile) -> IngestResult:
    return IngestResult(
        file_name, "unchanged", meeting=source.meetings.first(), document=source.documents.first()
    )


def _municipality(
    file_name: str, given: Municipality | str | None, parsed: ParsedDocument | None
) -> Municipality:
    if isinstance(given, Municipality):
        return given
    name = given or (parsed.municipality if parsed else None)
    if not name:
        raise IngestError(
            file_name, "Kommunen er ikke angivet og står ikke i dokumentet; angiv den."
        )
    try:
        return resolve_municipality(name)
    except IngestError as exc:
        raise IngestError(file_name, exc.reason) from exc


def _store_meeting(
    parsed: ParsedDocument,
    source: SourceFile,
    municipality: Municipality,
    step: Callable[[str], None],
    *,
    record_version: bool = True,
) -> tuple[Meeting, Status]:
    committee = _committee(municipality, parsed.committee or "")
    fields = {
        "term": parsed.term or "",
        "start_time": time.fromisoformat(parsed.start_time) if parsed.start_time else None,
        "location": (parsed.location or "")[:300],
        "source": source,
    }
    meeting = (
        Meeting.objects.select_for_update()
        .filter(committee=committee, date=parsed.date, kind=parsed.kind)
        .first()
    )
    if meeting is None:
        meeting = Meeting.objects.create(
            committee=committee, date=parsed.date, kind=parsed.kind, **fields
        )
        status: Status = "created"
    else:
        # A new version: the meeting keeps its identity (and URLs); its content is replaced.
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.save()
        meeting.items.all().delete()
        meeting.attendance.all().delete()
        status = "updated"
    if record_version:
        SourceVersion.objects.create(source=source, meeting=meeting)
    step("meeting")

    seen: set[str] = set()
    attendance = []
    for attendee in parsed.attendance:
        if attendee.name.lower() in seen:
            continue
        seen.add(attendee.name.lower())
        attendance.append(
            Attendance(
                meeting=meeting,
                position=len(attendance),
                name=attendee.name[:200],
                party=attendee.party or "",
                status=attendee.status,
                note=(attendee.note or "")[:500],
            )
        )
    Attendance.objects.bulk_create(attendance)
    step("attendance")

    cases = _cases(municipality, [i.case_number for i in parsed.items if i.case_number])
    items = [
        AgendaItem(
            meeting=meeting,
            position=position,
            number=item.number,
            title=item.title[:500],
            raw_title=item.raw_title[:600],
            closed=item.closed,
            case=cases.get(normalise_case_number(item.case_number)) if item.case_number else None,
            **_search_text(item, committee.name),
        )
        for position, item in enumerate(parsed.items)
    ]
    AgendaItem.objects.bulk_create(items)
    step("items")
    sections, decisions, votes, attachments = [], [], [], []
    for row, item in zip(items, parsed.items, strict=True):
        sections += [
            Section(item=row, position=i, heading=s.heading[:200], text=s.text)
            for i, s in enumerate(item.sections)
        ]
        decisions += [
            Decision(
                item=row,
                position=i,
                body=d.body[:200],
                date=d.date,
                outcome=d.outcome,
                this_meeting=d.this_meeting,
                text=d.text,
            )
            for i, d in enumerate(item.decisions)
        ]
        votes += [
            Vote(item=row, position=i, party=v.party, count=v.count, stance=v.position)
            for i, v in enumerate(item.votes)
        ]
        attachments += [
            Attachment(item=row, position=i, title=title[:500])
            for i, title in enumerate(item.attachments)
        ]
    Section.objects.bulk_create(sections)
    step("sections")
    Decision.objects.bulk_create(decisions)
    step("decisions")
    Vote.objects.bulk_create(votes)
    Attachment.objects.bulk_create(attachments)
    step("attachments")
    return meeting, status


def _store_document(
    parsed: ParsedDocument,
    source: SourceFile,
    municipality: Municipality,
    step: Callable[[str], None],
    *,
    record_version: bool = True,
) -> tuple[Document, Status]:
    title = parsed.title or source.file_name
    slug = danish_slug(title)[:200]
    document = (
        Document.objects.select_for_update().filter(municipality=municipality, slug=slug).first()
    )
    if document is None:
        document = Document.objects.create(
            municipality=municipality,
            title=title[:300],
            slug=slug,
            term=parsed.term or "",
            source=source,
        )
        status: Status = "created"
    else:
        document.title, document.term, document.source = title[:300], parsed.term or "", source
        document.save()
        document.sections.all().delete()
        status = "updated"
    if record_version:
        SourceVersion.objects.create(source=source, document=document)
    step("document")
    DocumentSection.objects.bulk_create(
        DocumentSection(
            document=document, position=i, heading=s.heading[:300], level=s.level, text=s.text
        )
        for i, s in enumerate(parsed.document_sections)
    )
    step("sections")
    return document, status


def _committee(municipality: Municipality, name: str) -> Committee:
    name = name.strip()[:200]
    committee = Committee.objects.filter(municipality=municipality, name=name).first()
    if committee is None:
        committee = Committee.objects.create(
            municipality=municipality, name=name, slug=danish_slug(name)[:200]
        )
    return committee


def _cases(municipality: Municipality, numbers: list[str]) -> dict[str, Case]:
    printed = {normalise_case_number(n): n for n in numbers}
    if not printed:
        return {}
    Case.objects.bulk_create(
        [Case(municipality=municipality, number=n, normalised=key) for key, n in printed.items()],
        ignore_conflicts=True,
    )
    return {
        c.normalised: c
        for c in Case.objects.filter(municipality=municipality, normalised__in=printed)
    }


def _search_text(item, committee_name: str) -> dict[str, str]:
    """Split an item's text by weight: title A; Indstilling and decisions B; Resume and
    Sagsfremstilling C; everything else D."""
    b, c, d = [], [], []
    for section in item.sections:
        heading = section.heading.lower()
        target = (
            b if heading in RECOMMENDATION_HEADINGS else c if heading in SUMMARY_HEADINGS else d
        )
        target.append(f"{section.heading}\n{section.text}" if section.heading else section.text)
    for decision in item.decisions:
        b.append(f"{decision.body}\n{decision.text}")
    d.extend(item.attachments)
    return {
        "text_a": "\n".join(filter(None, [item.title, item.case_number or "", committee_name])),
        "text_b": "\n\n".join(b),
        "text_c": "\n\n".join(c),
        "text_d": "\n\n".join(d),
    }


def _meeting_fingerprint(meeting: Meeting | None) -> tuple:
    if meeting is None:
        return ()
    items = tuple(
        AgendaItem.objects.filter(meeting=meeting).values_list(
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
        Decision.objects.filter(item__meeting=meeting).values_list(
            "item__number", "body", "date", "outcome", "this_meeting", "text"
        )
    )
    sections = tuple(
        Section.objects.filter(item__meeting=meeting).values_list("item__number", "heading", "text")
    )
    attendance = tuple(meeting.attendance.values_list("name", "party", "status", "note"))
    votes = tuple(
        Vote.objects.filter(item__meeting=meeting).values_list(
            "item__number", "party", "count", "stance"
        )
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
    )


def _document_fingerprint(document: Document | None) -> tuple:
    if document is None:
        return ()
    return (
        document.title,
        document.term,
        tuple(document.sections.values_list("heading", "level", "text")),
    )
