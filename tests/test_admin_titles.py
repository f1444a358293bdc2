"""The admin names the archive; the upload log shows file names; form errors are announced."""

from __future__ import annotations

import re
import uuid

import pytest

from minutes.admin import file_label
from minutes.models import UploadAudit

pytestmark = pytest.mark.django_db


def describedby_targets_resolve(html: str) -> list[str]:
    """Every id an aria-describedby names, that the page does not have."""
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    named = [
        target
        for value in re.findall(r'aria-describedby="([^"]+)"', html)
        for target in value.split()
    ]
    return [target for target in named if target not in ids]


def test_the_admin_is_titled_referatarkivet(staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert "<title>Administration | Referatarkivet – administration</title>" in html
    assert "Django" not in re.sub(r"<(link|script)[^>]*>", "", html.split("<body", 1)[1])


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("/srv/import/2024/referat.pdf", "referat.pdf"),
        ("/srv/import/pakke.zip/bilag/1.pdf", "pakke.zip/bilag/1.pdf"),
        ("referat.txt", "referat.txt"),
    ],
)
def test_a_file_is_named_without_its_server_folder(stored, shown):
    assert file_label(stored) == shown


def test_the_upload_log_lists_file_names_not_server_paths(staff_client):
    path = "/home/importer/municipal/exports/2024/hoeje-taastrup/arbejdsmarked/referat-2024.pdf"
    UploadAudit.objects.create(
        batch=uuid.uuid4(),
        channel=UploadAudit.Channel.COMMAND,
        file_name=path,
        outcome=UploadAudit.Outcome.FAILED,
    )
    html = staff_client.get("/admin/minutes/uploadaudit/").content.decode()
    assert ">referat-2024.pdf</span>" in html
    # The full path is only the cell's tooltip (and on the record's own page).
    assert html.count(path) == 1 and f'title="{path}"' in html


def test_upload_form_errors_are_tied_to_their_fields(staff_client):
    html = staff_client.post("/admin/minutes/sourcefile/upload/", {}).content.decode()
    assert 'aria-describedby="' in html and "errorlist" in html
    assert describedby_targets_resolve(html) == []
    field = re.search(r'<input[^>]*name="files"[^>]*>', html).group(0)
    assert "aria-invalid" in field and "id_files_error" in field


def test_preview_errors_and_help_are_tied_to_their_fields(staff_client):
    from .test_upload_held import preview_of_misread

    preview = preview_of_misread(staff_client)
    assert describedby_targets_resolve(preview.content.decode()) == []
    # A date that is no date, shown again: the error is announced with its field.
    shown = staff_client.post(
        preview.request["PATH_INFO"], {"fil-0-date": "31.02.2024", "opdater": "0"}
    )
    html = shown.content.decode()
    field = re.search(r'<input[^>]*name="fil-0-date"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert describedby_targets_resolve(html) == []
    assert 'id="id_fil-0-date_error"' in html
