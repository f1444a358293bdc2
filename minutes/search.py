"""The search the results page, the API and the feeds run: query language, filters, ranking,
counts, facets and snippets.

Design (see also migration 0004 and the report in README): every agenda item has one narrow row
in `minutes_itemsearch`, kept by triggers, with three tsvectors: the title line (weight A), the
title plus Indstilling and Beslutning (A+B, "lead"), and the whole item (A–D, stored out of
line). Relevance is an exact total order over all matches:

1. tier: 0 when the title line matches the query, 1 when title + Indstilling/Beslutning do,
   2 otherwise (the weighting of issue 7 made lexicographic); a procedural item (Godkendelse
   af dagsorden, Meddelelser, …) is always in tier 2, and last there, unless the query is in
   its own words;
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

When the words find little, search does more, each step only when the one before fell short, so
a query that finds a page costs nothing extra (issue 13): under a page, the compounds its words
begin (`search_query`); nothing at all, the archive's nearest words for the words it does not
know ("Mente du …?", used when they find items), then the telling words, any of them, items with
more and rarer ones first (`search_suggest`; `_rescued` below); a few items, a clearly
better-known spelling offered ("Mente du …?", not used). SearchResults says what it did.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet

from .filters import ItemSearchFilter
from .highlight import render_marked
from .models import AgendaItem, Case, DocumentSection, ItemSearch
from .parsing.conventions import normalise_case_number
from .prepared import prepared_cursor
from .querysets import SEARCH_CONFIG
from .search_facets import Facet, counted_facets
from .search_query import (
    CASE_IN_TEXT,
    EXACT_LIMIT,
    PROCEDURAL_TSQUERY,
    ParsedQuery,
    Token,
    asks_for_procedural_items,
    parse_queries,
    parse_query,
    plain_words,
    tokenize,
    whole_query_case_number,
)
from .search_rows import rows_in_order
from .search_snippets import item_url, plain_snippet, result_rows, snippets
from .search_suggest import (
    FEW_RESULTS,
    QUESTION_WORDS,
    archive_items,
    better_known_spelling,
    closest_words,
    item_frequencies,
)

CONFIG = SEARCH_CONFIG
# Counts and facets are exact when the sample predicts at most EXACT_LIMIT matches
# (search_query), and, with filters, at most CANDIDATE_LIMIT items for the query alone (the GIN
# bitmap an exact count must build even when filters leave few rows) unless the filters leave
# under 1,000; otherwise they are estimated from the sample.
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
# A query of plain words that finds nothing is corrected or relaxed (search_suggest) when it has
# at most this many words.
RESCUE_WORDS = 8
PAGE_SIZE = 20
SORTS = {"": "relevance", "relevans": "relevance", "nyeste": "newest", "aeldste": "oldest"}

STOP_WORDS_REASON = (
    "Søgningen består kun af fyldord eller tegn, som ikke søges på (fx 'og', 'i', 'at'). "
    "Prøv med et mere sigende ord."
)

# --- Filters ---------------------------------------------------------------------------------


def _filter_sql(params: dict[str, Any]) -> tuple[str, list[Any]]:
    """The FilterSet's conditions as SQL on minutes_itemsearch, for the hand-written queries."""
    data = {k: v for k, v in params.items() if v not in (None, "")}
    if data.keys().isdisjoint(ItemSearchFilter.base_filters):
        return "TRUE", []  # what the FilterSet compiles to without a filter, in no time
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
    # What the search did besides the query as typed (templates/minutes/includes/
    # search_notices.html): the query it searched instead, a correction it used, words it
    # offers ("Mente du …?"), the words of a relaxed query and those it left out, a case
    # number the archive does not have, and the line saying how the query was read.
    searched: str = ""
    correction: str = ""
    suggestions: list[str] = field(default_factory=list)
    relaxed_words: list[str] = field(default_factory=list)
    dropped_words: list[str] = field(default_factory=list)
    unknown_case: str = ""
    understood: str = ""

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
            row.search_url = item_url(row, self.searched or self.query)


class Search:
    """One parsed query with its filters: runs the ranking, count and facet SQL."""

    def __init__(self, parsed: ParsedQuery, params: dict[str, Any]) -> None:
        self.parsed = parsed
        self.sort = SORTS.get(params.get("sortering") or "", "relevance")
        self.where, self.where_params = _filter_sql(params)
        self.large = False  # more than RANK_LIMIT matches: see RANK_LIMIT
        self.count: int | None = None  # set by run_search once counted or estimated
        self.estimated = False
        self.filter_share = 1.0  # see PROBE_ROWS
        # (tsquery, points): an item scores the points of every query it matches, and higher
        # scores rank first, before the tiers. The words as typed when compounds widened the
        # search; each word of a relaxed query, the rarer the more points (so items with more
        # of the telling words come first). Only used up to RANK_LIMIT matches.
        self.prefer: list[tuple[str, float]] = []

    def _match(self, column: str = "vector") -> tuple[str, list[Any]]:
        return f"{column} @@ %s::tsquery", [self.parsed.tsquery]

    def ids(self, offset: int, limit: int) -> list[int]:
        if self.count == 0:  # counted exactly (estimates are never this small)
            return []
        sql, params = self.page_sql(offset, limit)
        with prepared_cursor(prepare=self._plan_is_fixed()) as cursor:
            cursor.execute(sql, params)
            return [r[0] for r in cursor.fetchall()]

    def _plan_is_fixed(self) -> bool:
        """Whether the page's statement has one sensible plan whatever the words, so it can be
        prepared (minutes.prepared; planning it took 0.5–1.4 ms of every search): ranked, with
        neither filters nor a negation, every tier is reached through its own GIN index or the
        newest-items probe, as written. Otherwise a generic plan, not knowing the words, can
        go astray: a negation's tier collected through the whole posting list of the word
        (33 ms instead of 6), a newest-first page sorted from every match (49 ms instead of
        0.05), filters met through the word's index instead of theirs."""
        return self.sort == "relevance" and not self.parsed.negated and self.where == "TRUE"

    def page_sql(self, offset: int, limit: int) -> tuple[str, list[Any]]:
        """(SQL, params): the ids of a page in order, each with the keys it is ordered by."""
        if self.sort == "relevance":
            return self._ranked_sql(offset, limit)
        direction = "DESC" if self.sort == "newest" else "ASC"
        matches = f"SELECT item_id, date FROM minutes_itemsearch WHERE vector @@ %s::tsquery AND ({self.where})"
        order = f"date {direction}, item_id {direction}"
        if self.large:
            # Many matches: walking the date index finds a page of them after a few rows.
            sql = f"{matches} ORDER BY {order} OFFSET %s LIMIT %s"
        else:
            # Few matches: collect them through the GIN index first. (Left to itself the
            # planner may walk the date index and test every item of the archive.)
            sql = (
                f"WITH m AS MATERIALIZED ({matches}) SELECT item_id, date FROM m "
                f"ORDER BY {order} OFFSET %s LIMIT %s"
            )
        return sql, [self.parsed.tsquery, *self.where_params, offset, limit]

    def _ranked_sql(self, offset: int, limit: int) -> tuple[str, list[Any]]:
        q, rq, n = self.parsed.tsquery, self.parsed.rank_query, offset + limit
        # With a negation a title can match while the whole item does not: check the item too.
        whole = " AND vector @@ %s::tsquery" if self.parsed.negated else ""
        whole_params = [q] if self.parsed.negated else []
        # Procedural items (see PROCEDURAL_TITLES) go to the last tier, and last within it.
        procedural = "FALSE"
        if not asks_for_procedural_items(self.parsed.text):
            procedural = f"title_vector @@ {PROCEDURAL_TSQUERY}"
        tiers = [
            (
                "title_vector",
                f"title_vector @@ %s::tsquery AND NOT {procedural}" + whole,
                [q, *whole_params],
                "",
            ),
            (
                "lead_vector",
                "lead_vector @@ %s::tsquery AND NOT title_vector @@ %s::tsquery "
                f"AND NOT {procedural}" + whole,
                [q, q, *whole_params],
                "(SELECT count(*) FROM tier0) < %s AND ",
            ),
            (
                "vector",
                f"vector @@ %s::tsquery AND (NOT lead_vector @@ %s::tsquery OR {procedural})",
                [q, q],
                "(SELECT count(*) FROM tier0) + (SELECT count(*) FROM tier1) < %s AND ",
            ),
        ]
        ctes, params = [], []
        where, where_params = self.where, self.where_params
        if not self.large:
            # The last tier leaves out the matches of the lead tier as a set found through its
            # GIN index (at most RANK_LIMIT here): testing each match's lead vector read it
            # from TOAST, 3.5 ms of a 6 ms ranking for a word in 640 items. Only its first
            # use reads the set, so a tier the guard skips costs nothing.
            ctes.append(
                "leads AS MATERIALIZED (SELECT item_id FROM minutes_itemsearch "
                f"WHERE lead_vector @@ %s::tsquery AND ({where}))"
            )
            params += [q, *where_params]
            tiers[2] = (
                "vector",
                f"vector @@ %s::tsquery AND (item_id NOT IN (SELECT item_id FROM leads) "
                f"OR {procedural})",
                [q],
                tiers[2][3],
            )
        prefer = " + ".join(["(vector @@ %s::tsquery)::int * %s"] * len(self.prefer)) or "0"
        prefer_params = [value for pair in self.prefer for value in pair]
        for number, (vector, match, match_params, guard) in enumerate(tiers):
            if self.prefer and not self.large:
                guard = ""  # a preferred match in a lower tier outranks the higher tiers
            guard_params = [n] if guard else []
            if not self.large:
                # The guard is a one-time filter: a lower tier is never scanned when the
                # higher tiers already fill the page.
                ctes.append(
                    f"tier{number} AS MATERIALIZED (SELECT item_id, {number} AS tier, "
                    f"ts_rank({vector}, %s::tsquery) * (1 - ({procedural})::int) AS r, date, "
                    f"{prefer} AS p FROM minutes_itemsearch WHERE {guard}{match} AND ({where}) "
                    "ORDER BY p DESC, r DESC, date DESC, item_id DESC LIMIT %s)"
                )
                params += [rq, *prefer_params, *guard_params, *match_params, *where_params, n]
                continue
            # Newest first within the tier. Probe the newest items first: a dense tier fills
            # the page from them. Only a sparse tier (then a small one) is collected whole
            # through its GIN index and sorted.
            # The filters go inside the probe: it is the newest rows that pass them (an outcome,
            # a municipality), read in index order, not the newest rows of the archive of which
            # most are then thrown away.
            probe = max(n, round(PROBE_ROWS[number] * self.filter_share))
            # Words no title holds (together) have no title tier: the vocabulary has every
            # word of every title. Its probe would read the 5,000 newest rows for nothing.
            titled, titled_params = "", []
            if number == 0 and self.parsed.required:
                titled = "minutes_titles_may_hold(%s::text[]) AND "
                titled_params = [[" ".join(group) for group in self.parsed.required]]
            ctes.append(
                f"probe{number} AS MATERIALIZED (SELECT item_id, date FROM (SELECT * FROM "
                f"minutes_itemsearch WHERE {where} ORDER BY date DESC, item_id DESC "
                f"LIMIT {probe}) AS minutes_itemsearch WHERE {titled}{guard}{match} "
                "ORDER BY date DESC, item_id DESC LIMIT %s)"
            )
            params += [*where_params, *titled_params, *guard_params, *match_params, n]
            ctes.append(
                f"sparse{number} AS MATERIALIZED (SELECT item_id, date FROM minutes_itemsearch "
                f"WHERE {guard}(SELECT count(*) FROM probe{number}) < %s AND {match} "
                f"AND ({where}))"
            )
            params += [*guard_params, n, *match_params, *where_params]
            ctes.append(
                f"tier{number} AS MATERIALIZED ("
                f"SELECT item_id, {number} AS tier, 0::real AS r, date, 0 AS p "
                f"FROM probe{number} WHERE (SELECT count(*) FROM probe{number}) >= %s "
                f"UNION ALL (SELECT item_id, {number}, 0::real, date, 0 FROM sparse{number} "
                "ORDER BY date DESC, item_id DESC LIMIT %s))"
            )
            params += [n, n]
        order = "p DESC, tier, r DESC, date DESC, item_id DESC"
        sql = (
            "WITH "
            + ", ".join(ctes)
            + " SELECT item_id, p, tier, r, date FROM (SELECT * FROM tier0 UNION ALL "
            "SELECT * FROM tier1 UNION ALL SELECT * FROM tier2) AS ranked "
            f"ORDER BY {order} OFFSET %s LIMIT %s"
        )
        return sql, [*params, offset, limit]

    def fetch(self, offset: int, limit: int) -> list[AgendaItem]:
        """The rows of a page: its ids ranked, then read with their context (search_rows)."""
        return rows_in_order(self.ids(offset, limit))

    def counted(self) -> tuple[int, dict[str, list[Facet]]]:
        """Count and facets over all matches (exact) or the sample (scaled), in one round trip
        (see search_facets); sets `estimated` and `filter_share`."""
        counted = counted_facets(
            self.parsed.tsquery,
            self.where,
            self.where_params,
            exact_limit=EXACT_LIMIT,
            candidate_limit=CANDIDATE_LIMIT,
        )
        self.estimated, self.filter_share = counted.estimated, counted.filter_share
        return counted.total, counted.facets


def _counted(parsed: ParsedQuery, params: dict[str, Any]) -> tuple[Search, dict]:
    """A Search for `parsed` with its count and facets: exact, or estimated from the sample."""
    search = Search(parsed, params)
    count, facets = search.counted()
    search.large = count > RANK_LIMIT
    search.count = count
    return search, facets


def _only_plain_words(text: str) -> bool:
    tokens = tokenize(text)
    return all(isinstance(t, Token) and t.kind == "word" and not t.negated for t in tokens)


def _widened(
    text: str, found: list[Case], params: dict[str, Any], search: Search, facets: dict
) -> tuple[Search, dict]:
    """The search with compound parts, when the words alone find less than a page (see
    search_query); the words as typed still rank first. Otherwise the search as it was."""
    if (search.count or 0) >= PAGE_SIZE or not plain_words(text):
        return search, facets
    wide = parse_query(text, found, expand=True)
    if wide.tsquery == search.parsed.tsquery:
        return search, facets
    wider, wider_facets = _counted(wide, params)
    if (wider.count or 0) <= (search.count or 0):
        return search, facets
    # No preference needed: the rank query holds only the words as typed, so within each tier
    # an item with a whole word ranks above one with only a compound of it.
    return wider, wider_facets


def _rescued(
    text: str, params: dict[str, Any], results: SearchResults
) -> tuple[Search, dict] | None:
    """For a query of plain words that found nothing: the words the archive does not know
    corrected to its nearest words ("Mente du …?", used at once when that finds items), else
    the words it knows that are not in most items, any of them, items with more of them first.
    Fills in the notices on `results`; None when neither finds anything."""
    words = list(dict.fromkeys(plain_words(text)))
    # A few lookups per word: a query of many words (up to 300 characters) is not rescued.
    if not words or len(words) > RESCUE_WORDS or not _only_plain_words(text):
        return None
    singles = dict(zip(words, parse_queries(words, expand=True), strict=True))
    known = [not singles[w].empty and w.lower() not in QUESTION_WORDS for w in words]
    total = archive_items()
    frequencies = iter(
        item_frequencies(
            [singles[w].tsquery for w, k in zip(words, known, strict=True) if k],
            limit=total // 2 + 1,
        )
    )
    df = {w: (next(frequencies) if k else -1) for w, k in zip(words, known, strict=True)}
    fixes = closest_words([w for w in words if df[w] == 0])
    # Stop words (-1), words in no item (0) and words in most items say little about the subject.
    kept = [fixes.get(w, w) for w in words if 0 < df[w] <= total // 2 or w in fixes]
    relaxing = len(words) >= 2 and bool(kept)
    corrected = " ".join(fixes.get(w, w) for w in text.split()) if fixes else ""
    # The corrected query, the relaxed one and the corrections' own queries (for `prefer`),
    # parsed together: the relaxed ones are seldom needed, but cost nothing more to parse.
    fixed = [w for w in kept if w not in singles] if relaxing else []
    texts = ([corrected] if fixes else []) + ([" OR ".join(kept), *fixed] if relaxing else [])
    parsed = iter(parse_queries(texts, expand=True))
    if fixes:
        results.suggestions = [corrected]
        search, facets = _counted(next(parsed), params)
        if search.count:
            results.searched = results.correction = corrected
            return search, facets
    if not relaxing:
        return None
    relaxed = next(parsed)
    singles.update(zip(fixed, parsed, strict=True))
    search, facets = _counted(relaxed, params)
    if not search.count:
        return None
    # Inverse document frequency: a word in one item in a thousand outweighs one in a third.
    # One word kept is in every match: its points would order nothing, and testing it read
    # each match's whole vector once more.
    if len(kept) > 1:
        search.prefer = [
            (singles[w].tsquery, math.log(total / max(df.get(w, 1), 1)) + 0.1) for w in kept
        ]
    results.searched = relaxed.text
    results.relaxed_words = kept
    results.dropped_words = [w for w in words if w not in kept and fixes.get(w) not in kept]
    return search, facets


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
    results = SearchResults(text, [], 0, {}, cases, sort=sort)
    if whole and not found:
        results.unknown_case = whole
    search, facets = _widened(text, found, params, *_counted(parsed, params))
    if not search.count and not whole:
        search, facets = _rescued(text, params, results) or (search, facets)
    elif (search.count or 0) <= FEW_RESULTS and not whole and _only_plain_words(text):
        # A word's own query; stop words have none and are left as they are.
        words = list(dict.fromkeys(plain_words(text)))
        singles = {w: p.tsquery for w, p in zip(words, parse_queries(words), strict=True)}
        singles = {w: q for w, q in singles.items() if q}
        if len(singles) <= RESCUE_WORDS:
            better = better_known_spelling(text, list(singles), list(singles.values()))
            results.suggestions = [better] if better else []
    parsed = search.parsed
    results.items = RankedItems(search, search.count or 0)
    results.count = search.count or 0
    results.facets = facets
    results.count_is_estimate = search.estimated
    results.parsed = parsed
    results.understood = understood(parsed)
    results.documents = DocumentSection.objects.matching(parsed.tsquery, parsed.rank_query, limit=5)
    return results


def understood(parsed: ParsedQuery) -> str:
    """The query as searched, in one quiet line: the other spellings and the compounds."""
    parts = []
    for word, others, stems in parsed.readings:
        added = []
        # Other spellings are worth a word only when one of them has æ, ø or å the typed word
        # lacks (a query for "møde" also finding "moede" is no news).
        if others and not re.search("[æøå]", word.lower()):
            added.append("også " + " og ".join(o for o in others if re.search("[æøå]", o)))
        if stems:
            starts = " eller ".join(f"{stem}-" for stem in stems.split("/"))
            added.append(f"ord, der begynder med {starts}")
        if added:
            parts.append(f"{word} ({'; '.join(added)})")
    return "; ".join(parts)


__all__ = [
    "EXACT_LIMIT",
    "ParsedQuery",
    "RankedItems",
    "Search",
    "SearchResults",
    "item_url",
    "parse_query",
    "plain_snippet",
    "result_rows",
    "run_search",
    "snippets",
    "tokenize",
    "whole_query_case_number",
]
