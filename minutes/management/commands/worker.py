"""`python manage.py worker`: runs the background jobs (uploads, `ingest --queue`).

django-tasks-db's worker loop, with what it lacks for this archive: the worker holds its
liveness lock while it lives, and before looking for work it puts back in the queue the jobs of
workers that died (`minutes.services.jobs.requeue_lost_jobs`) and drops abandoned uploads. A job
runs in this process's main thread, so reading a file is bounded by the timer signal of
`minutes.parsing.budget`, with the import's time limit. Start as many as the machine allows;
`make run` starts one beside the web server.
"""

from __future__ import annotations

import logging
import time

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from minutes.management.commands.ingest import IMPORT_TIME_LIMIT
from minutes.parsing import budget
from minutes.services import jobs, staging

logger = logging.getLogger("django_tasks_db")

# How often a worker looks for lost workers' jobs and abandoned uploads.
SWEEP_SECONDS = 5.0


class LiveWorker(Worker):
    def run(self) -> None:
        logger.info("Starting worker worker_id=%s", self.worker_id)
        with jobs.worker_liveness(self.worker_id):
            self._loop()

    def _loop(self) -> None:
        last_sweep = float("-inf")
        while self.running:
            close_old_connections()
            if time.monotonic() - last_sweep >= SWEEP_SECONDS:
                for job_id in jobs.requeue_lost_jobs(
                    backend_name=self.backend_name, own_id=self.worker_id
                ):
                    logger.warning("Job %s of a lost worker: requeued or given up", job_id)
                staging.clean_abandoned()
                last_sweep = time.monotonic()
            tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if not self.process_all_queues:
                tasks = tasks.filter(queue_name__in=self.queue_names)
            if self.excluded_queue_names:
                tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            if task_result is not None:
                self.run_task(task_result)
            elif self.batch:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)


class Command(DbWorkerCommand):
    help = "Kør baggrundsjobbene (uploads og `ingest --queue`)."

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        # db_worker's --reload is ignored: a reloaded worker would drop its liveness lock
        # in the middle of a job, and its job would be run again.
        self.configure_logging(verbosity)
        worker = LiveWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        worker.configure_signals()
        # No web worker waits on a job: a long real PDF may take the import's time, no more.
        with budget.time_limit(IMPORT_TIME_LIMIT):
            worker.run()
