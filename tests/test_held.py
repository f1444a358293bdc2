"""A file that reads badly is held for a person: nothing of it is public until corrected or
accepted, in the ingestion service and in `manage.py ingest`."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from minutes.models import Document, Meeting, SourceFile, UploadAudit
from minutes.services.ingestion import IngestError, ingest_file, preview_file

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db

HOEJE_TAASTRUP = "Høje-Taastrup Kommune"
# A committee line that is the site's "back to the front page" link: the typical misreading.
MISREAD = """REFERAT Tilbage til forsiden d. 05-03-2020

Mødedato
5. marts 2020 kl. 16:00
Mødested
Rådhuset

Punkt 1: Godkendelse af dagsorden
20/1234

Beslutning Socialudvalget den 05-03-2020
Godkendt.

Punkt 2: Budgetopfølgning
20/1235

Indstilling
Administrationen indstiller, at budgetopfølgningen tages til efterretning.

Beslutning Socialudvalget den 05-03-2020
Taget til efterretning.
""".encode()


def counts() -> tuple[int, int, int]:
    return Meeting.objects.count(), SourceFile.objects.count(), Document.objects.count()


def test_a_misread_file_is_held_and_nothing_is_written():
    before = counts()
    with pytest.raises(IngestError) as caught:
        ingest_file(data=MISREAD, file_name="side.txt", municipality=HOEJE_TAASTRUP)
    assert caught.value.held
    assert caught.value.problems == (
        "Udvalget 'Tilbage til forsi' ligner et link eller en knap fra hjemmesiden, "
        "ikke et udvalgs navn.",
    )
    assert "holdt tilbage" in caught.value.reason
    assert counts() == before


def test_the_preview_names_the_problems():
    preview = preview_file(data=MISREAD, file_name="side.txt", municipality=HOEJE_TAASTRUP)
    assert preview.status is None
    assert preview.problems and "Tilbage til forsi" in preview.problems[0]


def test_a_corrected_committee_publishes_it():
    result = ingest_file(
        data=MISREAD, file_name="side.txt", municipality=HOEJE_TAASTRUP, committee="Socialudvalget"
    )
    assert result.status == "created"
    assert result.meeting.committee.name == "Socialudvalget"
    assert result.meeting.items.count() == 2
    assert result.meeting.source.reader == "firstagenda-pdf"


def test_accepting_the_problems_publishes_it_as_read():
    result = ingest_file(
        data=MISREAD, file_name="side.txt", municipality=HOEJE_TAASTRUP, accept_problems=True
    )
    assert result.meeting.committee.name == "Tilbage til forsi"


def test_a_person_may_say_the_file_is_a_document():
    result = ingest_file(
        data=MISREAD, file_name="side.txt", municipality=HOEJE_TAASTRUP, kind="document"
    )
    assert result.meeting is None
    assert [s.heading for s in result.document.sections.order_by("position")] == [
        "1. Godkendelse af dagsorden",
        "2. Budgetopfølgning",
    ]


def test_a_person_may_correct_the_date_and_kind_of_a_file_read_well():
    data = MISREAD.replace(b"Tilbage til forsiden", b"Socialudvalget")
    result = ingest_file(
        data=data,
        file_name="dagsorden.txt",
        municipality=HOEJE_TAASTRUP,
        meeting_date=date(2020, 3, 6),
        kind="agenda",
    )
    assert (result.meeting.date, result.meeting.kind) == (date(2020, 3, 6), "agenda")


def ingest(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_ingest_command_holds_it_by_name_and_publishes_it_when_told(tmp_path):
    path = tmp_path / "side.txt"
    path.write_bytes(MISREAD)
    before = counts()
    with pytest.raises(CommandError, match="1 fil\\(er\\) holdt tilbage"):
        ingest(str(path), "--municipality", HOEJE_TAASTRUP)
    assert counts() == before
    held = UploadAudit.objects.get(file_name=str(path))
    assert held.outcome == UploadAudit.Outcome.HELD
    assert "Tilbage til forsi" in held.reason

    out, _ = ingest(str(path), "--municipality", HOEJE_TAASTRUP, "--accept-warnings")
    assert "oprettet" in out
    assert Meeting.objects.filter(committee__name="Tilbage til forsi").exists()


def test_ingest_command_takes_corrections(tmp_path):
    path = tmp_path / "side.txt"
    path.write_bytes(MISREAD)
    out, _ = ingest(
        str(path),
        "--municipality",
        HOEJE_TAASTRUP,
        "--committee",
        "Socialudvalget",
        "--date",
        "06-03-2020",
        "--kind",
        "dagsorden",
    )
    meeting = Meeting.objects.get(source__file_name="side.txt")
    assert (meeting.committee.name, meeting.date, meeting.kind) == (
        "Socialudvalget",
        date(2020, 3, 6),
        "agenda",
    )


def test_ingest_command_reports_held_files_in_its_summary(tmp_path):
    path = tmp_path / "side.txt"
    path.write_bytes(MISREAD)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "ingest", str(path), "--municipality", HOEJE_TAASTRUP, "--no-progress", stdout=out
        )
    text = out.getvalue()
    assert "tilbageholdt      1" in text
    assert f"{path}: Filen er holdt tilbage" in text


def test_reparse_applies_the_stored_corrections_again():
    from minutes.services.rebuild import rebuild_from_source

    result = ingest_file(
        data=MISREAD, file_name="side.txt", municipality=HOEJE_TAASTRUP, committee="Socialudvalget"
    )
    source = result.meeting.source
    assert source.corrections == {"committee": "Socialudvalget"}
    rebuilt, changed = rebuild_from_source(source=source)
    assert (rebuilt.status, changed) == ("unchanged", False)
    assert Meeting.objects.get(pk=result.meeting.pk).committee.name == "Socialudvalget"


def test_reparse_keeps_a_meeting_whose_new_reading_looks_wrong():
    from minutes.services.rebuild import rebuild_from_source

    result = ingest_file(
        data=MISREAD.replace(b"Tilbage til forsiden", b"Socialudvalget"),
        file_name="side.txt",
        municipality=HOEJE_TAASTRUP,
    )
    source = result.meeting.source
    # As if the original had been read differently by an older parser: the stored bytes now
    # read as the misreading, which a rebuild must not publish.
    SourceFile.objects.filter(pk=source.pk).update(content=MISREAD)
    source.refresh_from_db()
    with pytest.raises(IngestError) as caught:
        rebuild_from_source(source=source)
    assert caught.value.held
    assert Meeting.objects.get(pk=result.meeting.pk).committee.name == "Socialudvalget"


EMPTY_PAGE = FIXTURES / "held" / "aarhus_byraad_2025-10-08_uden-punkter.html"


def test_a_real_page_whose_content_the_readers_cannot_find_is_held(tmp_path):
    out = StringIO()
    before = counts()
    with pytest.raises(CommandError, match="1 fil\\(er\\) holdt tilbage"):
        call_command("ingest", str(EMPTY_PAGE), "--no-progress", stdout=out)
    report = out.getvalue()
    assert f"{EMPTY_PAGE}: Filen er holdt tilbage" in report
    assert "Dagsordenen har ingen dagsordenspunkter." in report
    assert "Mødedeltagerne 'Punkt', 'Titel' er ikke navne på personer." in report
    assert counts() == before
    assert not Meeting.objects.filter(committee__name="Aarhus Byråd").exists()
