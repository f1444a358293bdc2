"""Loading the synthetic corpus through the real ingestion path, resumably.

Every file goes through `minutes.services.ingestion.ingest_batch` (parser, the new meetings of
a batch of files in one transaction, every index in place), exactly as `manage.py ingest` does;
a test proves it gives the archive that `ingest_file` gives file by file. Which corpus
the database holds is recorded in a small table of its own, `bench_corpus`, so a later run with
the same seed and size reuses it, and an interrupted load resumes at the first municipality that
was not finished (files already stored are recognised by their hash and skipped).
"""

from __future__ import annotations

import json
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from typing import Any

from django.apps import apps
from django.db import connection, connections

from minutes.services.batch import BATCH_FILES

from . import corpus

MARKER_TABLE = "bench_corpus"
# Processes per loader that read the next batch while it writes. None: the loaders (WORKERS,
# one per core) keep the cores busy already, and reading ahead only added the cost of sending
# each parse between processes (2 loaders, 40,000 items: 87–89 meetings/s without, 81 with).
# It pays off for one process alone: `manage.py ingest` reads ahead by default (1 loader,
# 20,000 items: 45.9 → 59.8 meetings/s).
PARSE_PROCESSES = 0


class BenchDatabaseError(SystemExit):
    pass


def check_database() -> str:
    """The benchmark truncates tables: refuse any database that is not a bench or test one."""
    name = connection.settings_dict["NAME"]
    if not (name.endswith("_bench") or name.startswith("test_")):
        raise BenchDatabaseError(
            f"Databasen '{name}' er ikke en benchmark-database (navnet skal ende på '_bench'); "
            "brug `make bench`, som vælger referatarkivet_bench."
        )
    return name


def _ensure_marker_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key text PRIMARY KEY, value jsonb NOT NULL)"
        )


def stored_corpus() -> dict[str, Any] | None:
    _ensure_marker_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE key = 'corpus'")
        row = cursor.fetchone()
    if row is None:
        return None
    return row[0] if isinstance(row[0], dict) else json.loads(row[0])


def _write_marker(value: dict[str, Any]) -> None:
    _ensure_marker_table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, value) VALUES ('corpus', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(value)],
        )


def _mark_done(index: int, result: dict[str, Any]) -> None:
    """Record a finished municipality with its figures, so a resumed load reports them too."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {MARKER_TABLE} SET value = jsonb_set(jsonb_set(value, '{{done}}', "
            "(value->'done') || to_jsonb(%s::int)), '{results}', "
            "coalesce(value->'results', '[]') || jsonb_build_array(%s::jsonb)) "
            "WHERE key = 'corpus'",
            [index, json.dumps(result)],
        )


def wanted(seed: int, items: int) -> dict[str, Any]:
    return {"seed": seed, "items": items, "fingerprint": corpus.corpus_fingerprint()}


def matches(stored: dict[str, Any] | None, seed: int, items: int) -> bool:
    return stored is not None and all(stored.get(k) == v for k, v in wanted(seed, items).items())


def reset_archive() -> None:
    """Empty every archive table except the municipalities (reference data from a migration)."""
    check_database()
    tables = [
        model._meta.db_table
        for model in apps.get_app_config("minutes").get_models()
        if model._meta.model_name != "municipality"
        and model._meta.managed
        and not model._meta.proxy
    ]
    _ensure_marker_table()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")


def archive_is_empty() -> bool:
    from minutes.models import Meeting, SourceFile

    return not Meeting.objects.exists() and not SourceFile.objects.exists()


@dataclass
class MunicipalityLoad:
    index: int
    municipality: str
    meetings: int
    items: int
    created: int
    generate_seconds: float
    ingest_seconds: float
    warnings: int
    steps: dict[str, float]


class StepTimer:
    """Where ingestion spends its time, from the hook ingest_batch calls after each write.

    "source" covers everything before the first write (hash, parse) and the source row;
    "commit" is the rest of the transaction after the last write.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.mark = time.perf_counter()

    def start(self) -> None:
        self.mark = time.perf_counter()

    def step(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.mark
        self.mark = now


def load_municipality(seed: int, plan: corpus.MunicipalityPlan) -> MunicipalityLoad:
    """Generate one municipality's minutes (untimed) and ingest them in batches (timed)."""
    from minutes.models import Municipality
    from minutes.services.batch import BatchFile, ingest_batch
    from minutes.services.ingestion import IngestError
    from minutes.services.parse_ahead import parsed_ahead

    municipality = Municipality.objects.get(code=plan.authority.code)
    started = time.perf_counter()
    files = list(corpus.municipality_minutes(seed, plan))
    generated = time.perf_counter()
    created = warnings = 0
    timer = StepTimer()
    batches = [
        [BatchFile(m.data, m.file_name, municipality) for m in files[first : first + BATCH_FILES]]
        for first in range(0, len(files), BATCH_FILES)
    ]
    for batch in parsed_ahead(batches, processes=PARSE_PROCESSES):
        timer.start()
        results = ingest_batch(files=batch, after_write=timer.step)
        timer.step("commit")
        for result in results:
            if isinstance(result, IngestError):
                raise result
            created += result.status == "created"
            warnings += len(result.warnings)
    done = time.perf_counter()
    loaded = MunicipalityLoad(
        index=plan.index,
        municipality=plan.authority.name,
        meetings=len(files),
        items=sum(m.items for m in files),
        created=created,
        generate_seconds=generated - started,
        ingest_seconds=done - generated,
        warnings=warnings,
        steps=timer.seconds,
    )
    _mark_done(plan.index, asdict(loaded))
    return loaded


def _worker(args: tuple[int, corpus.MunicipalityPlan]) -> dict[str, Any]:
    seed, plan = args
    try:
        return asdict(load_municipality(seed, plan))
    finally:
        connections.close_all()


def load(seed: int, items: int, *, workers: int = 1, log=print) -> dict[str, Any]:
    """Load (or reuse, or resume) the corpus; returns the load figures."""
    check_database()
    stored = stored_corpus()
    if matches(stored, seed, items) and stored.get("complete"):
        log(f"Korpus (seed {seed}, {items} punkter) findes allerede i databasen; genbruges.")
        return {**stored["load"], "reused": True}
    if not matches(stored, seed, items):
        if stored is not None or not archive_is_empty():
            log("Databasen indeholder et andet korpus; den tømmes.")
            reset_archive()
        stored = {**wanted(seed, items), "complete": False, "done": []}
        _write_marker(stored)
    plans = corpus.plan_municipalities(seed, items)
    todo = [p for p in plans if p.index not in set(stored.get("done", []))]
    log(
        f"Indlæser {len(todo)} af {len(plans)} kommuner ({items} punkter i alt) "
        f"med {workers} proces(ser) gennem ingest_batch ({BATCH_FILES} filer ad gangen) …"
    )
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    if workers <= 1:
        for plan in todo:
            results.append(asdict(load_municipality(seed, plan)))
            _progress(results, len(todo), started, log)
    else:
        # Forked workers must not share the parent's database connection.
        connections.close_all()
        # Not a multiprocessing.Pool: its daemonic workers may not start the processes that
        # read ahead (minutes.services.parse_ahead).
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            for future in as_completed([pool.submit(_worker, (seed, p)) for p in todo]):
                results.append(future.result())
                _progress(results, len(todo), started, log)
    wall = time.perf_counter() - started

    vacuum_started = time.perf_counter()
    # What autovacuum would do on a live archive: fresh statistics and a visibility map.
    # (VACUUM cannot run inside a transaction, which is where the tests load.)
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            # Minutes on a big archive: past the site's statement timeout.
            cursor.execute("SET statement_timeout = 0")
            # Every table of the archive, the ones migrations keep without a model too (the
            # search vocabulary).
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'minutes\\_%' "
                "AND relnamespace = 'public'::regnamespace ORDER BY relname"
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            cursor.execute("RESET statement_timeout")
    vacuum = time.perf_counter() - vacuum_started

    # Municipalities loaded by an earlier, interrupted run count with their own figures.
    this_run = {r["index"] for r in results}
    earlier = [r for r in (stored_corpus() or {}).get("results", []) if r["index"] not in this_run]
    results = earlier + results

    meetings = sum(r["meetings"] for r in results)
    loaded_items = sum(r["items"] for r in results)
    ingest_seconds = sum(r["ingest_seconds"] for r in results)
    parallel = min(workers, max(1, len(results)))
    figures = {
        "workers": workers,
        "batch_files": BATCH_FILES,
        "municipalities": len(results),
        "municipalities_this_run": len(todo),
        "meetings": meetings,
        "items": loaded_items,
        "created": sum(r["created"] for r in results),
        "parser_warnings": sum(r["warnings"] for r in results),
        # Ingestion only (generation excluded), as a throughput of all workers together.
        "ingest_seconds": round(ingest_seconds / parallel, 1),
        "meetings_per_s": round(meetings / (ingest_seconds / parallel), 1) if meetings else 0,
        "items_per_s": round(loaded_items / (ingest_seconds / parallel), 1) if meetings else 0,
        # Wall clock of the whole load including generating the text.
        "wall_seconds": round(wall, 1),
        "generate_seconds": round(sum(r["generate_seconds"] for r in results) / parallel, 1),
        "vacuum_analyze_seconds": round(vacuum, 1),
        # Milliseconds per meeting in each step of ingest_batch (summed over the workers).
        "ms_per_meeting_by_step": {
            step: round(sum(r["steps"].get(step, 0) for r in results) * 1000 / meetings, 1)
            for step in dict.fromkeys(k for r in results for k in r["steps"])
        }
        if meetings
        else {},
        "resumed": len(todo) < len(plans),
        "reused": False,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    _write_marker({**wanted(seed, items), "complete": True, "done": [], "load": figures})
    return figures


def _progress(results: list[dict[str, Any]], total: int, started: float, log) -> None:
    meetings = sum(r["meetings"] for r in results)
    elapsed = time.perf_counter() - started
    last = results[-1]
    log(
        f"  {len(results)}/{total} {last['municipality']}: {last['meetings']} møder, "
        f"{last['items']} punkter, {last['meetings'] / last['ingest_seconds']:.0f} møder/s "
        f"(i alt {meetings} møder på {elapsed:.0f} s)"
    )
