"""Every admin page a person sees is Danish, the third-party apps' pages too (django-axes'
login throttling, django-tasks-db's jobs, Django's own users and groups).

The English labels are not listed here by hand: they are read from the apps themselves — each
app's own name (its AppConfig), its models' and fields' names and choices, and what its own
ModelAdmin shows (columns, filters, fieldsets, actions) — with English active. A page that shows
any of them, in a heading, a column, a filter, a form label or a breadcrumb, fails; so does a
label that reads the same in English and Danish, unless it is one of the few words the two
languages share.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.utils import translation

pytestmark = pytest.mark.django_db

# The project's own apps write their labels in Danish; everything else is third-party.
OWN_APPS = {"minutes"}
# Words a Danish admin page may show as they are: the same in both languages.
SAME_IN_DANISH = {"id", "status", "e-mail", "ip", "http accept", "traceback"}
# The apps' names for a row (their models' __str__, in code, read by no catalogue): the start of
# each, as django-axes and Django's default (django-tasks-db has none of its own) write them.
ENGLISH_ROW_NAMES = {"Failed access", "Attempted Access", "Access Log for", "object ("}


class _VisibleText(HTMLParser):
    """The text a person reads: text nodes (not scripts or styles), alt and title texts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in {"title", "alt", "aria-label", "placeholder"} and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and value and ("type", "submit") in attrs:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.parts


def _original_admin_class(model_admin: admin.ModelAdmin) -> type[admin.ModelAdmin]:
    """The app's own ModelAdmin: the first class in its ancestry not written by this project."""
    for cls in type(model_admin).__mro__:
        if not cls.__module__.startswith(("minutes", "archive")):
            return cls
    raise AssertionError(type(model_admin))


def _original_app_name(app_config) -> str:
    """The app's name as the app itself gives it (its own AppConfig, or its label titled)."""
    for cls in type(app_config).__mro__:
        if cls.__module__.startswith(("minutes", "archive")):
            continue
        own = cls.__dict__.get("verbose_name")
        return str(own) if own else app_config.label.title()
    raise AssertionError(app_config)


def labels_of(model: type, model_admin: admin.ModelAdmin, request, *, original: bool) -> set[str]:
    """What the admin shows of one model in the active language: its app's and its own names,
    its fields and their choices, and its admin's columns, filters, fieldsets and actions — as
    the app itself would show them (`original`), or as this archive's admin does."""
    meta = model._meta
    labels = {str(meta.verbose_name), str(meta.verbose_name_plural)}
    app_config = apps.get_app_config(meta.app_label)
    labels.add(_original_app_name(app_config) if original else str(app_config.verbose_name))
    for field in meta.get_fields():
        if hasattr(field, "verbose_name"):
            labels.add(str(field.verbose_name))
        labels.update(str(label) for _value, label in getattr(field, "flatchoices", []) or [])
    if original:
        model_admin = _original_admin_class(model_admin)(model, admin.site)
    for shown in (model_admin,):
        for name in shown.get_list_display(request):
            labels.add(str(label_for_field(name, model, shown)))
        for name in shown.get_readonly_fields(request):
            labels.add(str(label_for_field(name, model, shown)))
        for entry in shown.get_list_filter(request):
            if isinstance(entry, type) and hasattr(entry, "title"):
                labels.add(str(entry.title))
        for title, _options in shown.get_fieldsets(request):
            if title:
                labels.add(str(title))
        for _function, _name, description in shown.get_actions(request).values():
            labels.add(str(description) % {"verbose_name_plural": meta.verbose_name_plural})
    return {label.strip() for label in labels if label.strip()}


def third_party_models() -> list[tuple[type, admin.ModelAdmin]]:
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in OWN_APPS
    ]


def english_labels(request) -> set[str]:
    with translation.override("en"):
        labels = set()
        for model, model_admin in third_party_models():
            labels |= labels_of(model, model_admin, request, original=True)
    labels = {label for label in labels if label.lower() not in SAME_IN_DANISH}
    return labels | ENGLISH_ROW_NAMES


@pytest.fixture
def some_of_everything(staff_client):
    """A row for every third-party changelist and change page to show."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult, get_date_max

    common = {"user_agent": "Firefox", "ip_address": "10.0.0.1", "username": "redaktør"}
    common |= {"http_accept": "text/html", "path_info": "/admin/login/"}
    attempt = AccessAttempt.objects.create(
        **common, get_data="", post_data="", failures_since_start=3
    )
    log = AccessLog.objects.create(**common)
    failure = AccessFailureLog.objects.create(**common, locked_out=False)
    job = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="minutes.services.jobs.preview_upload",
        backend_name="default",
        run_after=get_date_max(),
    )
    return [attempt, log, failure, job]


def whole_words(label: str) -> re.Pattern[str]:
    """`label` in a text, not as part of a longer word."""
    before = r"(?<!\w)" if label[0].isalnum() else ""
    after = r"(?!\w)" if label[-1].isalnum() else ""
    return re.compile(before + re.escape(label) + after, re.IGNORECASE)


def admin_pages(objects) -> list[str]:
    """The index, each app's page, each changelist, and a change page of each kind of row."""
    from django.urls import reverse

    pages = ["/admin/"]
    for model, _model_admin in third_party_models():
        meta = model._meta
        pages.append(reverse("admin:app_list", args=[meta.app_label]))
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    for obj in objects:
        meta = obj._meta
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    return list(dict.fromkeys(pages))


def test_third_party_labels_have_danish_names(rf, staff_client):
    request = rf.get("/admin/")
    request.user = staff_client.user
    english = english_labels(request)
    danish = set()
    with translation.override("da"):
        for model, model_admin in third_party_models():
            danish |= labels_of(model, model_admin, request, original=False)
    # The apps whose English must not show: the login throttling and the jobs at least.
    assert {"Axes", "Tasks Database Backend", "access attempts", "Task Results"} <= english
    assert sorted(english & danish) == []


def test_every_admin_page_of_the_third_party_apps_is_danish(rf, staff_client, some_of_everything):
    request = rf.get("/admin/")
    request.user = staff_client.user
    english = english_labels(request)
    patterns = {label: whole_words(label) for label in english}
    pages = admin_pages(some_of_everything)
    assert len(pages) >= 12
    found = {}
    for url in pages:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        for text in visible_text(response.content.decode()):
            for label, pattern in patterns.items():
                if pattern.search(text):
                    found.setdefault(url, set()).add(f"{label!r} in {text!r}")
    assert found == {}


def test_the_danish_names_of_the_apps_are_on_the_admin_index(staff_client):
    html = staff_client.get("/admin/").content.decode()
    text = visible_text(html)
    assert "Loginspærring" in text and "Baggrundsjob" in text
    assert "Brugere og grupper" in text or "Godkendelse og autorisation" in text
