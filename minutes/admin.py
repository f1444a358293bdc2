"""The Django admin, with the two-step upload of minutes (preview, then confirm) and its audit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from . import models
from .services import audit
from .services.ingestion import IngestError, Preview, ingest_file, preview_file
from .services.upload import from_uploaded_file

SESSION_KEY = "minutes_upload_batches"
# Upload, preview and confirm (SourceFile.Meta.permissions); superusers have it implicitly.
UPLOAD_PERMISSION = "minutes.upload_minutes"
STAGING_LIFETIME = timedelta(days=1)
MAX_OPEN_BATCHES = 20
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
    preview: Preview | None
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
        if parsed is None:
            return []
        return [
            {
                "number": item.number,
                "title": item.title,
                "case_number": item.case_number or "",
                "closed": item.closed,
                "decisions": [
                    {
                        "body": decision.body,
                        "date": decision.date,
                        "outcome": models.Decision.Outcome(decision.outcome).label,
                        "text": decision.text,
                    }
                    for decision in item.decisions
                ],
            }
            for item in parsed.items
        ]


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

    # Step 1: choose files and municipality.
    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                batch = self._stage(
                    request, form.cleaned_data["files"], form.cleaned_data["municipality"]
                )
                return redirect("admin:minutes_sourcefile_upload_preview", batch=batch)
        else:
            form = UploadForm()
        return self._render(
            request, "admin/minutes/sourcefile/upload.html", "Upload referater", {"form": form}
        )

    # Step 2: preview, and on POST, confirm.
    def upload_preview_view(self, request: HttpRequest, batch: uuid.UUID) -> HttpResponse:
        staged = list(
            models.StagedUpload.objects.filter(batch=batch, user=request.user).order_by("position")
        )
        batches: dict[str, Any] = request.session.get(SESSION_KEY, {})
        if not staged or str(batch) not in batches:
            # Someone else's batch is answered as one that does not exist.
            if models.UploadAudit.objects.filter(batch=batch, user=request.user).exists():
                return redirect("admin:minutes_sourcefile_upload_result", batch=batch)
            messages.error(request, "Uploaden findes ikke længere; vælg filerne igen.")
            return redirect("admin:minutes_sourcefile_upload")
        chosen = models.Municipality.objects.filter(pk=batches[str(batch)]).first()

        if request.method == "POST":
            forms_ = [self._choices_form(row, chosen, request.POST) for row in staged]
            if "opdater" in request.POST:
                pass  # "Vis rettelserne": the preview again with the corrections, nothing stored
            elif all(form.is_valid() for form in forms_):
                self._confirm(request, batch, staged, forms_, chosen)
                return redirect("admin:minutes_sourcefile_upload_result", batch=batch)
            else:
                messages.error(request, "Ret fejlene nedenfor; intet er indlæst endnu.")
        else:
            forms_ = [self._choices_form(row, chosen) for row in staged]
        rows = [
            self._preview_row(row, form, chosen) for row, form in zip(staged, forms_, strict=True)
        ]
        # Only files that will change the archive; unchanged ones are listed but not counted.
        ready = sum(
            1 for row in rows if row.preview and row.preview.status in {"created", "updated"}
        )
        return self._render(
            request,
            "admin/minutes/sourcefile/upload_preview.html",
            "Forhåndsvisning af upload",
            {"rows": rows, "ready": ready, "municipality": chosen, "batch": batch},
        )

    # Step 3: what happened to each file.
    def upload_result_view(self, request: HttpRequest, batch: uuid.UUID) -> HttpResponse:
        records = list(
            models.UploadAudit.objects.filter(batch=batch, user=request.user)
            .select_related("meeting__committee__municipality", "document__municipality")
            .order_by("id")
        )
        if not records:  # none, or someone else's: the same answer
            raise Http404("Uploaden findes ikke.")
        return self._render(
            request,
            "admin/minutes/sourcefile/upload_result.html",
            "Resultat af upload",
            {"records": records},
        )

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

    def _stage(
        self, request: HttpRequest, files: list[Any], municipality: models.Municipality | None
    ) -> uuid.UUID:
        """Keep the uploaded bytes server-side until the admin confirms."""
        batch = audit.new_batch()
        if not request.session.session_key:
            request.session.save()
        with transaction.atomic():
            models.StagedUpload.objects.filter(
                created_at__lt=timezone.now() - STAGING_LIFETIME
            ).delete()
            position = 0
            for upload in files:
                for incoming in from_uploaded_file(upload):
                    models.StagedUpload.objects.create(
                        batch=batch,
                        user=request.user,
                        session_key=request.session.session_key or "",
                        position=position,
                        file_name=incoming.label[:500],
                        size=incoming.size,
                        sha256=incoming.sha256,
                        content=incoming.data if incoming.ok else None,
                        error=incoming.error or "",
                    )
                    position += 1
        batches = dict(request.session.get(SESSION_KEY, {}))
        batches[str(batch)] = municipality.pk if municipality else None
        # Abandoned previews are dropped with their staged files after a day; keep the session
        # small meanwhile (dicts keep insertion order, so these are the newest).
        request.session[SESSION_KEY] = dict(list(batches.items())[-MAX_OPEN_BATCHES:])
        return batch

    @staticmethod
    def _choices_form(
        staged: models.StagedUpload,
        chosen: models.Municipality | None,
        data: Any = None,
    ) -> FileChoicesForm:
        return FileChoicesForm(
            data,
            prefix=f"fil-{staged.position}",
            initial={"municipality": chosen.pk if chosen else None},
        )

    @staticmethod
    def _values(form: FileChoicesForm, chosen: models.Municipality | None) -> dict[str, Any]:
        """The ingestion arguments for one file: what the admin gave, else the batch's."""
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            return {
                "municipality": data["municipality"] or chosen,
                "committee": data["committee"] or None,
                "meeting_date": data["date"],
                "kind": data["kind"] or None,
                "accept_problems": data["accept"],
            }
        return {"municipality": chosen}

    def _preview_row(
        self,
        staged: models.StagedUpload,
        form: FileChoicesForm,
        chosen: models.Municipality | None,
    ) -> PreviewRow:
        if staged.error or staged.content is None:
            return PreviewRow(staged, form, None, staged.error or "Filen kan ikke læses.")
        preview = preview_file(
            data=bytes(staged.content),
            file_name=PurePosixPath(staged.file_name).name,
            **self._values(form, chosen),
        )
        if not form.is_bound and preview.municipality is not None:
            # Pre-fill the chooser with the municipality found in the text.
            form.initial["municipality"] = preview.municipality.pk
        return PreviewRow(staged, form, preview, None)

    def _confirm(
        self,
        request: HttpRequest,
        batch: uuid.UUID,
        staged: list[models.StagedUpload],
        forms_: list[FileChoicesForm],
        chosen: models.Municipality | None,
    ) -> None:
        """Ingest every file, each in its own transaction, and record what happened."""
        # Claim the batch first: of two confirmations at once (a double click), the second
        # deletes nothing here and ingests nothing.
        claimed, _ = models.StagedUpload.objects.filter(pk__in=[row.pk for row in staged]).delete()
        self._forget(request, batch)
        if not claimed:
            return
        for row, form in zip(staged, forms_, strict=True):
            values = self._values(form, chosen)
            common = {
                "batch": batch,
                "channel": models.UploadAudit.Channel.ADMIN,
                "label": row.file_name,
                "user": request.user,
                "size": row.size,
                "sha256": row.sha256,
            }
            if row.error or row.content is None:
                audit.record(**common, reason=row.error or "Filen kan ikke læses.")
                continue
            if form.cleaned_data.get("refuse"):
                audit.record(**common, reason="Afvist i forhåndsvisningen; intet er indlæst.")
                continue
            municipality = values["municipality"]
            try:
                result = ingest_file(
                    data=bytes(row.content),
                    file_name=PurePosixPath(row.file_name).name,
                    **values,
                )
            except IngestError as exc:
                audit.record(**common, municipality=municipality, reason=exc.reason, held=exc.held)
                continue
            except DatabaseError as exc:
                # E.g. the statement timeout: this file is rolled back, the others still go in.
                audit.record(**common, municipality=municipality, reason=f"Databasefejl: {exc}")
                continue
            audit.record(**common, result=result)

    @staticmethod
    def _forget(request: HttpRequest, batch: uuid.UUID) -> None:
        batches = dict(request.session.get(SESSION_KEY, {}))
        batches.pop(str(batch), None)
        request.session[SESSION_KEY] = batches


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
