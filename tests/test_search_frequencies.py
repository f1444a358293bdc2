"""How many items a word is in, as "Mente du …?" and the relaxed question weigh it: exact up to
EXACT_LIMIT, above it the sample's estimate, as the search's own counts (not a count of tens of
thousands of rows: 632 ms for one word at 200,000 items)."""

from __future__ import annotations

import pytest
from django.db import connection

from minutes import search_suggest
from minutes.search_query import parse_query
from minutes.search_suggest import item_frequencies

pytestmark = pytest.mark.django_db


def exact(tsquery: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM minutes_itemsearch WHERE vector @@ %s::tsquery", [tsquery]
        )
        return cursor.fetchone()[0]


def estimate(tsquery: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(scale), 0) FROM minutes_itemsearch_sample_matches(%s::tsquery)",
            [tsquery],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def sampled_words() -> list[str]:
    """A sample to estimate from (the seeds' few items hash outside it): a fifth of the items,
    put there as the search table's trigger does; its words, the most common first."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE minutes_itemsearch SET sample = 0 WHERE item_id % 5 = 0")
        cursor.execute(
            "SELECT word FROM ts_stat('SELECT vector FROM minutes_itemsearchsample') "
            "WHERE word ~ '^[a-zæøå]{5,}$' ORDER BY ndoc DESC, word"
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_word_is_counted_exactly_up_to_the_limit_and_estimated_above_it(
    monkeypatch, django_assert_num_queries, sampled_words
):
    # Two words of the sample, and two of no item.
    words = [*sampled_words[:2], "flødebollemaskine", "zzzxqqq"]
    queries = [parse_query(w).tsquery for w in words]
    counts = [exact(q) for q in queries]
    assert counts[0] >= 1 and counts[-2:] == [0, 0]
    assert item_frequencies(queries, limit=10_000) == counts
    # Above the limit (here: any count above 1) the sample's estimate stands; a word in no
    # item is still counted as none.
    monkeypatch.setattr(search_suggest, "EXACT_LIMIT", 1)
    expected = [
        min(round(estimate(q)), 10_000) if estimate(q) > 1 else count
        for q, count in zip(queries, counts, strict=True)
    ]
    estimated = sum(estimate(q) > 1 for q in queries)
    assert estimated >= 2
    # One statement for every estimate, and one for each word counted.
    with django_assert_num_queries(1 + len(queries) - estimated):
        assert item_frequencies(queries, limit=10_000) == expected
    assert item_frequencies(queries, limit=3)[0] == 3


def test_below_the_limit_a_sampled_word_is_counted_not_scaled_up(sampled_words):
    """On a small archive one sampled item stands for 32: a word in two items must not look
    like a word in most of them (the relaxed question would then drop it)."""
    # A word of the sample that the sample makes look more common than it is.
    queries = (parse_query(w).tsquery for w in reversed(sampled_words))
    query = next(q for q in queries if q and estimate(q) > exact(q))
    assert item_frequencies([query], limit=exact(query) + 1) == [exact(query)]
