"""The search the results page, the API and the feeds run: query language, filters, ranking,
counts, facets and snippets.

Design (see also migration 0004 and the report in README): every agenda item has one narrow row
in `minutes_itemsearch`, kept by triggers, with three tsvectors: the title line (weight A), the
title plus Indstilling and Beslutning (A+B, "lead"), and the whole item (A–D, stored out of
line). Relevance is an exact total order over all matches:

1. tier: 0 when the title line matches the query, 1 when title + Indstilling/Beslutning do,
   2 otherwise (the weighting of issue 7 made lexicographic);
2. within a tier, `ts_rank` over that tier's vector (title words weigh most, then Indstilling
   and Beslutning, then Resume/Sagsfremstilling, then the rest);
3. newest meeting first, then item id.

Because tiers are complete sets found through their own GIN index, page 1 of a word found in
half the archive ranks only the items with the word in their title — a few thousand tiny,
inline vectors — and never reads the large vectors of the other matches. Lower tiers are ranked
only when the higher ones have fewer rows than the page needs.

Counts and facets are exact when the result set is at most EXACT_LIMIT rows (decided from the
sample below); above that they are estimated from a fixed 1/32 hash sample of items with its own
partial GIN index, shown as "ca." in the page. A word in 95 % of the archive is then counted from
~6,000 narrow rows instead of 190,000.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.utils.safestring import SafeString

from .filters import ItemSearchFilter
from .highlight import START, STOP, render_marked
from .models import AgendaItem, Case, Decision, DocumentSection, ItemSearch
from .parsing.conventions import (
    KLE_NUMBER,
    RECOMMENDATION_HEADINGS,
    SUMMARY_HEADINGS,
    normalise_case_number,
)
from .querysets import SEARCH_CONFIG

CONFIG = SEARCH_CONFIG
# Counts and facets are exact when the sample predicts at most EXACT_LIMIT matches, and, with
# filters, at most CANDIDATE_LIMIT items for the query alone (the GIN bitmap an exact count must
# build even when filters leave few rows) unless the filters leave under 1,000; otherwise they
# are estimated from the sample.
EXACT_LIMIT = 5000
CANDIDATE_LIMIT = 50_000
# Up to RANK_LIMIT matches, every tier is ordered by ts_rank; above it, each tier is ordered
# newest first, so ranking never reads thousands of vectors.
RANK_LIMIT = 1500
# How many of the newest items a tier probes before collecting it through its GIN index: the
# title vector is in the heap (cheap to test), the others are read from TOAST.
PROBE_ROWS = (5000, 1000, 1000)
# Rows with sample < SAMPLE_BUCKETS (of 1024) are copied to minutes_itemsearchsample by a
# trigger (migration 0004, which has the same literal); a query uses as many of those buckets
# as give about 3,200 sampled items.
SAMPLE_BUCKETS = 32
PAGE_SIZE = 20
SORTS = {"": "relevance", "relevans": "relevance", "nyeste": "newest", "aeldste": "oldest"}

STOP_WORDS_REASON = (
    "Søgningen består kun af fyldord eller tegn, som ikke søges på (fx 'og', 'i', 'at'). "
    "Prøv med et mere sigende ord."
)

# --- Query language --------------------------------------------------------------------------

# A case number as users type it: 17/10000, 17-10000, 2017 / 10000, EMN-2024-001234, a KLE
# journal number with or without spaces around the dashes; optionally after "sag" or "sagsnr.".
_KLE = KLE_NUMBER
_YEAR_SERIAL = r"(?:\d{2}|\d{4})\s*[/–-]\s*\d{1,7}"
_LETTERED = r"[A-ZÆØÅ]{2,5}-(?:\d{3}-)?(?:19|20)\d{2}-\d{3,7}"
_LABEL = r"(?:sags?\s*-?\s*(?:nr|nummer)\.?|sag\s+nr\.?|sagnr\.?|j\.?\s*nr\.?|sag)\s*[:.]?\s*"
CASE_IN_TEXT = re.compile(
    rf"(?<![\w./-])(?:{_LABEL})?(?P<number>{_KLE}|{_LETTERED}|{_YEAR_SERIAL})(?![\w/]|[.-]\d)",
    re.IGNORECASE,
)
_TOKEN = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_PREFIX_WORD = re.compile(r"^[\wæøåÆØÅ.\-/]+$")


@dataclass(frozen=True)
class Token:
    kind: str  # word | phrase | prefix | case
    text: str
    negated: bool = False
    variants: tuple[str, ...] = ()


def case_spellings(normalised: str, printed: Sequence[str] = ()) -> list[str]:
    """The ways a case number is printed in minutes, for matching it in the text."""
    spellings = list(printed)
    year_serial = re.fullmatch(r"(\d{2})/(\d+)", normalised)
    if year_serial:
        year, serial = year_serial.groups()
        for y in (year, f"20{year}", f"19{year}"):
            spellings += [f"{y}/{serial}", f"{y}-{serial}"]
    elif re.fullmatch(_KLE, normalised, re.IGNORECASE):
        parts = [p.strip() for p in normalised.split("-")]
        spellings += ["-".join(parts), " - ".join(parts)]
    else:
        spellings.append(normalised)
    return list(dict.fromkeys(spellings))


def whole_query_case_number(text: str) -> str | None:
    """The normalised case number when the whole query is one, in any common spelling."""
    match = CASE_IN_TEXT.fullmatch(text.strip())
    return normalise_case_number(match["number"]) if match else None


def tokenize(text: str) -> list[Token | str]:
    """Web-search syntax ("phrase", OR, -word) plus `word*` prefixes and case numbers.

    Returns tokens and the string "OR" between the groups it separates.
    """
    out: list[Token | str] = []
    position = 0
    for case in CASE_IN_TEXT.finditer(text):
        out += _plain_tokens(text[position : case.start()])
        number = case["number"]
        out.append(
            Token("case", number, variants=tuple(case_spellings(normalise_case_number(number))))
        )
        position = case.end()
    out += _plain_tokens(text[position:])
    return out


def _plain_tokens(text: str) -> list[Token | str]:
    out: list[Token | str] = []
    for match in _TOKEN.finditer(text):
        negated = bool(match["neg"])
        if match["phrase"] is not None:
            if match["phrase"].strip():
                out.append(Token("phrase", match["phrase"], negated))
            continue
        word = match["word"]
        if word.lower() == "or" and not negated:
            out.append("OR")
        elif word.endswith("*") and len(word.rstrip("*")) >= 2:
            stem = word.rstrip("*")
            kind = "prefix" if _PREFIX_WORD.match(stem) else "word"
            out.append(Token(kind, stem, negated))
        elif word.strip("-*"):
            out.append(Token("word", word.strip("*"), negated))
    return out


@dataclass
class ParsedQuery:
    text: str
    tsquery: str = ""  # canonical tsquery text, passed back as a parameter (never formatted)
    rank_query: str = ""  # the positive lexemes OR-ed: ts_rank then averages per-term scores
    nodes: int = 0
    lexemes: list[tuple[str, bool]] = field(default_factory=list)  # (lexeme, is_prefix)
    negated: bool = False
    phrase: bool = False
    case_numbers: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.nodes == 0


def _quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def parse_query(text: str, cases: Sequence[Case] = ()) -> ParsedQuery:
    """Build the tsquery in PostgreSQL from fixed SQL pieces and parameters: user text is only
    ever a parameter of websearch_to_tsquery/phraseto_tsquery/to_tsquery(quote_literal(...))."""
    parsed = ParsedQuery(text=text)
    tokens = tokenize(text)
    printed: dict[str, list[str]] = {}
    for case in cases:
        printed.setdefault(case.normalised, []).append(case.number)
    groups: list[list[str]] = [[]]
    params: list[Any] = []
    lexeme_sql: list[str] = []
    lexeme_params: list[Any] = []
    prefix_flags: list[bool] = []
    for token in tokens:
        if token == "OR":
            groups.append([])
            continue
        assert isinstance(token, Token)
        normalised = ""
        if token.kind == "word":
            expr, values = f"websearch_to_tsquery('{CONFIG}', %s)", [token.text]
        elif token.kind == "phrase":
            expr, values = f"phraseto_tsquery('{CONFIG}', %s)", [token.text]
            parsed.phrase = True
        elif token.kind == "prefix":
            expr, values = f"to_tsquery('{CONFIG}', quote_literal(%s) || ':*')", [token.text]
        else:
            normalised = normalise_case_number(token.text)
            spellings = case_spellings(normalised, printed.get(normalised, []))
            spellings = list(dict.fromkeys([token.text, *spellings]))
            expr = "(" + " || ".join(f"phraseto_tsquery('{CONFIG}', %s)" for _ in spellings) + ")"
            values = spellings
            parsed.phrase = True
            parsed.case_numbers.append(normalised)
        if token.negated:
            expr = f"(!!{expr})"
            parsed.negated = True
        else:
            lexeme_sql.append(f"tsvector_to_array(to_tsvector('{CONFIG}', %s))")
            # A case number ranks by its one canonical spelling, not by every variant's pieces.
            lexeme_params.append(normalised if token.kind == "case" else " ".join(values))
            prefix_flags.append(token.kind == "prefix")
        groups[-1].append(expr)
        params += values
    parts = ["(" + " && ".join(g) + ")" for g in groups if g]
    if not parts:
        return parsed
    sql = "SELECT q::text, numnode(q)"
    sql += "".join(f", {s}" for s in lexeme_sql)
    sql += " FROM (SELECT " + " || ".join(parts) + " AS q) AS built"
    with connection.cursor() as cursor:
        cursor.execute(sql, lexeme_params + params)
        row = cursor.fetchone()
    parsed.tsquery, parsed.nodes = row[0], row[1]
    lexemes: dict[str, bool] = {}
    for found, is_prefix in zip(row[2:], prefix_flags, strict=True):
        for lexeme in found or []:
            lexemes[lexeme] = lexemes.get(lexeme, False) or is_prefix
    parsed.lexemes = list(lexemes.items())
    parsed.rank_query = " | ".join(
        _quote_lexeme(lex) + (":*" if prefix else "") for lex, prefix in parsed.lexemes
    )
    if parsed.negated and not parsed.rank_query:
        parsed.rank_query = parsed.tsquery
    return parsed


# --- Filters ---------------------------------------------------------------------------------


def _filter_sql(params: dict[str, Any]) -> tuple[str, list[Any]]:
    """The FilterSet's conditions as SQL on minutes_itemsearch, for the hand-written queries."""
    data = {k: v for k, v in params.items() if v not in (None, "")}
    queryset = ItemSearchFilter(data, queryset=ItemSearch.objects.all()).qs
    query = queryset.query
    try:
        sql, sql_params = query.get_compiler(using=queryset.db).compile(query.where)
    except FullResultSet:
        return "TRUE", []
    except EmptyResultSet:
        return "FALSE", []
    return sql, list(sql_params)


# --- Results ---------------------------------------------------------------------------------


@dataclass
class Facet:
    slug: str
    label: str
    n: int
    extra: dict[str, str] = field(default_factory=dict)  # other params the link sets


class RankedItems(Sequence):
    """The matches in the chosen order, fetched a slice at a time (what Paginator needs)."""

    def __init__(self, search: Search, count: int) -> None:
        self.search = search
        self._count = count

    def count(self) -> int:  # Paginator prefers count() over len()
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            start = index.start or 0
            stop = self._count if index.stop is None else index.stop
            if stop <= start:
                return []
            return self.search.fetch(start, stop - start)
        rows = self.search.fetch(index, 1)
        if not rows:
            raise IndexError(index)
        return rows[0]

    def __iter__(self) -> Iterator[AgendaItem]:
        return iter(self[0 : self._count])


@dataclass
class SearchResults:
    query: str
    items: Sequence[AgendaItem]
    count: int
    facets: dict[str, list[Facet]]
    cases: list[Case] = field(default_factory=list)
    documents: list[DocumentSection] = field(default_factory=list)
    redirect_to: Any = None
    empty_reason: str | None = None
    count_is_estimate: bool = False
    sort: str = "relevance"
    parsed: ParsedQuery | None = None

    def attach_snippets(self, page) -> None:
        """ts_headline on the rows shown only, on the part of each item that matched best."""
        rows = list(page)
        if not rows or self.parsed is None or self.parsed.empty:
            return
        found = snippets([r.pk for r in rows], self.parsed)
        for row in rows:
            label, text = found.get(row.pk, ("", ""))
            row.snippet_label = label
            row.snippet = render_marked(text)
            row.search_url = item_url(row, self.query)


class Search:
    """One parsed query with its filters: runs the ranking, count and facet SQL."""

    def __init__(self, parsed: ParsedQuery, params: dict[str, Any]) -> None:
        self.parsed = parsed
        self.sort = SORTS.get(params.get("sortering") or "", "relevance")
        self.where, self.where_params = _filter_sql(params)
        self.large = False  # more than RANK_LIMIT matches: see RANK_LIMIT
        self.count: int | None = None  # set by run_search once counted or estimated

    def _match(self, column: str = "vector") -> tuple[str, list[Any]]:
        return f"{column} @@ %s::tsquery", [self.parsed.tsquery]

    def ids(self, offset: int, limit: int) -> list[int]:
        if self.count == 0:  # counted exactly (estimates are never this small)
            return []
        if self.sort == "relevance":
            return self._ranked_ids(offset, limit)
        direction = "DESC" if self.sort == "newest" else "ASC"
        matches = f"SELECT item_id, date FROM minutes_itemsearch WHERE vector @@ %s::tsquery AND ({self.where})"
        if self.large:
            # Many matches: walking the date index finds a page of them after a few rows.
            sql = f"{matches} ORDER BY date {direction}, item_id {direction} OFFSET %s LIMIT %s"
        else:
            # Few matches: collect them through the GIN index first. (Left to itself the
            # planner may walk the date index and test every item of the archive.)
            sql = (
                f"WITH m AS MATERIALIZED ({matches}) SELECT item_id FROM m "
                f"ORDER BY date {direction}, item_id {direction} OFFSET %s LIMIT %s"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.parsed.tsquery, *self.where_params, offset, limit])
            return [r[0] for r in cursor.fetchall()]

    def _ranked_ids(self, offset: int, limit: int) -> list[int]:
        q, rq, n = self.parsed.tsquery, self.parsed.rank_query, offset + limit
        # With a negation a title can match while the whole item does not: check the item too.
        whole = " AND vector @@ %s::tsquery" if self.parsed.negated else ""
        whole_params = [q] if self.parsed.negated else []
        tiers = [
            ("title_vector", "title_vector @@ %s::tsquery" + whole, [q, *whole_params], ""),
            (
                "lead_vector",
                "lead_vector @@ %s::tsquery AND NOT title_vector @@ %s::tsquery" + whole,
                [q, q, *whole_params],
                "(SELECT count(*) FROM tier0) < %s AND ",
            ),
            (
                "vector",
                "vector @@ %s::tsquery AND NOT lead_vector @@ %s::tsquery",
                [q, q],
                "(SELECT count(*) FROM tier0) + (SELECT count(*) FROM tier1) < %s AND ",
            ),
        ]
        ctes, params = [], []
        where, where_params = self.where, self.where_params
        for number, (vector, match, match_params, guard) in enumerate(tiers):
            guard_params = [n] if guard else []
            if not self.large:
                # The guard is a one-time filter: a lower tier is never scanned when the
                # higher tiers already fill the page.
                ctes.append(
                    f"tier{number} AS MATERIALIZED (SELECT item_id, {number} AS tier, "
                    f"ts_rank({vector}, %s::tsquery) AS r, date FROM minutes_itemsearch "
                    f"WHERE {guard}{match} AND ({where}) "
                    "ORDER BY r DESC, date DESC, item_id DESC LIMIT %s)"
                )
                params += [rq, *guard_params, *match_params, *where_params, n]
                continue
            # Newest first within the tier. Probe the newest items first: a dense tier fills
            # the page from them. Only a sparse tier (then a small one) is collected whole
            # through its GIN index and sorted.
            probe = PROBE_ROWS[number]
            ctes.append(
                f"probe{number} AS MATERIALIZED (SELECT item_id, date FROM (SELECT * FROM "
                f"minutes_itemsearch ORDER BY date DESC, item_id DESC LIMIT {probe}) "
                f"AS minutes_itemsearch WHERE {guard}{match} AND ({where}) "
                "ORDER BY date DESC, item_id DESC LIMIT %s)"
            )
            params += [*guard_params, *match_params, *where_params, n]
            ctes.append(
                f"sparse{number} AS MATERIALIZED (SELECT item_id, date FROM minutes_itemsearch "
                f"WHERE {guard}(SELECT count(*) FROM probe{number}) < %s AND {match} "
                f"AND ({where}))"
            )
            params += [*guard_params, n, *match_params, *where_params]
            ctes.append(
                f"tier{number} AS MATERIALIZED ("
                f"SELECT item_id, {number} AS tier, 0::real AS r, date FROM probe{number} "
                f"WHERE (SELECT count(*) FROM probe{number}) >= %s "
                f"UNION ALL (SELECT item_id, {number}, 0::real, date FROM sparse{number} "
                "ORDER BY date DESC, item_id DESC LIMIT %s))"
            )
            params += [n, n]
        sql = (
            "WITH "
            + ", ".join(ctes)
            + " SELECT item_id FROM (SELECT * FROM tier0 UNION ALL SELECT * FROM tier1 "
            "UNION ALL SELECT * FROM tier2) AS ranked "
            "ORDER BY tier, r DESC, date DESC, item_id DESC OFFSET %s LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, offset, limit])
            return [r[0] for r in cursor.fetchall()]

    def fetch(self, offset: int, limit: int) -> list[AgendaItem]:
        ids = self.ids(offset, limit)
        if not ids:
            return []
        by_id = AgendaItem.objects.with_context().in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def facets(self, *, sample: bool) -> tuple[int, dict[str, list[Facet]]]:
        """(count, facets) over all matches, or over the sample (then scaled up).

        One pass: the matching rows are materialised once (narrow columns only), grouped by
        municipality, committee and year in one grouping-sets aggregate, and the outcomes and
        totals counted with FILTER in one more; labels are joined to the few groups.
        """
        outcomes = [value for value, _label in Decision.Outcome.choices]
        if sample:
            # Every sample match, with `keep` saying whether it passes the filters: the
            # unfiltered count estimates the GIN work an exact count would do.
            rows_sql = (
                "SELECT municipality_id, committee_id, year, outcomes, "
                f"({self.where}) AS keep, scale "
                "FROM minutes_itemsearch_sample_matches(%s::tsquery) AS minutes_itemsearch"
            )
            rows_params = [*self.where_params, self.parsed.tsquery]
        else:
            rows_sql = (
                "SELECT municipality_id, committee_id, year, outcomes, TRUE AS keep, "
                "1::real AS scale "
                f"FROM minutes_itemsearch WHERE vector @@ %s::tsquery AND ({self.where})"
            )
            rows_params = [self.parsed.tsquery, *self.where_params]
        sql = f"""
            WITH m AS MATERIALIZED ({rows_sql}),
            g AS (
                SELECT municipality_id, committee_id, year, count(*) AS n FROM m WHERE keep
                GROUP BY GROUPING SETS ((municipality_id), (committee_id), (year)))
            SELECT 'kommune', mu.slug, mu.name, '', g.n FROM g
            JOIN minutes_municipality mu ON mu.id = g.municipality_id
            UNION ALL
            SELECT 'udvalg', c.slug, c.name, mu.slug, g.n FROM g
            JOIN minutes_committee c ON c.id = g.committee_id
            JOIN minutes_municipality mu ON mu.id = c.municipality_id
            UNION ALL
            SELECT 'aar', g.year::text, g.year::text, '', g.n FROM g WHERE g.year IS NOT NULL
            UNION ALL
            -- One pass over each row's outcomes, not one per possible outcome.
            SELECT 'udfald', o.outcome, o.outcome, '', count(*) FROM m
            CROSS JOIN LATERAL unnest(m.outcomes) AS o (outcome)
            WHERE keep AND o.outcome = ANY (%s) GROUP BY o.outcome
            UNION ALL
            SELECT v.dim, v.slug, v.slug, '', v.n FROM (
                SELECT count(*) FILTER (WHERE keep) AS total, count(*) AS candidates,
                       coalesce(max(scale) * 1024, 1024)::bigint AS scale
                FROM m) AS t
            CROSS JOIN LATERAL (VALUES ('total', '', t.total), ('candidates', '', t.candidates),
                                       ('scale', '', t.scale))
                AS v (dim, slug, n)
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [*rows_params, outcomes])
            rows = [r for r in cursor.fetchall() if r[4] or r[0] in ("total", "candidates")]
        # The scale comes as items per row × 1024 so it survives the bigint column.
        scale = next((r[4] for r in rows if r[0] == "scale"), 1024) / 1024
        rows = [r for r in rows if r[0] != "scale"]
        total = 0
        self.candidates = 0
        facets: dict[str, list[Facet]] = {"kommune": [], "udvalg": [], "aar": [], "udfald": []}
        several_municipalities = len({r[1] for r in rows if r[0] == "kommune"}) > 1
        for dim, slug, label, municipality, n in rows:
            if dim == "total":
                total = round(n * scale)
                continue
            if dim == "candidates":
                self.candidates = round(n * scale)
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


def run_search(params: dict[str, Any]) -> SearchResults:
    text = (params.get("q") or "").strip()
    sort = SORTS.get(params.get("sortering") or "", "relevance")
    if not text:
        return SearchResults(text, [], 0, {}, sort=sort)

    found: list[Case] = []
    spelled = [normalise_case_number(m["number"]) for m in CASE_IN_TEXT.finditer(text)]
    if spelled:
        found = list(
            Case.objects.filter(normalised__in=spelled)
            .select_related("municipality")
            .order_by("municipality__name", "normalised")
        )
    # A query that is only a case number goes to the case, or lists the cases when several
    # municipalities use the number; the items mentioning it are searched either way.
    cases: list[Case] = []
    whole = whole_query_case_number(text)
    if whole:
        cases = [c for c in found if c.normalised == whole]
        if params.get("kommune"):
            cases = [c for c in cases if c.municipality.slug == params["kommune"]]
        if len(cases) == 1:
            return SearchResults(text, [], 0, {}, cases, redirect_to=cases[0], sort=sort)

    parsed = parse_query(text, found)
    if parsed.empty:
        return SearchResults(
            text, [], 0, {}, cases, empty_reason=STOP_WORDS_REASON, sort=sort, parsed=parsed
        )
    search = Search(parsed, params)
    count, facets = search.facets(sample=True)
    # A small estimate is never shown: a handful of matches can hide between sample rows.
    estimated = count > EXACT_LIMIT or (search.candidates > CANDIDATE_LIMIT and count > 1000)
    if not estimated:
        count, facets = search.facets(sample=False)
    search.large = count > RANK_LIMIT
    search.count = count
    documents = list(
        DocumentSection.objects.matching(parsed.tsquery, parsed.rank_query).select_related(
            "document__municipality"
        )[:5]
    )
    return SearchResults(
        text,
        RankedItems(search, count),
        count,
        facets,
        cases,
        documents,
        count_is_estimate=estimated,
        sort=sort,
        parsed=parsed,
    )


# --- Snippets --------------------------------------------------------------------------------

HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=30, MinWords=12, "
    'FragmentDelimiter=" … "'
)

SHORT_HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxFragments=0, MaxWords=60, MinWords=40"
)


def snippets(item_ids: list[int], parsed: ParsedQuery) -> dict[int, tuple[str, str]]:
    """item id → (label of the part shown, ts_headline of it with sentinel marks).

    Each item's parts are its sections, its decisions and its attachment list; the part shown
    is the one that matches the whole query, else the one with most query words, preferring
    Indstilling/Beslutning, then Resume/Sagsfremstilling, then the rest, then position.
    """
    sql = """
        WITH parts AS (
            SELECT s.item_id, s.position AS pos, s.heading AS label, s.text AS body,
                   CASE WHEN lower(s.heading) = ANY(%s) THEN 1
                        WHEN lower(s.heading) = ANY(%s) THEN 2 ELSE 3 END AS cls
            FROM minutes_section s WHERE s.item_id = ANY(%s)
            UNION ALL
            SELECT d.item_id, 1000 + d.position, 'Beslutning', d.text, 1
            FROM minutes_decision d WHERE d.item_id = ANY(%s) AND d.text <> ''
            UNION ALL
            SELECT a.item_id, 2000, 'Bilag', string_agg(a.title, E'\n' ORDER BY a.position), 3
            FROM minutes_attachment a WHERE a.item_id = ANY(%s) GROUP BY a.item_id
        ), scored AS MATERIALIZED (
            -- Materialised: each part is parsed once, not once per use of v below.
            SELECT p.*, to_tsvector('danish', p.body) AS v FROM parts p
        ), best AS (
            SELECT DISTINCT ON (item_id) item_id, label, body FROM scored
            ORDER BY item_id, (v @@ %s::tsquery) DESC, (v @@ %s::tsquery) DESC, cls,
                     ts_rank(v, %s::tsquery) DESC, pos
        )
        -- The parser drops what looks like HTML tags from a headline; hide < and > from it so
        -- the source text comes back whole (render_marked escapes it).
        -- A short part is shown whole: fragment mode drops its first word.
        SELECT item_id, label, ts_headline('danish', translate(body, '<>', E'\x04\x05'),
                                           %s::tsquery,
                                           CASE WHEN length(body) <= 200 THEN %s ELSE %s END)
        FROM best
    """
    q, rq = parsed.tsquery, parsed.rank_query
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                sorted(RECOMMENDATION_HEADINGS),
                sorted(SUMMARY_HEADINGS),
                item_ids,
                item_ids,
                item_ids,
                q,
                rq,
                rq,
                rq or q,
                SHORT_HEADLINE_OPTIONS,
                HEADLINE_OPTIONS,
            ],
        )
        return {
            item_id: (label, text.translate(_UNHIDE)) for item_id, label, text in cursor.fetchall()
        }


_UNHIDE = {4: "<", 5: ">"}


def result_rows(results: SearchResults, rows: Sequence[AgendaItem]) -> list[dict[str, Any]]:
    """One plain dict per result, for JSON, CSV and the feed."""
    out = []
    for item in rows:
        meeting = item.meeting
        committee = meeting.committee
        snippet: SafeString | str = getattr(item, "snippet", "")
        out.append(
            {
                "id": item.pk,
                "url": item_url(item, results.query),
                "municipality": committee.municipality.name,
                "committee": committee.name,
                "meeting_date": meeting.date.isoformat(),
                "item_number": item.number,
                "title": item.title,
                "case_number": item.case.number if item.case else None,
                "closed": item.closed,
                "snippet_section": getattr(item, "snippet_label", ""),
                "snippet_html": str(snippet),
                "snippet": plain_snippet(str(snippet)),
            }
        )
    return out


def item_url(item: AgendaItem, query: str) -> str:
    """The item on its meeting page, with the search terms to highlight there."""
    from urllib.parse import urlencode

    base = item.meeting.get_absolute_url()
    suffix = f"?{urlencode({'fremhaev': query})}" if query else ""
    return f"{base}{suffix}#{item.anchor}"


def plain_snippet(html: str) -> str:
    from html import unescape

    return unescape(re.sub(r"</?mark>", "", html))


__all__ = [
    "EXACT_LIMIT",
    "ParsedQuery",
    "RankedItems",
    "Search",
    "SearchResults",
    "parse_query",
    "run_search",
    "snippets",
    "tokenize",
    "whole_query_case_number",
]
