"""Writes: one atomic service that turns a file into a meeting or document in the archive.

Used by the `ingest` command, the admin upload, `reparse` and the tests. One transaction per
file; the same bytes twice change nothing; a new version of a meeting replaces its content and
keeps the earlier source file as an earlier version. `preview_file` answers what ingesting would
do without writing anything, so the admin can look before confirming.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Literal

from django.db import IntegrityError, connection, transaction

from minutes.models import (
    Committee,
    Document,
    DocumentSection,
    Meeting,
    Municipality,
    SourceFile,
    SourceVersion,
)
from minutes.parsing import ParsedDocument, quality
from minutes.parsing.model import Kind
from minutes.parsing.sniff import sniff
from minutes.services.contents import write_contents
from minutes.services.reading import (
    IngestError,
    Missing,
    archive_municipality,
    corrections_record,
    detected_municipality,
    given_municipality,
    parse_file,
    rename_committee,
    with_kind,
)
from minutes.services.upload import content_error, size_error
from minutes.text import danish_slug

Status = Literal["created", "updated", "unchanged"]
# First key of the two-key advisory lock, so these locks never collide with another use of
# advisory locks in the same database ("RA", Referatarkivet).
LOCK_NAMESPACE = 0x5241


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


@dataclass
class Prepared:
    """A parsed file with everything identity needs resolved; nothing written yet."""

    parsed: ParsedDocument
    municipality: Municipality


@dataclass
class Preview:
    """What ingesting a file would do. `status` is None when it would fail (`error` says why)."""

    file_name: str
    sha256: str
    status: Status | None = None
    parsed: ParsedDocument | None = None
    municipality: Municipality | None = None
    target: Meeting | Document | None = None
    error: str | None = None
    missing: tuple[Missing, ...] = ()
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)


def prepare(
    *,
    data: bytes,
    file_name: str,
    municipality: Municipality | str | None = None,
    committee: str | None = None,
    meeting_date: date | None = None,
    kind: Kind | None = None,
    accept_problems: bool = False,
    parsed: ParsedDocument | None = None,
) -> Prepared:
    """Parse and resolve municipality, committee and date, without writing. Raises IngestError.

    `committee`, `meeting_date` and `kind` correct or fill in what the parser read (the admin
    preview, `ingest --committee/--date/--kind`); when the file has agenda items but no readable
    header they make it readable. A parse with the signs of a failed read is refused as held
    (`IngestError.problems`) unless `accept_problems`.
    """
    committee = " ".join(committee.split()) if committee else None
    given = given_municipality(file_name, municipality, parsed)
    if parsed is None:
        parsed = parse_file(data, file_name, given, committee, meeting_date)
    if kind and kind != parsed.kind:
        parsed = with_kind(parsed, kind, data, file_name, given, committee, meeting_date)
    # Everything the admin must supply is reported at once, not one question per round trip.
    problems: list[str] = []
    missing: list[Missing] = []
    chosen = given
    if chosen is None and parsed.municipality:
        # The reader found it where the file says who published it (a page's frame, a mail
        # domain, a letterhead): better evidence than names in the text.
        chosen = archive_municipality(parsed.municipality)
    if chosen is None:
        try:
            chosen = detected_municipality(file_name, parsed)
        except IngestError as exc:
            problems.append(exc.reason)
            missing += exc.missing
    if chosen is not None:
        parsed.municipality = chosen.name
    if parsed.kind != "document":
        if committee and committee != parsed.committee:
            rename_committee(parsed, committee)
        if meeting_date:
            parsed.date = meeting_date
        facts: list[Missing] = [
            name
            for name, value in (("committee", parsed.committee), ("date", parsed.date))
            if not value
        ]
        if facts:
            problems.append(
                {
                    ("committee",): "Udvalget kunne ikke findes i dokumentet; angiv det.",
                    ("date",): "Mødedatoen kunne ikke findes i dokumentet; angiv den.",
                }.get(tuple(facts), "Udvalg og mødedato kunne ikke findes i dokumentet; angiv dem.")
            )
            missing += facts
    if problems or chosen is None:
        raise IngestError(file_name, " ".join(problems), missing=tuple(missing))
    doubts = tuple(quality.problems(parsed))
    if doubts and not accept_problems:
        raise IngestError(
            file_name,
            "Filen er holdt tilbage, fordi den ser forkert læst ud: " + " ".join(doubts),
            problems=doubts,
            parsed=parsed,
        )
    return Prepared(parsed, chosen)


def preview_file(
    *,
    data: bytes,
    file_name: str,
    municipality: Municipality | str | None = None,
    committee: str | None = None,
    meeting_date: date | None = None,
    kind: Kind | None = None,
    accept_problems: bool = False,
) -> Preview:
    """What `ingest_file` with the same arguments would do, computed without writing."""
    sha256 = hashlib.sha256(data).hexdigest() if data else ""
    problem = precheck(data)
    if problem:
        return Preview(file_name, sha256, error=problem)
    existing = SourceFile.objects.filter(sha256=sha256).select_related("municipality").first()
    if existing is not None:
        meeting, document = targets_of(existing)
        return Preview(
            file_name,
            sha256,
            status="unchanged",
            municipality=existing.municipality,
            target=meeting or document,
        )
    try:
        prepared = prepare(
            data=data,
            file_name=file_name,
            municipality=municipality,
            committee=committee,
            meeting_date=meeting_date,
            kind=kind,
            accept_problems=accept_problems,
        )
    except IngestError as exc:
        return Preview(
            file_name,
            sha256,
            error=exc.reason,
            missing=exc.missing,
            problems=exc.problems,
            parsed=exc.parsed,
        )
    parsed, chosen = prepared.parsed, prepared.municipality
    target: Meeting | Document | None
    if parsed.kind == "document":
        target = Document.objects.filter(
            municipality=chosen, slug=danish_slug(parsed.title or file_name)[:200]
        ).first()
    else:
        target = Meeting.objects.filter(
            committee__municipality=chosen,
            committee__name=committee_name(parsed.committee),
            date=parsed.date,
            kind=parsed.kind,
        ).first()
    return Preview(
        file_name,
        sha256,
        status="updated" if target else "created",
        parsed=parsed,
        municipality=chosen,
        target=target,
        warnings=tuple(parsed.warnings),
    )


def ingest_file(
    *,
    data: bytes,
    file_name: str,
    municipality: Municipality | str | None = None,
    committee: str | None = None,
    meeting_date: date | None = None,
    kind: Kind | None = None,
    accept_problems: bool = False,
    parsed: ParsedDocument | None = None,
    after_write: Callable[[str], None] | None = None,
) -> IngestResult:
    """Store one file. Raises IngestError, with the database unchanged, if it cannot be stored.

    `committee` and `meeting_date` fill in what the parser could not find (the admin preview).
    Without `municipality` it is found in the text. `after_write` is called between writes;
    tests use it to fail half way through.
    """
    problem = precheck(data)
    if problem:
        raise IngestError(file_name, problem)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = SourceFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return _unchanged(file_name, existing)

    prepared = prepare(
        data=data,
        file_name=file_name,
        municipality=municipality,
        committee=committee,
        meeting_date=meeting_date,
        kind=kind,
        accept_problems=accept_problems,
        parsed=parsed,
    )
    parsed, municipality_obj = prepared.parsed, prepared.municipality
    step = after_write or (lambda _name: None)
    try:
        with transaction.atomic():
            # One writer per municipality at a time: two uploads of the same minutes serialise
            # here, and the second finds the first's file.
            lock_municipality(municipality_obj.pk)
            existing = SourceFile.objects.filter(sha256=sha256).first()
            if existing is not None:
                return _unchanged(file_name, existing)
            source = new_source(
                data,
                file_name,
                sha256,
                municipality_obj,
                parsed.reader,
                corrections_record(
                    committee=committee,
                    meeting_date=meeting_date,
                    kind=kind,
                    accept_problems=accept_problems,
                ),
            )
            source.save()
            step("source")
            if parsed.kind == "document":
                document, status = store_document(parsed, source, municipality_obj, step)
                return IngestResult(
                    file_name, status, document=document, warnings=tuple(parsed.warnings)
                )
            if parsed.item_page:
                from minutes.services.item_pages import store_item_page

                meeting, status = store_item_page(parsed, source, municipality_obj, step)
            else:
                meeting, status = store_meeting(parsed, source, municipality_obj, step)
            return IngestResult(file_name, status, meeting=meeting, warnings=tuple(parsed.warnings))
    except IntegrityError as exc:
        # The same bytes stored at the same moment under another municipality's lock.
        existing = SourceFile.objects.filter(sha256=sha256).first()
        if existing is not None:
            return _unchanged(file_name, existing)
        raise IngestError(file_name, f"Databasen afviste dokumentet: {exc}") from exc


def no_step(_name: str) -> None:
    return None


def lock_municipality(municipality_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, municipality_id])


def precheck(data: bytes) -> str | None:
    """Checks that need no parsing; the same messages as the upload's checks."""
    if not data or not data.strip():
        return "Filen er tom."
    return size_error(len(data)) or content_error(data)


def _unchanged(file_name: str, source: SourceFile) -> IngestResult:
    meeting, document = targets_of(source)
    return IngestResult(file_name, "unchanged", meeting=meeting, document=document)


def targets_of(source: SourceFile) -> tuple[Meeting | None, Document | None]:
    """The meeting or document a stored file belongs to, also when it is an earlier version."""
    meeting, document = source.meetings.first(), source.documents.first()
    if meeting is None and document is None:
        version = source.versions.select_related("meeting", "document").first()
        if version is not None:
            meeting, document = version.meeting, version.document
    return meeting, document


def store_meeting(
    parsed: ParsedDocument,
    source: SourceFile,
    municipality: Municipality,
    step: Callable[[str], None],
    *,
    record_version: bool = True,
    target: Meeting | None = None,
) -> tuple[Meeting, Status]:
    """Write a parsed meeting. With `target` (a rebuild) that meeting is rewritten in place,
    even if the parser now reads another committee or date, so its versions stay with it."""
    committee = committee_for(municipality, parsed.committee)
    fields = meeting_fields(parsed, source)
    same_meeting = Meeting.objects.select_for_update().filter(
        committee=committee, date=parsed.date, kind=parsed.kind
    )
    if target is not None:
        if same_meeting.exclude(pk=target.pk).exists():
            raise IngestError(
                source.file_name,
                f"Den nye fortolkning ({committee.name} {parsed.date:%d-%m-%Y}) er et andet "
                "møde, som allerede findes i arkivet; intet er ændret.",
            )
        meeting = Meeting.objects.select_for_update().get(pk=target.pk)
        previous_committee = meeting.committee
        meeting.committee, meeting.date, meeting.kind = committee, parsed.date, parsed.kind
    else:
        meeting = same_meeting.first()
        previous_committee = None
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
        # A rebuild moved the meeting: a committee left without meetings was a misreading.
        if (
            previous_committee is not None
            and previous_committee.pk != committee.pk
            and not previous_committee.meetings.exists()
        ):
            previous_committee.delete()
    if record_version:
        SourceVersion.objects.create(source=source, meeting=meeting)
    step("meeting")

    # _write_contents finds the cases' municipality through meeting.committee: set, not queried.
    committee.municipality = municipality
    meeting.committee = committee
    write_contents([(meeting, parsed)], step)
    return meeting, status


def new_source(
    data: bytes,
    file_name: str,
    sha256: str,
    municipality: Municipality,
    reader: str = "",
    corrections: dict | None = None,
) -> SourceFile:
    """The unsaved row that keeps an original file."""
    return SourceFile(
        sha256=sha256,
        file_name=file_name[:255],
        content=data,
        size=len(data),
        content_type=sniff(data),
        municipality=municipality,
        reader=reader[:40],
        corrections=corrections or {},
    )


def meeting_fields(parsed: ParsedDocument, source: SourceFile) -> dict:
    """A meeting's own columns besides its identity (committee, date, kind)."""
    return {
        "term": parsed.term or "",
        "start_time": time.fromisoformat(parsed.start_time) if parsed.start_time else None,
        "location": (parsed.location or "")[:300],
        "source": source,
    }


def store_document(
    parsed: ParsedDocument,
    source: SourceFile,
    municipality: Municipality,
    step: Callable[[str], None],
    *,
    record_version: bool = True,
    target: Document | None = None,
) -> tuple[Document, Status]:
    """Write a parsed document; with `target` (a rebuild) that document keeps its slug and URL."""
    title = parsed.title or source.file_name
    slug = target.slug if target is not None else danish_slug(title)[:200]
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


def committee_name(printed: str | None) -> str:
    """A committee's name as stored, from the name the parser read."""
    return (printed or "").strip()[:200]


def new_committee(municipality: Municipality, name: str) -> Committee:
    """An unsaved committee; `name` as `committee_name` gives it."""
    return Committee(municipality=municipality, name=name, slug=danish_slug(name)[:200])


def committee_for(municipality: Municipality, printed: str | None) -> Committee:
    name = committee_name(printed)
    committee = Committee.objects.filter(municipality=municipality, name=name).first()
    if committee is None:
        committee = new_committee(municipality, name)
        committee.save()
    return committee
