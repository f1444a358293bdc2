"""What keeps the jobs going: a lost worker's job requeued (a live worker's left alone), a job
lost too often given up with its batch, abandoned uploads dropped with their staged bytes, jobs
that run twice doing nothing twice, `ingest --queue`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from minutes.models import Meeting, StagedUpload, UploadAudit, UploadBatch
from minutes.services import jobs, staging
from minutes.services.upload import expand

from .test_ingest_command_errors import generated
from .test_jobs import seed_minutes
from .test_upload import UPLOAD, text_of, upload

pytestmark = pytest.mark.django_db


def running_job(worker_ids: list[str], batch_id: str = "") -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [], "kwargs": {"batch_id": batch_id}},
        task_path="minutes.services.jobs.ingest_upload",
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=worker_ids,
        started_at=timezone.now(),
    )


def staged_batch(state: str = UploadBatch.State.INGESTING, count: int = 2) -> UploadBatch:
    files = [(expand(name, data)[0], {}) for name, data in seed_minutes(count, year=2034)]
    return staging.stage(
        files=files, channel="command", username="test", state=state, municipality=None
    )


def test_the_job_of_a_live_worker_stays_and_that_of_a_lost_one_is_requeued():
    alive = running_job(["levende"])
    lost = running_job(["død"])
    with jobs.worker_liveness("levende"):
        assert jobs.worker_alive("levende") and not jobs.worker_alive("død")
        assert jobs.requeue_lost_jobs() == [str(lost.pk)]
    alive.refresh_from_db()
    lost.refresh_from_db()
    assert alive.status == TaskResultStatus.RUNNING
    assert lost.status == TaskResultStatus.READY and lost.started_at is None
    # The lock goes with its holder.
    assert not jobs.worker_alive("levende")


def test_a_job_lost_too_often_is_given_up_and_its_batch_says_so(staff_client):
    batch = staged_batch()
    batch.user = staff_client.user
    batch.job_id = str(running_job(["a", "b", "c"], str(batch.pk)).pk)
    batch.save()
    assert jobs.requeue_lost_jobs() == [batch.job_id]
    assert DBTaskResult.objects.get(pk=batch.job_id).status == TaskResultStatus.FAILED
    batch.refresh_from_db()
    assert batch.state == UploadBatch.State.FAILED
    page = staff_client.get(f"{UPLOAD}{batch.pk}/resultat/")
    assert "Refresh" not in page  # nothing more will happen: no reloading
    assert (
        "Arbejdet med uploaden stoppede: Arbejdsprocessen, der kørte jobbet, stoppede 3 gange "
        "undervejs; jobbet er opgivet."
    ) in text_of(page)


def test_an_abandoned_upload_is_dropped_with_its_staged_files_after_a_day():
    old, fresh, ingesting = (
        staged_batch(UploadBatch.State.READY),
        staged_batch(UploadBatch.State.READY),
        staged_batch(UploadBatch.State.INGESTING),
    )
    UploadBatch.objects.filter(pk__in=[old.pk, ingesting.pk]).update(
        updated_at=timezone.now() - staging.STAGING_LIFETIME - timedelta(minutes=1)
    )
    assert staging.clean_abandoned() == 1
    states = dict(UploadBatch.objects.values_list("pk", "state"))
    assert states == {old.pk: "abandoned", fresh.pk: "ready", ingesting.pk: "ingesting"}
    assert not StagedUpload.objects.filter(batch=old.pk).exists()
    assert StagedUpload.objects.filter(batch__in=[fresh.pk, ingesting.pk]).count() == 4


def test_the_admin_can_abandon_an_upload(staff_client):
    preview = upload(staff_client, seed_minutes(1))
    url = preview.request["PATH_INFO"]
    response = staff_client.post(url, {"opgiv": "1"}, follow=True)
    assert "Uploaden er opgivet; intet er indlæst." in text_of(response)
    assert not StagedUpload.objects.exists()
    assert UploadBatch.objects.get().state == UploadBatch.State.ABANDONED
    assert "Uploaden findes ikke længere" in text_of(staff_client.get(url, follow=True))
    assert not UploadAudit.objects.exists()


def test_a_job_run_again_does_nothing_again():
    batch = staged_batch()
    assert jobs.ingest_upload.call(batch_id=str(batch.pk)) == 2
    assert jobs.ingest_upload.call(batch_id=str(batch.pk)) == 0
    assert UploadAudit.objects.filter(batch=batch.pk, outcome="created").count() == 2
    assert Meeting.objects.filter(date__year=2034).count() == 2
    # Reading a batch that is already being ingested does nothing either.
    assert jobs.preview_upload.call(batch_id=str(batch.pk)) == 0


def test_ingest_queue_stages_the_files_for_the_ingest_job(tmp_path, capsys):
    plan, minutes = generated(tmp_path, 3)
    # The suite's engine runs a job as it is enqueued: the command's batch is ingested at once.
    call_command("ingest", str(tmp_path), "--queue", "--municipality", plan.authority.name)
    assert "Lagt i kø: 3 fil(er) som upload" in capsys.readouterr().out
    batch = UploadBatch.objects.get()
    assert (batch.state, batch.channel, batch.total) == ("done", "command", 3)
    logged = UploadAudit.objects.filter(batch=batch.pk)
    assert sorted(logged.values_list("outcome", flat=True)) == ["created"] * 3
    assert {r.municipality.name for r in logged} == {plan.authority.name}
    assert not StagedUpload.objects.exists()
