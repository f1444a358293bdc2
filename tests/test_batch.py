"""`ingest_batch`, the bulk import: the same archive, row by row, as `ingest_file` file by file."""

from __future__ import annotations

from itertools import islice

import pytest
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from bench import corpus
from minutes.models import (
    Case,
    Committee,
    Document,
    ItemSearch,
    Meeting,
    SourceFile,
)
from minutes.services.batch import BatchFile, ingest_batch
from minutes.services.contents import meeting_fingerprint
from minutes.services.ingestion import IngestError, IngestResult, ingest_file
from minutes.services.parse_ahead import parsed_ahead

from .conftest import seed_path
from .test_ingestion import HOEJE_TAASTRUP, archive_state, seed_000_in_2031

pytestmark = pytest.mark.django_db


def archive_by_natural_keys() -> dict:
    """Everything ingestion writes, keyed by what identifies it rather than by ids (which two
    runs draw differently). The hash sample is left out: it is a hash of the item id."""
    meetings = {}
    for meeting in Meeting.objects.select_related("committee", "source"):
        committee = meeting.committee
        fingerprint = meeting_fingerprint(meeting)[1:]
        versions = sorted(meeting.versions.values_list("source__sha256", flat=True))
        key = (committee.municipality_id, committee.name, committee.slug, meeting.date)
        meetings[key, meeting.kind] = (fingerprint, meeting.source.sha256, versions)
    return {
        "meetings": meetings,
        "search": sorted(
            ItemSearch.objects.values_list(
                "item__meeting__committee__name",
                "item__meeting__date",
                "item__position",
                "date",
                "year",
                "municipality_id",
                "committee__name",
                "case__normalised",
                "outcomes",
                "closed",
                "title_vector",
                "lead_vector",
                "vector",
            )
        ),
        "cases": sorted(Case.objects.values_list("municipality_id", "number", "normalised")),
        "committees": sorted(Committee.objects.values_list("municipality_id", "name", "slug")),
        "documents": sorted(
            (d.municipality_id, d.slug, d.title, d.term, d.source.sha256)
            + tuple(d.sections.order_by("position").values_list("heading", "level", "text"))
            for d in Document.objects.select_related("source")
        ),
        # The original bytes too: the batch writes them with COPY, ingest_file with save().
        "sources": sorted(
            (*row[:-1], bytes(row[-1]))
            for row in SourceFile.objects.values_list(
                "sha256",
                "file_name",
                "size",
                "content_type",
                "municipality_id",
                "reader",
                "corrections",
                "content",
            )
        ),
    }


def outcome(result: IngestResult | IngestError) -> tuple:
    if isinstance(result, IngestError):
        return ("error", result.file_name, result.reason, result.missing)
    return (result.status, result.file_name, result.warnings)


def mixed_files() -> list[BatchFile]:
    """New meetings of two municipalities, with what a real bulk import also meets: the same
    file twice, a second version of a new meeting, a new version of a stored one, a document,
    an empty file, an unknown municipality, and a municipality found in the text."""
    plans = corpus.plan_municipalities(3, 20_000)
    first, second = (list(islice(corpus.municipality_minutes(3, plan), 8)) for plan in plans[:2])
    files = [BatchFile(m.data, m.file_name, plans[0].authority.name) for m in first]
    files += [BatchFile(m.data, m.file_name, plans[1].authority.name) for m in second[:-1]]
    files.append(BatchFile(second[-1].data, second[-1].file_name))  # found in the text
    revised = first[2].data.replace(b"Godkendt.", "Godkendt med en bemærkning.".encode(), 1)
    assert revised != first[2].data
    budget = seed_path("003")  # the budget document
    files += [
        BatchFile(first[1].data, "igen-" + first[1].file_name, plans[0].authority.name),
        BatchFile(revised, "rettet-" + first[2].file_name, plans[0].authority.name),
        BatchFile(
            seed_path("000").read_bytes().replace(b"Godkendt.", b"Godkendt med rettelser.", 1),
            "rettet.txt",
            HOEJE_TAASTRUP,
        ),
        BatchFile(seed_000_in_2031(), "ny.txt", HOEJE_TAASTRUP),
        BatchFile(budget.read_bytes() + b"\nRettelse.\n", budget.name, HOEJE_TAASTRUP),
        BatchFile(b"", "tom.txt", HOEJE_TAASTRUP),
        BatchFile(first[3].data + b"\n", "atlantis.txt", "Atlantis Kommune"),
    ]
    return files


def file_by_file(files: list[BatchFile]) -> list[IngestResult | IngestError]:
    results: list[IngestResult | IngestError] = []
    for file in files:
        try:
            results.append(
                ingest_file(
                    data=file.data, file_name=file.file_name, municipality=file.municipality
                )
            )
        except IngestError as exc:
            results.append(exc)
    return results


def one_by_one_then_undone(files: list[BatchFile]) -> tuple[list, dict]:
    """The results and the archive of ingesting `files` file by file, rolled back after."""
    before = transaction.savepoint()
    expected = file_by_file(files)
    archive = archive_by_natural_keys()
    transaction.savepoint_rollback(before)
    return expected, archive


def test_a_batch_gives_the_archive_and_the_results_of_ingesting_file_by_file():
    files = mixed_files()
    before = transaction.savepoint()
    with CaptureQueriesContext(connection) as one_by_one:
        expected = file_by_file(files)
    expected_archive = archive_by_natural_keys()
    transaction.savepoint_rollback(before)

    with CaptureQueriesContext(connection) as batched:
        results = ingest_batch(files=files)
    assert [outcome(r) for r in results] == [outcome(r) for r in expected]
    assert archive_by_natural_keys() == expected_archive
    statuses = [r.status if isinstance(r, IngestResult) else "error" for r in results]
    assert statuses.count("created") == 17
    assert statuses.count("updated") == 3  # the revised file, the seed, the budget document
    assert statuses.count("unchanged") == 1 and statuses.count("error") == 2
    # The new meetings went in together, not one by one.
    assert len(batched) < len(one_by_one) / 2


def test_batches_read_ahead_by_other_processes_give_the_same_archive_and_results():
    # `manage.py ingest` and the benchmark read the next batch in worker processes while this
    # one is written: the same results and archive as file by file, every file with its
    # municipality given read ahead, the others read by the writer.
    files = mixed_files()
    expected, expected_archive = one_by_one_then_undone(files)

    batches = list(parsed_ahead([files[:12], files[12:]], processes=2))
    assert [len(b) for b in batches] == [12, len(files) - 12]
    read_ahead = {f.file_name for b in batches for f in b if f.parsed is not None}
    assert read_ahead == {
        f.file_name
        for f in files
        if f.data and f.municipality and f.municipality != "Atlantis Kommune"
    }
    results = [r for batch in batches for r in ingest_batch(files=batch)]
    assert [outcome(r) for r in results] == [outcome(r) for r in expected]
    assert archive_by_natural_keys() == expected_archive


def test_a_batch_the_database_refuses_is_rolled_back_and_its_files_go_in_one_by_one():
    files = mixed_files()
    expected, expected_archive = one_by_one_then_undone(files)

    def refuse(name: str) -> None:
        if name == "items":
            raise DatabaseError("injected")

    results = ingest_batch(files=files, after_write=refuse)
    assert [outcome(r) for r in results] == [outcome(r) for r in expected]
    assert archive_by_natural_keys() == expected_archive


def test_any_other_failure_half_way_leaves_every_table_as_before():
    files = mixed_files()
    before = archive_state()

    def fail(name: str) -> None:
        if name == "items":
            raise RuntimeError("injected")

    with pytest.raises(RuntimeError):
        ingest_batch(files=files, after_write=fail)
    assert archive_state() == before


def test_the_ingest_command_sends_more_files_than_a_batch_and_reports_every_one(tmp_path, capsys):
    from django.core.management import call_command

    from minutes.models import UploadAudit
    from minutes.services.batch import BATCH_FILES

    plan = corpus.plan_municipalities(5, 20_000)[0]
    minutes = list(islice(corpus.municipality_minutes(5, plan), BATCH_FILES + 7))
    for m in minutes:
        (tmp_path / m.file_name).write_bytes(m.data)
    (tmp_path / "tom.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="1 fil"):
        call_command(
            "ingest", str(tmp_path), "--municipality", plan.authority.name, "--no-progress"
        )
    out = capsys.readouterr().out
    assert f"oprettet     {len(minutes):>6}" in out
    assert "fejlet            1" in out
    audits = UploadAudit.objects.filter(channel="command")
    assert audits.filter(outcome="created").count() == len(minutes)
    assert audits.get(outcome="failed").file_name.endswith("tom.txt")
    stored = set(
        Meeting.objects.filter(committee__municipality__code=plan.authority.code).values_list(
            "source__file_name", flat=True
        )
    )
    assert stored == {m.file_name for m in minutes}


def test_a_file_whose_reading_ahead_ran_out_of_time_is_refused_without_a_second_reading():
    # The worker's refusal travels with the file: the writer reports it instead of reading the
    # file again for as long (a hostile file would otherwise hold the import twice as long).
    from minutes.parsing import budget

    plan = corpus.plan_municipalities(3, 20_000)[0]
    (quick,) = islice(corpus.municipality_minutes(3, plan), 1)
    slow = quick.data * 400  # 25 megabytes of minutes: seconds to read
    files = [
        BatchFile(quick.data, quick.file_name, plan.authority.name),
        BatchFile(slow, "lang.txt", plan.authority.name),
    ]
    with budget.time_limit(1):
        (batch,) = parsed_ahead([files], processes=1)
    assert batch[0].parsed is not None and batch[0].over_time is None
    assert batch[1].parsed is None
    assert batch[1].over_time.startswith("Filen tog mere end 1 sekunder at læse")
    first, second = ingest_batch(files=batch)
    assert isinstance(first, IngestResult) and first.status == "created"
    assert isinstance(second, IngestError) and second.reason == batch[1].over_time
