"""Search speed (issue 17) without a change in what search finds: the newest-first probes with
their filters, the search table never scanned in parallel, and facets/counts in one round trip
with the ranked page."""

from __future__ import annotations

import pytest
from django.db import connection

from minutes import search as search_module
from minutes.search import run_search
from minutes.search_query import PROCEDURAL_TSQUERY

pytestmark = pytest.mark.django_db

FILTERS = {
    "udfald": ("outcomes @> ARRAY[%s]::varchar(12)[]", "approved"),
    "kommune": (
        "municipality_id = (SELECT id FROM minutes_municipality WHERE slug = %s)",
        "hoeje-taastrup",
    ),
}


def newest_first_by_tier(tsquery: str, condition: str, value: str, limit: int) -> list[int]:
    """The large-result order computed by hand: tier (title, Indstilling/Beslutning, the rest;
    procedural items last), then newest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT item_id FROM minutes_itemsearch
            WHERE vector @@ %s::tsquery AND {condition}
            ORDER BY CASE WHEN title_vector @@ {PROCEDURAL_TSQUERY} THEN 2
                          WHEN title_vector @@ %s::tsquery THEN 0
                          WHEN lead_vector @@ %s::tsquery THEN 1 ELSE 2 END,
                     date DESC, item_id DESC
            LIMIT %s
            """,
            [tsquery, value, tsquery, tsquery, limit],
        )
        return [r[0] for r in cursor.fetchall()]


@pytest.mark.parametrize("name", sorted(FILTERS))
@pytest.mark.parametrize("probe", [(1, 1, 1), (3, 3, 3), (5000, 1000, 1000)])
def test_newest_first_probes_find_the_newest_filtered_matches(monkeypatch, name, probe):
    """With many matches each tier is filled newest first from a probe of the newest rows that
    pass the filters (or collected whole when the probe falls short): the same items in the
    same order as computed by hand, whatever the probe's size."""
    monkeypatch.setattr(search_module, "RANK_LIMIT", -1)
    monkeypatch.setattr(search_module, "PROBE_ROWS", probe)
    condition, value = FILTERS[name]
    for text in ("borgere OR ledige OR kommunen", "budget*"):
        results = run_search({"q": text, name: value})
        assert results.count, (text, name)
        shown = [r.pk for r in results.items[:10]]
        expected = newest_first_by_tier(results.parsed.tsquery, condition, value, 10)
        assert shown == expected, (text, name, probe)


def test_the_search_table_is_never_scanned_in_parallel():
    """A lower tier whose guard never runs must not start parallel workers (they cost more
    than the whole search)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE oid = 'minutes_itemsearch'::regclass")
        assert "parallel_workers=0" in (cursor.fetchone()[0] or [])
        cursor.execute("SET LOCAL parallel_setup_cost = 0")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute("SET LOCAL min_parallel_table_scan_size = 0")
        cursor.execute(
            "EXPLAIN SELECT count(*) FROM minutes_itemsearch WHERE outcomes @> '{approved}'"
        )
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "Gather" not in plan, plan


@pytest.mark.parametrize("exact_limit", [-1, 5000])
def test_count_and_facets_take_one_round_trip(monkeypatch, django_assert_num_queries, exact_limit):
    """Sample and exact figures in one statement: the exact ones when the sample calls for
    them, counted over every match; the sample's otherwise."""
    monkeypatch.setattr(search_module, "EXACT_LIMIT", exact_limit)
    parsed = search_module.parse_query("borgere OR ledige OR kommunen")
    search = search_module.Search(parsed, {})
    with django_assert_num_queries(1):
        count, facets = search.counted()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM minutes_itemsearch WHERE vector @@ %s::tsquery",
            [parsed.tsquery],
        )
        every = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*), coalesce(max(scale) * 1024, 1024)::bigint "
            "FROM minutes_itemsearch_sample_matches(%s::tsquery)",
            [parsed.tsquery],
        )
        sampled, scale = cursor.fetchone()
    assert every > 0
    if exact_limit < 0:
        assert search.estimated and count == round(sampled * scale / 1024)
    else:
        assert not search.estimated and count == every
        assert sum(f.n for f in facets["kommune"]) == every
        assert sum(f.n for f in facets["aar"]) == every


def test_a_filtered_probe_reads_as_many_rows_of_the_archive_as_an_unfiltered_one(monkeypatch):
    """The probes of the newest rows that pass the filters are PROBE_ROWS times the share of
    the matches the filters keep, as the sample says (a filter keeping one match in eight
    read 40,000 rows for a probe of 5,000)."""
    monkeypatch.setattr(search_module, "RANK_LIMIT", -1)
    condition, _value = FILTERS["kommune"]
    parsed = search_module.parse_query("borgere OR ledige OR kommunen")
    with connection.cursor() as cursor:
        # A sample (the seeds' few items hash outside it): half the items, put there as the
        # search table's trigger does.
        cursor.execute("UPDATE minutes_itemsearch SET sample = 0 WHERE item_id % 2 = 0")
        # A municipality of some of the sampled matches, not all of them.
        cursor.execute(
            "SELECT m.slug FROM minutes_itemsearch_sample_matches(%s::tsquery) AS s "
            "JOIN minutes_municipality m ON m.id = s.municipality_id "
            "GROUP BY m.slug ORDER BY count(*), m.slug LIMIT 1",
            [parsed.tsquery],
        )
        value = cursor.fetchone()[0]
    search = search_module.Search(parsed, {"kommune": value})
    search.count, _facets = search.counted()
    search.large = True
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FILTER (WHERE {condition}), count(*) "
            "FROM minutes_itemsearch_sample_matches(%s::tsquery)",
            [value, parsed.tsquery],
        )
        kept, candidates = cursor.fetchone()
    assert 0 < kept < candidates
    assert search.filter_share == kept / candidates
    sql, _params = search.page_sql(0, 10)
    probes = [max(10, round(rows * kept / candidates)) for rows in search_module.PROBE_ROWS]
    assert [f"LIMIT {rows})" in sql for rows in probes] == [True] * 3, (probes, sql)
    # Without filters the probes are PROBE_ROWS as they stand.
    unfiltered = search_module.Search(parsed, {})
    unfiltered.count, _facets = unfiltered.counted()
    unfiltered.large = True
    assert unfiltered.filter_share == 1.0
    sql, _params = unfiltered.page_sql(0, 10)
    assert all(f"LIMIT {rows})" in sql for rows in search_module.PROBE_ROWS)


def _prepared() -> dict[str, tuple[int, int]]:
    """This connection's prepared statements: their text → (generic plans, custom plans)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


def test_the_search_statements_whose_plan_is_fixed_are_prepared(settings):
    """Planned on every search, the ranking, the result rows' join, the snippets and the count
    and facets cost about as much to plan as to run: they are prepared statements, so that
    PostgreSQL can keep a generic plan after five runs. Not where the plan hangs on the words:
    with filters, a negation or a date order."""
    settings.BEHIND_PGBOUNCER = False
    for text in ["budget", "borgere", "budget", "ledige", "budget", "borgere", "kommunen"]:
        results = run_search({"q": text})
        rows = list(results.items[:10])
        assert rows
        results.attach_snippets(rows)
    # Not prepared: a filter, a negation, another order (their plans hang on the words).
    for params in (
        {"q": "budget", "kommune": "lyngby-taarbaek"},
        {"q": "budget -borgere"},
        {"q": "budget", "sortering": "nyeste"},
    ):
        results = run_search(params)
        assert list(results.items[:10]), params
    prepared = _prepared()
    kinds = {
        "ranking": "tier0 AS MATERIALIZED (SELECT item_id, 0 AS tier",
        "rows": "WITH ORDINALITY AS ranked (item_id, n)",
        "snippets": "best1 AS MATERIALIZED",
        "facets": "WITH sample AS MATERIALIZED",
    }
    for kind, marker in kinds.items():
        plans = [counts for text, counts in prepared.items() if marker in text]
        assert len(plans) == 1, (kind, prepared.keys())
        # Each run went through the prepared statement. (Whether PostgreSQL then keeps a
        # generic plan is its choice by cost: on the bench's archive it does for each of
        # these; on the seeds' 31 items some stay custom.)
        generic, custom = plans[0]
        assert generic + custom >= 7, (kind, generic, custom)
    facets = next(text for text in prepared if kinds["facets"] in text)
    assert "(TRUE) AS keep" in facets  # the unfiltered one; the filtered one is not prepared


def test_behind_pgbouncer_nothing_is_prepared(settings):
    """In transaction pooling a prepared statement would outlive its server connection."""
    settings.BEHIND_PGBOUNCER = True
    before = set(_prepared())
    results = run_search({"q": "budget"})
    results.attach_snippets(list(results.items[:10]))
    assert set(_prepared()) == before


def test_the_vocabulary_holds_every_word_of_every_title():
    """The premise of skipping the title probe (minutes_titles_may_hold): no eligible word of
    any title is missing from the vocabulary."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS "
            "(SELECT FROM minutes_searchword v WHERE v.word = w)) "
            "FROM minutes_itemsearch, unnest(tsvector_to_array(title_vector)) AS w "
            "WHERE minutes_searchword_eligible(w)"
        )
        words, missing = cursor.fetchone()
    assert words > 50 and missing == 0


def test_a_word_in_no_title_skips_the_title_probe_and_finds_the_same(monkeypatch):
    monkeypatch.setattr(search_module, "RANK_LIMIT", -1)
    with connection.cursor() as cursor:
        # The commonest word of the items' text that no title has, and one that titles have.
        cursor.execute(
            "SELECT word FROM ts_stat('SELECT vector FROM minutes_itemsearch') "
            "WHERE minutes_searchword_eligible(word) AND word ~ '^[a-zæøå]+$' "
            "AND NOT EXISTS (SELECT FROM minutes_searchword v WHERE v.word = ts_stat.word) "
            "ORDER BY ndoc DESC, word LIMIT 1"
        )
        untitled = cursor.fetchone()[0]
        cursor.execute("SELECT min(word) FROM minutes_searchword")
        titled = cursor.fetchone()[0]
        for groups, may in (
            ([f"{untitled} {titled}"], True),  # either word (an OR)
            ([titled], True),
            ([untitled], False),
            ([untitled, titled], False),  # both words (an AND)
            (["12/3456", untitled], False),  # a number may be in a title; the word may not
            (["12/3456"], True),
        ):
            cursor.execute("SELECT minutes_titles_may_hold(%s::text[])", [groups])
            assert cursor.fetchone()[0] is may, groups
    results = run_search({"q": untitled})
    assert results.count and not results.parsed.negated
    shown = [r.pk for r in results.items[:10]]
    every = newest_first_by_tier(results.parsed.tsquery, "%s::text IS NOT NULL", "-", 10)
    assert shown == every[: len(shown)]
    sql, params = results.items.search.page_sql(0, 10)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    probe = plan[plan.index("CTE probe0") : plan.index("CTE sparse0")]
    assert "One-Time Filter: minutes_titles_may_hold" in probe
    scans = [line for line in probe.splitlines() if "Scan on minutes_itemsearch" in line]
    assert scans and all("never executed" in line for line in scans), probe


def test_prepared_statements_are_in_the_query_log(django_assert_num_queries):
    """Django's log (and every count of queries in these tests) has the statements as
    written, though psycopg keeps no text of a statement it runs as prepared."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        results = run_search({"q": "budget"})
        results.attach_snippets(list(results.items[:10]))
    logged = [q["sql"] for q in queries.captured_queries]
    assert all(isinstance(sql, str) and sql for sql in logged)
    assert any("WITH sample AS MATERIALIZED" in sql for sql in logged)
    assert any("best1 AS MATERIALIZED" in sql for sql in logged)


def test_what_a_query_needs_of_an_items_text():
    """ParsedQuery.required: a lexeme of each word for an AND, of any word for an OR, and no
    rule for a negation or a prefix (what the title probe's guard asks the vocabulary)."""
    parse = search_module.parse_query
    assert parse("budget og borgere").required == [["budg"], ["borg"]]  # "og" asks nothing
    assert parse("budget OR borgere").required == [["borg", "budg"]]
    assert parse("høring").required == [["hoering", "høring"]]
    assert parse("budget -borgere").required == []
    assert parse("budget*").required == []
    assert parse("lokalplan", expand=True).required == []  # its compounds are a prefix
