"""The Django admin, with the two-step upload of minutes (preview, then confirm) and its audit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from . import models
from .services import jobs, staging
from .services.upload import from_uploaded_file

# Upload, preview and confirm (SourceFile.Meta.permissions); superusers have it implicitly.
UPLOAD_PERMISSION = "minutes.upload_minutes"
# Seconds between the automatic reloads of a page that shows a job's progress.
REFRESH_SECONDS = 3
# Files per page of the preview.
PREVIEW_PAGE_FILES = 50
KIND_LABELS = {"minutes": "Referat", "agenda": "Dagsorden", "document": "Dokument"}
PREVIEW_STATUS = {
    "created": "bliver oprettet",
    "updated": "bliver opdateret (ny version af et møde i arkivet)",
    "unchanged": "uændret (filen findes allerede i arkivet)",
}


# The admin names the archive, not Django, in its header, title and start page.
admin.site.site_header = "Referatarkivet"
admin.site.site_title = "Referatarkivet – administration"
admin.site.index_title = "Administration"


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    search_fields = ["name"]


@admin.register(models.Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["committee", "date", "kind", "updated_at"]
    list_filter = ["kind", "committee__municipality"]
    date_hierarchy = "date"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; emptiness and size are judged per file by the upload service,
    so one bad file gets its own message instead of failing the whole form."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data:
                return [single(None, initial)]
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def _municipality_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=models.Municipality.objects.all(),
        required=False,
        empty_label="Find kommunen i teksten",
        label="Kommune",
    )


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Filer",
        help_text=(
            "Tekst, PDF, HTML eller zip-filer med dem. Flere filer kan vælges på én gang "
            "(højst 100; brug en zip-fil til flere)."
        ),
    )
    municipality = _municipality_field()


class FileChoicesForm(forms.Form):
    """What the admin supplies or corrects for one file in the preview, and what to do with it."""

    committee = forms.CharField(label="Udvalg", required=False, max_length=200)
    date = forms.DateField(
        label="Mødedato",
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    municipality = _municipality_field()
    kind = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Som læst"), *KIND_LABELS.items()],
    )
    accept = forms.BooleanField(
        label="Indlæs alligevel, som filen er læst",
        required=False,
        help_text="Kun for filer, der holdes tilbage, fordi de ser forkert læst ud.",
    )
    refuse = forms.BooleanField(label="Afvis filen (den indlæses ikke)", required=False)


def file_label(path: str) -> str:
    """A file's name, with the zip it came in when it came in one ("pakke.zip/referat.pdf")."""
    parts = PurePosixPath(path).parts
    for index in range(len(parts) - 1, 0, -1):
        if parts[index - 1].lower().endswith(".zip"):
            return "/".join(parts[index - 1 :])
    return parts[-1] if parts else path


@dataclass
class PreviewRow:
    """One file on the preview page."""

    staged: models.StagedUpload
    form: FileChoicesForm
    preview: staging.StoredPreview | None
    error: str | None

    @property
    def label(self) -> str:
        return self.staged.file_name

    @property
    def status_text(self) -> str:
        if self.preview is not None and self.preview.status:
            return PREVIEW_STATUS[self.preview.status]
        if self.held:
            return "holdes tilbage: ser forkert læst ud (ret eller accepter nedenfor)"
        if self.preview is not None and self.preview.missing:
            return "mangler oplysninger (angiv dem nedenfor)"
        return "kan ikke indlæses"

    @property
    def held(self) -> bool:
        return self.preview is not None and bool(self.preview.problems)

    @property
    def fatal(self) -> bool:
        """Refused for good: nothing the admin can fill in or correct makes it readable."""
        return self.error is not None or (
            self.preview is not None
            and self.preview.status is None
            and not self.preview.problems
            and not self.preview.missing
        )

    @property
    def correctable(self) -> bool:
        """Committee, date and kind can be corrected for every file that would change something."""
        return not self.fatal and not (self.preview and self.preview.status == "unchanged")

    @property
    def kind(self) -> str:
        parsed = self.preview.parsed if self.preview else None
        return KIND_LABELS.get(parsed.kind, "") if parsed else ""

    @property
    def ask_municipality(self) -> bool:
        # Only where it helps: the municipality is missing, or the admin may want another.
        return self.correctable or (
            self.preview is not None and "municipality" in self.preview.missing
        )

    @property
    def reader(self) -> str:
        parsed = self.preview.parsed if self.preview else None
        return parsed.reader if parsed else ""

    @property
    def items(self) -> list[dict[str, Any]]:
        parsed = self.preview.parsed if self.preview else None
        return parsed.items if parsed is not None else []


@admin.register(models.SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["file_name", "municipality", "size", "content_type", "reader", "ingested_at"]
    list_filter = ["content_type", "reader", "municipality"]
    search_fields = ["file_name", "sha256"]
    exclude = ["content"]
    readonly_fields = [
        "sha256",
        "file_name",
        "size",
        "content_type",
        "reader",
        "ingested_at",
        "municipality",
    ]

    # Originals come in through the upload (or `ingest`) and are never edited or deleted here.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An uploader reaches the upload from the list of source files.
        return super().has_view_permission(request, obj) or self.has_upload_permission(request)

    @staticmethod
    def has_upload_permission(request: HttpRequest) -> bool:
        return request.user.has_perm(UPLOAD_PERMISSION)

    def get_urls(self):
        def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
            """Staff only (admin_view sends others to the login), then the upload permission:
            403 before anything is read, staged or stored."""

            def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                if not self.has_upload_permission(request):
                    raise PermissionDenied
                return view(request, *args, **kwargs)

            return self.admin_site.admin_view(checked)

        own = [
            path("upload/", wrap(self.upload_view), name="minutes_sourcefile_upload"),
            path(
                "upload/<uuid:batch>/",
                wrap(self.upload_preview_view),
                name="minutes_sourcefile_upload_preview",
            ),
            path(
                "upload/<uuid:batch>/resultat/",
                wrap(self.upload_result_view),
                name="minutes_sourcefile_upload_result",
            ),
        ]
        # Before the defaults: their "<path:object_id>/" would swallow "upload/".
        return own + super().get_urls()

    # Step 1: choose files and municipality; the files are staged and read by a job.
    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                if not request.session.session_key:
                    request.session.save()
                batch = staging.stage(
                    files=[
                        (incoming, {})
                        for upload in form.cleaned_data["files"]
                        for incoming in from_uploaded_file(upload)
                    ],
                    channel=models.UploadAudit.Channel.ADMIN,
                    user=request.user,
                    session_key=request.session.session_key or "",
                    municipality=form.cleaned_data["municipality"],
                )
                jobs.enqueue_preview(batch)
                return redirect("admin:minutes_sourcefile_upload_preview", batch=batch.pk)
        else:
            form = UploadForm()
        return self._render(
            request, "admin/minutes/sourcefile/upload.html", "Upload referater", {"form": form}
        )

    # Step 2: the reading's progress, then the preview; on POST, corrections or confirmation.
    def upload_preview_view(self, request: HttpRequest, batch: uuid.UUID) -> HttpResponse:
        # Someone else's batch is answered as one that does not exist.
        upload = models.UploadBatch.objects.filter(pk=batch, user=request.user).first()
        if upload is None or upload.state == models.UploadBatch.State.ABANDONED:
            messages.error(request, "Uploaden findes ikke længere; vælg filerne igen.")
            return redirect("admin:minutes_sourcefile_upload")
        if upload.state in {models.UploadBatch.State.INGESTING, models.UploadBatch.State.DONE}:
            return redirect("admin:minutes_sourcefile_upload_result", batch=batch)
        if request.method == "POST" and "opgiv" in request.POST:
            staging.abandon(batch_id=upload.pk)
            messages.success(request, "Uploaden er opgivet; intet er indlæst.")
            return redirect("admin:minutes_sourcefile_upload")
        if upload.state != models.UploadBatch.State.READY:
            return self._progress(request, upload, "Forhåndsvisning af upload")

        # A page of files at a time: the preview of a 500-file zip in one page took longer
        # than gunicorn's timeout to render. Corrections are stored per file, so each page's
        # are kept when the admin moves on, and «Indlæs» ingests every file of the batch.
        page = Paginator(staging.staged_rows(upload), PREVIEW_PAGE_FILES).get_page(
            request.POST.get("side") or request.GET.get("side")
        )
        staged = list(page.object_list)
        previews = staging.load_previews(staged)
        chosen = upload.municipality
        if request.method == "POST":
            forms_ = [self._choices_form(row, chosen, request.POST) for row in staged]
            if all(form.is_valid() for form in forms_):
                choices = {
                    row.pk: _choices(form, chosen) for row, form in zip(staged, forms_, strict=True)
                }
                if "opdater" in request.POST:
                    # "Vis rettelserne": the corrected files are read again; nothing stored.
                    if staging.correct(batch=upload, choices=choices):
                        jobs.enqueue_preview(upload)
                    query = f"?side={page.number}" if page.number > 1 else ""
                    return redirect(
                        f"{self._preview_url(batch)}{query}#fil-{request.POST['opdater']}"
                    )
                if staging.confirm(batch=upload, choices=choices):
                    jobs.enqueue_ingest(upload)
                return redirect("admin:minutes_sourcefile_upload_result", batch=batch)
            if "opdater" not in request.POST:
                messages.error(request, "Ret fejlene nedenfor; intet er indlæst endnu.")
        else:
            forms_ = [
                self._choices_form(row, chosen, preview=preview)
                for row, preview in zip(staged, previews, strict=True)
            ]
        rows = [
            # A file refused before reading (staging keeps its reason) has no reading to show.
            PreviewRow(row, form, None if row.error else preview, row.error or None)
            for row, form, preview in zip(staged, forms_, previews, strict=True)
        ]
        return self._render(
            request,
            "admin/minutes/sourcefile/upload_preview.html",
            "Forhåndsvisning af upload",
            {
                "rows": rows,
                "page": page,
                "total": upload.total,
                # Only files that will change the archive; unchanged ones are not counted.
                "ready": staging.ready_count(upload),
                "municipality": chosen,
                "batch": batch,
            },
        )

    # Step 3: the ingestion's progress, and what happened to each file.
    def upload_result_view(self, request: HttpRequest, batch: uuid.UUID) -> HttpResponse:
        upload = models.UploadBatch.objects.filter(pk=batch, user=request.user).first()
        records = models.UploadAudit.objects.filter(batch=batch, user=request.user)
        if upload is None and not records.exists():  # none, or someone else's: the same answer
            raise Http404("Uploaden findes ikke.")
        if upload is not None and upload.state in {
            models.UploadBatch.State.PREVIEWING,
            models.UploadBatch.State.READY,
        }:
            return redirect("admin:minutes_sourcefile_upload_preview", batch=batch)
        records = list(
            records.select_related(
                "meeting__committee__municipality", "document__municipality"
            ).order_by("id")
        )
        context = {"records": records, "upload": upload}
        if upload is not None and upload.state != models.UploadBatch.State.DONE:
            return self._progress(request, upload, "Resultat af upload", context)
        return self._render(
            request, "admin/minutes/sourcefile/upload_result.html", "Resultat af upload", context
        )

    def _progress(
        self,
        request: HttpRequest,
        upload: models.UploadBatch,
        title: str,
        context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A job is at work on the batch: how far it has come, refreshed every few seconds
        (a Refresh header: no script) unless the admin turns that off."""
        failed = upload.state == models.UploadBatch.State.FAILED or jobs.job_failed(upload)
        auto = request.GET.get("auto") != "0" and not failed
        response = self._render(
            request,
            "admin/minutes/sourcefile/upload_progress.html",
            title,
            {
                **(context or {}),
                "upload": upload,
                "progress": staging.progress(upload),
                "failed": failed,
                "auto": auto,
                "refresh_seconds": REFRESH_SECONDS,
            },
        )
        if auto:
            response.headers["Refresh"] = str(REFRESH_SECONDS)
        return response

    @staticmethod
    def _preview_url(batch: uuid.UUID) -> str:
        return reverse("admin:minutes_sourcefile_upload_preview", kwargs={"batch": batch})

    def _render(
        self, request: HttpRequest, template: str, title: str, context: dict[str, Any]
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                **context,
            },
        )

    @staticmethod
    def _choices_form(
        staged: models.StagedUpload,
        chosen: models.Municipality | None,
        data: Any = None,
        preview: staging.StoredPreview | None = None,
    ) -> FileChoicesForm:
        """A file's form: bound to what was posted, or showing the corrections stored for it."""
        stored = staged.choices or {}
        municipality = stored.get("municipality")
        if not isinstance(municipality, int):
            # Pre-fill the chooser with the municipality found in the text.
            found = preview.municipality if preview is not None else None
            municipality = found.pk if found else (chosen.pk if chosen else None)
        return FileChoicesForm(
            data,
            prefix=f"fil-{staged.position}",
            initial={
                "municipality": municipality,
                "committee": stored.get("committee") or "",
                "date": stored.get("meeting_date"),
                "kind": stored.get("kind") or "",
                "accept": bool(stored.get("accept_problems")),
                "refuse": bool(stored.get("refuse")),
            },
        )


def _choices(form: FileChoicesForm, chosen: models.Municipality | None) -> dict[str, Any]:
    """A valid form as the file's stored choices (staging.encode_choices)."""
    data = form.cleaned_data
    return staging.encode_choices(
        municipality=data["municipality"] or chosen,
        committee=data["committee"] or None,
        meeting_date=data["date"],
        kind=data["kind"] or None,
        accept_problems=data["accept"],
        refuse=data["refuse"],
    )


@admin.register(models.UploadAudit)
class UploadAuditAdmin(admin.ModelAdmin):
    """Read-only: the audit is written by the upload and `ingest`, never by hand."""

    list_display = [
        "created_at",
        "username",
        "channel",
        "short_name",
        "municipality",
        "outcome",
        "target_link",
    ]
    list_filter = ["outcome", "channel"]
    search_fields = ["file_name", "username", "sha256", "reason"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "username",
        "channel",
        "file_name",
        "size",
        "sha256",
        "municipality",
        "outcome",
        "reason",
        "source",
        "target_link",
        "batch",
    ]
    readonly_fields = fields

    @admin.display(description="fil", ordering="file_name")
    def short_name(self, obj: models.UploadAudit) -> str:
        """The file's name without the server folder `ingest` read it from (the full path is
        on the record's own page): a long path pushed the list's columns off the screen."""
        return format_html('<span title="{}">{}</span>', obj.file_name, file_label(obj.file_name))

    @admin.display(description="Møde eller dokument")
    def target_link(self, obj: models.UploadAudit) -> str:
        target = obj.meeting or obj.document
        if target is None:
            return "–"
        return format_html('<a href="{}">{}</a>', target.get_absolute_url(), target)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Danish admin pages for django-axes and django-tasks-db (registered after theirs).
from . import admin_thirdparty  # noqa: E402, F401
