"""Rebuilding the archive's meetings and documents from their stored originals (`reparse`)."""

from __future__ import annotations

from django.db import transaction

from minutes.models import Meeting, SourceFile
from minutes.parsing import ParsedDocument
from minutes.services.contents import document_fingerprint, meeting_fingerprint
from minutes.services.ingestion import (
    IngestResult,
    lock_municipality,
    no_step,
    prepare,
    store_document,
    store_meeting,
)
from minutes.services.item_pages import store_item_page
from minutes.services.reading import IngestError, stored_corrections


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
    item_page_meeting = None
    if meeting is None and document is None:
        item = source.items.select_related("meeting__committee").first()
        if item is None:
            return IngestResult(source.file_name, "unchanged"), False
        item_page_meeting = item.meeting
    data = bytes(source.content)
    municipality = source.municipality
    corrections = stored_corrections(source)
    try:
        parsed = prepare(
            data=data, file_name=source.file_name, municipality=municipality, **corrections
        ).parsed
    except IngestError as exc:
        known = meeting or item_page_meeting
        if known is None or not exc.missing:
            raise
        # Ingested before corrections were stored: what the admin supplied is on the meeting.
        corrections["committee"] = corrections.get("committee") or known.committee.name
        corrections["meeting_date"] = corrections.get("meeting_date") or known.date
        corrections["kind"] = corrections.get("kind") or known.kind
        parsed = prepare(
            data=data, file_name=source.file_name, municipality=municipality, **corrections
        ).parsed
    if (parsed.kind == "document") != (document is not None):
        raise IngestError(
            source.file_name,
            "Med den nuværende parser er filen en anden slags dokument end før; intet er ændret.",
        )
    if source.reader != parsed.reader:
        # Which reader reads the original now (a family reader may have been added).
        SourceFile.objects.filter(pk=source.pk).update(reader=parsed.reader[:40])
    if parsed.item_page and (item_page_meeting or meeting) is not None:
        # Only the page's own item is rewritten; the meeting's other items came from other pages.
        return _rebuild_item_page(source, parsed, item_page_meeting or meeting)
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


def _rebuild_item_page(
    source: SourceFile, parsed: ParsedDocument, meeting: Meeting
) -> tuple[IngestResult, bool]:
    """An item page rebuilt: its own item(s) rewritten in their meeting, the others untouched."""
    try:
        with transaction.atomic():
            lock_municipality(source.municipality_id)
            before = meeting_fingerprint(meeting)
            meeting, _ = store_item_page(
                parsed, source, source.municipality, no_step, record_version=False
            )
            if before == meeting_fingerprint(meeting):
                raise _NothingChanged
            return IngestResult(source.file_name, "updated", meeting=meeting), True
    except _NothingChanged:
        return IngestResult(source.file_name, "unchanged", meeting=meeting), False
