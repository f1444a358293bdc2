"""Read replicas (archive/db_router.py) against a real streaming replica.

The fixture starts a primary PostgreSQL cluster of its own on a free loopback port (the test
server's configuration is not ours to change, and it need not accept replication connections),
migrates and loads a seed meeting into it, makes a replica of it with `pg_basebackup -R` and
starts that as a hot standby streaming from the primary. The archive then runs under gunicorn
with DATABASE_URL on the primary and DATABASE_REPLICA_URLS on the replica.

With the replica's replay paused, a meeting ingested on the primary is missing from the public
pages (they read the replica) but present in the admin and for a logged-in editor (they read the
primary); every write (ingest, user, login) succeeds although the replica refuses writes. When
replay resumes, the meeting appears on the public pages and in search.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from loadtest.server import free_port
from loadtest.server import gunicorn as serve

from .conftest import ROOT, loopback_works, seed_path

DATABASE = "ra_replica"
WORD_OF_SEED_001 = "entreprenørskab"  # in seed 001 only


def _postgres_binaries() -> Path | None:
    """The folder with initdb, pg_ctl and pg_basebackup: pg_config's, else Debian's newest,
    else the `pgserver` wheel's (the embedded server of a bare machine ships them too)."""
    candidates = []
    if os.environ.get("REPLICA_TEST_BINARIES"):  # to run the test on chosen binaries
        candidates.append(Path(os.environ["REPLICA_TEST_BINARIES"]))
    if shutil.which("pg_config"):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(Path(bindir.stdout.strip()))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    with contextlib.suppress(ImportError):
        import pgserver

        candidates.append(Path(pgserver.__file__).parent / "pginstall" / "bin")
    needed = ("initdb", "pg_ctl", "pg_basebackup", "postgres")
    return next((d for d in candidates if all((d / name).exists() for name in needed)), None)


def _run_as() -> list[str]:
    """PostgreSQL refuses to run as root: as root, the clusters run as the `postgres` user."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no `postgres` user to run a cluster as")
    if not shutil.which("runuser"):
        pytest.skip("running as root and there is no `runuser` to start a cluster as postgres")
    return ["runuser", "-u", "postgres", "--"]


def _url(port: int, database: str = DATABASE) -> str:
    return f"postgresql://postgres@127.0.0.1:{port}/{database}"


@dataclass
class Pair:
    primary: str
    replica: str
    folder: Path

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "DATABASE_REPLICA_URLS", "CACHE_URL", "DEBUG"}
        }
        env.update(
            # Static files by their plain names: nothing was collected for this run.
            DJANGO_SETTINGS_MODULE="archive.test_settings",
            DATABASE_URL=self.primary,
            DATABASE_REPLICA_URLS=self.replica,
            LOCAL_HTTP="true",
        )
        return env

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    if not loopback_works():
        pytest.skip(
            "no loopback network (e.g. under `unshare -n`): a replica cannot reach its primary"
        )
    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip(
            "no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) on this machine to "
            "start a primary and a streaming replica with"
        )
    as_postgres = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="ra-replica-"))
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    started: list[Path] = []

    def pg(*args: str | Path) -> None:
        done = subprocess.run(
            [*as_postgres, *map(str, args)], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"

    def start(data: Path, port: int) -> None:
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} "
            "-c fsync=off -c shared_buffers=32MB -c max_connections=30"
        )
        pg(binaries / "pg_ctl", "-D", data, "-o", options, "-l", f"{data}.log", "-w", "start")
        started.append(data)

    try:
        primary_port, replica_port = free_port(), free_port()
        primary, replica = folder / "primary", folder / "replica"
        # initdb's pg_hba.conf trusts replication connections from loopback with -A trust.
        pg(binaries / "initdb", "-D", primary, "-A", "trust", "-U", "postgres", "-E", "UTF8")
        start(primary, primary_port)
        with psycopg.connect(_url(primary_port, "postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        found = Pair(_url(primary_port), _url(replica_port), folder)
        found.manage("migrate", "--noinput", "-v0")
        found.manage("ingest", str(seed_path("000")), "--municipality", "Høje-Taastrup Kommune")
        pg(
            binaries / "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres"),
            *("-D", replica, "-R", "-X", "stream", "-c", "fast"),
        )
        start(replica, replica_port)
        with psycopg.connect(found.replica) as conn:
            assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
        yield found
    finally:
        for data in reversed(started):
            subprocess.run(
                [
                    *as_postgres,
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "immediate",
                    "stop",
                ],
                capture_output=True,
            )
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    try:
        with serve(
            ["--workers", "1", "--threads", "2", "--graceful-timeout", "5"], log, env=env
        ) as base:
            yield base
    finally:
        print(log.read_text()[-5000:])  # shown by pytest when the test fails


class Browser:
    """A client with cookies (a visitor, or an editor once logged in)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, username: str, password: str) -> None:
        status, page = self.get("/admin/login/")
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            self.base + "/admin/login/?next=/admin/", data=form, headers={"Referer": self.base}
        )
        with self.opener.open(request, timeout=30) as response:
            assert response.url.endswith("/admin/"), "login failed"


def _meetings(pair: Pair) -> dict[int, str]:
    """Every meeting's id and public URL, read by a command (on the primary)."""
    out = pair.manage(
        "shell",
        "-c",
        "import json; from minutes.models import Meeting; "
        "print(json.dumps({m.pk: m.get_absolute_url() for m in Meeting.objects.all()}))",
    )
    return {int(pk): url for pk, url in json.loads(out.strip().splitlines()[-1]).items()}


def _public_paths(meeting_url: str) -> list[str]:
    """The meeting's page, its committee's page, feed and export."""
    committee = meeting_url.rstrip("/").rsplit("/", 1)[0] + "/"
    return [meeting_url, committee, committee + "feed/", committee + "punkter.csv"]


def _search_page() -> str:
    return "/soeg/?q=" + urllib.parse.quote(WORD_OF_SEED_001)


def _search_total(browser: Browser, word: str) -> int:
    status, body = browser.get("/api/search?q=" + urllib.parse.quote(word))
    assert status == 200, body
    return json.loads(body)["total"]


def _sessions(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM django_session").fetchone()[0]


def _replica_has(pair: Pair, meeting_id: int) -> bool:
    with psycopg.connect(pair.replica) as conn:
        return bool(
            conn.execute("SELECT 1 FROM minutes_meeting WHERE id = %s", [meeting_id]).fetchone()
        )


def test_public_reads_from_the_replica_writes_and_admin_on_the_primary(pair):
    before = _meetings(pair)
    assert len(before) == 1
    ((old_id, old_url),) = before.items()

    with psycopg.connect(pair.replica, autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 30
        while conn.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != "paused":
            assert time.monotonic() < deadline
            time.sleep(0.1)

    # Writes with the replica configured: they go to the primary (the replica refuses writes).
    pair.manage("ingest", str(seed_path("001")), "--municipality", "Høje-Taastrup Kommune")
    password = "replica-test-Kodeord-1"
    env = {**pair.env(), "DJANGO_SUPERUSER_PASSWORD": password}
    created = subprocess.run(
        [sys.executable, "manage.py", "createsuperuser", "--noinput"]
        + ["--username", "redaktør", "--email", "r@example.org"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    ((new_id, new_url),) = ((pk, url) for pk, url in _meetings(pair).items() if pk not in before)
    assert not _replica_has(pair, new_id)

    with gunicorn(pair.env(), pair.folder / "gunicorn.log") as base:
        visitor = Browser(base)
        assert visitor.get(old_url)[0] == 200
        # Page views, search, feeds and exports read the replica, which has not replayed the
        # new meeting (nor its committee, new to the archive).
        for path in _public_paths(new_url):
            assert visitor.get(path)[0] == 404, path
        assert _search_total(visitor, WORD_OF_SEED_001) == 0
        assert "Socialudvalget" not in visitor.get(_search_page())[1]

        editor = Browser(base)
        editor.log_in("redaktør", password)  # the session and axes' records: writes
        assert _sessions(pair.primary) == 1 and _sessions(pair.replica) == 0
        status, page = editor.get(f"/admin/minutes/meeting/{new_id}/change/")
        assert status == 200 and "Socialudvalget" in page
        # A logged-in editor reads the primary on the public pages too: read-your-writes.
        status, page = editor.get(new_url)
        assert status == 200 and "Socialudvalget" in page
        assert _search_total(editor, WORD_OF_SEED_001) > 0
        # The visitor still reads the replica.
        assert visitor.get(new_url)[0] == 404

        with psycopg.connect(pair.replica, autocommit=True) as conn:
            conn.execute("SELECT pg_wal_replay_resume()")
        deadline = time.monotonic() + 60
        while not _replica_has(pair, new_id):
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.2)

        for path in _public_paths(new_url):
            status, page = visitor.get(path)
            assert status == 200 and "Socialudvalget" in page, path
        assert _search_total(visitor, WORD_OF_SEED_001) > 0
        assert "Socialudvalget" in visitor.get(_search_page())[1]
        assert visitor.get(old_url)[0] == 200


def test_any_number_of_replicas_in_the_settings():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings"}
    env["DATABASE_REPLICA_URLS"] = (
        "postgresql://reader@10.0.0.2:5432/arkiv, postgresql://reader@10.0.0.3:5432/arkiv"
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASE_REPLICAS, "
        "[s.DATABASES[a]['HOST'] for a in s.DATABASE_REPLICAS], "
        "[s.DATABASES[a]['TEST'] for a in s.DATABASE_REPLICAS], "
        "[s.DATABASES[a]['OPTIONS'] == s.DATABASES['default']['OPTIONS'] "
        "for a in s.DATABASE_REPLICAS]]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    aliases, hosts, tests, same_options = json.loads(done.stdout)
    assert aliases == ["replica_1", "replica_2"]
    assert hosts == ["10.0.0.2", "10.0.0.3"]
    assert [test["MIRROR"] for test in tests] == ["default", "default"]
    assert same_options == [True, True]


def test_settings_behind_pgbouncer_in_transaction_mode():
    """No server-side cursors and no `options` startup parameter, which pgbouncer refuses."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({a: [d.get('DISABLE_SERVER_SIDE_CURSORS', False), "
        "'options' in d['OPTIONS']] for a, d in s.DATABASES.items()}))"
    )
    found = {}
    for pooler in ("", "pgbouncer"):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings"}
        env.update(DATABASE_POOLER=pooler, DATABASE_REPLICA_URLS="postgresql://r@10.0.0.2/arkiv")
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        found[pooler] = json.loads(done.stdout)
    assert found[""] == {"default": [False, True], "replica_1": [False, True]}
    assert found["pgbouncer"] == {"default": [True, False], "replica_1": [True, False]}
