"""The third-party apps' admin pages in Danish where their admin classes write English in code
(column and action names that no translation catalogue reaches); the rest is minutes/locale."""

from __future__ import annotations

from datetime import datetime

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class LoginAttemptAdmin(AccessAttemptAdmin):
    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request: HttpRequest, queryset) -> None:
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"{count} udløbne loginforsøg er ryddet væk.")


class JobResultAdmin(DBTaskResultAdmin):
    list_display = (
        "id",
        "job",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description="job")
    def job(self, obj: DBTaskResult) -> str:
        return obj.task_name

    @admin.display(description="fejlspor")
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description="kør efter")
    def display_run_after(self, obj: DBTaskResult) -> datetime | str:
        return super().display_run_after(obj)


for _model, _admin_class in ((AccessAttempt, LoginAttemptAdmin), (DBTaskResult, JobResultAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, _admin_class)
