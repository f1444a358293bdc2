"""The upload audit: one row per file that someone tried to put into the archive."""

from __future__ import annotations

import uuid

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
    it tried to write is rolled back.
    """
    # The file itself, which for an unchanged upload may be an earlier version of the meeting.
    source = SourceFile.objects.filter(sha256=sha256).first() if result and sha256 else None
    if municipality is None and source is not None:
        municipality = source.municipality
    return UploadAudit.objects.create(
        batch=batch,
        user=user if user is not None and user.is_authenticated else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        channel=channel,
        file_name=label[:500],
        sha256=sha256,
        size=size,
        municipality=municipality,
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
