"""Count and facets of a search in one round trip: estimated from the sample, or exact.

The sample (a fixed 1/32 hash sample with its own GIN indexes, migration 0004 and later) says
how many items match. Up to EXACT_LIMIT matches (and, with filters, CANDIDATE_LIMIT items for
the query alone unless the filters leave under 1,000) the count and facets are exact, else the
sample's, scaled. Both are in one statement: the exact branch runs only when the sample's
figures, computed first in the same statement, call for it (a one-time filter), so a search
that needs exact figures no longer waits for a second round trip.

Rows of the statement: (source, dimension, slug, label, municipality slug, n). `source` is
'sample' or 'exact'; the dimensions are kommune, udvalg, aar, udfald, and total, candidates
and scale (the items per sampled row × 1024, so it survives the bigint column).

The sample also says what share of the matches the filters keep (its kept rows over its
candidates), exact or not: the ranking sizes its newest-items probes by it (search.Search).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import Decision
from .prepared import prepared_cursor


@dataclass(frozen=True)
class Counted:
    total: int
    facets: dict[str, list[Facet]]
    estimated: bool
    # The share of the query's matches that pass the filters, from the sample (1.0 without
    # filters, or when the sample has no match).
    filter_share: float


@dataclass
class Facet:
    slug: str
    label: str
    n: int
    extra: dict[str, str] = field(default_factory=dict)  # other params the link sets


def _aggregates(source: str, rows: str) -> str:
    """The facet rows of one source over the CTE `rows` (columns municipality_id, committee_id,
    year, outcomes, keep, scale): grouped by municipality, committee and year in one
    grouping-sets aggregate, the outcomes in one pass, labels joined to the few groups."""
    g = f"g_{source}"
    return f"""
        SELECT '{source}', 'kommune', mu.slug, mu.name, '', {g}.n FROM {g}
        JOIN minutes_municipality mu ON mu.id = {g}.municipality_id
        UNION ALL
        SELECT '{source}', 'udvalg', c.slug, c.name, mu.slug, {g}.n FROM {g}
        JOIN minutes_committee c ON c.id = {g}.committee_id
        JOIN minutes_municipality mu ON mu.id = c.municipality_id
        UNION ALL
        SELECT '{source}', 'aar', {g}.year::text, {g}.year::text, '', {g}.n FROM {g}
        WHERE {g}.year IS NOT NULL
        UNION ALL
        -- The rows counted by their outcomes first (a few distinct arrays), then each array
        -- unnested once: unnesting every row's array cost 2 ms of a common word's 8 ms.
        SELECT '{source}', 'udfald', o.outcome, o.outcome, '', sum(a.n)::bigint
        FROM (SELECT outcomes, count(*) AS n FROM {rows} WHERE keep GROUP BY outcomes) AS a
        CROSS JOIN LATERAL unnest(a.outcomes) AS o (outcome)
        WHERE o.outcome = ANY (%s) GROUP BY o.outcome
        UNION ALL
        SELECT '{source}', v.dim, v.slug, v.slug, '', v.n FROM (
            SELECT count(*) FILTER (WHERE keep) AS total, count(*) AS candidates,
                   coalesce(max(scale) * 1024, 1024)::bigint AS scale
            FROM {rows}) AS t
        CROSS JOIN LATERAL (VALUES ('total', '', t.total), ('candidates', '', t.candidates),
                                   ('scale', '', t.scale))
            AS v (dim, slug, n)
    """


def _grouped(source: str, rows: str) -> str:
    return (
        f"g_{source} AS (SELECT municipality_id, committee_id, year, count(*) AS n FROM {rows} "
        "WHERE keep GROUP BY GROUPING SETS ((municipality_id), (committee_id), (year)))"
    )


def counted_facets(
    tsquery: str,
    where: str,
    where_params: list[Any],
    *,
    exact_limit: int,
    candidate_limit: int,
) -> Counted:
    """Count, facets and whether they are estimated, for the matches of `tsquery` that pass
    `where`."""
    outcomes = [value for value, _label in Decision.Outcome.choices]
    # Python's round(x) > L for the even limits used here and for the -1 tests set is
    # x > L + 0.5: the same decision as deciding on the rounded figures.
    sql = f"""
        WITH sample AS MATERIALIZED (
            SELECT municipality_id, committee_id, year, outcomes, ({where}) AS keep, scale
            FROM minutes_itemsearch_sample_matches(%s::tsquery) AS minutes_itemsearch),
        stats AS MATERIALIZED (
            SELECT count(*) FILTER (WHERE keep) AS kept, count(*) AS candidates,
                   coalesce(max(scale) * 1024, 1024)::bigint / 1024.0 AS scale
            FROM sample),
        decision AS MATERIALIZED (
            SELECT kept * scale > %s + 0.5
                   OR (candidates * scale > %s + 0.5 AND kept * scale > 1000.5) AS estimated
            FROM stats),
        exact AS MATERIALIZED (
            SELECT municipality_id, committee_id, year, outcomes, TRUE AS keep, 1::real AS scale
            FROM minutes_itemsearch
            WHERE NOT (SELECT estimated FROM decision) AND vector @@ %s::tsquery AND ({where})),
        {_grouped("sample", "sample")},
        {_grouped("exact", "exact")}
        {_aggregates("sample", "sample")}
        UNION ALL
        {_aggregates("exact", "exact")}
        UNION ALL
        SELECT 'decision', 'estimated', '', '', '', estimated::int FROM decision
    """
    params = [
        *where_params,
        tsquery,
        exact_limit,
        candidate_limit,
        tsquery,
        *where_params,
        outcomes,
        outcomes,
    ]
    # Prepared without filters: the plan then does not hang on the query's words (the sample
    # function has its own; the exact branch, which runs only below the limits, has the GIN
    # index as its one way in), and planning it took 0.5 ms of every search. With filters the
    # exact branch may run for a few matches of a common word, where the plan for the words
    # goes through the filters' index: a generic plan, not knowing the words, went through the
    # word's 184,000 entries instead (udvalgte in one municipality and year: 10 → 15 ms).
    with prepared_cursor(prepare=where == "TRUE") as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    estimated = any(r[1] == "estimated" and r[5] for r in fetched)
    source = "sample" if estimated else "exact"
    rows = [r[1:] for r in fetched if r[0] == source]
    total, facets = _facets(rows)
    sampled = {r[1]: r[5] for r in fetched if r[0] == "sample" and r[1] in ("total", "candidates")}
    share = sampled["total"] / sampled["candidates"] if sampled.get("candidates") else 1.0
    return Counted(total, facets, estimated, share)


def _facets(fetched: list[tuple]) -> tuple[int, dict[str, list[Facet]]]:
    rows = [r for r in fetched if r[4] or r[0] in ("total", "candidates")]
    scale = next((r[4] for r in rows if r[0] == "scale"), 1024) / 1024
    rows = [r for r in rows if r[0] != "scale"]
    total = 0
    facets: dict[str, list[Facet]] = {"kommune": [], "udvalg": [], "aar": [], "udfald": []}
    several_municipalities = len({r[1] for r in rows if r[0] == "kommune"}) > 1
    for dim, slug, label, municipality, n in rows:
        if dim == "total":
            total = round(n * scale)
            continue
        if dim == "candidates":
            continue
        extra: dict[str, str] = {}
        if dim == "udvalg":
            extra = {"kommune": municipality}
            if several_municipalities:
                label = f"{label} ({_municipality_label(rows, municipality)})"
        if dim == "udfald":
            label = Decision.Outcome(slug).label
        facets[dim].append(Facet(slug, label, round(n * scale), extra))
    facets["kommune"].sort(key=lambda f: (-f.n, f.label))
    facets["udvalg"] = sorted(facets["udvalg"], key=lambda f: (-f.n, f.label))[:15]
    facets["aar"].sort(key=lambda f: f.slug, reverse=True)
    facets["udfald"].sort(key=lambda f: (-f.n, f.label))
    return total, facets


def _municipality_label(rows: list[tuple], slug: str) -> str:
    for dim, row_slug, label, _extra, _n in rows:
        if dim == "kommune" and row_slug == slug:
            return label.removesuffix(" Kommune")
    return slug
