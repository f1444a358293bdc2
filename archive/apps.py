"""Danish names for third-party apps in the admin. Listed in INSTALLED_APPS in place of the apps'
own configurations; the labels (and so the tables and migrations) stay the apps' own. Their
models' and fields' names come from minutes/locale, their admin columns from
minutes/admin_thirdparty.py (tests/test_admin_danish.py)."""

from __future__ import annotations

from datetime import datetime

from axes.apps import AppConfig as AxesAppConfig
from django.utils import timezone
from django_tasks_db.apps import TasksAppConfig


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M:%S") if moment else "–"


class LoginThrottlingConfig(AxesAppConfig):
    """django-axes: failed logins and lockouts."""

    verbose_name = "Loginspærring"

    def ready(self) -> None:
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        # The rows' names in the admin's headings, breadcrumbs and checkboxes; the app writes
        # them in English in code, which no translation catalogue reaches.
        AccessAttempt.__str__ = lambda row: f"Loginforsøg {_when(row.attempt_time)}"
        AccessLog.__str__ = lambda row: f"Login af {row.username} {_when(row.attempt_time)}"
        AccessFailureLog.__str__ = lambda row: (
            f"Mislykket login af {row.username}{' (spærret)' if row.locked_out else ''} "
            f"{_when(row.attempt_time)} fra {row.ip_address}"
        )


class JobsConfig(TasksAppConfig):
    """django-tasks-db: the background jobs' table (uploads, `ingest --queue`)."""

    verbose_name = "Baggrundsjob"

    def ready(self) -> None:
        super().ready()
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.__str__ = lambda row: f"Job {row.task_path.rsplit('.', 1)[-1]} ({row.id})"
