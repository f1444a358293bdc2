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
            -- Materialised: each part is parsed once, not once per use of v below. Only a
            -- part whose text holds one of the query's lexemes can match or rank above zero
            -- (a lexeme is its word lower-cased with an ending cut off, so it stands in the
            -- lower-cased text); any other part is given the empty vector, which answers the
            -- query and ranks exactly as its own vector would, without stemming its text.
            SELECT p.*, CASE WHEN EXISTS (SELECT FROM unnest(%s::text[]) AS l
                                          WHERE strpos(lowered.body, l) > 0)
                             THEN to_tsvector('danish', p.body) ELSE ''::tsvector END AS v
            FROM parts p CROSS JOIN LATERAL (SELECT lower(p.body) AS body) AS lowered
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
    with prepared_cursor() as cursor:  # the same plan for any ten items (minutes/prepared.py)
        cursor.execute(
            sql,
            [
                sorted(RECOMMENDATION_HEADINGS),
                sorted(SUMMARY_HEADINGS),
                item_ids,
                item_ids,
                item_ids,
                sorted(query_lexemes(q) | query_lexemes(rq)),
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
