"""`python -m bench --parts live`: the search page through gunicorn, one request at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bench.live import run_live
from bench.queries import Query
from tests.conftest import loopback_works
from tests.test_backup import database_url

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not loopback_works(), reason="no loopback: gunicorn cannot be reached"),
]


def test_the_live_search_page_is_served_by_gunicorn_and_timed():
    # gunicorn reads the test database, where the seed minutes are committed (conftest).
    queries = [
        Query("et ord", "word", {"q": "budget"}),
        Query("intet træf", "word", {"q": "zzzxqqq"}),
        Query("nyeste først", "sort", {"q": "borgere", "sortering": "nyeste"}),
    ]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    before = manifest.stat().st_mtime_ns if manifest.exists() else None
    live = run_live(queries, repeat=2, database_url=database_url(connection.settings_dict["NAME"]))
    # Its static files are its own: the checkout's (and so this process's cache version) stay.
    assert (manifest.stat().st_mtime_ns if manifest.exists() else None) == before
    assert live["statuses"] == [200]
    assert (live["server"], live["queries"], live["runs"]) == ("gthread-3x8", 3, 6)
    assert 0 < live["p50_ms"] <= live["p95_ms"] <= live["max_ms"]
    assert len(live["slowest"]) == 3
