"""Bulk import: the new meetings of many files in one transaction (`ingest_batch`).

Used by `manage.py ingest` and the benchmark. The archive ends up exactly as if `ingest_file`
had taken the files one by one (tests/test_batch.py proves it row by row).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import DatabaseError, connection, transaction

from minutes.models import Committee, Meeting, Municipality, SourceFile, SourceVersion
from minutes.parsing import ParsedDocument
from minutes.parsing.model import Kind
from minutes.services.contents import store_sources, write_contents
from minutes.services.ingestion import (
    IngestResult,
    Prepared,
    committee_name,
    ingest_file,
    lock_municipality,
    meeting_fields,
    new_committee,
    new_source,
    no_step,
    precheck,
    prepare,
)
from minutes.services.reading import IngestError, corrections_record

# Files per ingest_batch call (the ingest command, the benchmark): large enough that a batch
# costs little per file, small enough that a batch the database refuses costs little to redo.
BATCH_FILES = 50


@dataclass
class BatchFile:
    """One file for `ingest_batch`: the arguments `ingest_file` takes for it."""

    data: bytes
    file_name: str
    municipality: Municipality | str | None = None
    committee: str | None = None
    meeting_date: date | None = None
    kind: Kind | None = None
    accept_problems: bool = False
    # The file's reading when it was done ahead (minutes.services.parse_ahead), else None;
    # or why that reading was refused for running out of time (the writer does not retry it).
    parsed: ParsedDocument | None = None
    over_time: str | None = None

    @property
    def corrections(self) -> dict:
        """The keyword arguments that correct the parse (as `prepare` and `ingest_file` take them)."""
        return {
            "committee": self.committee,
            "meeting_date": self.meeting_date,
            "kind": self.kind,
            "accept_problems": self.accept_problems,
        }


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

    A database error in one file (reading it, or `ingest_file` taking it alone) is that file's
    IngestError ("Databasefejl: …"): the others still go in, and every file stored before it
    keeps its result, so the caller can record each one.
    """
    step = after_write or no_step
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
        if precheck(file.data) or sha in stored or sha in seen_shas:
            alone[index] = None
            continue
        seen_shas.add(sha)
        if file.over_time:
            results[index] = IngestError(file.file_name, file.over_time)
            continue
        try:
            prepared = prepare(
                data=file.data,
                file_name=file.file_name,
                municipality=file.municipality,
                parsed=file.parsed,
                **file.corrections,
            )
        except IngestError as exc:
            results[index] = exc
            continue
        except DatabaseError as exc:
            results[index] = database_error(file.file_name, exc)
            continue
        key = _meeting_key(prepared)
        # Documents and item pages (which add to a meeting) go through ingest_file.
        if prepared.parsed.kind == "document" or prepared.parsed.item_page or key in seen_meetings:
            alone[index] = prepared.parsed
            continue
        seen_meetings.add(key)
        candidates.append((index, prepared))
    step("parse")
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
            recover_connection()
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
                **file.corrections,
            )
        except IngestError as exc:
            results[index] = exc
        except DatabaseError as exc:
            # E.g. a statement timeout or a lost connection: this file is rolled back (its
            # own transaction); the files before it stay stored and the ones after still go in.
            results[index] = database_error(file.file_name, exc)
    done = [result for result in results if result is not None]
    assert len(done) == len(files), "every file has its result"
    return done


def database_error(file_name: str, exc: DatabaseError) -> IngestError:
    """A file the database refused, as an error that names it (and a connection that works
    again for the next file)."""
    recover_connection()
    return IngestError(file_name, database_reason(exc))


def database_reason(exc: DatabaseError) -> str:
    """The first line of the database's message (PostgreSQL adds context lines)."""
    return f"Databasefejl: {(str(exc).strip().splitlines() or [type(exc).__name__])[0]}"


def recover_connection() -> None:
    """After a database error outside any transaction: drop a connection that no longer
    works (a killed backend, a restarted server), so the next query opens a new one. Inside a
    caller's transaction nothing is done: that transaction decides."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def _meeting_key(prepared: Prepared) -> tuple:
    """What makes a meeting the same meeting (as `store_meeting` finds it)."""
    parsed = prepared.parsed
    return (prepared.municipality.pk, committee_name(parsed.committee), parsed.date, parsed.kind)


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
            lock_municipality(municipality_id)
        # Checked again under the locks: another writer may have stored one since.
        if SourceFile.objects.filter(sha256__in=[sha for _, sha, _ in batch]).exists() or (
            _stored_meetings(prepared_list)
        ):
            raise _NotAllNew
        sources = [
            new_source(
                file.data,
                file.file_name,
                sha,
                prepared.municipality,
                prepared.parsed.reader,
                corrections_record(**file.corrections),
            )
            for file, sha, prepared in batch
        ]
        store_sources(sources)
        step("source")
        committees = _committees_for(prepared_list)
        meetings = Meeting.objects.bulk_create(
            Meeting(
                committee=committees[_meeting_key(prepared)[:2]],
                date=prepared.parsed.date,
                kind=prepared.parsed.kind,
                **meeting_fields(prepared.parsed, source),
            )
            for source, prepared in zip(sources, prepared_list, strict=True)
        )
        SourceVersion.objects.bulk_create(
            SourceVersion(source=source, meeting=meeting)
            for source, meeting in zip(sources, meetings, strict=True)
        )
        step("meeting")
        write_contents([(m, p.parsed) for m, p in zip(meetings, prepared_list, strict=True)], step)
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
        new_committee(wanted[key], key[1]) for key in missing
    ):
        found[(committee.municipality_id, committee.name)] = committee
    for key, committee in found.items():
        committee.municipality = wanted[key]
    return found
