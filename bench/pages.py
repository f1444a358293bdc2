"""Server time and SQL query counts of the meeting page and the case page.

Each page is measured twice over: its first render (page cache emptied: what the first visitor
after a change waits for) and as served again (what everyone else gets).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test import Client

from .queries import spread

SAMPLE = 30


def _sample_urls(seed: int) -> dict[str, list[str]]:
    """Meetings at random, and cases: half with a trail (3+ items), half at random."""
    from minutes.models import Case, Meeting

    rng = random.Random(f"{seed}:pages")
    meeting_ids = list(Meeting.objects.order_by("id").values_list("id", flat=True))
    chosen = rng.sample(meeting_ids, min(SAMPLE, len(meeting_ids)))
    meetings = Meeting.objects.select_related("committee__municipality").in_bulk(chosen)
    case_ids = list(Case.objects.order_by("id").values_list("id", flat=True))
    trail_ids = list(
        Case.objects.annotate(n=Count("items"))
        .filter(n__gte=3)
        .order_by("id")
        .values_list("id", flat=True)
    )
    half = SAMPLE // 2
    picked = rng.sample(trail_ids, min(half, len(trail_ids)))
    rest = [i for i in case_ids if i not in set(picked)]
    picked += rng.sample(rest, min(SAMPLE - len(picked), len(rest)))
    cases = Case.objects.select_related("municipality").in_bulk(picked)
    return {
        "meeting": [meetings[i].get_absolute_url() for i in chosen],
        "case": [cases[i].get_absolute_url() for i in picked],
    }


class QueryCounter:
    """Counts the SQL statements executed through Django's connection.

    Unlike CaptureQueriesContext this does not read connection.queries_log, which every request
    start clears, so the count cannot come out as zero when the log was not empty before.
    """

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class PageTiming:
    cold_ms: float  # the first render of this version of the page (empty page cache)
    cold_queries: int
    warm_ms: list[float]  # served again, as every later visitor gets it
    warm_queries: int
    status: int


def time_page(client: Client, url: str, repeat: int) -> PageTiming:
    """The first render with an empty page cache, then `repeat` warm requests."""
    cache.clear()
    cold = QueryCounter()
    with connection.execute_wrapper(cold):
        started = time.perf_counter()
        client.get(url)
        cold_ms = (time.perf_counter() - started) * 1000
    warm = QueryCounter()
    with connection.execute_wrapper(warm):
        response = client.get(url)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return PageTiming(cold_ms, cold.count, timings, warm.count, response.status_code)


def run_pages(seed: int = 1, *, repeat: int = 5) -> dict[str, Any]:
    # A failing view shows as a 500 in the figures instead of ending the run.
    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    figures: dict[str, Any] = {}
    sample = _sample_urls(seed)
    # A web process compiles its templates and opens its connection on its first request; the
    # figures are for a process that has served before, so one page of each kind goes first.
    process_first: dict[str, float] = {}
    for kind, urls in sample.items():
        if urls:
            cache.clear()
            started = time.perf_counter()
            client.get(urls[-1])
            process_first[kind] = round((time.perf_counter() - started) * 1000, 1)
    for kind, urls in sample.items():
        samples: list[float] = []
        queries: list[int] = []
        cold: list[float] = []
        cold_queries: list[int] = []
        statuses: set[int] = set()
        slowest = ("", 0.0)
        for url in urls:
            timing = time_page(client, url, repeat)
            samples += timing.warm_ms
            queries.append(timing.warm_queries)
            cold.append(timing.cold_ms)
            cold_queries.append(timing.cold_queries)
            statuses.add(timing.status)
            if timing.cold_ms > slowest[1]:
                slowest = (url, timing.cold_ms)
        figures[kind] = {
            "pages": len(urls),
            "runs": len(samples),
            **spread(samples),
            "queries_min": min(queries) if queries else None,
            "queries_max": max(queries) if queries else None,
            **spread(cold, "cold_"),
            "cold_queries_min": min(cold_queries) if cold_queries else None,
            "cold_queries_max": max(cold_queries) if cold_queries else None,
            # Not in the figures above: the process's first page of this kind (template
            # compilation), once per web process.
            "process_first_ms": process_first.get(kind),
            "statuses": sorted(statuses),
            "slowest_url": slowest[0],
        }
        print(
            f"  {kind}: p50 {figures[kind]['p50_ms']} ms, p95 {figures[kind]['p95_ms']} ms, "
            f"{figures[kind]['queries_min']}–{figures[kind]['queries_max']} SQL-forespørgsler; "
            f"første visning p50 {figures[kind]['cold_p50_ms']} ms, "
            f"p95 {figures[kind]['cold_p95_ms']} ms, "
            f"{figures[kind]['cold_queries_min']}–{figures[kind]['cold_queries_max']} SQL"
        )
    return figures
