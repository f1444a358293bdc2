"""The suggestions as one types (/api/suggest): the query with its last word completed from
the archive's own title words; cheap (cached), bounded, and 200 on any input (issue 13)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from minutes.search_suggest import COMPLETIONS, completions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_last_word_is_completed_from_the_archives_title_words():
    assert completions("frivill") == ["frivillighedspolitikken"]
    # The words before the last are kept as typed.
    assert completions("budget  evalu") == ["budget  evaluering"]
    # æ/ø/å typed as ae/oe/aa, and a word past its stem ("evalueringen" → evaluering).
    assert completions("dialogmoe") == ["dialogmøder"]
    assert completions("evalueringen") == ["evaluering"]


def test_suggestions_are_few_shortest_first_and_never_the_word_as_typed():
    found = completions("bud")
    assert 0 < len(found) <= COMPLETIONS
    assert [len(w) for w in found] == sorted(len(w) for w in found)
    assert all(w.startswith("bud") for w in found)
    assert "budget" not in completions("budget")


@pytest.mark.parametrize(
    "query",
    ["", "fr", "frivill ", "17/10", "abc1", "%%%", "fri_", "a" * 41, "frivill" + " x" * 150],
)
def test_no_suggestions_for_what_is_no_word_to_complete(query):
    assert completions(query) == []


def test_the_endpoint_answers_json_and_may_be_cached(client):
    response = client.get("/api/suggest", {"q": "frivill"})
    assert response.status_code == 200
    assert response.json() == {"query": "frivill", "suggestions": ["frivillighedspolitikken"]}
    assert "max-age=600" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_a_repeated_prefix_costs_no_query(client, django_assert_num_queries):
    client.get("/api/suggest", {"q": "evalu"})
    with django_assert_num_queries(0):
        assert client.get("/api/suggest", {"q": "evalu"}).json()["suggestions"] == ["evaluering"]


@pytest.mark.parametrize(
    "query",
    [
        "ø" * 600,
        '"' * 400,
        "-" * 300,
        "a-" * 100,
        "OR OR OR",
        "bolig* " * 200,
        "\u202e\u200b",
        "é" * 40,
    ],
)
def test_any_input_is_answered_200(client, query):
    # (A URL past 4,094 bytes gets the boundary's 414 before any view: tests/test_fuzz.py.)
    response = client.get("/api/suggest", {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)
    assert len(response.json()["query"]) <= 300
