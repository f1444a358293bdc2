"""Uploaded files kept server-side between upload and ingestion (`UploadBatch`, `StagedUpload`):
staging them, the admin's corrections, what reading each gave (stored for the preview page), and
ingesting each with its upload-log row. The background jobs (`minutes.services.jobs`) call the
reading and ingesting here; the admin and `ingest --queue` call the rest.

Every file is ingested in one transaction together with its upload-log row and the deletion of
its staged copy: a worker killed at any moment leaves each file either fully done (stored,
logged, unstaged) or not started, so a retried job does each file exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import PurePosixPath
from types import SimpleNamespace
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from minutes.models import (
    Decision,
    Document,
    Meeting,
    Municipality,
    StagedUpload,
    UploadAudit,
    UploadBatch,
)
from minutes.services import audit
from minutes.services.batch import database_reason, recover_connection
from minutes.services.ingestion import IngestError, Preview, ingest_file, preview_file
from minutes.services.upload import Incoming

# A batch nobody confirmed (or whose job stopped) is dropped with its staged files after this.
STAGING_LIFETIME = timedelta(days=1)
UNREADABLE = "Filen kan ikke læses."
REFUSED = "Afvist i forhåndsvisningen; intet er indlæst."


# What the admin (or the command) chose for one file, as stored in StagedUpload.choices.


def encode_choices(
    *,
    municipality: Municipality | str | None = None,
    committee: str | None = None,
    meeting_date: date | None = None,
    kind: str | None = None,
    accept_problems: bool = False,
    refuse: bool = False,
) -> dict[str, Any]:
    """JSON for StagedUpload.choices: a municipality by id (the admin's chooser) or by name (the
    command's --municipality or manifest); no municipality means the batch's."""
    return {
        "municipality": municipality.pk if isinstance(municipality, Municipality) else municipality,
        "committee": committee or None,
        "meeting_date": meeting_date.isoformat() if meeting_date else None,
        "kind": kind or None,
        "accept_problems": bool(accept_problems),
        "refuse": bool(refuse),
    }


def decode_choices(choices: dict[str, Any], batch: UploadBatch) -> dict[str, Any]:
    """The keyword arguments of `preview_file` and `ingest_file` for one staged file."""
    chosen = choices.get("municipality")
    municipality: Municipality | str | None
    if isinstance(chosen, int):
        municipality = Municipality.objects.filter(pk=chosen).first()
    else:
        municipality = chosen or None
    day = choices.get("meeting_date")
    return {
        "municipality": municipality or batch.municipality,
        "committee": choices.get("committee"),
        "meeting_date": date.fromisoformat(day) if day else None,
        "kind": choices.get("kind"),
        "accept_problems": bool(choices.get("accept_problems")),
    }


# Staging


def stage(
    *,
    files: Iterable[tuple[Incoming, dict[str, Any]]],
    channel: str,
    user=None,
    username: str = "",
    session_key: str = "",
    municipality: Municipality | None = None,
    state: str = UploadBatch.State.PREVIEWING,
) -> UploadBatch:
    """Keep the incoming files (each with its encoded choices) server-side as a new batch."""
    batch = UploadBatch(
        id=audit.new_batch(),
        user=user if user is not None and user.is_authenticated else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        channel=channel,
        municipality=municipality,
        state=state,
    )
    rows = [
        StagedUpload(
            batch=batch.id,
            user=batch.user,
            session_key=session_key,
            position=position,
            file_name=incoming.label[:500],
            size=incoming.size,
            sha256=incoming.sha256,
            content=incoming.data if incoming.ok else None,
            error="" if incoming.ok else incoming.error or UNREADABLE,
            choices=choices,
        )
        for position, (incoming, choices) in enumerate(files)
    ]
    batch.total = len(rows)
    with transaction.atomic():
        batch.save(force_insert=True)
        StagedUpload.objects.bulk_create(rows, batch_size=50)
    return batch


def staged_rows(batch: UploadBatch) -> QuerySet[StagedUpload]:
    """The batch's files in order, without their bytes (a page of files need not load them)."""
    return StagedUpload.objects.filter(batch=batch.pk).defer("content").order_by("position")


def ready_count(batch: UploadBatch) -> int:
    """The batch's files whose reading would change the archive (created or updated)."""
    return StagedUpload.objects.filter(
        batch=batch.pk, preview__status__in=["created", "updated"]
    ).count()


def correct(*, batch: UploadBatch, choices: dict[int, dict[str, Any]]) -> int:
    """Store the admin's corrections ("Vis rettelserne"), by staged file id; the files whose
    reading they change are read again by the next preview job. Returns how many; 0 leaves
    the batch as it is."""
    changed = 0
    with transaction.atomic():
        for row in staged_rows(batch).filter(pk__in=choices):
            new = choices[row.pk]
            if _same_choices(row.choices, new, row.preview):
                continue
            StagedUpload.objects.filter(pk=row.pk).update(choices=new, preview=None)
            changed += 1
        if changed:
            UploadBatch.objects.filter(pk=batch.pk, state=UploadBatch.State.READY).update(
                state=UploadBatch.State.PREVIEWING, updated_at=timezone.now()
            )
    return changed


def _same_choices(old: dict[str, Any], new: dict[str, Any], preview: dict | None) -> bool:
    """Whether reading the file with `new` gives what it gave with `old`. The chooser is
    pre-filled with the municipality found in the text, so posting that one back is no change."""
    if old == new:
        return True
    found = (preview or {}).get("municipality")
    return {**new, "municipality": None} == {**old, "municipality": None} and (
        new.get("municipality") in {found, old.get("municipality")}
    )


def confirm(*, batch: UploadBatch, choices: dict[int, dict[str, Any]]) -> bool:
    """Ingest with these choices ("Indlæs"), by staged file id (the files of the page the admin
    confirmed on; the others keep those stored): the batch moves to INGESTING once. Of two
    confirmations at once (a double click) the second changes nothing and returns False."""
    with transaction.atomic():
        claimed = UploadBatch.objects.filter(pk=batch.pk, state=UploadBatch.State.READY).update(
            state=UploadBatch.State.INGESTING, updated_at=timezone.now()
        )
        if not claimed:
            return False
        for row in staged_rows(batch).filter(pk__in=choices).defer("preview"):
            if row.choices != choices[row.pk]:
                StagedUpload.objects.filter(pk=row.pk).update(choices=choices[row.pk])
    return True


def abandon(*, batch_id: uuid.UUID) -> bool:
    """Drop a batch that will not be ingested, with its staged files (not one being ingested)."""
    with transaction.atomic():
        dropped = UploadBatch.objects.filter(
            pk=batch_id,
            state__in=[
                UploadBatch.State.PREVIEWING,
                UploadBatch.State.READY,
                UploadBatch.State.FAILED,
            ],
        ).update(state=UploadBatch.State.ABANDONED, updated_at=timezone.now())
        if dropped:
            StagedUpload.objects.filter(batch=batch_id).delete()
    return bool(dropped)


def clean_abandoned() -> int:
    """Drop the batches left unconfirmed (or stopped) for longer than STAGING_LIFETIME."""
    old = UploadBatch.objects.filter(
        updated_at__lt=timezone.now() - STAGING_LIFETIME,
        state__in=[UploadBatch.State.PREVIEWING, UploadBatch.State.READY, UploadBatch.State.FAILED],
    ).values_list("pk", flat=True)
    dropped = sum(abandon(batch_id=batch_id) for batch_id in list(old))
    # Staged files of no batch: left by the upload before the background jobs.
    StagedUpload.objects.filter(created_at__lt=timezone.now() - STAGING_LIFETIME).exclude(
        batch__in=UploadBatch.objects.values("pk")
    ).delete()
    return dropped


# Reading for the preview (the preview job)


def read_for_preview(*, batch: UploadBatch) -> int:
    """Read every staged file of the batch that has no stored preview yet; each one is stored
    as soon as it is read, so the page shows the progress and a retried job starts where the
    last one stopped. The batch is READY when all are read. Returns how many were read."""
    pending = list(
        StagedUpload.objects.filter(batch=batch.pk, preview__isnull=True)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    for pk in pending:
        row = StagedUpload.objects.filter(pk=pk).first()
        if row is None:  # abandoned meanwhile
            return 0
        StagedUpload.objects.filter(pk=pk).update(preview=_preview_record(row, batch))
    UploadBatch.objects.filter(pk=batch.pk, state=UploadBatch.State.PREVIEWING).update(
        state=UploadBatch.State.READY, updated_at=timezone.now()
    )
    return len(pending)


def _preview_record(row: StagedUpload, batch: UploadBatch) -> dict[str, Any]:
    if row.error or row.content is None:
        return {"ok": False, "error": row.error or UNREADABLE}
    preview = preview_file(
        data=bytes(row.content),
        file_name=PurePosixPath(row.file_name).name,
        **decode_choices(row.choices, batch),
    )
    return preview_record(preview)


def preview_record(preview: Preview) -> dict[str, Any]:
    """What the preview page shows of a file's reading, as JSON."""
    parsed = preview.parsed
    target = preview.target
    return {
        "ok": preview.status is not None,
        "status": preview.status,
        "error": preview.error,
        "missing": list(preview.missing),
        "problems": list(preview.problems),
        "warnings": list(preview.warnings),
        "municipality": preview.municipality.pk if preview.municipality else None,
        "target": [
            "meeting" if isinstance(target, Meeting) else "document",
            target.pk,
        ]
        if target is not None
        else None,
        "parsed": None
        if parsed is None
        else {
            "kind": parsed.kind,
            "reader": parsed.reader,
            "title": parsed.title,
            "section_count": len(parsed.document_sections),
            "committee": parsed.committee,
            "date": parsed.date.isoformat() if parsed.date else None,
            "items": [
                {
                    "number": item.number,
                    "title": item.title,
                    "case_number": item.case_number or "",
                    "closed": item.closed,
                    "decisions": [
                        {
                            "body": decision.body,
                            "date": decision.date.isoformat() if decision.date else None,
                            "outcome": Decision.Outcome(decision.outcome).label,
                            # The page shows at most 300 characters of it.
                            "text": (decision.text or "")[:400],
                        }
                        for decision in item.decisions
                    ],
                }
                for item in parsed.items
            ],
        },
    }


@dataclass
class StoredPreview:
    """A stored preview record with its municipality and meeting or document loaded: what the
    preview page reads (the attributes of `Preview` it uses)."""

    record: dict[str, Any]
    municipality: Municipality | None = None
    target: Meeting | Document | None = None
    parsed: SimpleNamespace | None = field(default=None)

    def __getattr__(self, name: str) -> Any:
        if name in {"status", "error"}:
            return self.record.get(name)
        if name in {"missing", "problems", "warnings"}:
            return tuple(self.record.get(name) or ())
        raise AttributeError(name)


def load_previews(rows: Sequence[StagedUpload]) -> list[StoredPreview | None]:
    """Each row's stored preview (None for a file not read yet), loaded with a query per kind."""
    records = [row.preview for row in rows]
    municipalities = Municipality.objects.in_bulk(
        {r["municipality"] for r in records if r and r.get("municipality")}
    )
    targets = {
        "meeting": Meeting.objects.select_related("committee__municipality").in_bulk(
            {
                r["target"][1]
                for r in records
                if r and r.get("target") and r["target"][0] == "meeting"
            }
        ),
        "document": Document.objects.select_related("municipality").in_bulk(
            {
                r["target"][1]
                for r in records
                if r and r.get("target") and r["target"][0] != "meeting"
            }
        ),
    }
    loaded: list[StoredPreview | None] = []
    for record in records:
        if record is None:
            loaded.append(None)
            continue
        kind, pk = record.get("target") or (None, None)
        loaded.append(
            StoredPreview(
                record,
                municipality=municipalities.get(record.get("municipality")),
                target=targets[kind].get(pk) if kind else None,
                parsed=_parsed(record.get("parsed")),
            )
        )
    return loaded


def _parsed(parsed: dict[str, Any] | None) -> SimpleNamespace | None:
    if parsed is None:
        return None

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    items = [
        {
            **item,
            "decisions": [{**d, "date": day(d["date"])} for d in item["decisions"]],
        }
        for item in parsed["items"]
    ]
    return SimpleNamespace(**{**parsed, "date": day(parsed["date"]), "items": items})


# Ingesting (the ingest job)


def ingest_staged(*, batch: UploadBatch) -> int:
    """Ingest every staged file of the batch in order, each with its upload-log row; the batch
    is DONE when none is left. Returns how many files this call did."""
    pending = list(
        StagedUpload.objects.filter(batch=batch.pk)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    done = 0
    for pk in pending:
        try:
            done += _ingest_one(pk, batch)
        except DatabaseError:
            # A lost connection (a restarted server, a killed backend): nothing of this file
            # was kept; once more on a new connection, then the job stops and is retried.
            recover_connection()
            done += _ingest_one(pk, batch)
    UploadBatch.objects.filter(pk=batch.pk, state=UploadBatch.State.INGESTING).update(
        state=UploadBatch.State.DONE, updated_at=timezone.now()
    )
    return done


def _ingest_one(pk: int, batch: UploadBatch) -> int:
    with transaction.atomic():
        # Locked, so that two workers given the same batch never take the same file.
        row = StagedUpload.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if row is None:
            return 0  # done already, or being done by another worker
        common = {
            "batch": batch.pk,
            "channel": batch.channel,
            "label": row.file_name,
            "user": batch.user,
            "username": batch.username,
            "size": row.size,
            "sha256": row.sha256,
        }
        values = decode_choices(row.choices, batch)
        if row.error or row.content is None:
            audit.record(**common, reason=row.error or UNREADABLE)
        elif row.choices.get("refuse"):
            audit.record(**common, reason=REFUSED)
        else:
            _ingest_and_record(row, values, common)
        row.delete()
    return 1


def _ingest_and_record(row: StagedUpload, values: dict[str, Any], common: dict[str, Any]) -> None:
    municipality = values["municipality"]
    found = municipality if isinstance(municipality, Municipality) else None
    try:
        # A savepoint: a database error in this file undoes only this file's writes.
        with transaction.atomic():
            result = ingest_file(
                data=bytes(row.content),
                file_name=PurePosixPath(row.file_name).name,
                **values,
            )
    except IngestError as exc:
        audit.record(**common, municipality=found, reason=exc.reason, held=exc.held)
    except DatabaseError as exc:
        # E.g. the statement timeout: this file is rolled back, the others still go in.
        audit.record(**common, municipality=found, reason=database_reason(exc))
    else:
        audit.record(**common, result=result)


# What the pages show


@dataclass(frozen=True)
class Progress:
    """How far a batch has come: files read (for the preview) or ingested, and how many of them
    cannot go in as they are (refused, held or failed)."""

    state: str
    total: int
    done: int
    failed: int

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)

    @property
    def finished(self) -> bool:
        return self.state in {UploadBatch.State.READY, UploadBatch.State.DONE}


def progress(batch: UploadBatch) -> Progress:
    if batch.state in {UploadBatch.State.INGESTING, UploadBatch.State.DONE}:
        logged = UploadAudit.objects.filter(batch=batch.pk)
        done = logged.count()
        failed = logged.filter(
            outcome__in=[UploadAudit.Outcome.FAILED, UploadAudit.Outcome.HELD]
        ).count()
    else:
        staged = StagedUpload.objects.filter(batch=batch.pk)
        read = staged.filter(preview__isnull=False)
        done = read.count()
        failed = read.filter(preview__ok=False).count()
    return Progress(batch.state, batch.total, done, failed)
