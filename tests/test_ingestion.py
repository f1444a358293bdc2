"""The ingestion service and the `ingest` command against real PostgreSQL and real files.

Helpers here (`table_state`, `archive_state`, `moved`, bad inputs) are shared with
test_upload.py and test_reparse.py.
"""

from __future__ import annotations

import io
import threading
import time
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from minutes.models import (
    Decision,
    ItemSearch,
    Meeting,
    SourceFile,
    SourceVersion,
    StagedUpload,
    UploadAudit,
    UploadBatch,
)
from minutes.services.ingestion import IngestError, ingest_file
from minutes.services.reading import detect_municipality
from minutes.services.upload import expand, from_path

from .conftest import FIXTURES, ensure_archive, seed_path

PDF = FIXTURES / "formats" / "ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04.pdf"
HOEJE_TAASTRUP = "Høje-Taastrup Kommune"
STEPS = ["source", "meeting", "attendance", "items", "sections", "decisions", "attachments"]
# Bookkeeping tables that record an attempt rather than hold the archive.
NOT_ARCHIVE = {
    UploadAudit._meta.db_table,
    StagedUpload._meta.db_table,
    UploadBatch._meta.db_table,
    "django_tasks_db_dbtaskresult",
    "django_session",
    "django_admin_log",
    "auth_user",
}


def table_state(tables: list[str] | None = None) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every table: equal means exactly equal."""
    names = tables or sorted(connection.introspection.table_names())
    state = {}
    with connection.cursor() as cursor:
        for name in names:
            table = connection.ops.quote_name(name)
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) "
                f"FROM {table} t"
            )
            state[name] = cursor.fetchone()
    return state


def archive_state() -> dict[str, tuple[int, str]]:
    """Every table except those that record upload attempts and logins."""
    return table_state([n for n in connection.introspection.table_names() if n not in NOT_ARCHIVE])


def moved(data: bytes, old: str, new: str) -> bytes:
    """A seed with another meeting date in its header: a new meeting of the same committee."""
    header = f"d. {old}".encode()
    assert header in data
    return data.replace(header, f"d. {new}".encode(), 1)


def seed_000_in_2031() -> bytes:
    return moved(seed_path("000").read_bytes(), "02-06-2021", "02-06-2031")


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF whose trailer names a standard security handler with a password we do not have."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"3 0 obj<</Filter/Standard/V 1/R 2/O<" + b"00" * 32 + b">/U<" + b"11" * 32 + b">/P -4>>"
        b"endobj\ntrailer<</Root 1 0 R/Encrypt 3 0 R/ID[<"
        + b"22" * 16
        + b"><"
        + b"22" * 16
        + b">]>>"
        b"\n%%EOF\n"
    )


def without_header(data: bytes) -> bytes:
    """Seed 000 without its 'REFERAT <udvalg> d. <dato>' line and with bare 'Beslutning'
    headings: items, but nothing that names the meeting's committee or date."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    kept = [
        "Beslutning\n" if line.startswith("Beslutning ") else line
        for line in lines
        if not line.startswith("REFERAT ")
    ]
    assert len(kept) == len(lines) - 1
    return "".join(kept).encode("utf-8")


@pytest.mark.django_db
def test_a_file_without_header_whose_decisions_name_the_meeting_goes_in_as_that_meeting():
    """The body and date most items' decisions name are the meeting's ('Beslutning
    Arbejdsmarkedsudvalget den 02-06-2021' in four of seven items)."""
    lines = seed_path("000").read_text("utf-8").splitlines(keepends=True)
    data = "".join(line for line in lines if not line.startswith("REFERAT ")).encode("utf-8")
    result = ingest_file(data=data, file_name="uden.txt", municipality=HOEJE_TAASTRUP)
    # The archive has seed 000 with its header: this is a new version of that very meeting.
    assert result.status == "updated"
    assert (result.meeting.committee.name, result.meeting.date) == (
        "Arbejdsmarkedsudvalget",
        date(2021, 6, 2),
    )


# (name, bytes, words the refusal must contain). Each is refused with the database unchanged.
BAD_FILES = [
    ("tom.txt", b"", "Filen er tom"),
    ("blank.txt", b" \n\t\n ", "Filen er tom"),
    # A PNG named .txt: the type is judged by content.
    ("referat.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "Filtypen kan ikke læses"),
    ("krypteret.pdf", encrypted_pdf(), "krypteret"),
    ("afkortet.pdf", PDF.read_bytes()[: PDF.stat().st_size // 3], "PDF"),
    ("fjendtlig.pdf", b"%PDF-1.4\n1 0 obj\n" + b"[" * 100_000 + b"\nendobj\n%%EOF\n", "PDF"),
    ("kage.txt", "Kære alle\n\nHusk kage på fredag.\n".encode(), "ligner hverken et referat"),
    ("uden-overskrift.txt", without_header(seed_path("000").read_bytes()), "kunne ikke findes"),
]


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.django_db
def test_an_exception_half_way_through_a_new_meeting_leaves_every_table_as_before(step):
    before = table_state()

    def fail(name: str) -> None:
        if name == step:
            raise RuntimeError(f"injected after {name}")

    with pytest.raises(RuntimeError, match=f"injected after {step}"):
        ingest_file(
            data=seed_000_in_2031(),
            file_name="ny.txt",
            municipality=HOEJE_TAASTRUP,
            after_write=fail,
        )
    assert table_state() == before


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.django_db
def test_an_exception_half_way_through_a_new_version_leaves_every_table_as_before(step):
    """The update path deletes the old items first; the rollback must bring them all back."""
    corrected = seed_path("000").read_bytes().replace(b"Godkendt.", b"Godkendt med rettelser.", 1)
    before = table_state()

    def fail(name: str) -> None:
        if name == step:
            raise RuntimeError("injected")

    with pytest.raises(RuntimeError):
        ingest_file(
            data=corrected, file_name="rettet.txt", municipality=HOEJE_TAASTRUP, after_write=fail
        )
    assert table_state() == before


@pytest.mark.django_db
def test_the_same_bytes_again_change_nothing():
    before = table_state()
    result = ingest_file(
        data=seed_path("002").read_bytes(),
        file_name="igen.txt",
        municipality="Lyngby-Taarbæk Kommune",
    )
    assert result.status == "unchanged"
    assert result.meeting is not None and result.meeting.date == date(2024, 10, 31)
    assert table_state() == before


@pytest.mark.django_db
def test_a_corrected_version_keeps_both_originals_and_shows_the_new_content(client):
    original = seed_path("000").read_bytes()
    meeting = Meeting.objects.get(date=date(2021, 6, 2), committee__name="Arbejdsmarkedsudvalget")
    old_source = meeting.source
    corrected = original.replace(
        b"Godkendt.", "Godkendt med den rettelse, at mødet flyttes til Rådhussalen.".encode(), 1
    )

    result = ingest_file(data=corrected, file_name="rettet.txt", municipality=HOEJE_TAASTRUP)

    assert result.status == "updated"
    assert result.meeting is not None and result.meeting.pk == meeting.pk  # same URL
    sources = [v.source for v in SourceVersion.objects.filter(meeting=meeting)]
    assert [s.pk for s in sources] == [old_source.pk, result.meeting.source_id]
    assert bytes(sources[0].content) == original  # byte for byte
    assert bytes(sources[1].content) == corrected
    assert sources[0].ingested_at <= sources[1].ingested_at
    assert Decision.objects.filter(
        item__meeting=meeting, text__contains="flyttes til Rådhussalen"
    ).exists()
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    assert "mødet flyttes til Rådhussalen" in page.content.decode()

    # The earlier version uploaded again is unchanged, belongs to the meeting, and wins nothing.
    again = ingest_file(data=original, file_name="gammel.txt", municipality=HOEJE_TAASTRUP)
    assert (again.status, again.meeting) == ("unchanged", meeting)
    assert Meeting.objects.get(pk=meeting.pk).source_id == result.meeting.source_id


@pytest.mark.django_db
def test_ingesting_without_a_municipality_finds_it_in_the_text():
    result = ingest_file(data=seed_000_in_2031(), file_name="ny.txt")
    assert result.status == "created"
    assert result.meeting is not None
    assert result.meeting.committee.municipality.name == HOEJE_TAASTRUP
    assert result.meeting.date == date(2031, 6, 2)


@pytest.mark.django_db
def test_the_municipality_is_found_in_text_or_a_misspelling_is_answered_with_the_nearest_name():
    found, hint = detect_municipality("Referat fra Lyngby-Taarbæk Kommune og Region Hovedstaden")
    assert found is not None and found.name == "Lyngby-Taarbæk Kommune" and hint is None
    found, hint = detect_municipality("Mødet blev holdt i Høje-Tåstrup Kommune.")
    assert found is None
    assert hint == "'Høje-Tåstrup Kommune' findes ikke; mente du 'Høje-Taastrup Kommune'?"
    found, _ = detect_municipality("", "ballerup_sundheds-og-forebyggelsesudvalget.pdf")
    assert found is not None and found.name == "Ballerup Kommune"


@pytest.mark.django_db
def test_a_misspelt_municipality_is_refused_with_the_nearest_name_and_changes_nothing():
    before = archive_state()
    with pytest.raises(IngestError) as error:
        ingest_file(data=seed_000_in_2031(), file_name="ny.txt", municipality="Høje Tåstrup")
    assert error.value.file_name == "ny.txt"
    assert error.value.reason == (
        "Kommunen 'Høje Tåstrup' findes ikke; mente du 'Høje-Taastrup Kommune'?"
    )
    assert archive_state() == before


@pytest.mark.parametrize(("name", "data", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
@pytest.mark.django_db
def test_every_bad_file_is_refused_by_name_with_its_reason_and_changes_nothing(name, data, words):
    before = table_state()
    with pytest.raises(IngestError) as error:
        ingest_file(data=data, file_name=name, municipality=HOEJE_TAASTRUP)
    assert error.value.file_name == name
    assert words in error.value.reason
    assert str(error.value).startswith(f"{name}: ")
    assert table_state() == before


@pytest.mark.django_db
def test_a_file_without_committee_and_date_goes_in_when_they_are_supplied():
    data = without_header(seed_000_in_2031())
    with pytest.raises(IngestError) as error:
        ingest_file(data=data, file_name="uden.txt", municipality=HOEJE_TAASTRUP)
    # Whether the parser finds the date in the "Mødedato" line or not, the committee is missing.
    assert "committee" in error.value.missing

    result = ingest_file(
        data=data,
        file_name="uden.txt",
        municipality=HOEJE_TAASTRUP,
        committee="Arbejdsmarkedsudvalget",
        meeting_date=date(2031, 6, 3),
    )
    assert result.status == "created"
    meeting = result.meeting
    assert meeting is not None
    assert (meeting.committee.name, meeting.date) == ("Arbejdsmarkedsudvalget", date(2031, 6, 3))
    assert meeting.items.count() == Meeting.objects.get(date=date(2021, 6, 2)).items.count()
    assert bytes(meeting.source.content) == data  # the original, not the header we parsed with


@pytest.mark.django_db
def test_over_the_size_limit_is_refused_before_reading(settings, tmp_path):
    settings.MAX_UPLOAD_BYTES = 1000
    big = tmp_path / "stor.txt"
    big.write_bytes(seed_path("000").read_bytes()[:5000])
    [incoming] = from_path(big)
    assert not incoming.ok and incoming.data is None  # never read
    assert incoming.error == "Filen fylder 5.000 bytes og er større end grænsen på 1.000 bytes."
    before = table_state()
    with pytest.raises(IngestError, match="større end grænsen"):
        ingest_file(data=big.read_bytes(), file_name="stor.txt", municipality=HOEJE_TAASTRUP)
    assert table_state() == before


@pytest.mark.django_db
def test_a_huge_file_on_disk_is_judged_by_its_size_alone(tmp_path):
    """A sparse 60 MB file: refused from stat(), so the test never holds 60 MB in memory."""
    huge = tmp_path / "kæmpe.pdf"
    with huge.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)
    [incoming] = from_path(huge)
    assert incoming.data is None
    assert incoming.error == "Filen fylder 60 MB og er større end grænsen på 50 MB."


@pytest.mark.parametrize(
    ("members", "words"),
    [
        ({f"{n:03}.txt": b"x" for n in range(501)}, "501 filer; grænsen er 500"),
        (
            {"a.txt": seed_path("000").read_bytes(), "indre.zip": zip_of({"b.txt": b"x"})},
            "indre.zip",
        ),
        # A nested zip disguised by its name is found by its content.
        ({"a.txt": b"x", "b.txt": zip_of({"c.txt": b"y"})}, "zip-filer i zip-filer"),
        ({"../../etc/cron.d/referat.txt": b"x"}, "peger uden for mappen"),
        ({"/etc/referat.txt": b"x"}, "peger uden for mappen"),
        ({"C:\\Windows\\referat.txt": b"x"}, "peger uden for mappen"),
        ({}, "Zip-filen er tom"),
    ],
    ids=["too-many", "nested", "nested-by-content", "dotdot", "absolute", "drive", "empty"],
)
@pytest.mark.django_db
def test_a_hostile_zip_is_refused_as_a_whole(members, words):
    [refusal] = expand("referater.zip", zip_of(members))
    assert refusal.label == "referater.zip"
    assert refusal.data is None
    assert words in (refusal.error or "")


@pytest.mark.django_db
def test_a_broken_zip_is_refused():
    data = zip_of({"a.txt": seed_path("000").read_bytes()})
    [refusal] = expand("halv.zip", data[: len(data) // 2])
    assert refusal.error == "Zip-filen er beskadiget eller ufuldstændig og kan ikke pakkes ud."


@pytest.mark.django_db
def test_a_zip_expands_to_its_files_each_checked_on_its_own():
    files = expand(
        "referater.zip",
        zip_of(
            {"mappe/000.txt": seed_path("000").read_bytes(), "tom.txt": b"", "__MACOSX/._x": b"x"}
        ),
    )
    assert [(f.label, f.file_name, f.error) for f in files] == [
        ("referater.zip/mappe/000.txt", "000.txt", None),
        ("referater.zip/tom.txt", "tom.txt", "Filen er tom."),
    ]
    assert files[0].data == seed_path("000").read_bytes()


@pytest.mark.django_db
def test_the_ingest_command_reads_zips_reports_each_file_and_exits_non_zero(tmp_path, capsys):
    bundle = tmp_path / "bundt.zip"
    bundle.write_bytes(
        zip_of(
            {
                "ny.txt": seed_000_in_2031(),
                "igen.txt": seed_path("001").read_bytes(),
                "tom.txt": b"",
            }
        )
    )
    with pytest.raises(CommandError, match="1 fil"):
        call_command("ingest", str(bundle), "--municipality", "høje-taastrup", "--no-progress")
    out = capsys.readouterr().out
    assert "oprettet          1" in out
    assert "uændret           1" in out
    assert "fejlet            1" in out
    assert f"{bundle}/tom.txt: Filen er tom." in out
    assert Meeting.objects.filter(date=date(2031, 6, 2)).count() == 1
    outcomes = sorted(
        UploadAudit.objects.filter(channel="command").values_list("file_name", "outcome")
    )
    assert outcomes == [
        (f"{bundle}/igen.txt", "unchanged"),
        (f"{bundle}/ny.txt", "created"),
        (f"{bundle}/tom.txt", "failed"),
    ]


@pytest.mark.django_db
def test_the_ingest_command_refuses_a_misspelt_municipality_before_reading_anything(tmp_path):
    before = table_state()
    with pytest.raises(CommandError, match="mente du 'Ballerup Kommune'"):
        call_command("ingest", str(PDF), "--municipality", "Balerup", "--no-progress")
    assert table_state() == before


@pytest.mark.django_db
def test_the_pdf_goes_in_under_the_municipality_named_by_the_manifest(capsys):
    call_command("ingest", str(PDF), "--no-progress")
    source = SourceFile.objects.get(file_name=PDF.name)
    assert source.municipality.name == "Ballerup Kommune"
    assert source.content_type == "pdf"
    assert bytes(source.content) == PDF.read_bytes()
    assert "oprettet          1" in capsys.readouterr().out


@pytest.fixture
def archive_restored_afterwards(django_db_blocker):
    """A transactional test ends by emptying every table; put the archive back after it so
    that later tests find what they expect.

    Requested before `transactional_db` (and without a django_db mark, whose autouse fixture
    would come first), so this teardown runs after the flush.
    """
    yield
    with django_db_blocker.unblock():
        ensure_archive()


def test_the_archive_put_back_after_a_flush_has_the_ids_it_had(
    archive_restored_afterwards, transactional_db
):
    # Earlier tests use up ids (a rolled-back insert keeps its ids, and a flush leaves the
    # sequences as they are): the archive put back must not move with them, since an item's
    # place in the search sample is a hash of its id (tests/browser's relaxed question).
    ensure_archive()
    before = sorted(ItemSearch.objects.values_list("item_id", "item__title", "sample"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('minutes_agendaitem', 'id'), %s)",
            [before[-1][0] + 103],
        )
    # As after a transactional test (TransactionTestCase: the sequences are not reset).
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    assert not Meeting.objects.exists()
    ensure_archive()
    assert sorted(ItemSearch.objects.values_list("item_id", "item__title", "sample")) == before


def test_two_uploads_of_the_same_file_at_the_same_time_give_one_meeting(
    archive_restored_afterwards, transactional_db
):
    ensure_archive()  # an earlier transactional test may have emptied the tables
    data = moved(seed_path("004").read_bytes(), "01-04-2020", "01-04-2032")
    start = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def slow(name: str) -> None:
        # Hold the first writer's transaction open so the second one has to wait for it.
        if name == "source":
            time.sleep(0.3)

    def upload() -> None:
        try:
            start.wait(timeout=10)
            result = ingest_file(
                data=data, file_name="samtidig.txt", municipality=HOEJE_TAASTRUP, after_write=slow
            )
            results.append(result.status)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == ["created", "unchanged"]
    assert Meeting.objects.filter(date=date(2032, 4, 1)).count() == 1
    assert SourceFile.objects.filter(file_name="samtidig.txt").count() == 1
    assert SourceVersion.objects.filter(meeting__date=date(2032, 4, 1)).count() == 1


BARE_ITEMS = (
    "Punkt 1: Godkendelse af dagsorden\n\n20/22278\n\nBeslutning\n\nGodkendt.\n\n"
    "Punkt 2: Budget 2032\n\n20/22279\n\nBeslutning\n\nAnbefalet til Økonomiudvalget.\n"
).encode()


@pytest.mark.django_db
def test_agenda_items_without_any_header_ask_for_committee_and_date_and_then_go_in():
    before = table_state()
    with pytest.raises(IngestError) as error:
        ingest_file(data=BARE_ITEMS, file_name="punkter.txt", municipality="Ballerup Kommune")
    assert set(error.value.missing) == {"committee", "date"}
    assert "kunne ikke findes" in error.value.reason
    assert table_state() == before

    result = ingest_file(
        data=BARE_ITEMS,
        file_name="punkter.txt",
        municipality="Ballerup Kommune",
        committee="Økonomiudvalget",
        meeting_date=date(2032, 1, 5),
    )
    meeting = result.meeting
    assert result.status == "created" and meeting is not None
    assert (meeting.committee.name, meeting.date) == ("Økonomiudvalget", date(2032, 1, 5))
    assert list(meeting.items.values_list("number", "case__number")) == [
        (1, "20/22278"),
        (2, "20/22279"),
    ]


@pytest.mark.django_db
def test_a_folder_with_a_manifest_takes_only_the_files_it_names(tmp_path, capsys):
    """Expected parser output kept beside the fixtures (golden JSON) is not read as minutes."""
    (tmp_path / "manifest.json").write_text(
        '{"files": {"referater/ny.txt": "Høje-Taastrup Kommune"}}', "utf-8"
    )
    (tmp_path / "referater").mkdir()
    (tmp_path / "referater" / "ny.txt").write_bytes(seed_000_in_2031())
    (tmp_path / "golden").mkdir()
    (tmp_path / "golden" / "ny.json").write_text('{"kind": "minutes"}', "utf-8")

    call_command("ingest", str(tmp_path), "--no-progress")

    out = capsys.readouterr().out
    assert (
        f"Sprunget over: 1 fil(er), som manifest.json ikke nævner (fx {tmp_path}/golden/ny.json)"
        in out
    )
    assert "oprettet          1" in out and "fejlet            0" in out
    assert not SourceFile.objects.filter(file_name="ny.json").exists()


@pytest.mark.django_db
def test_a_new_meetings_search_rows_are_written_once_with_their_decisions_outcomes():
    """Items are written after their decisions (contents.write_contents), so the search row
    each item gets is complete when inserted: never rewritten by the decisions' trigger."""
    from minutes.models import ItemSearch

    def written() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables "
                "WHERE relname = 'minutes_itemsearch'"
            )
            return cursor.fetchone()

    before = written()
    # The whole meeting ten years on, its decisions' dates too (so they are this meeting's).
    data = seed_path("000").read_bytes().replace(b"2021", b"2031")
    result = ingest_file(data=data, file_name="ny.txt", municipality=HOEJE_TAASTRUP)
    after = written()
    items = list(result.meeting.items.prefetch_related("decisions"))
    inserted, updated = after[0] - before[0], after[1] - before[1]
    assert (inserted, updated) == (len(items), 0)
    decided = 0
    for item in items:
        expected = sorted({d.outcome for d in item.decisions.all() if d.this_meeting})
        assert ItemSearch.objects.get(item=item).outcomes == expected, item.number
        decided += bool(expected)
    assert decided >= 4
