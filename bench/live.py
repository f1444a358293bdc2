"""The live search page: `/soeg/` (20 rows, snippets, facets, the whole template) for each query
of the bench's set, over HTTP through gunicorn as deployed (loadtest's default server), one
request at a time, so each figure is one visitor's wait on an otherwise idle server.

The `search` part times the search work in this process; this part adds routing, the form,
rendering, middleware and the WSGI server, and shows the 20 rows a visitor gets (the search part
times 10).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .queries import Query, percentile


def _get(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback only
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def run_live(
    queries: list[Query], *, repeat: int = 5, database_url: str | None = None
) -> dict[str, Any]:
    """Each query's page once to warm up, then `repeat` timed requests; p50/p95/max of all.
    The server reads DATABASE_URL's database, or `database_url`'s."""
    from archive.localkey import local_key
    from loadtest.__main__ import DEFAULT_SERVERS, Server, gunicorn
    from loadtest.server import ROOT

    server = Server.parse(DEFAULT_SERVERS)
    # As `make run` and production serve it: DEBUG off (so hashed static files, collected
    # first), plain HTTP on loopback.
    samples: list[float] = []
    by_query: list[dict[str, Any]] = []
    statuses: set[int] = set()
    with tempfile.TemporaryDirectory(prefix="bench-live-") as folder:
        # The hashed static files are collected into the run's own folder, so the checkout's
        # (and the cache version a process derives from it) stay as they were.
        env = {**os.environ, "DEBUG": "false", "LOCAL_HTTP": "true", "SECRET_KEY": local_key()}
        env["STATIC_ROOT"] = str(Path(folder) / "static")
        if database_url:
            env["DATABASE_URL"] = database_url
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        with gunicorn(server, Path(folder) / "gunicorn.log", env=env) as host:
            # Each gunicorn process compiles its templates on its first requests.
            for _ in range(server.workers * 2):
                _get(f"{host}/soeg/?q=kommune")
            for query in queries:
                url = f"{host}/soeg/?{urlencode(query.params)}"
                _get(url)
                times = []
                for _ in range(repeat):
                    status, ms = _get(url)
                    statuses.add(status)
                    times.append(ms)
                samples += times
                by_query.append({"name": query.name, "p50_ms": round(statistics.median(times), 1)})
    by_query.sort(key=lambda entry: entry["p50_ms"], reverse=True)
    return {
        "server": server.name,
        "queries": len(queries),
        "runs": len(samples),
        "p50_ms": round(percentile(samples, 50), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1),
        "statuses": sorted(statuses),
        "slowest": [f"{e['p50_ms']} ms  {e['name']}" for e in by_query[:5]],
    }
