"""The background jobs (Django's task framework through the `django-tasks` backport, its database
backend `django-tasks-db`: the queue is a table in our PostgreSQL) and what keeps them going
when a worker is lost.

Two jobs, both idempotent: `preview_upload` reads a batch's staged files for the preview,
`ingest_upload` ingests them (`minutes.services.staging` does the work, one file at a time, each
committed on its own). Run by `manage.py worker`.

A lost worker: every worker holds a session-level PostgreSQL advisory lock named by its id for
as long as its process lives (`worker_liveness`); the database releases it the moment the
process dies (kill -9, a lost machine), since its connection closes. A job left RUNNING by a
worker whose lock is free is put back in the queue (`requeue_lost_jobs`, called by every worker
as it looks for work), up to MAX_ATTEMPTS runs; then it fails, and its batch with it.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections.abc import Callable, Iterator

import psycopg
from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from minutes.models import UploadBatch
from minutes.services import staging

# Runs of one job before a worker lost in each of them counts as the job's own fault (a file
# that kills whatever reads it).
MAX_ATTEMPTS = 3
# First key of the two-key advisory locks of workers ("RJ"); ingestion uses "RA" for its own.
LIVENESS_NAMESPACE = 0x524A
LOST = "Arbejdsprocessen, der kørte jobbet, stoppede {count} gange undervejs; jobbet er opgivet."


# The jobs


@task()
def preview_upload(batch_id: str) -> int:
    """Read a batch's staged files for the preview page."""
    return _run(batch_id, UploadBatch.State.PREVIEWING, lambda b: staging.read_for_preview(batch=b))


@task()
def ingest_upload(batch_id: str) -> int:
    """Ingest a confirmed batch (or one queued by `ingest --queue`)."""
    return _run(batch_id, UploadBatch.State.INGESTING, lambda b: staging.ingest_staged(batch=b))


def _run(batch_id: str, state: str, work: Callable[[UploadBatch], int]) -> int:
    batch = UploadBatch.objects.filter(pk=batch_id).select_related("user", "municipality").first()
    if batch is None or batch.state != state:
        return 0  # abandoned, or done by an earlier run of the same job
    try:
        return work(batch)
    except Exception as exc:
        # The page says so instead of waiting for ever; the exception fails the job too.
        UploadBatch.objects.filter(pk=batch_id, state=state).update(
            state=UploadBatch.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise


def enqueue_preview(batch: UploadBatch) -> None:
    _enqueue(batch, preview_upload)


def enqueue_ingest(batch: UploadBatch) -> None:
    _enqueue(batch, ingest_upload)


def _enqueue(batch: UploadBatch, job) -> None:
    result = job.enqueue(batch_id=str(batch.pk))
    UploadBatch.objects.filter(pk=batch.pk).update(job_id=str(result.id)[:64])


def job_failed(batch: UploadBatch) -> bool:
    """Whether the batch's last job failed without saying so on the batch (it was given up)."""
    if not batch.job_id:
        return False
    return DBTaskResult.objects.filter(pk=batch.job_id, status=TaskResultStatus.FAILED).exists()


# Lost workers


def _lock_key(worker_id: str) -> int:
    """A worker id as the second key of an advisory lock (a signed 32-bit integer)."""
    return int.from_bytes(hashlib.sha256(worker_id.encode()).digest()[:4], "big", signed=True)


@contextlib.contextmanager
def worker_liveness(worker_id: str) -> Iterator[None]:
    """Hold the worker's advisory lock on a connection of its own for the block: Django closes
    and reopens its connections between jobs, which would drop a lock held on them."""
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as own:
        own.execute("SELECT pg_advisory_lock(%s, %s)", (LIVENESS_NAMESPACE, _lock_key(worker_id)))
        yield


def worker_alive(worker_id: str) -> bool:
    """Whether the worker's process still holds its lock (briefly taking it if nobody does)."""
    key = (LIVENESS_NAMESPACE, _lock_key(worker_id))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        if not cursor.fetchone()[0]:
            return True
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
    return False


def requeue_lost_jobs(*, backend_name: str = "default", own_id: str = "") -> list[str]:
    """Put the jobs of lost workers back in the queue; give up a job after MAX_ATTEMPTS runs.
    Returns the ids of the jobs requeued or given up."""
    handled = []
    running = DBTaskResult.objects.filter(
        backend_name=backend_name, status=TaskResultStatus.RUNNING
    )
    for job in running:
        last = job.worker_ids[-1] if job.worker_ids else ""
        if last == own_id or (last and worker_alive(last)):
            continue
        # Only if nobody else requeued it meanwhile (the same status and the same runs).
        unchanged = DBTaskResult.objects.filter(
            pk=job.pk, status=TaskResultStatus.RUNNING, worker_ids=job.worker_ids
        )
        if len(job.worker_ids) >= MAX_ATTEMPTS:
            reason = LOST.format(count=len(job.worker_ids))
            if unchanged.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="minutes.services.jobs.LostWorker",
                traceback=reason,
            ):
                _fail_batch((job.args_kwargs or {}).get("kwargs", {}).get("batch_id"), reason)
                handled.append(str(job.pk))
        elif unchanged.update(status=TaskResultStatus.READY, started_at=None):
            handled.append(str(job.pk))
    return handled


def _fail_batch(batch_id: str | None, reason: str) -> None:
    if not batch_id:
        return
    with contextlib.suppress(ValueError):
        UploadBatch.objects.filter(
            pk=uuid.UUID(batch_id),
            state__in=[UploadBatch.State.PREVIEWING, UploadBatch.State.INGESTING],
        ).update(state=UploadBatch.State.FAILED, error=reason)
