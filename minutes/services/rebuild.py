"""Rebuilding the archive's meetings and documents from their stored originals (`reparse`)."""

from __future__ import annotations

from django.db import transaction

from minutes.models import SourceFile
from minutes.parsing import ParseError, parse
from minutes.services.contents import document_fingerprint, meeting_fingerprint
from minutes.services.ingestion import (
    IngestError,
    IngestResult,
    lock_municipality,
    no_step,
    parse_with_header,
    store_document,
    store_meeting,
)


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
            parsed = parse_with_header(
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
            lock_municipality(source.municipality_id)
            if document is not None:
                before = document_fingerprint(document)
                document, _ = store_document(
                    parsed, source, municipality, no_step, record_version=False, target=document
                )
                if before == document_fingerprint(document):
                    raise _NothingChanged
                return IngestResult(source.file_name, "updated", document=document), True
            assert meeting is not None
            before = meeting_fingerprint(meeting)
            meeting, _ = store_meeting(
                parsed, source, municipality, no_step, record_version=False, target=meeting
            )
            if before == meeting_fingerprint(meeting):
                raise _NothingChanged
            return IngestResult(source.file_name, "updated", meeting=meeting), True
    except _NothingChanged:
        return IngestResult(
            source.file_name,
            "unchanged",
            meeting=source.meetings.first(),
            document=source.documents.first(),
        ), False
