"""The figures: machine, corpus, targets; a terminal table, a JSON file and a README snippet."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

from django.db import connection

from . import corpus

ROOT = Path(__file__).resolve().parent.parent

TARGETS = {
    "search_p95_ms": 100,
    "search_p50_ms": 30,
    "search_max_ms": 1000,
    "ingest_meetings_per_s": 100,
    "page_p95_ms": 20,
}


def machine() -> dict[str, Any]:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_parallel_workers"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    import django

    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gb": memory_gb,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "postgresql": pg_version,
        "postgresql_settings": settings,
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def git() -> dict[str, Any]:
    def run(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    # The bench's own result files do not make the measured code "uncommitted".
    changed = run("status", "--porcelain", "--", ".", ":(exclude)bench/results")
    return {"commit": run("rev-parse", "HEAD"), "dirty": bool(changed)}


def corpus_figures(seed: int, items: int) -> dict[str, Any]:
    from minutes.models import (
        AgendaItem,
        Attachment,
        Attendance,
        Case,
        Committee,
        Decision,
        Meeting,
        Section,
        Vote,
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database_bytes = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT pg_total_relation_size('{AgendaItem._meta.db_table}'), "
            f"avg(length(text_a) + length(text_b) + length(text_c) + length(text_d)) "
            f"FROM {AgendaItem._meta.db_table}"
        )
        item_bytes, text_length = cursor.fetchone()
    trails = (
        Case.objects.annotate(committees=_distinct_committees()).filter(committees__gte=2).count()
    )
    return {
        "seed": seed,
        "items": AgendaItem.objects.count(),
        "items_requested": items,
        "fingerprint": corpus.corpus_fingerprint(),
        "municipalities": Committee.objects.values("municipality").distinct().count(),
        "committees": Committee.objects.count(),
        "meetings": Meeting.objects.count(),
        "cases": Case.objects.count(),
        "cases_in_2_or_more_committees": trails,
        "decisions": Decision.objects.count(),
        "sections": Section.objects.count(),
        "attendance": Attendance.objects.count(),
        "attachments": Attachment.objects.count(),
        "votes": Vote.objects.count(),
        "avg_item_text_chars": round(float(text_length or 0)),
        "agendaitem_table_mb": round(item_bytes / 2**20),
        "database_mb": round(database_bytes / 2**20),
    }


def _distinct_committees():
    from django.db.models import Count

    return Count("items__meeting__committee", distinct=True)


def assemble(figures: dict[str, Any], *, parts: list[str]) -> dict[str, Any]:
    result = {
        "schema": 1,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "git": git(),
        "machine": machine(),
        "parts": parts,
        **figures,
    }
    result["targets"] = targets(result)
    return result


def targets(result: dict[str, Any]) -> dict[str, Any]:
    """Each target with the measured figure and whether it is met."""
    checks: dict[str, Any] = {}

    def check(name: str, measured: Any, limit: float, *, at_least: bool = False) -> None:
        if measured is None:
            return
        met = measured >= limit if at_least else measured <= limit
        checks[name] = {"target": limit, "measured": measured, "met": met}

    search = result.get("search")
    if search:
        check("search_p95_ms", search["p95_ms"], TARGETS["search_p95_ms"])
        check("search_p50_ms", search["p50_ms"], TARGETS["search_p50_ms"])
        check("search_max_ms", search["max_ms"], TARGETS["search_max_ms"])
    load = result.get("load")
    if load and load.get("meetings_per_s"):
        check(
            "ingest_meetings_per_s",
            load["meetings_per_s"],
            TARGETS["ingest_meetings_per_s"],
            at_least=True,
        )
    for kind in ("meeting", "case"):
        page = (result.get("pages") or {}).get(kind)
        if page:
            check(f"{kind}_page_p95_ms", page["p95_ms"], TARGETS["page_p95_ms"])
            check(f"{kind}_page_cold_p95_ms", page.get("cold_p95_ms"), TARGETS["page_p95_ms"])
            checks[f"{kind}_page_constant_queries"] = {
                "target": "constant",
                "measured": f"{page['queries_min']}–{page['queries_max']}",
                "met": page["queries_min"] == page["queries_max"],
            }
    return checks


def _mark(result: dict[str, Any], name: str) -> str:
    check = result["targets"].get(name)
    if check is None:
        return ""
    return "ja" if check["met"] else "NEJ"


def table(result: dict[str, Any]) -> str:
    c, m = result["corpus"], result["machine"]
    lines = [
        "",
        f"Maskine: {m['cpus']} kerner ({m['cpu_model']}), {m['memory_gb']} GB, "
        f"PostgreSQL {m['postgresql']}; commit {result['git']['commit'][:10]}",
        f"Korpus: {c['items']} punkter, {c['meetings']} møder, {c['municipalities']} kommuner, "
        f"{c['committees']} udvalg, {c['cases']} sager ({c['cases_in_2_or_more_committees']} i "
        f"2+ udvalg), database {c['database_mb']} MB",
        "",
        f"{'måling':<40} {'resultat':>14} {'mål':>10} {'nået':>6}",
        "-" * 74,
    ]

    def row(label: str, value: Any, target: str, name: str) -> None:
        lines.append(f"{label:<40} {value!s:>14} {target:>10} {_mark(result, name):>6}")

    load = result.get("load")
    if load:
        reused = " (genbrugt)" if load.get("reused") else ""
        row(
            f"indlæsning møder/s{reused}",
            load.get("meetings_per_s"),
            "≥ 100",
            "ingest_meetings_per_s",
        )
        row("indlæsning punkter/s", load.get("items_per_s"), "", "")
    search = result.get("search")
    if search:
        row(
            f"søgning p50 ({search['runs']} kørsler)",
            f"{search['p50_ms']} ms",
            "≤ 30 ms",
            "search_p50_ms",
        )
        row("søgning p95", f"{search['p95_ms']} ms", "≤ 100 ms", "search_p95_ms")
        row("søgning max", f"{search['max_ms']} ms", "≤ 1 s", "search_max_ms")
        peer = search.get("peer")
        if peer:
            mine = peer["product"]
            row(
                f"produkt p50/p95/max ({peer['queries']} fælles)",
                f"{mine['p50_ms']}/{mine['p95_ms']}/{mine['max_ms']}",
                "",
                "",
            )
            row(
                f"{peer['engine']} p50/p95/max",
                f"{peer['p50_ms']}/{peer['p95_ms']}/{peer['max_ms']}",
                "",
                "",
            )
            row(
                "forhold p50/p95 (produkt/peer)",
                f"{peer['ratio_p50']}×/{peer['ratio_p95']}×",
                "≤ 2×/1.5×",
                "",
            )
            row("samme antal træf", f"{peer['same_hits']} af {peer['queries']}", "", "")
    live = result.get("live")
    if live:
        row(
            f"søgesiden, gunicorn {live['server']}, p50/p95/max",
            f"{live['p50_ms']}/{live['p95_ms']}/{live['max_ms']}",
            "",
            "",
        )
        if live["statuses"] != [200]:
            lines.append(f"  søgesiden: HTTP-status {live['statuses']}")
    for kind, label in (("meeting", "mødeside"), ("case", "sagsside")):
        page = (result.get("pages") or {}).get(kind)
        if page:
            row(f"{label} p50", f"{page['p50_ms']} ms", "", "")
            row(f"{label} p95", f"{page['p95_ms']} ms", "≤ 20 ms", f"{kind}_page_p95_ms")
            row(
                f"{label} SQL-forespørgsler",
                f"{page['queries_min']}–{page['queries_max']}",
                "konstant",
                f"{kind}_page_constant_queries",
            )
            if page.get("cold_p95_ms") is not None:
                row(
                    f"{label} første visning p50/p95",
                    f"{page['cold_p50_ms']}/{page['cold_p95_ms']} ms",
                    "≤ 20 ms",
                    f"{kind}_page_cold_p95_ms",
                )
                row(
                    f"{label} første visning SQL",
                    f"{page['cold_queries_min']}–{page['cold_queries_max']}",
                    "",
                    "",
                )
            if page["statuses"] != [200]:
                lines.append(
                    f"  {label}: HTTP-status {page['statuses']} (se {page['slowest_url']})"
                )
    if search:
        lines += ["", "Langsomste søgninger (p95):"] + [f"  {s}" for s in search["slowest"]]
        peer_head = f" {'peer p50':>8} {'p95':>8} {'træf':>7}" if search.get("peer") else ""
        lines += ["", f"{'p50':>8} {'p95':>8} {'max':>8} {'træf':>7}{peer_head}  forespørgsel"]
        for entry in search["by_query"]:
            if "error" in entry:
                lines.append(
                    f"{'FEJL':>8} {'':>8} {'':>8} {'':>7}  {entry['name']}: {entry['error']}"
                )
                continue
            versus = ""
            if search.get("peer"):
                other = entry.get("peer")
                versus = (
                    f" {other['p50_ms']:8.1f} {other['p95_ms']:8.1f} {other['hits']:7d}"
                    if other
                    else f" {'–':>8} {'–':>8} {'–':>7}"
                )
            lines.append(
                f"{entry['p50_ms']:8.1f} {entry['p95_ms']:8.1f} {entry['max_ms']:8.1f} "
                f"{entry['hits']:7d}{versus}  {entry['name']}"
            )
    return "\n".join(lines)


def markdown(result: dict[str, Any]) -> str:
    """The figures for the README, in a form that pastes as is."""
    c, m, g = result["corpus"], result["machine"], result["git"]
    when = result["date"][:10]
    batch = (result.get("load") or {}).get("batch_files", "several")
    lines = [
        f"Measured {when} by `make bench ITEMS={c['items_requested']}` at commit "
        f"`{g['commit'][:10]}`{' (uncommitted changes)' if g['dirty'] else ''} on "
        f"{m['cpus']} cores ({m['cpu_model']}), {m['memory_gb']} GB RAM, PostgreSQL "
        f"{m['postgresql']} (shared_buffers {m['postgresql_settings']['shared_buffers']}, "
        f"default settings otherwise). Corpus: {c['items']:,} agenda items in {c['meetings']:,} "
        f"meetings of {c['municipalities']} municipalities, {c['cases']:,} cases "
        f"({c['cases_in_2_or_more_committees']:,} before two or more committees), "
        f"{c['avg_item_text_chars']:,} characters of text per item, database "
        f"{c['database_mb']:,} MB.",
        "",
        "| measure | result | target | met |",
        "| --- | --- | --- | --- |",
    ]

    def row(label: str, value: str, target: str, name: str) -> None:
        mark = _mark(result, name)
        lines.append(
            f"| {label} | {value} | {target} | {'yes' if mark == 'ja' else 'no' if mark else ''} |"
        )

    search = result.get("search")
    if search:
        row(
            f"search, {search['queries']} queries × {search['repeat']} warm runs: p50",
            f"{search['p50_ms']} ms",
            "≤ 30 ms",
            "search_p50_ms",
        )
        row("search p95", f"{search['p95_ms']} ms", "≤ 100 ms", "search_p95_ms")
        row("search max", f"{search['max_ms']} ms", "≤ 1 s", "search_max_ms")
        peer = search.get("peer")
        if peer:
            mine = peer["product"]
            row(
                f"product p50 / p95 / max, the {peer['queries']} queries both searched",
                f"{mine['p50_ms']} / {mine['p95_ms']} / {mine['max_ms']} ms",
                "",
                "",
            )
            row(
                f"{peer['engine']} p50 / p95 / max, interleaved in the same run",
                f"{peer['p50_ms']} / {peer['p95_ms']} / {peer['max_ms']} ms",
                "",
                "",
            )
            row(
                "ratio product / peer, p50 / p95",
                f"{peer['ratio_p50']}× / {peer['ratio_p95']}×",
                "≤ 2× / ≤ 1.5×",
                "",
            )
    live = result.get("live")
    if live:
        row(
            f"the search page `/soeg/` (20 rows) through gunicorn {live['server']}, one request "
            f"at a time, {live['queries']} queries × {live['runs'] // max(live['queries'], 1)}: "
            "p50 / p95 / max",
            f"{live['p50_ms']} / {live['p95_ms']} / {live['max_ms']} ms",
            "",
            "",
        )
    load = result.get("load")
    if load:
        row(
            (
                f"ingestion through `ingest_batch` ({load['batch_files']} files a batch), "
                if load.get("batch_files")
                else "ingestion through `ingest_file`, "
            )
            + f"{load['workers']} processes",
            f"{load['meetings_per_s']} meetings/s ({load['items_per_s']} items/s)",
            "≥ 100 meetings/s",
            "ingest_meetings_per_s",
        )
    for kind, label in (("meeting", "meeting page"), ("case", "case page")):
        page = (result.get("pages") or {}).get(kind)
        if page:
            row(
                f"{label} p50 / p95",
                f"{page['p50_ms']} / {page['p95_ms']} ms",
                "p95 ≤ 20 ms",
                f"{kind}_page_p95_ms",
            )
            row(
                f"{label} SQL queries",
                f"{page['queries_min']}–{page['queries_max']}",
                "constant",
                f"{kind}_page_constant_queries",
            )
            if page.get("cold_p95_ms") is not None:
                row(
                    f"{label}, first render of a version: p50 / p95 (SQL queries)",
                    f"{page['cold_p50_ms']} / {page['cold_p95_ms']} ms "
                    f"({page['cold_queries_min']}–{page['cold_queries_max']})",
                    "p95 ≤ 20 ms",
                    f"{kind}_page_cold_p95_ms",
                )
    if search:
        lines += ["", "Slowest queries (p95): " + "; ".join(search["slowest"]) + "."]
        peer = search.get("peer")
        if peer:
            lines += [
                "",
                f"The peer: {peer['engine']} over the same {peer['items']:,} items, each query "
                "run right after the product's (count every hit, top 10 by BM25, the four "
                "facets counted exactly, 10 snippets from stored text), the product's tsquery "
                "translated into its query API; the same number of hits for "
                f"{peer['same_hits']} of {peer['queries']} queries (the product estimates "
                "above 5,000). Not compared: " + ("; ".join(peer["not_compared"]) or "none") + ". "
                "No exact equivalent: " + "; ".join(peer["no_exact_equivalent"]) + ".",
            ]
        if search.get("errors"):
            lines.append(f"{search['errors']} queries failed and are not in the figures.")
    for kind in ("meeting", "case"):
        page = (result.get("pages") or {}).get(kind)
        if page and page["statuses"] != [200]:
            lines.append(f"The {kind} pages answered with status {page['statuses']}.")
    lines += [
        "",
        "How: search is `minutes.search.run_search` with the params the /soeg/ form produces "
        "(count, ranking, facets) plus the first 10 rows with `attach_snippets`, for a fixed "
        "set of queries drawn from the corpus (the most common non-stop words by `ts_stat`, "
        "rare compounds, two and three words, phrases, OR, exclusions, prefixes, case numbers, "
        "municipality/committee/date/outcome filters, both sort orders); each query runs once to "
        "warm up, then p50/p95/max are taken over all timed runs. Ingestion is `ingest_batch` over the "
        f"generated text minutes files, {batch} at a time (the new meetings of a batch in one "
        "transaction, every index in place; a test proves the archive identical to `ingest_file` "
        "file by file), excluding generating the text. Pages are server time through Django's test client (routing, "
        "queries, template) for 30 random meetings and 30 cases, half of them with a trail: "
        "the first render of each with the page cache emptied, then served again, after one "
        "unmeasured page of each kind (a web process compiles its templates once; that first "
        "request is `process_first_ms` in the JSON). "
        "Full figures: `bench/results/*.json`.",
    ]
    return "\n".join(lines)


# What a run measures (as opposed to loading, which a run may reuse).
MEASURED_PARTS = {"search", "pages"}


def _measured(result: dict[str, Any]) -> int:
    return len(set(result.get("parts", [])) & MEASURED_PARTS)


def save(result: dict[str, Any], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    # A run of some parts only gets a name of its own: it never replaces a full run's figures.
    full = _measured(result) == len(MEASURED_PARTS)
    partial = "" if full else "_" + "-".join(result["parts"])
    path = out / f"{result['date'][:10]}_{result['corpus']['items_requested']}{partial}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_latest(out)
    return path


def write_latest(out: Path) -> Path:
    """LATEST.md: for each corpus size the newest of its most complete results, smallest first."""
    newest: dict[int, tuple[tuple[int, str, str], dict[str, Any]]] = {}
    for path in out.glob("*.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        size = result["corpus"]["items_requested"]
        key = (_measured(result), result["date"], path.name)
        if size not in newest or key > newest[size][0]:
            newest[size] = (key, result)
    parts = ["# Latest benchmark figures"]
    for size in sorted(newest):
        (_parts, _date, name), result = newest[size]
        parts += [f"## {size:,} agenda items", f"From `{name}`.", markdown(result)]
    latest = out / "LATEST.md"
    latest.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return latest
