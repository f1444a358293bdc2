"""`make run` and `make test` find or start PostgreSQL (archive/localdb.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg

from .conftest import ROOT


def run_localdb(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archive.localdb", "--database", "localdb_probe"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_database_url_from_the_environment_wins():
    result = run_localdb({"DATABASE_URL": "postgresql://someone@db.example:5432/x"})
    assert result.stdout.strip() == "postgresql://someone@db.example:5432/x"
    assert "DATABASE_URL from the environment" in result.stderr


def test_without_a_server_it_starts_a_private_one_from_pgserver(tmp_path):
    env = {"LOCALDB_SKIP_LOCAL": "1", "LOCALDB_PGDATA": str(tmp_path / "pgdata")}
    env_without_url = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "archive.localdb", "--database", "localdb_probe"],
        cwd=ROOT,
        env={**env_without_url, **env},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "private pgserver PostgreSQL" in result.stderr
    url = result.stdout.strip()
    try:
        with psycopg.connect(url) as conn:
            danish = conn.execute("SELECT to_tsvector('danish', 'botilbuddene')::text").fetchone()[
                0
            ]
        assert danish == "'botilbud':1"
        # The whole schema migrates there too (a fresh machine's `make run`), whether or not
        # that build of PostgreSQL has lz4 (migration 0010 falls back to pglz).
        migrated = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={**env_without_url, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrated.returncode == 0, migrated.stderr
        with psycopg.connect(url) as conn:
            applied = conn.execute(
                "SELECT count(*) FROM django_migrations WHERE app = 'minutes' "
                "AND name = '0010_lz4_compression'"
            ).fetchone()[0]
        assert applied == 1
    finally:
        import pgserver

        pgserver.get_server(tmp_path / "pgdata").cleanup()


def test_deploy_check_is_clean_with_debug_off_and_real_values():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "referatarkivet.dk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
