"""The admin upload: staff only, preview, confirm, result, audit; every bad input refused."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minutes.models import Meeting, Municipality, SourceFile, StagedUpload, UploadAudit
from minutes.services.upload import from_uploaded_file

from .conftest import seed_path
from .test_ingestion import (
    BAD_FILES,
    BARE_ITEMS,
    PDF,
    archive_state,
    moved,
    seed_000_in_2031,
    zip_of,
)

UPLOAD = "/admin/minutes/sourcefile/upload/"
CHANGELIST = "/admin/minutes/sourcefile/"

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page as a reader sees it: tags removed, entities decoded, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def upload(client, files: list[tuple[str, bytes]], municipality: str = ""):
    """Step 1: post the files; returns the preview page (after the redirect)."""
    response = client.post(
        UPLOAD,
        {
            "files": [SimpleUploadedFile(name, data) for name, data in files],
            "municipality": municipality,
        },
        follow=True,
    )
    assert response.status_code == 200
    return response


def confirm(client, preview, fields: dict[str, str] | None = None):
    """Step 2: press "Indlæs" on the preview page; returns the result page."""
    response = client.post(preview.request["PATH_INFO"], fields or {}, follow=True)
    assert response.status_code == 200
    return response


def municipality_pk(name: str) -> str:
    return str(Municipality.objects.get(name=name).pk)


# Access


@pytest.mark.parametrize("url", [UPLOAD, f"{UPLOAD}00000000-0000-0000-0000-000000000000/"])
def test_a_non_staff_user_is_sent_to_the_admin_login(client, django_user_model, url):
    user = django_user_model.objects.create_user(username="borger")
    client.force_login(user)
    before = archive_state()
    for response in (
        client.get(url),
        client.post(url, {"files": [SimpleUploadedFile("a.txt", seed_000_in_2031())]}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")
    assert StagedUpload.objects.count() == 0
    assert archive_state() == before


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={UPLOAD}"


def test_the_changelist_links_to_the_upload(staff_client):
    page = staff_client.get(CHANGELIST)
    assert page.status_code == 200
    assert re.search(rf'<a href="{UPLOAD}"[^>]*>Upload referater</a>', page.content.decode())


def test_the_upload_form_has_files_municipality_and_preview_button(staff_client):
    html = staff_client.get(UPLOAD).content.decode()
    assert re.search(r'<input type="file" name="files"[^>]*multiple', html)
    assert re.search(r'<label for="id_files"[^>]*>Filer:</label>', html)
    assert '<label for="id_municipality">Kommune:</label>' in html
    assert '<option value="" selected>Find kommunen i teksten</option>' in html
    ballerup = municipality_pk("Ballerup Kommune")
    assert f'<option value="{ballerup}">Ballerup Kommune</option>' in html
    assert len(re.findall(r'<option value="\d+"', html)) == 98 + 5
    assert '<input type="submit" class="default" value="Forhåndsvis">' in html


# The journey


def test_upload_preview_confirm_creates_a_meeting_and_records_who_did_it(staff_client):
    before_meetings = Meeting.objects.count()
    preview = upload(staff_client, [("amu-2031.txt", seed_000_in_2031())])

    page = text_of(preview)
    assert "amu-2031.txt" in page
    assert "Status bliver oprettet" in page
    assert "Type Referat" in page
    assert "Udvalg Arbejdsmarkedsudvalget" in page
    assert "Dato 2. juni 2031" in page
    assert "Kommune Høje-Taastrup Kommune" in page  # found in the text
    assert "1 Godkendelse af dagsorden 20/22278" in page
    assert "Arbejdsmarkedsudvalget 2.6.2021: Godkendt" in page
    assert '<input type="submit" class="default" value="Indlæs">' in preview.content.decode()
    assert Meeting.objects.count() == before_meetings  # nothing written by the preview
    # The chooser is pre-filled with the municipality found in the text.
    pk = municipality_pk("Høje-Taastrup Kommune")
    assert f'<option value="{pk}" selected>' in preview.content.decode()

    result = confirm(staff_client, preview, {"fil-0-municipality": pk})

    meeting = Meeting.objects.get(date=date(2031, 6, 2), committee__name="Arbejdsmarkedsudvalget")
    assert meeting.committee.municipality.name == "Høje-Taastrup Kommune"
    assert bytes(meeting.source.content) == seed_000_in_2031()
    assert "amu-2031.txt oprettet" in text_of(result)
    assert f'href="{meeting.get_absolute_url()}"' in result.content.decode()
    record = UploadAudit.objects.get(file_name="amu-2031.txt")
    assert (record.user, record.username, record.outcome) == (
        staff_client.user,
        "redaktør",
        "created",
    )
    assert (record.meeting, record.source, record.channel) == (meeting, meeting.source, "admin")
    assert StagedUpload.objects.count() == 0  # the staged bytes are gone once confirmed
    assert staff_client.get(meeting.get_absolute_url()).status_code == 200


def test_an_unmodified_seed_is_unchanged(staff_client):
    before = archive_state()
    meeting = Meeting.objects.get(date=date(2020, 2, 5))
    preview = upload(staff_client, [("001.txt", seed_path("001").read_bytes())])
    assert "uændret (filen findes allerede i arkivet)" in text_of(preview)
    result = confirm(staff_client, preview)
    assert "001.txt uændret" in text_of(result)
    assert f'href="{meeting.get_absolute_url()}"' in result.content.decode()
    assert archive_state() == before


def test_a_corrected_version_is_updated_and_keeps_the_earlier_original(staff_client):
    meeting = Meeting.objects.get(date=date(2021, 6, 2), committee__name="Arbejdsmarkedsudvalget")
    old_source = meeting.source
    corrected = seed_path("000").read_bytes().replace(b"Godkendt.", b"Godkendt, dog ikke pkt. 4.")
    preview = upload(staff_client, [("rettet.txt", corrected)])
    assert "bliver opdateret (ny version af et møde i arkivet)" in text_of(preview)
    result = confirm(staff_client, preview)
    assert "rettet.txt opdateret" in text_of(result)
    meeting.refresh_from_db()
    assert meeting.source.file_name == "rettet.txt"
    assert SourceFile.objects.filter(pk=old_source.pk).exists()
    assert list(meeting.versions.values_list("source_id", flat=True)) == [
        old_source.pk,
        meeting.source_id,
    ]
    assert (
        "Godkendt, dog ikke pkt. 4."
        in staff_client.get(meeting.get_absolute_url()).content.decode()
    )


def test_many_files_and_a_zip_in_one_upload_each_get_their_own_outcome(staff_client):
    bundle = zip_of({"referater/002.txt": seed_path("002").read_bytes(), "referater/tom.txt": b""})
    preview = upload(staff_client, [("amu-2031.txt", seed_000_in_2031()), ("bundt.zip", bundle)])
    page = text_of(preview)
    # Only files that change the archive count: 002 is already stored (unchanged).
    assert "3 filer, heraf 1 klar til at blive indlæst" in page
    assert "bundt.zip/referater/tom.txt: Filen er tom." in page
    result = confirm(staff_client, preview)
    rows = [
        (r.file_name, r.outcome)
        for r in UploadAudit.objects.filter(user=staff_client.user).order_by("id")
    ]
    assert rows == [
        ("amu-2031.txt", "created"),
        ("bundt.zip/referater/002.txt", "unchanged"),
        ("bundt.zip/referater/tom.txt", "failed"),
    ]
    page = text_of(result)
    assert "amu-2031.txt oprettet" in page
    assert "bundt.zip/referater/002.txt uændret" in page
    assert "bundt.zip/referater/tom.txt fejlet" in page


def test_the_seeds_and_the_pdf_can_be_uploaded_together(staff_client):
    """The issue's "done when": the seeds (already in the archive) and the Ballerup PDF."""
    files = [(p.name, p.read_bytes()) for p in sorted(seed_path("000").parent.glob("*.txt"))]
    files.append((PDF.name, PDF.read_bytes()))
    preview = upload(staff_client, files)
    page = text_of(preview)
    assert "Kommune Ballerup Kommune" in page  # "Ballerup Rådhus" in the text
    result = confirm(staff_client, preview)
    outcomes = dict(
        UploadAudit.objects.filter(user=staff_client.user).values_list("file_name", "outcome")
    )
    assert outcomes == {**{name: "unchanged" for name, _ in files[:-1]}, PDF.name: "created"}
    pdf = SourceFile.objects.get(file_name=PDF.name)
    assert pdf.municipality.name == "Ballerup Kommune"
    target = pdf.meetings.first() or pdf.documents.first()
    assert target is not None
    assert f'href="{target.get_absolute_url()}"' in result.content.decode()
    assert staff_client.get(target.get_absolute_url()).status_code == 200


# Missing facts and errors in the forms


def test_committee_date_and_municipality_missing_from_the_file_are_asked_for_at_once(
    staff_client,
):
    preview = upload(staff_client, [("punkter.txt", BARE_ITEMS)])
    html = preview.content.decode()
    assert (
        "punkter.txt: Kommunen er ikke angivet, og teksten nævner ingen kendt kommune; "
        "vælg kommunen. Udvalg og mødedato kunne ikke findes i dokumentet; angiv dem."
    ) in text_of(preview)
    for field in ("committee", "date", "municipality"):
        assert f'name="fil-0-{field}"' in html

    pk = municipality_pk("Ballerup Kommune")
    result = confirm(
        staff_client,
        preview,
        {
            "fil-0-committee": "Økonomiudvalget",
            "fil-0-date": "2032-01-05",
            "fil-0-municipality": pk,
        },
    )
    assert "punkter.txt oprettet" in text_of(result)
    meeting = Meeting.objects.get(committee__name="Økonomiudvalget", date=date(2032, 1, 5))
    assert meeting.committee.municipality.name == "Ballerup Kommune"
    assert meeting.items.count() == 2


def test_a_bad_date_in_the_preview_keeps_the_admins_choices_and_ingests_nothing(staff_client):
    pk = municipality_pk("Ballerup Kommune")
    preview = upload(staff_client, [("punkter.txt", BARE_ITEMS)], municipality=pk)
    before = archive_state()
    again = staff_client.post(
        preview.request["PATH_INFO"],
        {
            "fil-0-committee": "Økonomiudvalget",
            "fil-0-date": "31-02-2032",
            "fil-0-municipality": pk,
        },
    )
    assert again.status_code == 200
    html = again.content.decode()
    assert "Ret fejlene nedenfor; intet er indlæst endnu." in text_of(again)
    assert "Indtast en gyldig dato." in text_of(again)
    assert 'value="Økonomiudvalget"' in html
    assert f'<option value="{pk}" selected>' in html
    assert archive_state() == before
    assert StagedUpload.objects.filter(user=staff_client.user).count() == 1


def test_step_one_without_files_keeps_the_chosen_municipality(staff_client):
    pk = municipality_pk("Lyngby-Taarbæk Kommune")
    response = staff_client.post(UPLOAD, {"municipality": pk})
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in text_of(response)
    assert f'<option value="{pk}" selected>Lyngby-Taarbæk Kommune</option>' in (
        response.content.decode()
    )
    assert StagedUpload.objects.count() == 0


def test_a_misspelt_municipality_in_the_text_is_refused_with_the_nearest_name(staff_client):
    data = BARE_ITEMS.replace(b"Godkendt.", "Godkendt af Høje-Tåstrup Kommune.".encode())
    preview = upload(staff_client, [("stavet.txt", data)])
    assert (
        "stavet.txt: Kommunen er ikke angivet, og teksten nævner ingen kendt kommune "
        "('Høje-Tåstrup Kommune' findes ikke; mente du 'Høje-Taastrup Kommune'?); vælg kommunen."
    ) in text_of(preview)
    before = archive_state()
    result = confirm(staff_client, preview)
    assert "stavet.txt fejlet" in text_of(result)
    assert archive_state() == before


# Bad input: each named with its reason, nothing in the archive changes, the attempt is audited.

ZIPS = [
    ("mange.zip", zip_of({f"{n:03}.txt": b"x" for n in range(501)}), "501 filer; grænsen er 500"),
    ("indlejret.zip", zip_of({"indre.zip": zip_of({"a.txt": b"x"})}), "zip-filer i zip-filer"),
    ("sti.zip", zip_of({"../../referat.txt": seed_000_in_2031()}), "peger uden for mappen"),
]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    BAD_FILES + ZIPS,
    ids=[b[0] for b in BAD_FILES + ZIPS],
)
def test_every_bad_upload_is_named_with_its_reason_and_changes_nothing(
    staff_client, name, data, words
):
    before = archive_state()
    preview = upload(staff_client, [(name, data)], municipality=municipality_pk("Ballerup Kommune"))
    page = text_of(preview)
    assert re.search(rf"{re.escape(name)}: [^<]*{re.escape(words)}", page), page[-1500:]
    assert "0 klar til at blive indlæst" in page

    result = confirm(staff_client, preview)
    assert f"{name} fejlet" in text_of(result)
    assert archive_state() == before
    record = UploadAudit.objects.get(user=staff_client.user)
    assert (record.file_name, record.outcome) == (name, "failed")
    assert words in record.reason


def test_an_upload_over_the_size_limit_is_refused(staff_client, settings):
    settings.MAX_UPLOAD_BYTES = 4000
    before = archive_state()
    preview = upload(staff_client, [("stor.txt", seed_000_in_2031())])
    assert re.search(
        r"stor\.txt: Filen fylder [\d.]+ bytes og er større end grænsen på 4\.000 bytes\.",
        text_of(preview),
    )
    staged = StagedUpload.objects.get(user=staff_client.user)
    assert staged.content is None  # refused before being read, so never stored
    confirm(staff_client, preview)
    assert archive_state() == before
    assert UploadAudit.objects.get(file_name="stor.txt").outcome == "failed"


class HugeUpload:
    """An upload whose announced size is over the limit and whose body must not be read."""

    name = "kæmpe.pdf"
    size = 51 * 1024 * 1024

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read before its size was checked")


def test_the_size_is_checked_before_the_body_is_read():
    [incoming] = from_uploaded_file(HugeUpload())
    assert incoming.data is None
    assert incoming.error == "Filen fylder 51 MB og er større end grænsen på 50 MB."


# The staged bytes belong to the one who uploaded them


def test_another_admin_cannot_confirm_someone_elses_upload(staff_client, client, django_user_model):
    preview = upload(staff_client, [("amu-2031.txt", seed_000_in_2031())])
    url = preview.request["PATH_INFO"]
    other = django_user_model.objects.create_user(
        username="anden", is_staff=True, is_superuser=True
    )
    client.force_login(other)
    response = client.post(url, {}, follow=True)
    assert response.request["PATH_INFO"] == UPLOAD
    assert "Uploaden findes ikke længere" in text_of(response)
    assert not Meeting.objects.filter(date=date(2031, 6, 2)).exists()


def test_confirming_twice_ingests_once(staff_client):
    preview = upload(staff_client, [("amu-2031.txt", seed_000_in_2031())])
    confirm(staff_client, preview)
    second = confirm(staff_client, preview)
    assert "amu-2031.txt oprettet" in text_of(second)
    assert UploadAudit.objects.filter(file_name="amu-2031.txt").count() == 1
    assert Meeting.objects.filter(date=date(2031, 6, 2)).count() == 1


def test_a_changed_file_posted_with_the_confirmation_is_ignored(staff_client):
    """Only the bytes kept on the server are ingested, whatever the browser sends back."""
    preview = upload(staff_client, [("amu-2031.txt", seed_000_in_2031())])
    other = moved(seed_path("004").read_bytes(), "01-04-2020", "01-04-2033")
    confirm(staff_client, preview, {"files": SimpleUploadedFile("amu-2031.txt", other)})
    assert Meeting.objects.filter(date=date(2031, 6, 2)).exists()
    assert not Meeting.objects.filter(date=date(2033, 4, 1)).exists()


# The audit in the admin


def test_the_audit_is_visible_and_read_only_in_the_admin(staff_client):
    confirm(staff_client, upload(staff_client, [("amu-2031.txt", seed_000_in_2031())]))
    record = UploadAudit.objects.get(file_name="amu-2031.txt")
    listing = staff_client.get("/admin/minutes/uploadaudit/")
    assert listing.status_code == 200
    row = text_of(listing)
    assert "redaktør" in row and "amu-2031.txt" in row and "oprettet" in row
    detail = staff_client.get(f"/admin/minutes/uploadaudit/{record.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert staff_client.get("/admin/minutes/uploadaudit/add/").status_code == 403
    assert staff_client.post(f"/admin/minutes/uploadaudit/{record.pk}/delete/").status_code == 403
    assert UploadAudit.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (
            50 * 1024 * 1024 + 300 * 1024,
            "Filen fylder 50,3 MB og er større end grænsen på 50 MB.",
        ),
        (
            50 * 1024 * 1024 + 1,
            "Filen fylder 52.428.801 bytes og er større end grænsen på 52.428.800 bytes.",
        ),
    ],
)
def test_a_size_message_shows_a_size_that_differs_from_the_limit(size, message, settings):
    """Never "fylder 50 MB … grænsen på 50 MB": the size as precisely as it takes to differ."""
    from minutes.services.upload import size_error

    settings.MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    assert size_error(size) == message
    assert size_error(50 * 1024 * 1024) is None
