"""`make run` on a fresh machine: the database named in DATABASE_URL is created when missing, and
the archive runs with DEBUG off (the Danish 404 for a mistyped URL), over plain HTTP, with a
key of its own; `make dev` is the run with DEBUG on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.core.management import call_command
from django.test import Client

from .conftest import ROOT

MAKEFILE = (ROOT / "Makefile").read_text("utf-8")


def _target(name: str) -> str:
    return MAKEFILE.split(f"\n{name}:", 1)[1].split("\n\n", 1)[0]


def _server_url(database: str) -> str:
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/referatarkivet")
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


def _drop(database: str) -> None:
    with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')


def test_a_database_url_naming_a_missing_database_gets_it_created():
    fresh = "localdb_fresh_probe"
    _drop(fresh)
    url = _server_url(fresh)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "archive.localdb"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == url
        assert f"created database {fresh}" in result.stderr
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database()").fetchone()[0] == fresh
        # Asked again, the database is there and nothing is created.
        again = subprocess.run(
            [sys.executable, "-m", "archive.localdb"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "created" not in again.stderr
    finally:
        _drop(fresh)


def test_make_run_runs_without_debug_and_make_dev_with_it():
    run, dev = _target("run"), _target("dev")
    assert "DEBUG" not in run
    assert "LOCAL_HTTP=true" in run and "archive.localkey" in run
    # Hashed static files exist before the server starts (whitenoise serves them).
    assert run.index("collectstatic") < run.index("runserver")
    assert "DEBUG=true" in dev


def test_the_run_settings_serve_plain_http_with_a_key_of_their_own(tmp_path):
    key_file = tmp_path / "secret_key"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "LOCAL_HTTP"}
    }
    env["LOCAL_SECRET_KEY_FILE"] = str(key_file)
    key = subprocess.run(
        [sys.executable, "-m", "archive.localkey"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert len(key) >= 50 and key_file.read_text("utf-8") == key
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    probe = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )

    def settings_with(**extra: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", probe],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "archive.settings", "SECRET_KEY": key, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert settings_with(LOCAL_HTTP="true") == "False False False False"
    # Without it (production), HTTPS everywhere.
    assert settings_with() == "False True True True"


@pytest.mark.django_db
def test_a_mistyped_url_under_the_run_settings_is_the_danish_404(settings, tmp_path):
    """DEBUG off with hashed static files, as `make run` serves: the Danish page, styled."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    response = client.get("/hoeje-taastrup/arbejdsmarkedsudvalget/2021-06-02/x/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Siden findes ikke</h1>" in html
    assert "Traceback" not in html and "URLconf" not in html
    stylesheet = re.search(r'href="(/static/css/archive\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet is not None
    assert client.get(stylesheet.group(1)).status_code == 200


def test_a_web_worker_freezes_what_it_has_loaded():
    """archive/wsgi.py moves the loaded modules' objects out of the garbage collector's full
    collections (a 30 ms pause every few hundred requests otherwise). In a process of its own:
    freezing this one would change every other test's collections."""
    code = "import gc, archive.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.test_settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert int(out.stdout.strip()) > 10_000
