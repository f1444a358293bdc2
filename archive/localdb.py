"""Find or start the PostgreSQL server that `make run`, `make test` and `make bench` use.

Order: $DATABASE_URL if set; else PostgreSQL on 127.0.0.1:5432 (user postgres) if it answers;
else a private server from the `pgserver` wheel with its data under var/pgdata.
Prints the resulting URL on stdout (for the Makefile) and which server is in use on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/{database}"


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _ensure_database(url: str, database: str) -> None:
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def _ensure_named_database(url: str) -> str:
    """Create the database a DATABASE_URL names when its server answers and it is missing, so
    `DATABASE_URL=…/newname make run` works on a fresh name. A server that does not answer, or
    a user who may not create databases, is left to `migrate` to report."""
    database = urlsplit(url).path.lstrip("/")
    if not database:
        return ""
    try:
        with psycopg.connect(url, connect_timeout=3):
            return ""
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            return ""
    try:
        _ensure_database(url, database)
    except psycopg.Error as exc:
        return f"; could not create database {database}: {str(exc).strip()}"
    return f"; created database {database}"


def resolve(database: str) -> tuple[str, str]:
    """Return (url, description of the server in use)."""
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        return url, "DATABASE_URL from the environment" + _ensure_named_database(url)
    local = LOCAL_URL.format(database="postgres")
    # LOCALDB_SKIP_LOCAL lets the tests exercise the private-server path on a machine that has one.
    if not os.environ.get("LOCALDB_SKIP_LOCAL") and _answers(local):
        _ensure_database(local, database)
        return LOCAL_URL.format(database=database), "PostgreSQL at 127.0.0.1:5432"
    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver  # imported late: only needed on a machine without a server

    pgdata = Path(os.environ.get("LOCALDB_PGDATA", ROOT / "var" / "pgdata"))
    pgdata.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None keeps the server running after this process exits, for runserver/pytest.
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    base = server.get_uri("postgres")
    _ensure_database(base, database)
    return server.get_uri(database), f"private pgserver PostgreSQL under {pgdata}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="referatarkivet")
    args = parser.parse_args()
    url, what = resolve(args.database)
    print(f"Database: {what}", file=sys.stderr)
    print(url)


if __name__ == "__main__":
    main()
