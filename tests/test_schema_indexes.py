"""Every index on an archive table earns its writes: none repeats the leading columns of another.

Each row written pays for every index of its table; a plain index on `item_id` beside the unique
index on (item_id, position) serves no query the unique one does not, and cost ingestion about
170 index entries per meeting (migration 0019).
"""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _btree_indexes() -> list[tuple[str, str, list[int], bool]]:
    """(table, index, key columns, partial) of every btree index of the archive's tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, i.relname, x.indkey::int2[]::int[], x.indpred IS NOT NULL
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_am am ON am.oid = i.relam
            WHERE t.relname LIKE 'minutes\\_%%' AND am.amname = 'btree'
              AND x.indexprs IS NULL
            """
        )
        return [(table, index, list(keys), partial) for table, index, keys, partial in cursor]


def test_no_btree_index_is_a_prefix_of_another():
    indexes = _btree_indexes()
    redundant = [
        (index, other)
        for table, index, keys, partial in indexes
        if not partial
        for other_table, other, other_keys, other_partial in indexes
        if other_table == table
        and other != index
        and not other_partial
        and len(other_keys) > len(keys)
        and other_keys[: len(keys)] == keys
    ]
    assert redundant == []


def test_foreign_keys_of_an_item_are_still_found_through_an_index():
    """The lookups the dropped indexes served (an item's sections, a meeting's items) are
    answered by the unique indexes that lead with the same column."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for table, column in [
            ("minutes_section", "item_id"),
            ("minutes_decision", "item_id"),
            ("minutes_attachment", "item_id"),
            ("minutes_vote", "item_id"),
            ("minutes_agendaitem", "meeting_id"),
            ("minutes_attendance", "meeting_id"),
            ("minutes_meeting", "committee_id"),
            ("minutes_case", "municipality_id"),
            ("minutes_itemsearch", "committee_id"),
            ("minutes_itemsearch", "municipality_id"),
        ]:
            cursor.execute(f"EXPLAIN SELECT * FROM {table} WHERE {column} = 1")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index" in plan, (table, column, plan)


def test_the_vocabularys_trigram_index_has_no_pending_list():
    """New words go straight into the index: a pending list is read in full by every
    "Mente du …?" lookup until a VACUUM empties it (12–15 ms instead of 0.1 at 200,000 items)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'searchword_trgm_idx'")
        row = cursor.fetchone()
    if row is None:
        pytest.skip("no pg_trgm on this server: no trigram index (migration 0014)")
    assert "fastupdate=off" in (row[0] or [])


def test_the_sample_is_counted_in_its_bucket_index_alone():
    """Every count and facets statement scales the sample by the rows in the buckets in use:
    an index-only scan (migration 0023), not a read of the sample's rows (1.2 ms a call)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # as minutes_itemsearch_sample_matches
        # Whether it may: which one it takes depends on how much of the table VACUUM has
        # marked all-visible (all of it in an archive at rest, none in a test's fresh table).
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(
            "EXPLAIN SELECT count(*) FROM minutes_itemsearchsample s WHERE s.sample::int < 16"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using itemsearchsample_bucket_idx" in plan, plan
