"""The load test's measuring tools: CPU time read from /proc, and the per-kind profile."""

from __future__ import annotations

import os
import time

import pytest

from loadtest.cpu import _machine_busy_seconds, _process_seconds, per_request
from loadtest.profile import measure


def _burn(seconds: float) -> None:
    until = time.process_time() + seconds
    while time.process_time() < until:
        sum(range(1000))


@pytest.mark.skipif(not os.path.exists("/proc/stat"), reason="no /proc on this system")
def test_cpu_time_of_a_process_and_of_the_machine_is_read_from_proc():
    process, machine = _process_seconds(os.getpid()), _machine_busy_seconds()
    _burn(0.3)
    assert 0.2 <= _process_seconds(os.getpid()) - process < 5
    assert _machine_busy_seconds() - machine >= 0.2
    assert _process_seconds(2**22 + 1) == 0.0  # no such process: nothing, no error
    assert per_request({"gunicorn": 1.5, "postgres": 0.5}, 100) == {
        "gunicorn": 15.0,
        "postgres": 5.0,
    }


@pytest.mark.django_db
def test_the_profile_counts_a_cached_pages_statements_and_its_time(client):
    from minutes.models import Meeting

    url = Meeting.objects.order_by("pk").first().get_absolute_url()
    client.get(url)  # the version rendered once, as under load
    figures = measure(client, [url, "/"], rounds=2)
    assert figures.statuses == {200}
    assert len(figures.queries) == 4
    # The meeting page's version, and the home page's first render then the archive's stamp.
    assert figures.queries[0] == 1 and figures.queries[2] == 1
    assert figures.queries[1] > 1 and figures.queries[3] == 1
    assert all(wall >= sql >= 0 for wall, sql in zip(figures.wall_ms, figures.sql_ms, strict=True))
