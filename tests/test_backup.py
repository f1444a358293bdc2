"""Backup and restore as README.md describes them, rehearsed on the test database: `pg_dump -Fc`,
`pg_restore` into a fresh database, the same rows in every table and the same meeting page
served from it; then `manage.py reparse --all` rebuilds the archive there from the originals."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from django.test import Client

from .conftest import ROOT

MEETING = "/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/"


def _major(version_output: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version_output)
    return int(found.group(1)) if found else 0


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_tools() -> tuple[str, str]:
    """pg_dump and pg_restore that can read this server: from PATH, else the pgserver wheel's
    (the private server `make test` starts without a machine PostgreSQL). Skips without them."""
    try:
        import pgserver

        wheel_bin = Path(pgserver.__file__).parent / "pginstall" / "bin"
    except ImportError:  # pragma: no cover - pgserver is a dependency
        wheel_bin = None
    server = _server_major()
    candidates = [(shutil.which("pg_dump"), shutil.which("pg_restore"))]
    if wheel_bin is not None:
        candidates.append((str(wheel_bin / "pg_dump"), str(wheel_bin / "pg_restore")))
    for dump, restore in candidates:
        if not (dump and restore and os.access(dump, os.X_OK) and os.access(restore, os.X_OK)):
            continue
        version = subprocess.run([dump, "--version"], capture_output=True, text=True).stdout
        if _major(version.split(")")[-1]) >= server:
            return dump, restore
    pytest.skip(
        f"no pg_dump/pg_restore for PostgreSQL {server} on PATH "
        "(apt-get install postgresql-client, or see /usr/lib/postgresql/*/bin)"
    )


def libpq_env() -> dict[str, str]:
    """The test database's connection as the PG* variables that pg_dump and psql read."""
    s = connection.settings_dict
    env = {**os.environ, "PGUSER": s["USER"] or "", "PGPASSWORD": s["PASSWORD"] or ""}
    if s["HOST"]:
        env["PGHOST"] = s["HOST"]
    if s["PORT"]:
        env["PGPORT"] = str(s["PORT"])
    return env


def database_url(name: str) -> str:
    """A DATABASE_URL (archive/settings.py) for another database on the test server."""
    s = connection.settings_dict
    user = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        user += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or ""
    if host.startswith("/"):  # a socket folder (pgserver)
        return f"postgresql://{user}@/{name}?host={quote(host, safe='')}"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgresql://{user}@{host}{port}/{name}"


def admin_connection(dbname: str = "postgres") -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        autocommit=True,
    )


@contextmanager
def restored_copy(suffix: str) -> Iterator[tuple[str, Path]]:
    """The test database dumped with `pg_dump -Fc` and restored with `pg_restore` into a fresh
    database `<test database>_<suffix>`, dropped afterwards; yields its name and the dump."""
    dump_tool, restore_tool = pg_tools()
    source = connection.settings_dict["NAME"]
    target = f"{source}_{suffix}"
    env = libpq_env()
    dump = Path(f"/tmp/{target}.dump")
    subprocess.run(
        [dump_tool, "-Fc", "--no-owner", "-f", str(dump), source],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{target}"')
    try:
        restored = subprocess.run(
            [restore_tool, "--no-owner", "--exit-on-error", "-d", target, str(dump)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert restored.returncode == 0, restored.stderr
        yield target, dump
    finally:
        dump.unlink(missing_ok=True)
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


DIGEST = (
    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
    'FROM "{table}" t'
)


def table_states(dbname: str) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row, for every table of the public schema."""
    with admin_connection(dbname) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {table: conn.execute(DIGEST.format(table=table)).fetchone() for table in tables}


def manage(dbname: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(dbname),
        # The suite's settings (static files by their plain names), as the page in this process.
        "DJANGO_SETTINGS_MODULE": "archive.test_settings",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


# The meeting page as a separate process serves it from the restored database.
PAGE_SCRIPT = f"""
import django, sys
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
response = Client().get({MEETING!r})
sys.stdout.write(str(response.status_code) + "\\n")
sys.stdout.write(response.content.decode())
"""


@pytest.mark.django_db
def test_a_dump_restored_into_a_fresh_database_is_the_same_archive():
    original_page = Client().get(MEETING)
    assert original_page.status_code == 200
    source = connection.settings_dict["NAME"]
    with restored_copy("restore") as (restored, dump):
        before = table_states(source)
        after = table_states(restored)
        # The archive's tables are all there, with the originals (minutes_sourcefile.content).
        for table in ("minutes_meeting", "minutes_agendaitem", "minutes_sourcefile"):
            assert before[table][0] > 0, table
        assert after == before

        served = manage(restored, "-c", PAGE_SCRIPT)
        assert served.returncode == 0, served.stderr
        status, html = served.stdout.split("\n", 1)
        assert status == "200"
        assert html == original_page.content.decode()

        # The README's last step: rebuild everything from the originals with the current parser.
        rebuilt = manage(restored, "manage.py", "reparse", "--all", "--no-progress")
        assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
        assert re.search(r"fejlet\s+0", rebuilt.stdout)
        rebuilt_state = table_states(restored)
        assert rebuilt_state["minutes_sourcefile"] == before["minutes_sourcefile"]
        assert rebuilt_state["minutes_meeting"][0] == before["minutes_meeting"][0]
        again = manage(restored, "-c", PAGE_SCRIPT)
        assert again.stdout.split("\n", 1)[0] == "200"
        assert "Arbejdsmarkedsudvalget" in again.stdout


def test_the_readme_documents_backup_and_restore():
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Backup and restore", 1)[1].split("\n## ", 1)[0]
    for command in ("pg_dump -Fc", "pg_restore", "manage.py reparse --all"):
        assert command in section
