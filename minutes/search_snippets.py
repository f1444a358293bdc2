"""Search snippets and the plain rows the API, the CSV and the feed return."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString

from .highlight import START, STOP
from .models import AgendaItem
from .parsing.conventions import RECOMMENDATION_HEADINGS, SUMMARY_HEADINGS
from .prepared import prepared_cursor
from .search_query import ParsedQuery

if TYPE_CHECKING:
    from .search import SearchResults


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
    # A part's vector: stemmed only when its lower-cased text holds one of the query's lexemes
    # (a lexeme is its word lower-cased with an ending cut off, so it stands in the text); any
    # other part is given the empty vector, which answers the query and ranks exactly as its
    # own vector would, without stemming its text.
    vector = (
        "CASE WHEN EXISTS (SELECT FROM unnest(%(lexemes)s::text[]) AS l "
        "WHERE strpos(lower(x.body), l) > 0) "
        "THEN to_tsvector('danish', x.body) ELSE ''::tsvector END"
    )
    # The order is: matches the query, matches its words, class, rank, position. So the first
    # class with a part that matches both holds the item's best part, and the classes after it
    # are not stemmed at all (a common word is in the Indstilling: 2.7 → 0.5 ms for ten
    # items). Each class is stemmed only for the items the classes before it left open; the
    # items no class settles (no part matches both: a compound only, words in different
    # parts) are ordered over all their parts, each stemmed once.
    stages = []
    settled: list[str] = []
    for cls in (1, 2, 3):
        open_items = "".join(
            f" AND x.item_id NOT IN (SELECT item_id FROM best{n})" for n in settled
        )
        stages.append(
            f"v{cls} AS MATERIALIZED (SELECT x.*, {vector} AS v FROM parts x "
            f"WHERE x.cls = {cls}{open_items})"
        )
        stages.append(
            f"best{cls} AS MATERIALIZED (SELECT DISTINCT ON (item_id) item_id, pos FROM v{cls} "
            "WHERE v @@ %(q)s::tsquery AND v @@ %(rq)s::tsquery "
            "ORDER BY item_id, ts_rank(v, %(rq)s::tsquery) DESC, pos)"
        )
        settled.append(str(cls))
    sql = f"""
        WITH parts AS MATERIALIZED (
            SELECT s.item_id, s.position AS pos, s.heading AS label, s.text AS body,
                   CASE WHEN lower(s.heading) = ANY(%(recommendation)s) THEN 1
                        WHEN lower(s.heading) = ANY(%(summary)s) THEN 2 ELSE 3 END AS cls
            FROM minutes_section s WHERE s.item_id = ANY(%(ids)s)
            UNION ALL
            SELECT d.item_id, 1000 + d.position, 'Beslutning', d.text, 1
            FROM minutes_decision d WHERE d.item_id = ANY(%(ids)s) AND d.text <> ''
            UNION ALL
            SELECT a.item_id, 2000, 'Bilag', string_agg(a.title, E'\n' ORDER BY a.position), 3
            FROM minutes_attachment a WHERE a.item_id = ANY(%(ids)s) GROUP BY a.item_id
        ),
        {", ".join(stages)},
        settled AS (SELECT * FROM best1 UNION ALL SELECT * FROM best2 UNION ALL
                    SELECT * FROM best3),
        rest AS (
            SELECT DISTINCT ON (item_id) item_id, pos
            FROM (SELECT * FROM v1 UNION ALL SELECT * FROM v2 UNION ALL SELECT * FROM v3) AS x
            WHERE item_id NOT IN (SELECT item_id FROM settled)
            ORDER BY item_id, (v @@ %(q)s::tsquery) DESC, (v @@ %(rq)s::tsquery) DESC, cls,
                     ts_rank(v, %(rq)s::tsquery) DESC, pos
        ),
        chosen AS (SELECT * FROM settled UNION ALL SELECT * FROM rest)
        -- The parser drops what looks like HTML tags from a headline; hide < and > from it so
        -- the source text comes back whole (render_marked escapes it).
        -- A short part is shown whole: fragment mode drops its first word.
        SELECT p.item_id, p.label,
               ts_headline('danish', translate(p.body, '<>', E'\x04\x05'), %(shown)s::tsquery,
                           CASE WHEN length(p.body) <= 200 THEN %(short)s ELSE %(long)s END)
        FROM chosen JOIN parts p ON p.item_id = chosen.item_id AND p.pos = chosen.pos
    """
    q, rq = parsed.tsquery, parsed.rank_query
    with prepared_cursor() as cursor:  # the same plan for any ten items (minutes/prepared.py)
        cursor.execute(
            sql,
            {
                "recommendation": sorted(RECOMMENDATION_HEADINGS),
                "summary": sorted(SUMMARY_HEADINGS),
                "ids": item_ids,
                "lexemes": sorted(query_lexemes(q) | query_lexemes(rq)),
                "q": q,
                "rq": rq,
                "shown": rq or q,
                "short": SHORT_HEADLINE_OPTIONS,
                "long": HEADLINE_OPTIONS,
            },
        )
        return {
            item_id: (label, text.translate(_UNHIDE)) for item_id, label, text in cursor.fetchall()
        }


_UNHIDE = {4: "<", 5: ">"}

# A lexeme in a tsquery's text: quoted, with its quotes and backslashes doubled.
_QUOTED_LEXEME = re.compile(r"'((?:[^'\\]|''|\\\\)*)'")
_DOUBLED = re.compile(r"''|\\\\")


def query_lexemes(tsquery: str) -> set[str]:
    """Every lexeme of a tsquery's text, negated ones too: `'plan':* & !'vej'` → {plan, vej}."""
    return {_DOUBLED.sub(lambda m: m[0][0], quoted) for quoted in _QUOTED_LEXEME.findall(tsquery)}


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
