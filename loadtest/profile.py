"""Where a request's time goes, per kind of page in the load test's mix (`python -m loadtest.profile`).

Runs each kind's URLs (the load test's targets) through the whole Django stack in this one
process, one at a time, after one unmeasured pass (templates compiled, page versions cached as
under load), and reports per kind: wall time, this process's CPU time, SQL statements and the
time spent waiting for them (PostgreSQL's share, on the same machine), and — with --profile —
the functions with the most own CPU time (cProfile). Settings as `make loadtest` serves them
(DEBUG off); it only reads.

    DATABASE_URL=postgresql://…/referatarkivet_bench LOCAL_HTTP=true SECRET_KEY=… \\
        .venv/bin/python -m loadtest.profile --rounds 3 --profile search
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

# The load test's weights (loadtest/locustfile.py): what share of requests each kind is.
MIX = {"home": 1, "meeting": 3, "case": 2, "search": 3, "api": 1}


@dataclass
class SqlTimer:
    """Counts the statements run through Django's connection and the time spent in them."""

    count: int = 0
    seconds: float = 0.0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


@dataclass
class KindFigures:
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)


def urls_by_kind() -> dict[str, list[str]]:
    from bench.pages import _sample_urls
    from bench.queries import ZERO_HITS, common_words

    urls = _sample_urls(seed=1)
    words = [word for word, _count in common_words(40)] + [ZERO_HITS]
    return {
        "home": ["/"],
        "meeting": urls["meeting"],
        "case": urls["case"],
        "search": ["/soeg/?q=" + quote(word) for word in words],
        "api": ["/api/search?q=" + quote(word) for word in words],
    }


def measure(client, urls: list[str], rounds: int) -> KindFigures:
    from django.db import connection

    figures = KindFigures()
    for _round in range(rounds):
        for url in urls:
            timer = SqlTimer()
            with connection.execute_wrapper(timer):
                cpu, wall = time.process_time(), time.perf_counter()
                response = client.get(url)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            figures.wall_ms.append(wall * 1000)
            figures.cpu_ms.append(cpu * 1000)
            figures.sql_ms.append(timer.seconds * 1000)
            figures.queries.append(timer.count)
            figures.statuses.add(response.status_code)
    return figures


def profile(client, urls: list[str], rounds: int, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _round in range(rounds):
        for url in urls:
            client.get(url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest.profile", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="passes over each kind's URLs")
    parser.add_argument("--kinds", default=",".join(MIX), help="kinds to measure")
    parser.add_argument("--profile", default="", help="kinds to profile with cProfile")
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.test import Client

    # As a visitor's browser asks (the load test's client sends no cookies either).
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
    targets = urls_by_kind()
    kinds = [kind for kind in args.kinds.split(",") if kind]
    for kind in kinds:  # unmeasured: templates compiled, page versions in the cache
        for url in targets[kind]:
            client.get(url)
    print(
        "| kind | share | requests | wall p50 / mean ms | CPU (Python) mean ms | SQL mean ms "
        "| SQL statements | status |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    weighted_cpu = weighted_sql = 0.0
    for kind in kinds:
        f = measure(client, targets[kind], args.rounds)
        share = MIX[kind] / sum(MIX[k] for k in kinds)
        cpu, sql = statistics.mean(f.cpu_ms), statistics.mean(f.sql_ms)
        weighted_cpu += share * cpu
        weighted_sql += share * sql
        print(
            f"| {kind} | {share:.0%} | {len(f.wall_ms)} | {statistics.median(f.wall_ms):.1f} / "
            f"{statistics.mean(f.wall_ms):.1f} | {cpu:.1f} | {sql:.1f} | "
            f"{min(f.queries)}–{max(f.queries)} | {sorted(f.statuses)} |"
        )
    print(
        f"\nPer request of the mix: {weighted_cpu:.1f} ms Python CPU + {weighted_sql:.1f} ms "
        f"waiting for SQL (PostgreSQL's work, most of it CPU on this machine)."
    )
    for kind in (k for k in args.profile.split(",") if k):
        print(f"\n## cProfile: {kind}\n")
        print(profile(client, targets[kind], args.rounds, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
