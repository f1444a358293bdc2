"""`manage.py reparse`: rebuild from the stored originals, one transaction per document."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minutes.models import AgendaItem, Decision, Meeting, SourceFile
from minutes.services.ingestion import ingest_file
from minutes.services.rebuild import rebuild_from_source

from .conftest import seed_path
from .test_ingestion import BARE_ITEMS, PDF, table_state

pytestmark = pytest.mark.django_db


def reparse(*args: str) -> str:
    out = StringIO()
    call_command("reparse", *args, "--no-progress", stdout=out)
    return out.getvalue()


def amu_2021() -> Meeting:
    return Meeting.objects.get(date=date(2021, 6, 2), committee__name="Arbejdsmarkedsudvalget")


def test_reparse_all_on_the_fixture_database_changes_nothing():
    call_command("ingest", str(PDF), "--no-progress")  # the fixtures: seeds and the PDF
    before = table_state()
    out = reparse("--all")
    assert "ændret          0" in out
    assert "uændret         6" in out
    assert "Intet er ændret." in out
    assert table_state() == before  # not even a timestamp or an id


def test_reparse_rebuilds_what_the_current_parser_reads_and_says_what_changed():
    meeting = amu_2021()
    source_bytes = bytes(meeting.source.content)
    expected = list(meeting.items.values_list("number", "title", "case__number"))
    # As if an older parser had lost an item and misread a decision.
    meeting.items.get(number=3).delete()
    Decision.objects.filter(item__meeting=meeting).update(text="forkert læst")
    lyngby = Meeting.objects.get(date=date(2024, 10, 31))

    out = reparse("--municipality", "høje-taastrup")

    assert "ændret          1" in out
    assert (
        f"{meeting.source.file_name} (Høje-Taastrup Kommune) → {meeting.get_absolute_url()}" in out
    )
    assert list(meeting.items.values_list("number", "title", "case__number")) == expected
    assert not Decision.objects.filter(item__meeting=meeting, text="forkert læst").exists()
    meeting.refresh_from_db()
    assert bytes(meeting.source.content) == source_bytes  # the original is never touched
    # Only the municipality asked for is rebuilt.
    assert Meeting.objects.get(pk=lyngby.pk).updated_at == lyngby.updated_at


def test_reparse_moves_a_misread_meeting_back_to_its_date_keeping_its_identity():
    meeting = amu_2021()
    Meeting.objects.filter(pk=meeting.pk).update(date=date(2021, 6, 3))
    out = reparse("--all")
    assert "ændret          1" in out
    meeting.refresh_from_db()
    assert meeting.date == date(2021, 6, 2)
    assert meeting.versions.count() == 1


def test_an_earlier_version_never_overwrites_the_version_that_replaced_it():
    corrected = seed_path("000").read_bytes().replace(b"Godkendt.", b"Godkendt i ny udgave.", 1)
    ingest_file(data=corrected, file_name="rettet.txt", municipality="Høje-Taastrup Kommune")
    meeting = amu_2021()
    old = meeting.versions.first().source
    assert old.pk != meeting.source_id

    before = table_state()
    assert "Intet er ændret." in reparse("--all")
    assert rebuild_from_source(source=old)[1] is False
    assert table_state() == before
    assert Decision.objects.filter(item__meeting=meeting, text="Godkendt i ny udgave.").exists()


def test_committee_and_date_supplied_at_upload_survive_a_reparse():
    result = ingest_file(
        data=BARE_ITEMS,
        file_name="punkter.txt",
        municipality="Ballerup Kommune",
        committee="Økonomiudvalget",
        meeting_date=date(2032, 1, 5),
    )
    before = table_state()
    assert "Intet er ændret." in reparse("--municipality", "Ballerup Kommune")
    assert table_state() == before
    assert result.meeting is not None
    assert Meeting.objects.get(pk=result.meeting.pk).committee.name == "Økonomiudvalget"


def test_a_document_that_cannot_be_rebuilt_is_reported_and_left_as_it_was():
    meeting = amu_2021()
    # Stand-in for an original the current parser refuses (e.g. a parser regression).
    SourceFile.objects.filter(pk=meeting.source_id).update(content=b"\x89PNG\r\n\x1a\n" * 100)
    items_before = table_state(["minutes_agendaitem", "minutes_decision", "minutes_section"])
    with pytest.raises(CommandError, match="1 fil"):
        reparse("--all")
    assert table_state(["minutes_agendaitem", "minutes_decision", "minutes_section"]) == (
        items_before
    )
    assert AgendaItem.objects.filter(meeting=meeting).count() > 0


def test_reparse_needs_a_scope_and_a_real_municipality():
    with pytest.raises(CommandError):
        call_command("reparse")
    with pytest.raises(CommandError, match="mente du 'Høje-Taastrup Kommune'"):
        reparse("--municipality", "Høje Tåstrup")
