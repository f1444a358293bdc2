"""The admin preview of a file that reads badly: its problems named, corrected or accepted or
refused by the admin, and nothing of it public until then."""

from __future__ import annotations

import pytest

from minutes.models import Meeting, SourceFile, UploadAudit

from .conftest import seed_path
from .test_held import MISREAD
from .test_upload import confirm, municipality_pk, text_of, upload

pytestmark = pytest.mark.django_db
HOEJE_TAASTRUP = "Høje-Taastrup Kommune"


def preview_of_misread(client):
    return upload(client, [("side.txt", MISREAD)], municipality=municipality_pk(HOEJE_TAASTRUP))


def test_the_preview_holds_the_file_and_names_its_problems(staff_client):
    preview = preview_of_misread(staff_client)
    page = text_of(preview)
    assert "1 fil, heraf 0 klar til at blive indlæst" in page
    assert "holdes tilbage: ser forkert læst ud" in page
    assert (
        "Udvalget 'Tilbage til forsi' ligner et link eller en knap fra hjemmesiden, "
        "ikke et udvalgs navn." in page
    )
    assert "Læst af firstagenda-pdf" in page
    html = preview.content.decode()
    for field in ("committee", "date", "kind", "accept", "refuse"):
        assert f'name="fil-0-{field}"' in html
    # What was read is shown, so the admin can judge it.
    assert "Budgetopfølgning" in page


def test_showing_a_correction_changes_nothing_yet(staff_client):
    preview = preview_of_misread(staff_client)
    shown = staff_client.post(
        preview.request["PATH_INFO"],
        {"fil-0-committee": "Socialudvalget", "opdater": "0"},
        follow=True,
    )
    page = text_of(shown)
    assert "bliver oprettet" in page
    assert "holdes tilbage: ser forkert læst ud" not in page
    assert not SourceFile.objects.filter(file_name="side.txt").exists()


def test_a_held_file_confirmed_as_it_is_stays_out(staff_client):
    result = confirm(staff_client, preview_of_misread(staff_client))
    assert "side.txt tilbageholdt" in text_of(result)
    audit = UploadAudit.objects.get(file_name="side.txt")
    assert audit.outcome == UploadAudit.Outcome.HELD
    assert not SourceFile.objects.filter(file_name="side.txt").exists()


def test_a_corrected_committee_goes_in(staff_client):
    result = confirm(
        staff_client, preview_of_misread(staff_client), {"fil-0-committee": "Socialudvalget"}
    )
    assert "side.txt oprettet" in text_of(result)
    meeting = Meeting.objects.get(source__file_name="side.txt")
    assert meeting.committee.name == "Socialudvalget"
    assert {d.body for i in meeting.items.all() for d in i.decisions.all()} == {"Socialudvalget"}


def test_an_accepted_file_goes_in_as_read(staff_client):
    result = confirm(staff_client, preview_of_misread(staff_client), {"fil-0-accept": "on"})
    assert "side.txt oprettet" in text_of(result)
    assert Meeting.objects.get(source__file_name="side.txt").committee.name == "Tilbage til forsi"


def test_a_refused_file_stays_out(staff_client):
    result = confirm(staff_client, preview_of_misread(staff_client), {"fil-0-refuse": "on"})
    assert "Afvist i forhåndsvisningen" in text_of(result)
    assert UploadAudit.objects.get(file_name="side.txt").outcome == UploadAudit.Outcome.FAILED
    assert not SourceFile.objects.filter(file_name="side.txt").exists()


def test_a_well_read_file_can_be_corrected_too(staff_client):
    data = seed_path("000").read_bytes().replace(b"02-06-2021", b"02-06-2033")
    preview = upload(
        staff_client, [("amu.txt", data)], municipality=municipality_pk(HOEJE_TAASTRUP)
    )
    assert 'name="fil-0-committee"' in preview.content.decode()
    confirm(staff_client, preview, {"fil-0-committee": "Beskæftigelsesudvalget"})
    meeting = Meeting.objects.get(source__file_name="amu.txt")
    assert meeting.committee.name == "Beskæftigelsesudvalget"
