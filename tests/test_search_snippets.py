"""Snippets stem only the parts that hold a query lexeme (issue 17, part 1), class by class
until one settles the item, and quote exactly what stemming every part of the items shown
did."""

from __future__ import annotations

import pytest
from django.db import connection

from minutes.parsing.conventions import RECOMMENDATION_HEADINGS, SUMMARY_HEADINGS
from minutes.search import run_search
from minutes.search_query import ParsedQuery
from minutes.search_snippets import (
    HEADLINE_OPTIONS,
    SHORT_HEADLINE_OPTIONS,
    query_lexemes,
    snippets,
)

pytestmark = pytest.mark.django_db

# Words, forms, prefixes, phrases, OR, exclusions, compounds and case numbers, on the seeds.
QUERIES = [
    "frivillighedspolitikken",
    "budget*",
    "borgere OR ledige",
    '"taget til efterretning"',
    "indstilling -kommunerne",
    "Budget -status",
    "plan",
    "socialområde voksne",
    "godkendt",
    "Magnetens Boenheder",
    "beskæftigelsesindsats",
    "handicap*",
]


def every_part_stemmed(item_ids: list[int], q: str, rq: str) -> dict[int, tuple[str, str]]:
    """The choice and headline with every part's text stemmed: the statement before part 1."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH parts AS (
                SELECT s.item_id, s.position AS pos, s.heading AS label, s.text AS body,
                       CASE WHEN lower(s.heading) = ANY(%s) THEN 1
                            WHEN lower(s.heading) = ANY(%s) THEN 2 ELSE 3 END AS cls
                FROM minutes_section s WHERE s.item_id = ANY(%s)
                UNION ALL
                SELECT d.item_id, 1000 + d.position, 'Beslutning', d.text, 1
                FROM minutes_decision d WHERE d.item_id = ANY(%s) AND d.text <> ''
                UNION ALL
                SELECT a.item_id, 2000, 'Bilag',
                       string_agg(a.title, E'\\n' ORDER BY a.position), 3
                FROM minutes_attachment a WHERE a.item_id = ANY(%s) GROUP BY a.item_id
            ), scored AS MATERIALIZED (
                SELECT p.*, to_tsvector('danish', p.body) AS v FROM parts p
            ), best AS (
                SELECT DISTINCT ON (item_id) item_id, label, body FROM scored
                ORDER BY item_id, (v @@ %s::tsquery) DESC, (v @@ %s::tsquery) DESC, cls,
                         ts_rank(v, %s::tsquery) DESC, pos
            )
            SELECT item_id, label, ts_headline('danish', translate(body, '<>', E'\\x04\\x05'),
                                               %s::tsquery,
                                               CASE WHEN length(body) <= 200 THEN %s ELSE %s END)
            FROM best
            """,
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
            item_id: (label, text.translate({4: "<", 5: ">"}))
            for item_id, label, text in cursor.fetchall()
        }


@pytest.mark.parametrize("query", QUERIES)
def test_snippets_are_those_of_stemming_every_part(query):
    results = run_search({"q": query})
    item_ids = [item.pk for item in results.items[:20]]
    assert item_ids, query
    parsed = results.parsed
    expected = every_part_stemmed(item_ids, parsed.tsquery, parsed.rank_query)
    assert snippets(item_ids, parsed) == expected


def test_a_part_that_matches_the_query_and_its_words_wins_over_an_earlier_class():
    """The class order comes after matching the words as typed: an Indstilling that matches
    the query only through a word that is not in the rank query (as a compound part is not)
    loses to a Sagsfremstilling that matches both, though Indstilling is stemmed first."""
    with connection.cursor() as cursor:
        # An item with a word only in its Indstilling and another only in its
        # Sagsfremstilling.
        cursor.execute(
            """
            WITH pair AS (
                SELECT a.item_id, to_tsvector('danish', a.text) AS va,
                       to_tsvector('danish', b.text) AS vb
                FROM minutes_section a
                JOIN minutes_section b ON b.item_id = a.item_id
                WHERE lower(a.heading) = 'indstilling' AND lower(b.heading) = 'sagsfremstilling'
                ORDER BY a.item_id LIMIT 1)
            SELECT item_id, wa, wb
            FROM pair, unnest(tsvector_to_array(va)) AS wa, unnest(tsvector_to_array(vb)) AS wb
            WHERE length(wa) > 5 AND length(wb) > 5
              AND NOT vb @@ to_tsquery('simple', quote_literal(wa))
              AND NOT va @@ to_tsquery('simple', quote_literal(wb))
            ORDER BY wa, wb LIMIT 1
            """
        )
        item_id, only_first, only_second = cursor.fetchone()
        cursor.execute(
            "SELECT (to_tsquery('simple', quote_literal(%s)) || "
            "to_tsquery('simple', quote_literal(%s)))::text, "
            "to_tsquery('simple', quote_literal(%s))::text",
            [only_first, only_second, only_second],
        )
        q, rq = cursor.fetchone()
    parsed = ParsedQuery(text=only_second, tsquery=q, rank_query=rq, nodes=3)
    found = snippets([item_id], parsed)
    assert found == every_part_stemmed([item_id], q, rq)
    assert found[item_id][0].lower() == "sagsfremstilling"


def test_query_lexemes_reads_quoted_negated_and_weighted_lexemes():
    assert query_lexemes("'plan':* & !'vej' <-> 'by':AB") == {"plan", "vej", "by"}
    # Quotes and backslashes are doubled in a tsquery's text.
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsquery::text", ["'it''s' & 'a\\\\b'"])
        (text,) = cursor.fetchone()
    assert query_lexemes(text) == {"it's", "a\\b"}
    assert query_lexemes("") == set()
