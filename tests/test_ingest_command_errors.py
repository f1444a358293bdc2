"""`manage.py ingest` past database errors: the file the database refused is reported by name and
logged as failed; every other file goes in, and every stored meeting has its upload-log row."""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection

from bench import corpus
from minutes.models import Meeting, UploadAudit
from minutes.services import batch as batch_module

from .test_backup import admin_connection, manage, restored_copy


def generated(tmp_path, count: int, seed: int = 11):
    """`count` new minutes of one municipality, written to tmp_path."""
    plan = corpus.plan_municipalities(seed, 20_000)[0]
    minutes = list(islice(corpus.municipality_minutes(seed, plan), count))
    for m in minutes:
        (tmp_path / m.file_name).write_bytes(m.data)
    return plan, minutes


def ingest(tmp_path, plan) -> None:
    call_command("ingest", str(tmp_path), "--municipality", plan.authority.name, "--no-progress")


def stored_meetings(plan):
    return Meeting.objects.filter(committee__municipality__code=plan.authority.code)


def assert_every_stored_meeting_is_logged(plan, expected_files: set[str]) -> None:
    stored = stored_meetings(plan).select_related("source")
    assert {m.source.file_name for m in stored} == expected_files
    created = UploadAudit.objects.filter(channel="command", outcome="created")
    assert sorted(created.values_list("meeting_id", flat=True)) == sorted(m.pk for m in stored)


def refuse_meeting_trigger(committee: str, day) -> str:
    """A trigger that makes PostgreSQL refuse one meeting, wherever it is written from."""
    return f"""
        CREATE FUNCTION refuse_one_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.date = DATE '{day.isoformat()}' AND (
                SELECT name FROM minutes_committee WHERE id = NEW.committee_id
            ) = '{committee.replace("'", "''")}' THEN
                RAISE EXCEPTION 'injiceret fejl for ét møde';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_one_meeting BEFORE INSERT ON minutes_meeting
            FOR EACH ROW EXECUTE FUNCTION refuse_one_meeting();
    """


@pytest.mark.django_db
def test_a_file_the_database_refuses_costs_only_that_file(tmp_path, capsys):
    """The batch is refused (the trigger), so every file goes through ingest_file alone, and
    the database refuses one of them there: the command carries on with the rest."""
    plan, minutes = generated(tmp_path, 6)
    victim = minutes[2]
    with connection.cursor() as cursor:
        cursor.execute(refuse_meeting_trigger(victim.committee, victim.date))
    with pytest.raises(CommandError, match=r"^1 fil\(er\) kunne ikke indlæses$"):
        ingest(tmp_path, plan)
    out = capsys.readouterr().out
    assert re.search(r"oprettet\s+5\n", out)
    assert re.search(r"fejlet\s+1\n", out)
    assert f"{victim.file_name}: Databasefejl: injiceret fejl for ét møde" in out
    assert_every_stored_meeting_is_logged(plan, {m.file_name for m in minutes} - {victim.file_name})
    failed = UploadAudit.objects.get(channel="command", outcome="failed")
    assert failed.file_name == str(tmp_path / victim.file_name)  # named as given
    assert failed.reason == "Databasefejl: injiceret fejl for ét møde"
    assert failed.meeting is None


@pytest.mark.django_db
def test_a_database_error_after_the_batch_went_in_leaves_no_stored_meeting_unlogged(
    tmp_path, capsys, monkeypatch
):
    """The case of the issue: the batch's new meetings are committed, then the per-file
    fallback (a second version of one of them) fails in the database."""
    plan, minutes = generated(tmp_path, 6)
    second = "zz-rettet-" + minutes[0].file_name  # sorts after the first version
    (tmp_path / second).write_bytes(minutes[0].data.replace(b"\n", b"\n\n", 1))
    real = batch_module.ingest_file

    def connection_lost(step: str) -> None:
        if step == "meeting":
            raise OperationalError("server closed the connection unexpectedly")

    def ingest_file(**kwargs):
        if kwargs["file_name"] == second:
            kwargs["after_write"] = connection_lost
        return real(**kwargs)

    monkeypatch.setattr(batch_module, "ingest_file", ingest_file)
    with pytest.raises(CommandError, match=r"^1 fil\(er\) kunne ikke indlæses$"):
        ingest(tmp_path, plan)
    out = capsys.readouterr().out
    assert f"{second}: Databasefejl: server closed the connection unexpectedly" in out
    assert_every_stored_meeting_is_logged(plan, {m.file_name for m in minutes})
    failed = UploadAudit.objects.get(channel="command", outcome="failed")
    assert failed.file_name == str(tmp_path / second)


@pytest.mark.django_db
def test_a_whole_batch_failing_in_the_database_does_not_stop_the_next(
    tmp_path, capsys, monkeypatch
):
    from minutes.management.commands import ingest as command

    plan, minutes = generated(tmp_path, 6)
    monkeypatch.setattr(command, "BATCH_FILES", 3)
    calls = []
    real = command.ingest_batch

    def ingest_batch(*, files):
        calls.append([f.file_name for f in files])
        if len(calls) == 1:
            raise OperationalError("the database system is starting up")
        return real(files=files)

    monkeypatch.setattr(command, "ingest_batch", ingest_batch)
    with pytest.raises(CommandError, match=r"^3 fil\(er\) kunne ikke indlæses$"):
        ingest(tmp_path, plan)
    out = capsys.readouterr().out
    first, later = calls
    for name in first:
        assert f"{name}: Databasefejl: the database system is starting up" in out
    assert_every_stored_meeting_is_logged(plan, set(later))
    failed = UploadAudit.objects.filter(channel="command", outcome="failed")
    assert sorted(Path(name).name for name in failed.values_list("file_name", flat=True)) == sorted(
        first
    )


KILL_TRIGGER = """
    CREATE FUNCTION kill_on_one_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.date = DATE '{day}' AND (
            SELECT name FROM minutes_committee WHERE id = NEW.committee_id
        ) = '{committee}' THEN
            PERFORM pg_terminate_backend(pg_backend_pid());
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER kill_on_one_meeting BEFORE INSERT ON minutes_meeting
        FOR EACH ROW EXECUTE FUNCTION kill_on_one_meeting();

    -- And once while the upload log is written (a sequence, as it outlives the rollback).
    CREATE SEQUENCE audit_inserts;
    CREATE FUNCTION kill_on_first_log_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF nextval('audit_inserts') = 1 THEN
            PERFORM pg_terminate_backend(pg_backend_pid());
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER kill_on_first_log_row BEFORE INSERT ON minutes_uploadaudit
        FOR EACH ROW EXECUTE FUNCTION kill_on_first_log_row();
"""


@pytest.mark.django_db
def test_a_killed_database_connection_mid_ingest_is_reopened_for_the_next_file(tmp_path):
    """The real thing, in a copy of the test database: PostgreSQL ends the command's connection
    while it writes one meeting, and again while it writes the first upload-log row (as
    `pg_terminate_backend` or a restart would). The command opens a new connection, stores and
    logs every other file, and names the one it lost."""
    plan, minutes = generated(tmp_path, 5)
    victim = minutes[1]
    with restored_copy("ingest_kill") as (scratch, _dump):
        with admin_connection(scratch) as conn:
            conn.execute(
                KILL_TRIGGER.format(
                    day=victim.date.isoformat(), committee=victim.committee.replace("'", "''")
                )
            )
        result = manage(
            scratch,
            "manage.py",
            "ingest",
            str(tmp_path),
            "--municipality",
            plan.authority.name,
            "--no-progress",
        )
        assert result.returncode == 1, result.stdout + result.stderr
        assert "1 fil(er) kunne ikke indlæses" in result.stderr
        assert "Traceback" not in result.stderr
        assert re.search(rf"{re.escape(victim.file_name)}: Databasefejl: .*terminat", result.stdout)
        with admin_connection(scratch) as conn:
            stored = dict(
                conn.execute(
                    "SELECT s.file_name, m.id FROM minutes_meeting m "
                    "JOIN minutes_sourcefile s ON s.id = m.source_id "
                    "JOIN minutes_committee c ON c.id = m.committee_id "
                    "JOIN minutes_municipality k ON k.id = c.municipality_id WHERE k.code = %s",
                    [plan.authority.code],
                ).fetchall()
            )
            logged = conn.execute(
                "SELECT file_name, outcome, meeting_id FROM minutes_uploadaudit "
                "WHERE channel = 'command'"
            ).fetchall()
        assert set(stored) == {m.file_name for m in minutes} - {victim.file_name}
        assert sorted(
            (Path(name).name, meeting) for name, _outcome, meeting in logged if meeting
        ) == sorted(stored.items())
        assert [(Path(n).name, o) for n, o, _ in logged if o != "created"] == [
            (victim.file_name, "failed")
        ]


def test_a_refusal_crosses_processes_whole():
    """A loading process (the bench's, a reading ahead) sends its refusals back pickled: the
    error must arrive with its file, reason, what is missing and the problems, not break the
    pool (Exception pickles only the message)."""
    import pickle

    from minutes.services.reading import IngestError

    error = IngestError("a.txt", "holdt tilbage", missing=("committee",), problems=("6 af 17",))
    again = pickle.loads(pickle.dumps(error))
    assert (again.file_name, again.reason, again.missing, again.problems, str(again)) == (
        "a.txt",
        "holdt tilbage",
        ("committee",),
        ("6 af 17",),
        "a.txt: holdt tilbage",
    )
