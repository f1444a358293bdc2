"""Shared fixtures: a test database seeded once with the seed minutes, rolled back per test."""

from __future__ import annotations

import importlib
import json
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text("utf-8"))["files"]
SEEDS = {path: name for path, name in MANIFEST.items() if path.startswith("seeds/")}


def seed_path(prefix: str) -> Path:
    """A seed file by the start of its name, e.g. seed_path('000')."""
    return next((FIXTURES / "seeds").glob(f"{prefix}_*.txt"))


def ingest_seeds() -> None:
    from minutes.services.ingestion import ingest_file

    for relative, municipality in SEEDS.items():
        path = FIXTURES / relative
        ingest_file(data=path.read_bytes(), file_name=path.name, municipality=municipality)


def ensure_archive() -> None:
    """The municipalities and seeds as the session starts with them, if a flush (after a
    transactional test) removed them — with the same ids.

    A flush empties the tables but leaves their id sequences where earlier tests took them (a
    rolled-back insert still uses up its ids), so seeds ingested again would get other ids than
    the session's, a number that depends on every test run before. Ids are not incidental
    here: an item's place in the search sample is a hash of its id, and on a 31-item archive
    the sample decides whether a word counts as in most items (a relaxed question's words).
    The sequences go back to the rows that remain (1 for an emptied table) first.
    """
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    from minutes.models import Meeting, Municipality

    if Meeting.objects.exists():
        return
    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    if not Municipality.objects.exists():
        importlib.import_module("minutes.migrations.0002_municipalities").load(apps, None)
    ingest_seeds()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ingest_seeds()


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with an empty page cache: a page one test rendered (from rows it then
    rolled back) is not served to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def development_documents():
    """The development documents `make run` loads besides the seeds (the session has those)."""
    from minutes.services.ingestion import ingest_file

    for relative, municipality in MANIFEST.items():
        if relative in SEEDS:
            continue
        path = FIXTURES / relative
        ingest_file(data=path.read_bytes(), file_name=path.name, municipality=municipality)


@pytest.fixture
def staff_client(client, django_user_model):
    """A logged-in admin (superuser) for the upload pages."""
    # No password: force_login needs none, and hashing one costs a second per test.
    user = django_user_model.objects.create_user(
        username="redaktør", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    client.user = user
    return client


def loopback_works() -> bool:
    """Whether this machine can reach a server on 127.0.0.1 (not so under `unshare -n`, where
    the loopback interface is down: no browser reaches the live server, no replica its primary)."""
    try:
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen()
            socket.create_connection(server.getsockname(), timeout=2).close()
        return True
    except OSError:
        return False
