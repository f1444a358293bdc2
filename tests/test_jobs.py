"""Uploads as background jobs on the real engine (django-tasks' database backend) with real
`manage.py worker` processes: the progress pages, a worker killed with SIGKILL mid-batch (the
batch completes, no file twice, none partial), a 500-file zip end to end, `ingest --queue`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from minutes.models import Meeting, SourceFile, StagedUpload, UploadAudit, UploadBatch

from .conftest import ROOT, seed_path
from .test_backup import database_url
from .test_ingest_command_errors import generated
from .test_ingestion import archive_restored_afterwards, ensure_archive, moved, zip_of
from .test_upload import UPLOAD, municipality_pk, text_of

__all__ = ["archive_restored_afterwards"]  # a fixture, used by name below

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def real_jobs(archive_restored_afterwards, transactional_db, settings):
    """The production engine: jobs wait in the database until a worker process takes them
    (committed, so that the worker sees them); the archive is put back afterwards."""
    settings.TASKS = DATABASE_BACKEND
    ensure_archive()  # an earlier transactional test may have emptied the tables


def worker(*args: str) -> subprocess.Popen:
    """`manage.py worker` on the test database, as `make run` starts it."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "DJANGO_SETTINGS_MODULE": "archive.settings",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_worker_until_idle(timeout: float = 600) -> str:
    """One worker that runs every queued job, then stops (`--batch`); its output."""
    process = worker("--batch")
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output
    return output


def seed_minutes(count: int, year: int = 2032) -> list[tuple[str, bytes]]:
    """`count` new meetings: the first seed with other dates."""
    data = seed_path("000").read_bytes()
    days = [date(year, 1, 1).toordinal() + n for n in range(count)]
    return [
        (
            f"amu-{date.fromordinal(day):%Y-%m-%d}.txt",
            moved(data, "02-06-2021", f"{date.fromordinal(day):%d-%m-%Y}"),
        )
        for day in days
    ]


def test_the_pages_show_the_progress_and_the_worker_reads_then_ingests(real_jobs, staff_client):
    files = [*seed_minutes(2), ("tom.txt", b"  ")]
    posted = staff_client.post(
        UPLOAD,
        {
            "files": [SimpleUploadedFile(name, data) for name, data in files],
            "municipality": municipality_pk("Høje-Taastrup Kommune"),
        },
    )
    assert posted.status_code == 302
    preview_url = posted["Location"]

    # Nothing is read inside the request: the page shows the job's progress and reloads.
    waiting = staff_client.get(preview_url)
    assert waiting.status_code == 200
    assert waiting["Refresh"] == "3"
    html = waiting.content.decode()
    assert '<progress id="upload-progress" max="3" value="0"' in html
    assert "0 af 3 filer læst (0 %)" in text_of(waiting)
    assert "Filerne læses til forhåndsvisningen" in text_of(waiting)
    still = staff_client.get(preview_url + "?auto=0")
    assert "Refresh" not in still
    assert "Opdater automatisk" in text_of(still)
    assert not Meeting.objects.filter(date__year=2032).exists()

    run_worker_until_idle()
    preview = staff_client.get(preview_url)
    assert "Refresh" not in preview
    page = text_of(preview)
    assert "3 filer, heraf 2 klar til at blive indlæst." in page
    assert "tom.txt: Filen er tom." in page

    confirmed = staff_client.post(preview_url, {})
    result_url = confirmed["Location"]
    ingesting = staff_client.get(result_url)
    assert ingesting["Refresh"] == "3"
    assert "0 af 3 filer indlæst (0 %)" in text_of(ingesting)
    # The preview of a batch being ingested leads to its result.
    assert staff_client.get(preview_url)["Location"] == result_url

    run_worker_until_idle()
    result = staff_client.get(result_url)
    assert "Refresh" not in result
    page = text_of(result)
    assert "3 filer behandlet. Uploaden er færdig." in page
    assert "amu-2032-01-01.txt oprettet" in page and "tom.txt fejlet – Filen er tom." in page
    assert Meeting.objects.filter(date__year=2032).count() == 2
    batch = UploadBatch.objects.get()
    assert batch.state == UploadBatch.State.DONE
    assert not StagedUpload.objects.exists()  # staged bytes go with their file
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }


def test_a_worker_killed_mid_batch_is_replaced_and_every_file_goes_in_once(real_jobs, tmp_path):
    plan, minutes = generated(tmp_path, 120)
    call_command(
        "ingest", str(tmp_path), "--queue", "--municipality", plan.authority.name, "--no-progress"
    )
    batch = UploadBatch.objects.get()
    assert (batch.state, batch.total, batch.channel) == ("ingesting", 120, "command")
    logged = UploadAudit.objects.filter(batch=batch.pk)

    first = worker()
    deadline = time.monotonic() + 300
    while logged.count() < 10 and time.monotonic() < deadline:
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)  # no clean-up of any kind: a lost machine
    first.wait(timeout=30)
    done_at_kill = logged.count()
    assert 10 <= done_at_kill < 120, "the worker was killed in the middle of the batch"
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.RUNNING and len(job.worker_ids) == 1

    output = run_worker_until_idle()
    assert "requeued or given up" in output

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert len(job.worker_ids) == 2 and job.worker_ids[0] != job.worker_ids[1]
    batch.refresh_from_db()
    assert batch.state == UploadBatch.State.DONE
    # Every file once in the log, each stored once, none of them found "unchanged" (which
    # would mean a second run of a file the first worker had stored).
    names = Counter(os.path.basename(name) for name in logged.values_list("file_name", flat=True))
    assert names == Counter(m.file_name for m in minutes)
    assert set(logged.values_list("outcome", flat=True)) == {"created"}
    stored = Meeting.objects.filter(committee__municipality__code=plan.authority.code)
    assert stored.count() == 120
    assert SourceFile.objects.filter(file_name__in=names).count() == 120
    assert sorted(logged.values_list("meeting_id", flat=True)) == sorted(
        stored.values_list("pk", flat=True)
    )
    # Nothing partial: every meeting has all its items.
    for meeting in stored.prefetch_related("items"):
        assert meeting.items.count() > 0
    assert not StagedUpload.objects.exists()


def test_a_zip_of_500_files_is_previewed_and_ingested_end_to_end(real_jobs, staff_client):
    files = dict(seed_minutes(500, year=2033))
    timings = {}
    started = time.monotonic()
    response = staff_client.post(
        UPLOAD,
        {
            "files": [SimpleUploadedFile("aargang.zip", zip_of(files))],
            "municipality": municipality_pk("Høje-Taastrup Kommune"),
        },
    )
    timings["upload (request)"] = time.monotonic() - started
    preview_url = response["Location"]
    assert "0 af 500 filer læst" in text_of(staff_client.get(preview_url))

    started = time.monotonic()
    run_worker_until_idle()
    timings["reading (job)"] = time.monotonic() - started
    started = time.monotonic()
    preview = staff_client.get(preview_url)
    timings["preview page (request)"] = time.monotonic() - started
    page = text_of(preview)
    assert "500 filer, heraf 500 klar til at blive indlæst." in page
    # Fifty files a page, the rest a link away.
    assert preview.content.decode().count('class="module upload-file"') == 50
    assert "Side 1 Side 2" in page and "Side 10 Næste side" in page
    last = staff_client.get(preview_url + "?side=10")
    assert f"{list(files)[-1]} Fil" in text_of(last)  # the 500th file

    started = time.monotonic()
    result_url = staff_client.post(preview_url, {})["Location"]
    timings["confirm (request)"] = time.monotonic() - started
    started = time.monotonic()
    run_worker_until_idle()
    timings["ingesting (job)"] = time.monotonic() - started
    started = time.monotonic()
    result = staff_client.get(result_url)
    timings["result page (request)"] = time.monotonic() - started
    assert "500 filer behandlet. Uploaden er færdig." in text_of(result)
    assert Meeting.objects.filter(date__year__in=[2033, 2034]).count() == 500
    assert UploadAudit.objects.filter(outcome="created").count() == 500
    assert not StagedUpload.objects.exists()
    print(
        "500-file zip:", ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items())
    )
    # Every request an admin makes stays far below gunicorn's 30 s timeout.
    assert max(seconds for step, seconds in timings.items() if "request" in step) < 15


def test_make_run_and_make_dev_start_a_worker_beside_the_web_server():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for target in ("run", "dev"):
        recipe = makefile.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0]
        assert "$(WITH_WORKER) $(PY) manage.py runserver" in recipe
    with_worker = makefile.split("\nWITH_WORKER = ", 1)[1].split("\n", 1)[0]
    # In the background, and stopped when the web server stops.
    assert with_worker.startswith("$(PY) manage.py worker") and "& worker=$$!;" in with_worker
    assert "trap 'kill $$worker" in with_worker
