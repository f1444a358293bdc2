"""Writes: one atomic service that turns a file into a meeting or document in the archive.

Used by the `ingest` command, the admin upload, `reparse` and the tests. One transaction per
file; the same bytes twice change nothing; a new version of a meeting replaces its content and
keeps the earlier source file as an earlier version. `preview_file` answers what ingesting would
do without writing anything, so the admin can look before confirming.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import PurePosixPath
from typing import Literal

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Model

from minutes.data.municipalities import Authority, by_name, suggest
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
from minutes.parsing.conventions import (
    RECOMMENDATION_HEADINGS,
    SUMMARY_HEADINGS,
    normalise_case_number,
)
from minutes.parsing.sniff import decode_text, sniff
from minutes.services.upload import content_error
from minutes.text import danish_slug

Status = Literal["created", "updated", "unchanged"]
Missing = Literal["committee", "date", "municipality"]


# First key of the two-key advisory lock, so these locks never collide with another use of
# advisory locks in the same database ("RA", Referatarkivet).
LOCK_NAMESPACE = 0x5241

# "Høje-Taastrup Kommune", "Københavns Kommunes", "Bornholms Regionskommune",
# "Region Hovedstaden", and "Ballerup Rådhus" as a weaker hint of where a meeting was held.
MENTION = re.compile(
    r"\b(?:(?P<region>Region\s+[A-ZÆØÅ]\w+)"
    r"|(?P<name>[A-ZÆØÅ]\w*(?:-[A-ZÆØÅ]\w*)*)\s+(?P<suffix>Regionskommune|Kommune|Rådhus)s?\b)"
)
# Stand-ins used only to ask "would this file be minutes if it had a header?"
PROBE_COMMITTEE = "Ukendt udvalg"
PROBE_DATE = date(2000, 1, 1)


class IngestError(Exception):
    """A file that cannot go into the archive; the message names the reason in Danish.

    `missing` lists what the admin could supply to get past it (committee, date, municipality).
    """

    def __init__(self, file_name: str, reason: str, *, missing: tuple[Missing, ...] = ()):
        self.file_name = file_name
        self.reason = reason
        self.missing = missing
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
    warnings: tuple[str, ...] = field(default_factory=tuple)


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


def detect_municipality(text: str, file_name: str = "") -> tuple[Authority | None, str | None]:
    """The authority the text names most often, and otherwise a misspelt name it contains.

    Returns (authority, None) when found, else (None, the nearest official name to a
    "… Kommune" in the text that matched nothing, if any). The file name is the last resort
    ("ballerup_referat.pdf").
    """
    counts: Counter[Authority] = Counter()
    first_seen: dict[Authority, int] = {}
    unknown: list[str] = []
    for match in MENTION.finditer(text):
        if match["region"]:
            candidate: str | None = " ".join(match["region"].split())
            authority = by_name(candidate)
        elif match["suffix"] == "Rådhus":
            candidate, authority = None, by_name(match["name"])
        else:
            candidate = f"{match['name']} {match['suffix']}"
            authority = by_name(candidate)
        if authority is not None:
            counts[authority] += 1
            first_seen.setdefault(authority, match.start())
        elif candidate:
            unknown.append(candidate)
    if counts:
        return max(counts, key=lambda a: (counts[a], -first_seen[a])), None
    for token in re.split(r"[_\s.]+", PurePosixPath(file_name).stem):
        authority = by_name(token) if len(token) > 2 else None
        if authority is not None:
            return authority, None
    for candidate in unknown:
        hint = suggest(candidate)
        if hint:
            return None, f"'{candidate}' findes ikke; mente du '{hint}'?"
    return None, None


def prepare(
    *,
    data: bytes,
    file_name: str,
    municipality: Municipality | str | None = None,
    committee: str | None = None,
    meeting_date: date | None = None,
    parsed: ParsedDocument | None = None,
) -> Prepared:
    """Parse and resolve municipality, committee and date, without writing. Raises IngestError.

    `committee` and `meeting_date` fill in what the parser could not find (the admin preview);
    when the file has agenda items but no readable header they make it readable.
    """
    committee = " ".join(committee.split()) if committee else None
    given = _given_municipality(file_name, municipality, parsed)
    if parsed is None:
        parsed = _parse(data, file_name, given, committee, meeting_date)
    # Everything the admin must supply is reported at once, not one question per round trip.
    problems: list[str] = []
    missing: list[Missing] = []
    chosen = given
    if chosen is None:
        try:
            chosen = _detected_municipality(file_name, parsed)
        except IngestError as exc:
            problems.append(exc.reason)
            missing += exc.missing
    if chosen is not None:
        parsed.municipality = chosen.name
    if parsed.kind != "document":
        if committee:
            parsed.committee = committee
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
    return Prepared(parsed, chosen)


def preview_file(
    *,
    data: bytes,
    file_name: str,
    municipality: Municipality | str | None = None,
    committee: str | None = None,
    meeting_date: date | None = None,
) -> Preview:
    """What `ingest_file` with the same arguments would do, computed without writing."""
    sha256 = hashlib.sha256(data).hexdigest() if data else ""
    problem = _precheck(data)
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
        )
    except IngestError as exc:
        return Preview(file_name, sha256, error=exc.reason, missing=exc.missing)
    parsed, chosen = prepared.parsed, prepared.municipality
    target: Meeting | Document | None
    if parsed.kind == "document":
        target = Document.objects.filter(
            municipality=chosen, slug=danish_slug(parsed.title or file_name)[:200]
        ).first()
    else:
        target = Meeting.objects.filter(
            committee__municipality=chosen,
            committee__name=_committee_name(parsed.committee),
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
    parsed: ParsedDocument | None = None,
    after_write: Callable[[str], None] | None = None,
) -> IngestResult:
    """Store one file. Raises IngestError, with the database unchanged, if it cannot be stored.

    `committee` and `meeting_date` fill in what the parser could not find (the admin preview).
    Without `municipality` it is found in the text. `after_write` is called between writes;
    tests use it to fail half way through.
    """
    problem = _precheck(data)
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
        parsed=parsed,
    )
    parsed, municipality_obj = prepared.parsed, prepared.municipality
    step = after_write or (lambda _name: None)
    try:
        with transaction.atomic():
            # One writer per municipality at a time: two uploads of the same minutes serialise
            # here, and the second finds the first's file.
            _lock(municipality_obj.pk)
            existing = SourceFile.objects.filter(sha256=sha256).first()
            if existing is not None:
                return _unchanged(file_name, existing)
            source = _new_source(data, file_name, sha256, municipality_obj)
            source.save()
            step("source")
            if parsed.kind == "document":
                document, status = _store_document(parsed, source, municipality_obj, step)
                return IngestResult(
                    file_name, status, document=document, warnings=tuple(parsed.warnings)
                )
            meeting, status = _store_meeting(parsed, source, municipality_obj, step)
            return IngestResult(file_name, status, meeting=meeting, warnings=tuple(parsed.warnings))
    except IntegrityError as exc:
        # The same bytes stored at the same moment under another municipality's lock.
        existing = SourceFile.objects.filter(sha256=sha256).first()
        if existing is not None:
            return _unchanged(file_name, existing)
        raise IngestError(file_name, f"Databasen afviste dokumentet: {exc}") from exc


# Files per ingest_batch call (the ingest command, the benchmark): large enough that a batch
# costs little per file, small enough that a batch the database refuses costs little to redo.
BATCH_FILES = 50


@dataclass
class BatchFile:
    """One file for `ingest_batch`: the arguments `ingest_file` takes for it."""

    data: bytes
    file_name: str
    municipality: Municipality | str | None = None


class _NotAllNew(Exception):
    """Raised inside the batch's transaction when another writer stored one of its meetings."""


def ingest_batch(
    *, files: Sequence[BatchFile], after_write: Callable[[str], None] | None = None
) -> list[IngestResult | IngestError]:
    """Store many files, the new meetings among them in one transaction: a bulk import.

    The archive ends up exactly as if `ingest_file` had taken the files one by one in order
    (tests/test_batch.py proves it row by row), and each file gets the result or error it
    would have got. The new meetings are written together, with one statement per table for
    all of them instead of about twenty per file. A file that is not a new meeting (unchanged,
    a new version, a document, invalid) goes through `ingest_file` after the batch, as does
    every file if writing the batch fails, so a bad file never costs the others their place.
    """
    step = after_write or _no_step
    results: list[IngestResult | IngestError | None] = [None] * len(files)
    shas = [hashlib.sha256(f.data).hexdigest() if f.data else "" for f in files]
    stored = set(
        SourceFile.objects.filter(sha256__in=set(shas) - {""}).values_list("sha256", flat=True)
    )
    # Files for ingest_file after the batch, by index, with their parse where there is one.
    alone: dict[int, ParsedDocument | None] = {}
    candidates: list[tuple[int, Prepared]] = []
    seen_shas: set[str] = set()
    seen_meetings: set[tuple] = set()
    for index, (file, sha) in enumerate(zip(files, shas, strict=True)):
        if _precheck(file.data) or sha in stored or sha in seen_shas:
            alone[index] = None
            continue
        seen_shas.add(sha)
        try:
            prepared = prepare(
                data=file.data, file_name=file.file_name, municipality=file.municipality
            )
        except IngestError as exc:
            results[index] = exc
            continue
        key = _meeting_key(prepared)
        if prepared.parsed.kind == "document" or key in seen_meetings:
            alone[index] = prepared.parsed
            continue
        seen_meetings.add(key)
        candidates.append((index, prepared))
    existing = _stored_meetings([prepared for _, prepared in candidates])
    batch: list[tuple[int, Prepared]] = []
    for index, prepared in candidates:
        if _meeting_key(prepared) in existing:  # a new version: ingest_file replaces it
            alone[index] = prepared.parsed
        else:
            batch.append((index, prepared))
    if batch:
        try:
            meetings = _store_new_meetings(
                [(files[i], shas[i], prepared) for i, prepared in batch], step
            )
        except (_NotAllNew, DatabaseError):
            alone.update((index, prepared.parsed) for index, prepared in batch)
        else:
            for (index, prepared), meeting in zip(batch, meetings, strict=True):
                results[index] = IngestResult(
                    files[index].file_name,
                    "created",
                    meeting=meeting,
                    warnings=tuple(prepared.parsed.warnings),
                )
    for index in sorted(alone):
        file = files[index]
        try:
            results[index] = ingest_file(
                data=file.data,
                file_name=file.file_name,
                municipality=file.municipality,
                parsed=alone[index],
            )
        except IngestError as exc:
            results[index] = exc
    done = [result for result in results if result is not None]
    assert len(done) == len(files), "every file has its result"
    return done


def _meeting_key(prepared: Prepared) -> tuple:
    """What makes a meeting the same meeting (as `_store_meeting` finds it)."""
    parsed = prepared.parsed
    return (prepared.municipality.pk, _committee_name(parsed.committee), parsed.date, parsed.kind)


def _stored_meetings(batch: Sequence[Prepared]) -> set[tuple]:
    """The keys (`_meeting_key`) of the batch's meetings that the archive already has."""
    if not batch:
        return set()
    found = Meeting.objects.filter(
        committee__municipality__in={p.municipality.pk for p in batch},
        committee__name__in={_meeting_key(p)[1] for p in batch},
        date__in={p.parsed.date for p in batch},
    ).values_list("committee__municipality_id", "committee__name", "date", "kind")
    return set(found) & {_meeting_key(p) for p in batch}


def _store_new_meetings(
    batch: Sequence[tuple[BatchFile, str, Prepared]], step: Callable[[str], None]
) -> list[Meeting]:
    """Write new meetings and their source files in one transaction; returns the meetings."""
    prepared_list = [prepared for _, _, prepared in batch]
    with transaction.atomic():
        for municipality_id in sorted({p.municipality.pk for p in prepared_list}):
            _lock(municipality_id)
        # Checked again under the locks: another writer may have stored one since.
        if SourceFile.objects.filter(sha256__in=[sha for _, sha, _ in batch]).exists() or (
            _stored_meetings(prepared_list)
        ):
            raise _NotAllNew
        sources = SourceFile.objects.bulk_create(
            _new_source(file.data, file.file_name, sha, prepared.municipality)
            for file, sha, prepared in batch
        )
        step("source")
        committees = _committees_for(prepared_list)
        meetings = Meeting.objects.bulk_create(
            Meeting(
                committee=committees[_meeting_key(prepared)[:2]],
                date=prepared.parsed.date,
                kind=prepared.parsed.kind,
                **_meeting_fields(prepared.parsed, source),
            )
            for source, prepared in zip(sources, prepared_list, strict=True)
        )
        SourceVersion.objects.bulk_create(
            SourceVersion(source=source, meeting=meeting)
            for source, meeting in zip(sources, meetings, strict=True)
        )
        step("meeting")
        _write_contents([(m, p.parsed) for m, p in zip(meetings, prepared_list, strict=True)], step)
    return meetings


def _committees_for(batch: Sequence[Prepared]) -> dict[tuple[int, str], Committee]:
    """The committee of every meeting in the batch by (municipality id, name), created if new."""
    wanted = {_meeting_key(p)[:2]: p.municipality for p in batch}
    found = {
        (c.municipality_id, c.name): c
        for c in Committee.objects.filter(
            municipality__in={m.pk for m in wanted.values()},
            name__in={name for _, name in wanted},
        )
    }
    missing = [key for key in wanted if key not in found]
    for committee in Committee.objects.bulk_create(
        _new_committee(wanted[key], key[1]) for key in missing
    ):
        found[(committee.municipality_id, committee.name)] = committee
    for key, committee in found.items():
        committee.municipality = wanted[key]
    return found


class _NothingChanged(Exception):
    """Raised inside the rebuild's transaction to roll back a rewrite that changed nothing."""


def rebuild_from_source(*, source: SourceFile) -> tuple[IngestResult, bool]:
    """Re-parse a stored original with the current parser and rewrite what it produced.

    Returns the result and whether anything changed. The original bytes are never touched; a
    rewrite that changes nothing is rolled back, so ids and timestamps stay as they were. Only
    a meeting's or document's current source is rebuilt: an earlier version is kept as it is
    and never replaces the content of the version that superseded it.
    """
    meeting = source.meetings.select_related("committee").first()
    document = source.documents.first()
    if meeting is None and document is None:
        return IngestResult(source.file_name, "unchanged"), False
    data = bytes(source.content)
    municipality = source.municipality
    try:
        parsed = parse(data, filename=source.file_name, municipality=municipality.name)
    except ParseError as exc:
        if meeting is None:
            raise IngestError(source.file_name, str(exc)) from exc
        # Ingested with a committee and date the admin supplied: they live on the meeting.
        try:
            parsed = _parse_with_header(
                data,
                source.file_name,
                municipality.name,
                meeting.committee.name,
                meeting.date,
                meeting.kind,
            )
        except ParseError:
            raise IngestError(source.file_name, str(exc)) from exc
        parsed.committee, parsed.date = meeting.committee.name, meeting.date
    if meeting is not None and parsed.kind != "document":
        # What the parser cannot find was supplied by the admin at upload; it is on the meeting.
        parsed.committee = parsed.committee or meeting.committee.name
        parsed.date = parsed.date or meeting.date
    if (parsed.kind == "document") != (document is not None):
        raise IngestError(
            source.file_name,
            "Med den nuværende parser er filen en anden slags dokument end før; intet er ændret.",
        )
    if parsed.kind != "document" and not (parsed.committee and parsed.date):
        raise IngestError(source.file_name, "Udvalg eller mødedato kan ikke længere findes.")
    try:
        with transaction.atomic():
            _lock(source.municipality_id)
            if document is not None:
                before = _document_fingerprint(document)
                document, _ = _store_document(
                    parsed, source, municipality, _no_step, record_version=False, target=document
                )
                if before == _document_fingerprint(document):
                    raise _NothingChanged
                return IngestResult(source.file_name, "updated", document=document), True
            assert meeting is not None
            before = _meeting_fingerprint(meeting)
            meeting, _ = _store_meeting(
                parsed, source, municipality, _no_step, record_version=False, target=meeting
            )
            if before == _meeting_fingerprint(meeting):
                raise _NothingChanged
            return IngestResult(source.file_name, "updated", meeting=meeting), True
    except _NothingChanged:
        return IngestResult(
            source.file_name,
            "unchanged",
            meeting=source.meetings.first(),
            document=source.documents.first(),
        ), False


def _no_step(_name: str) -> None:
    return None


def _lock(municipality_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, municipality_id])


def _precheck(data: bytes) -> str | None:
    """Checks that need no parsing; the same messages as the upload's checks."""
    if not data or not data.strip():
        return "Filen er tom."
    if len(data) > settings.MAX_UPLOAD_BYTES:
        return f"Filen er større end grænsen på {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
    return content_error(data)


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


def _given_municipality(
    file_name: str, given: Municipality | str | None, parsed: ParsedDocument | None
) -> Municipality | None:
    if isinstance(given, Municipality):
        return given
    name = given or (parsed.municipality if parsed else None)
    if not name:
        return None
    try:
        return resolve_municipality(name)
    except IngestError as exc:
        raise IngestError(file_name, exc.reason, missing=("municipality",)) from exc


def _detected_municipality(file_name: str, parsed: ParsedDocument) -> Municipality:
    authority, hint = detect_municipality(_document_text(parsed), file_name)
    if authority is not None:
        found = Municipality.objects.filter(code=authority.code).first()
        if found is not None:
            return found
    reason = "Kommunen er ikke angivet, og teksten nævner ingen kendt kommune"
    raise IngestError(
        file_name,
        f"{reason} ({hint}); vælg kommunen." if hint else f"{reason}; vælg kommunen.",
        missing=("municipality",),
    )


def _document_text(parsed: ParsedDocument) -> str:
    """The parsed text, to look for the municipality's name in."""
    parts = [parsed.committee, parsed.location, parsed.title]
    for item in parsed.items:
        parts.append(item.title)
        parts += [section.text for section in item.sections]
        parts += [decision.text for decision in item.decisions]
        parts += item.attachments
    for section in parsed.document_sections:
        parts += [section.heading, section.text]
    return "\n".join(part for part in parts if part)


def _parse(
    data: bytes,
    file_name: str,
    municipality: Municipality | None,
    committee: str | None,
    meeting_date: date | None,
) -> ParsedDocument:
    name = municipality.name if municipality else None
    try:
        return parse(data, filename=file_name, municipality=name)
    except ParseError as exc:
        if committee and meeting_date:
            try:
                return _parse_with_header(data, file_name, name, committee, meeting_date)
            except ParseError:
                pass
        if _has_items_without_header(data, file_name):
            raise IngestError(
                file_name,
                f"{exc}. Udvalg og mødedato kunne ikke findes; angiv dem, så kan filen indlæses.",
                missing=tuple(
                    m
                    for m, value in (("committee", committee), ("date", meeting_date))
                    if not value
                )
                or ("committee", "date"),
            ) from exc
        raise IngestError(file_name, str(exc)) from exc


def _plain_text(data: bytes) -> str:
    """The text of a file as the parser sees it; only needed when the header is unreadable."""
    try:
        kind = sniff(data)
        if kind == "pdf":
            from minutes.parsing.pdf import pdf_to_text

            return pdf_to_text(data)
        if kind == "html":
            from minutes.parsing.html import html_to_text

            return html_to_text(data)
        return decode_text(data)
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - same contract as parse(): only ParseError escapes
        raise ParseError(f"Dokumentet kunne ikke læses: {type(exc).__name__}: {exc}") from exc


def _parse_with_header(
    data: bytes,
    file_name: str,
    municipality: str | None,
    committee: str,
    meeting_date: date,
    kind: str = "minutes",
) -> ParsedDocument:
    """Parse the file as if it began with a header naming the committee and date.

    The original bytes are stored unchanged; the header only exists for this parse.
    """
    word = "DAGSORDEN" if kind == "agenda" else "REFERAT"
    header = f"{word} {' '.join(committee.split())} d. {meeting_date:%d-%m-%Y}\n\n"
    parsed = parse(
        (header + _plain_text(data)).encode("utf-8"), filename=file_name, municipality=municipality
    )
    parsed.committee, parsed.date = " ".join(committee.split()), meeting_date
    return parsed


def _has_items_without_header(data: bytes, file_name: str) -> bool:
    """Whether the file would read as minutes with agenda items if it only had a header.

    Not asked of PDFs: a PDF the parser refused is nearly always one whose text cannot be
    extracted, and extracting it again (in a child process, up to its time limit) would only
    double the wait for the same refusal.
    """
    try:
        if sniff(data) == "pdf":
            return False
        probe = _parse_with_header(data, file_name, None, PROBE_COMMITTEE, PROBE_DATE)
    except ParseError:
        return False
    return probe.kind != "document" and bool(probe.items)


def _store_meeting(
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
    committee = _committee(municipality, parsed.committee)
    fields = _meeting_fields(parsed, source)
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
    _write_contents([(meeting, parsed)], step)
    return meeting, status


def _new_source(data: bytes, file_name: str, sha256: str, municipality: Municipality) -> SourceFile:
    """The unsaved row that keeps an original file."""
    return SourceFile(
        sha256=sha256,
        file_name=file_name[:255],
        content=data,
        size=len(data),
        content_type=sniff(data),
        municipality=municipality,
    )


def _meeting_fields(parsed: ParsedDocument, source: SourceFile) -> dict:
    """A meeting's own columns besides its identity (committee, date, kind)."""
    return {
        "term": parsed.term or "",
        "start_time": time.fromisoformat(parsed.start_time) if parsed.start_time else None,
        "location": (parsed.location or "")[:300],
        "source": source,
    }


def _write_contents(
    meetings: Sequence[tuple[Meeting, ParsedDocument]], step: Callable[[str], None]
) -> None:
    """Write the attendance and the items (with sections, decisions, votes and bilag) of
    meetings that have none stored: one COPY per table for all of them.

    `meeting.committee.municipality` must be loaded (the items' cases belong to it).
    """
    attendance = []
    for meeting, parsed in meetings:
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
    _copy(Attendance, ("meeting", "position", "name", "party", "status", "note"), attendance)
    step("attendance")

    # The items' ids are drawn first so that their rows can be written after their sections
    # and decisions (the foreign keys are checked at commit): the search row the items'
    # trigger writes then has its decisions' outcomes at once, instead of being rewritten by
    # the decisions' trigger (which, for an item not yet written, changes nothing).
    listed = [
        (meeting, position, item)
        for meeting, parsed in meetings
        for position, item in enumerate(parsed.items)
    ]
    item_ids = _next_ids(AgendaItem, len(listed))
    sections, decisions, votes, attachments = [], [], [], []
    for item_id, (_meeting, _position, item) in zip(item_ids, listed, strict=True):
        sections += [(item_id, i, s.heading[:200], s.text) for i, s in enumerate(item.sections)]
        decisions += [
            (item_id, i, d.body[:200], d.date, d.outcome, d.this_meeting, d.text)
            for i, d in enumerate(item.decisions)
        ]
        votes += [(item_id, i, v.party, v.count, v.position) for i, v in enumerate(item.votes)]
        attachments += [(item_id, i, title[:500]) for i, title in enumerate(item.attachments)]
    _copy(Section, ("item", "position", "heading", "text"), sections)
    step("sections")
    _copy(
        Decision,
        ("item", "position", "body", "date", "outcome", "this_meeting", "text"),
        decisions,
    )
    step("decisions")
    _copy(Vote, ("item", "position", "party", "count", "stance"), votes)
    _copy(Attachment, ("item", "position", "title"), attachments)
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
    cases = {pk: _cases(municipalities[pk], found) for pk, found in printed.items()}
    items = []
    for item_id, (meeting, position, item) in zip(item_ids, listed, strict=True):
        committee = meeting.committee
        case = (
            cases[committee.municipality_id].get(normalise_case_number(item.case_number))
            if item.case_number
            else None
        )
        text = _search_text(item, committee.name)
        items.append(
            (
                item_id,
                meeting.pk,
                position,
                item.number,
                item.title[:500],
                item.raw_title[:600],
                item.closed,
                case.pk if case else None,
                *(text[name] for name in SEARCH_TEXT_FIELDS),
            )
        )
    _copy(
        AgendaItem,
        ("id", "meeting", "position", "number", "title", "raw_title", "closed", "case")
        + SEARCH_TEXT_FIELDS,
        items,
    )
    step("items")


def _store_document(
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


def _committee_name(printed: str | None) -> str:
    """A committee's name as stored, from the name the parser read."""
    return (printed or "").strip()[:200]


def _new_committee(municipality: Municipality, name: str) -> Committee:
    """An unsaved committee; `name` as `_committee_name` gives it."""
    return Committee(municipality=municipality, name=name, slug=danish_slug(name)[:200])


def _committee(municipality: Municipality, printed: str | None) -> Committee:
    name = _committee_name(printed)
    committee = Committee.objects.filter(municipality=municipality, name=name).first()
    if committee is None:
        committee = _new_committee(municipality, name)
        committee.save()
    return committee


def _cases(municipality: Municipality, printed: dict[str, str]) -> dict[str, Case]:
    """The municipality's cases by normalised number, created (as printed) where new."""
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


def _next_ids(model: type[Model], n: int) -> list[int]:
    """n ids from the table's identity sequence, for rows written later in the transaction."""
    if not n:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, n],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _copy(model: type[Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """Write rows with COPY, the columns named by field.

    A meeting has ~150 child rows: one COPY per table sends them in one round trip, without a
    model instance and a quoted parameter per value (bulk_create's cost, a third of the Python
    time of ingestion). Like bulk_create it runs no save() or signals; database errors come out
    as Django's exceptions, as from any other query.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


# AgendaItem's search text columns, in the order _search_text fills them.
SEARCH_TEXT_FIELDS = ("text_a", "text_b", "text_c", "text_d")


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
        .values_list("item__position", "title")
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


def _document_fingerprint(document: Document | None) -> tuple:
    if document is None:
        return ()
    return (
        document.title,
        document.term,
        tuple(document.sections.order_by("position").values_list("heading", "level", "text")),
    )
