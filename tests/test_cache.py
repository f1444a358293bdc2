"""One shared cache (CACHE_URL): a page version rendered by one process is served by another.

Redis must answer at TEST_CACHE_URL (redis://127.0.0.1:6379/0 unless set); otherwise the Redis
tests skip and say so. Each test uses a key prefix of its own and removes its keys.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from urllib.parse import quote

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from archive.cache import ForgivingRedisCache
from minutes.models import Meeting

from .conftest import ROOT

REDIS_URL = os.environ.get("TEST_CACHE_URL", "redis://127.0.0.1:6379/0")


def _settings_in_a_process(**env: str) -> dict:
    """The CACHES a fresh process builds from its environment."""
    environment = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="archive.test_settings")
    code = "import json, django; django.setup(); from django.conf import settings; print(json.dumps(settings.CACHES))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["default"]


def test_local_memory_without_cache_url():
    assert _settings_in_a_process()["BACKEND"].endswith("LocMemCache")


@pytest.fixture
def redis_prefix():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis answers at {REDIS_URL} ({exc}); set TEST_CACHE_URL")
    prefix = f"ra-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def _redis_caches(prefix: str) -> dict:
    return {"default": {**_settings_in_a_process(CACHE_URL=REDIS_URL), "KEY_PREFIX": prefix}}


def _database_url(db: dict) -> str:
    """The URL of the database this test process uses, for a second process."""
    user = quote(db["USER"]) + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    if db["HOST"].startswith("/"):  # a socket folder: the embedded pgserver of a bare machine
        return f"postgresql://{user}@/{db['NAME']}?host={quote(db['HOST'])}"
    return f"postgresql://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _render_in_another_process(url: str, prefix: str) -> None:
    """A second web process (its own interpreter and cache client) serves the page once."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="archive.test_settings",
        # The test database: the seed minutes are committed there.
        DATABASE_URL=_database_url(connection.settings_dict),
        CACHE_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        ALLOWED_HOSTS="testserver",
    )
    code = (
        "import django; django.setup(); from django.test import Client; "
        f"assert Client().get({url!r}).status_code == 200"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def _queries_to_serve(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_redis_with_cache_url(redis_prefix):
    caches = _redis_caches(redis_prefix)["default"]
    assert caches["BACKEND"] == "archive.cache.ForgivingRedisCache"
    assert issubclass(ForgivingRedisCache, RedisCache)  # Django's own backend
    assert caches["LOCATION"] == REDIS_URL


@pytest.mark.django_db
def test_pages_are_served_while_redis_is_down(client, redis_prefix):
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    caches = _redis_caches(redis_prefix)
    caches["default"]["LOCATION"] = f"redis://127.0.0.1:{closed}/0"
    url = Meeting.objects.order_by("pk").first().get_absolute_url()
    with override_settings(CACHES=caches):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200
            assert b"<h1" in response.content


@pytest.mark.django_db
def test_a_page_rendered_by_one_process_is_served_by_another(client, redis_prefix):
    url = Meeting.objects.order_by("pk").first().get_absolute_url()
    with override_settings(CACHES=_redis_caches(redis_prefix + "-cold")):
        first_render = _queries_to_serve(client, url)

    _render_in_another_process(url, redis_prefix)
    with override_settings(CACHES=_redis_caches(redis_prefix)):
        served = _queries_to_serve(client, url)
    # Only the version's lookups (meeting, neighbours), not the render's queries.
    assert served < first_render
    assert served <= 3
