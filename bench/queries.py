"""The fixed query set and its timing: what the /soeg/ page runs, query by query.

The words come from the corpus itself, so the set means the same at any size: the most common
non-stop words (ts_stat over a sample of the stored search vectors), words further down the
frequency list, and rare compounds at fixed ranks of the generator's Zipf lexicon.
"""

from __future__ import annotations

import gc
import math
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count
from django.test import Client

from . import corpus

ZERO_HITS = "flødebollemaskine"
STOP_WORDS_ONLY = "og i at"
SAMPLE_ROWS = 5000


@dataclass(frozen=True)
class Query:
    name: str
    kind: str
    params: dict[str, str] = field(hash=False)

    @property
    def q(self) -> str:
        return self.params.get("q", "")


def form_params(raw: dict[str, str]) -> dict[str, Any]:
    """The params dict exactly as the /soeg/ form hands it to run_search."""
    from minutes.forms import SearchForm

    form = SearchForm(raw)
    if not form.is_valid():
        raise ValueError(f"Søgeformularen afviser {raw}: {form.errors.as_text()}")
    return form.cleaned_data


# --- Words from the corpus ------------------------------------------------------------------


def common_words(limit: int = 150) -> list[tuple[str, int]]:
    """(surface word, documents in the sample) for the most common non-stop lexemes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM minutes_agendaitem")
        total = cursor.fetchone()[0]
        percent = min(100.0, 100.0 * SAMPLE_ROWS / max(total, 1))
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat($$SELECT vector FROM minutes_itemsearch "
            f"TABLESAMPLE BERNOULLI ({percent:.4f}) REPEATABLE (7)$$) "
            "WHERE word ~ '^[a-zæøå]{3,}$' ORDER BY ndoc DESC, word LIMIT %s",
            [limit * 3],
        )
        lexemes = cursor.fetchall()
    surface = _surface_words()
    found = []
    for lexeme, ndoc in lexemes:
        if lexeme in surface:
            found.append((surface[lexeme], ndoc))
        if len(found) == limit:
            break
    return found


def _surface_words() -> dict[str, str]:
    """Lexeme → the word users would type for it: the most frequent spelling in the seeds."""
    pools = corpus.pools()
    counts = Counter(
        w
        for text in pools.general + pools.titles
        for w in re.findall(r"[a-zæøå]{3,}", text.lower())
    )
    words = sorted(counts)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, ts_lexize('danish_stem', w) FROM unnest(%s::text[]) AS w", [words]
        )
        lexized = cursor.fetchall()
    best: dict[str, str] = {}
    for word, lexemes in lexized:
        if not lexemes:  # a stop word
            continue
        lexeme = lexemes[0]
        if lexeme not in best or counts[word] > counts[best[lexeme]]:
            best[lexeme] = word
    return best


def hits(word: str) -> int:
    from minutes.models import ItemSearch

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {ItemSearch._meta.db_table} "
            "WHERE vector @@ plainto_tsquery('danish', %s)",
            [word],
        )
        return cursor.fetchone()[0]


def rare_word(rank: int) -> str:
    """The first compound at or after `rank` in the Zipf lexicon that the corpus contains."""
    compounds = corpus.pools().compounds.items
    for candidate in [*compounds[rank - 1 : rank + 199], *compounds[:200]]:
        if hits(candidate):
            return candidate
    return compounds[rank - 1]


def _case_numbers() -> dict[str, str]:
    from minutes.models import Case

    found: dict[str, str] = {}
    shared = (
        Case.objects.values("normalised")
        .annotate(n=Count("municipality", distinct=True))
        .filter(n__gte=2)
        .order_by("normalised")
        .first()
    )
    if shared:
        found["shared"] = shared["normalised"]
    trail = (
        Case.objects.annotate(n=Count("items"))
        .filter(n__gte=3)
        .order_by("id")
        .values_list("number", flat=True)
    )
    for number in trail[:500]:
        key = "kle" if "." in number else "year"
        found.setdefault(key, number)
    return found


def _facet_slugs() -> dict[str, str]:
    from minutes.models import Committee, Municipality

    municipality = (
        Municipality.objects.annotate(n=Count("committees__meetings"))
        .filter(n__gt=0)
        .order_by("code")
        .first()
    )
    committee = (
        Committee.objects.filter(municipality=municipality, name="Økonomiudvalget").first()
        or Committee.objects.filter(municipality=municipality).order_by("slug").first()
    )
    return {"kommune": municipality.slug, "udvalg": committee.slug}


# --- The query set --------------------------------------------------------------------------


def build_query_set(seed: int = 1) -> list[Query]:
    words = [w for w, _ in common_words()]
    top = words[:3]
    rank20 = words[min(19, len(words) - 1)]
    rank100 = words[min(99, len(words) - 1)]
    rare = [rare_word(300), rare_word(3000), rare_word(30000)]
    slugs = _facet_slugs()
    cases = _case_numbers()

    queries: list[Query] = []

    def add(name: str, kind: str, **params: str) -> None:
        queries.append(Query(name, kind, params))

    for i, word in enumerate(top, start=1):
        add(f"mest almindelige ord #{i}: {word}", "common", q=word)
    add(f"almindeligt ord (nr. 20): {rank20}", "common", q=rank20)
    add(f"almindeligt ord (nr. 100): {rank100}", "common", q=rank100)
    add("almindeligt fagord: budget", "common", q="budget")
    for label, word in zip(("nr. 300", "nr. 3.000", "nr. 30.000"), rare, strict=True):
        add(f"sjældent ord ({label} i Zipf-leksikonet): {word}", "rare", q=word)
    add(f"ord uden træf: {ZERO_HITS}", "rare", q=ZERO_HITS)
    add("kun stopord", "rare", q=STOP_WORDS_ONLY)
    add("to ord: lokalplan høring", "two words", q="lokalplan høring")
    add(f"to almindelige ord: {rank20} {rank100}", "two words", q=f"{rank20} {rank100}")
    add(f"almindeligt + sjældent: {top[0]} {rare[0]}", "two words", q=f"{top[0]} {rare[0]}")
    three = "budgetopfølgning specialiserede socialområde"
    add(f"tre ord: {three}", "three words", q=three)
    add(f"tre almindelige ord: {top[0]} {rank20} {rank100}", "three words",
        q=f"{top[0]} {rank20} {rank100}")  # fmt: skip
    add("frase: taget til efterretning", "phrase", q='"taget til efterretning"')
    add("frase: det specialiserede socialområde", "phrase", q='"det specialiserede socialområde"')
    add("frase: status for implementeringen", "phrase", q='"status for implementeringen"')
    add("OR: skolen OR vuggestuen", "or", q="skolen OR vuggestuen")
    add(f"OR sjældne: {rare[0]} OR {rare[1]}", "or", q=f"{rare[0]} OR {rare[1]}")
    add(f"udelukkelse: {top[0]} -{top[1]}", "exclusion", q=f"{top[0]} -{top[1]}")
    add("udelukkelse: lokalplan -dispensation", "exclusion", q="lokalplan -dispensation")
    add("præfiks: budget*", "prefix", q="budget*")
    add("præfiks: frivillig*", "prefix", q="frivillig*")
    add(f"præfiks: {rare[0][:7]}*", "prefix", q=f"{rare[0][:7]}*")
    for key, label in (("year", "år/løbenummer"), ("kle", "KLE-journalnummer")):
        if key in cases:
            add(f"sagsnummer ({label}): {cases[key]}", "case number", q=cases[key])
    if "year" in cases:
        spelled = "sag " + cases["year"].replace("/", "-")
        add(f"sagsnummer skrevet anderledes: {spelled}", "case number", q=spelled)
    if "shared" in cases:
        add(f"sagsnummer i flere kommuner: {cases['shared']}", "case number", q=cases["shared"])
    # Issue 13's kinds: what people type besides the archive's own spelling.
    folded = next((w for w in words if re.search("[æøå]", w)), "møde")
    typed = folded.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    add(f"ae/oe/aa for æ/ø/å: {typed}", "folding", q=typed)
    add("ae/oe/aa for æ/ø/å: Hoeje-Taastrup", "folding", q="Hoeje-Taastrup")
    add("ae/oe/aa, to ord: boern og unge", "folding", q="boern og unge")
    for part in ("affald", "klima", "rygestop", "handicap"):
        add(f"del af sammensatte ord: {part}", "compound part", q=part)
    for part in ("plan", "tilskud", "område"):
        add(f"sidste led af sammensatte ord: {part}", "compound last part", q=part)
    swapped = top[0][:2] + top[0][3] + top[0][2] + top[0][4:] if len(top[0]) > 4 else top[0]
    for typo in ("frivillihedspolitik", "lokalpaln", swapped):
        add(f"stavefejl: {typo}", "typo", q=typo)
    for question in (
        "hvad besluttede byrådet om parkering",
        "hvornår blev frivillighedspolitikken evalueret",
        f"hvordan går det med {rare[0]}",
    ):
        add(f"spørgsmål: {question}", "question", q=question)
    add(f"{top[0]} + kommune", "filter", q=top[0], kommune=slugs["kommune"])
    add(f"{top[0]} + udvalg (alle kommuner)", "filter", q=top[0], udvalg=slugs["udvalg"])
    add(f"{top[0]} + datoer 2016", "filter", q=top[0], fra="2016-01-01", til="2016-12-31")
    add(f"{top[0]} + år 2019", "filter", q=top[0], aar="2019")
    add(f"{top[0]} + udfald godkendt", "filter", q=top[0], udfald="approved")
    add(
        f"{rank20} + kommune, udvalg og år",
        "filter",
        q=rank20,
        kommune=slugs["kommune"],
        udvalg=slugs["udvalg"],
        aar="2020",
    )
    add(f"{rare[0]} + kommune", "filter", q=rare[0], kommune=slugs["kommune"])
    add(f"{top[0]}, nyeste først", "sort", q=top[0], sortering="nyeste")
    add(f"{top[0]}, ældste først", "sort", q=top[0], sortering="aeldste")
    add(f"{rank100}, nyeste først", "sort", q=rank100, sortering="nyeste")
    add(f"{rare[1]}, nyeste først", "sort", q=rare[1], sortering="nyeste")
    return queries


# --- Timing ---------------------------------------------------------------------------------


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least p% of samples at or below."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def spread(samples: list[float], prefix: str = "") -> dict[str, float | None]:
    """p50, p95 and max in ms, rounded, as `{prefix}p50_ms` …; None for no samples."""
    return {
        f"{prefix}p50_ms": round(statistics.median(samples), 1) if samples else None,
        f"{prefix}p95_ms": round(percentile(samples, 95), 1) if samples else None,
        f"{prefix}max_ms": round(max(samples), 1) if samples else None,
    }


def run_once(params: dict[str, Any]) -> dict[str, Any]:
    """The results page's search work: count, ranking, facets, first 10 rows with snippets."""
    from minutes.search import run_search

    started = time.perf_counter()
    results = run_search(params)
    count = int(results.count or 0)
    facets = {name: list(values) for name, values in (results.facets or {}).items()}
    searched = time.perf_counter()
    rows: list = []
    if not results.redirect_to:
        rows = list(results.items[:10])
        results.attach_snippets(rows)
        for row in rows:
            getattr(row, "snippet", None)
    done = time.perf_counter()
    return {
        "ms": (done - started) * 1000,
        "search_ms": (searched - started) * 1000,
        "page_ms": (done - searched) * 1000,
        "hits": count,
        "rows": len(rows),
        "facets": sum(len(v) for v in facets.values()),
        "redirect": bool(results.redirect_to),
        "_results": results,
    }


def measure_query(
    query: Query, client: Client, *, repeat: int, http: bool, peer: Any = None
) -> dict[str, Any]:
    """The query's timed runs; with a peer (bench.peer), the peer's run after each of the
    product's, so both see the same machine at the same moment."""
    params = form_params(query.params)
    first = run_once(params)
    prepared = peer.prepare(params, first["_results"]) if peer else None
    peer_runs: list[dict[str, Any]] = []
    if prepared:
        peer_first = peer.run(prepared)  # warm-up, as the product's first run
    runs = []
    for _ in range(repeat):
        runs.append(run_once(params))
        if prepared:
            peer_runs.append(peer.run(prepared))
    times = [r["ms"] for r in runs]
    entry: dict[str, Any] = {
        "name": query.name,
        "kind": query.kind,
        "params": query.params,
        "hits": first["hits"],
        "rows": first["rows"],
        "redirect": first["redirect"],
        **spread(times),
        "search_ms": round(statistics.median(r["search_ms"] for r in runs), 1),
        "page_ms": round(statistics.median(r["page_ms"] for r in runs), 1),
    }
    if http:
        client.get("/soeg/", query.params)
        http_times = []
        for _ in range(max(1, repeat // 2)):
            started = time.perf_counter()
            response = client.get("/soeg/", query.params)
            http_times.append((time.perf_counter() - started) * 1000)
        entry["http_status"] = response.status_code
        entry["http_p50_ms"] = round(statistics.median(http_times), 1)
    entry["_samples"] = times
    if prepared:
        peer_times = [r["ms"] for r in peer_runs]
        entry["peer"] = {
            "hits": peer_first["hits"],
            "rows": len(peer_first["rows"]),
            **spread(peer_times),
        }
        entry["_peer_samples"] = peer_times
    return entry


def run_query_set(
    queries: list[Query], *, repeat: int = 5, http: bool = True, peer: Any = None
) -> dict[str, Any]:
    """Each query once to warm up, then `repeat` timed runs; plus the whole /soeg/ request.
    With a peer (bench.peer.Peer), its run interleaved with the product's, query by query."""
    # As a web worker does once it has loaded (archive/wsgi.py): what is loaded by now, the
    # peer's index and the query set included, stays out of the garbage collector's full
    # collections, which otherwise stop one search in a few hundred for ~30 ms.
    gc.freeze()
    # A failing view shows as a 500 in the figures instead of ending the run.
    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    by_query: list[dict[str, Any]] = []
    samples: list[float] = []
    paired: list[tuple[list[float], list[float]]] = []
    errors = 0
    for query in queries:
        try:
            entry = measure_query(query, client, repeat=repeat, http=http, peer=peer)
        except Exception as exc:  # noqa: BLE001 - one failing query must not lose the others
            errors += 1
            entry = {"name": query.name, "kind": query.kind, "params": query.params}
            entry["error"] = f"{type(exc).__name__}: {exc}"[:300]
            print(f"  FEJL {query.name}: {entry['error']}")
            by_query.append(entry)
            continue
        samples += entry.pop("_samples")
        peer_samples = entry.pop("_peer_samples", None)
        if peer_samples is not None:
            paired.append((samples[-len(peer_samples) :], peer_samples))
        by_query.append(entry)
        versus = ""
        if "peer" in entry:
            versus = f" (tantivy {entry['peer']['p50_ms']:6.1f} ms, {entry['peer']['hits']} træf)"
        print(
            f"  {entry['p50_ms']:8.1f} ms p50 {entry['max_ms']:8.1f} ms max "
            f"{entry['hits']:7d} træf  {query.name}{versus}"
        )
    measured = [e for e in by_query if "error" not in e]
    slowest = sorted(measured, key=lambda e: e["p95_ms"], reverse=True)[:5]
    result = {
        "repeat": repeat,
        "queries": len(queries),
        "runs": len(samples),
        **spread(samples),
        "errors": errors,
        "over_100ms": sum(1 for e in measured if e["p95_ms"] > 100),
        "over_1s": sum(1 for s in samples if s > 1000),
        "slowest": [f"{e['name']} ({e['p95_ms']} ms)" for e in slowest],
        "by_query": by_query,
    }
    if peer is not None:
        result["peer"] = peer_figures(peer, paired, by_query)
    return result


def peer_figures(
    peer: Any, paired: list[tuple[list[float], list[float]]], by_query: list[dict[str, Any]]
) -> dict[str, Any]:
    """Product and peer over the queries both searched, and their ratio (product / peer)."""
    from . import peer as peer_module

    product = [s for mine, _theirs in paired for s in mine]
    theirs = [s for _mine, peer_samples in paired for s in peer_samples]
    figures: dict[str, Any] = {
        "engine": "tantivy",
        "items": peer.items,
        "build_s": peer.build_seconds,
        "queries": len(paired),
        "not_compared": [e["name"] for e in by_query if "error" not in e and "peer" not in e],
        "product": spread(product),
        **spread(theirs),
        "same_hits": sum(1 for e in by_query if "peer" in e and e["peer"]["hits"] == e["hits"]),
        "no_exact_equivalent": peer_module.NO_EXACT_EQUIVALENT,
    }
    for key in ("p50", "p95", "max"):
        mine, other = figures["product"][f"{key}_ms"], figures[f"{key}_ms"]
        figures[f"ratio_{key}"] = round(mine / other, 1) if mine and other else None
    return figures
