"""The upload audit: one row per file that someone tried to put into the archive."""

from __future__ import annotations

import uuid

from django.db import DatabaseError, connection

from minutes.models import Municipality, SourceFile, UploadAudit
from minutes.services.ingestion import IngestResult


def new_batch() -> uuid.UUID:
    return uuid.uuid4()


def record(
    *,
    batch: uuid.UUID,
    channel: str,
    label: str,
    user=None,
    username: str = "",
    size: int | None = None,
    sha256: str = "",
    municipality: Municipality | None = None,
    result: IngestResult | None = None,
    reason: str = "",
    held: bool = False,
) -> UploadAudit:
    """Write the outcome of one file: `result` when it went in, otherwise `reason` (failed, or
    `held` for a person when the parse looks wrong).

    Written outside the ingest's transaction, so a failed ingest is recorded while everything
    it tried to write is rolled back. A connection the database dropped meanwhile (a restarted
    server, a killed backend) is opened again once, so that a file that went in is not left
    without its row; a second failure is raised for the caller to report.
    """

    def write() -> UploadAudit:
        # The file itself; for an unchanged upload maybe an earlier version of the meeting.
        source = SourceFile.objects.filter(sha256=sha256).first() if result and sha256 else None
        found = municipality if municipality is not None or source is None else source.municipality
        return UploadAudit.objects.create(
            batch=batch,
            user=user if user is not None and user.is_authenticated else None,
            username=(username or (user.get_username() if user is not None else ""))[:150],
            channel=channel,
            file_name=label[:500],
            sha256=sha256,
            size=size,
            municipality=found,
            outcome=result.status
            if result is not None
            else UploadAudit.Outcome.HELD
            if held
            else UploadAudit.Outcome.FAILED,
            reason=reason if result is None else "; ".join(result.warnings),
            source=source,
            meeting=result.meeting if result else None,
            document=result.document if result else None,
        )

    try:
        return write()
    except DatabaseError:
        if connection.in_atomic_block:
            raise  # inside a transaction, the caller's transaction decides
        connection.close_if_unusable_or_obsolete()
        return write()
