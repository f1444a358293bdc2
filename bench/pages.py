"""Server time and SQL query counts of the meeting page and the case page."""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from django.db import connection
from django.db.models import Count
from django.test import Client

from .queries import percentile

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


def time_page(client: Client, url: str, repeat: int) -> tuple[list[float], int, int]:
    """(timings in ms, SQL queries of one request, status) after one warm-up request."""
    client.get(url)
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, counter.count, response.status_code


def run_pages(seed: int = 1, *, repeat: int = 5) -> dict[str, Any]:
    # A failing view shows as a 500 in the figures instead of ending the run.
    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    figures: dict[str, Any] = {}
    for kind, urls in _sample_urls(seed).items():
        samples: list[float] = []
        queries: list[int] = []
        statuses: set[int] = set()
        slowest = ("", 0.0)
        for url in urls:
            timings, count, status = time_page(client, url, repeat)
            samples += timings
            queries.append(count)
            statuses.add(status)
            if max(timings) > slowest[1]:
                slowest = (url, max(timings))
        figures[kind] = {
            "pages": len(urls),
            "runs": len(samples),
            "p50_ms": round(statistics.median(samples), 1) if samples else None,
            "p95_ms": round(percentile(samples, 95), 1) if samples else None,
            "max_ms": round(max(samples), 1) if samples else None,
            "queries_min": min(queries) if queries else None,
            "queries_max": max(queries) if queries else None,
            "statuses": sorted(statuses),
            "slowest_url": slowest[0],
        }
        print(
            f"  {kind}: p50 {figures[kind]['p50_ms']} ms, p95 {figures[kind]['p95_ms']} ms, "
            f"{figures[kind]['queries_min']}–{figures[kind]['queries_max']} SQL-forespørgsler"
        )
    return figures
