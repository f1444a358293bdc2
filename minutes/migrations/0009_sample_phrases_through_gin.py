"""Estimated counts for phrases: let the GIN index answer, check the phrase on the sample only.

A phrase ("det specialiserede socialområde") cannot be answered by the GIN index alone: every
row the index returns is rechecked against its vector, read from TOAST. The sample matches
used to be collected over all 32 buckets before keeping the few in use, so on a
1,000,000-item archive a common phrase rechecked ~20,000 vectors for an estimate that needs
~3,000 (127 ms; make bench ITEMS=1000000). Now the index answers the same words without their
order (no recheck), and the phrase itself is checked only on the rows of the buckets in use.

And the buckets in use are read through a partial index of their own: a word in nine items of
ten matched 27,600 sample rows of which the 1,000,000-item archive uses 2,600 (20 ms).
"""

from django.db import migrations

# Bucket counts with a partial GIN index of their own (see the function below).
BUCKETS = (2, 4, 8, 16)

# What the sample function returns of a matching row, plus what it filters on.
SAMPLE_COLUMNS = """s.item_id, s.date, s.year, s.municipality_id, s.committee_id, s.case_id,
               s.outcomes, s.closed, s.sample, s.vector"""


def _partial_indexes() -> str:
    return "".join(
        f"CREATE INDEX itemsearchsample_vector_{n}_idx ON minutes_itemsearchsample "
        f"USING gin (vector)\n    WHERE sample < {n};\n"
        for n in BUCKETS
    )


def _matched_branches() -> str:
    """One branch per bucket count, each guarded by a one-time filter on k and reading only the
    buckets its partial index holds; the last reads the whole sample through its full index."""
    branches = []
    for lower, upper in zip((None, *BUCKETS), (*BUCKETS, None), strict=True):
        conditions = []
        if lower is not None:
            conditions.append(f"(SELECT k FROM k) > {lower}")
        if upper is not None:
            conditions += [f"(SELECT k FROM k) <= {upper}", f"s.sample < {upper}"]
        conditions.append("s.vector @@ (SELECT u.relaxed FROM unordered u)")
        branches.append(
            f"        SELECT {SAMPLE_COLUMNS}\n        FROM minutes_itemsearchsample s\n"
            "        WHERE " + "\n          AND ".join(conditions)
        )
    return "\n        UNION ALL\n".join(branches)


NEW = (
    r"""
-- The same words without their order: a superset of the matches of q that GIN answers without
-- reading any vector. Left as it is when q has a negation (under a phrase, dropping the order
-- would not give a superset) or no phrase.
CREATE FUNCTION minutes_tsquery_unordered(q tsquery) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
    SELECT CASE WHEN q::text ~ '<(-|\d+)>' AND strpos(q::text, '!') = 0
                THEN regexp_replace(q::text, '<(-|\d+)>', '&', 'g')::tsquery
                ELSE q END
$fn$;

-- Partial indexes for the first 2, 4, 8 and 16 buckets: an archive of 200,000 items uses 16,
-- of 1,000,000 items 3 (so the 4-bucket index). The bucket btree is on an expression so that it
-- never stands in for them (it would read every sampled vector out of TOAST, see 0006).
DROP INDEX itemsearchsample_sample_idx;
CREATE INDEX itemsearchsample_bucket_idx ON minutes_itemsearchsample ((sample::int));
"""
    + _partial_indexes()
    + r"""
CREATE OR REPLACE FUNCTION minutes_itemsearch_sample_matches(q tsquery)
RETURNS TABLE (item_id bigint, date date, year smallint, municipality_id bigint,
               committee_id bigint, case_id bigint, outcomes varchar(12)[], closed boolean,
               scale real)
LANGUAGE sql STABLE PARALLEL SAFE SET enable_seqscan = off AS $fn$
    WITH k AS MATERIALIZED (
        SELECT greatest(1, least(32, round(3200.0 * 1024 / greatest(reltuples, 1))))::int AS k,
               greatest(reltuples, 0) AS items
        FROM pg_class WHERE oid = 'minutes_itemsearch'::regclass),
    sampled AS (
        SELECT k.k, CASE WHEN k.items > 0 THEN k.items / count(*) ELSE 1024.0 / k.k END AS scale
        FROM minutes_itemsearchsample s, k WHERE s.sample::int < k.k GROUP BY k.k, k.items),
    -- Once per call, not once per row. (No column may be called q: a column name would win
    -- over the parameter.)
    unordered AS MATERIALIZED (
        SELECT minutes_tsquery_unordered(q) AS relaxed, minutes_tsquery_unordered(q) = q AS exact),
    -- Only the branch for the archive's bucket count runs (one-time filters); its partial GIN
    -- index holds just those buckets, so a word in most items fetches ~k/32 of the sample rows.
    matched AS MATERIALIZED (
"""
    + _matched_branches()
    + r"""
    )
    SELECT m.item_id, m.date, m.year, m.municipality_id, m.committee_id, m.case_id, m.outcomes,
           m.closed, sampled.scale::real
    FROM matched m, sampled, unordered u
    WHERE m.sample < sampled.k AND (u.exact OR m.vector @@ q)
$fn$;
"""
)

OLD = (
    r"""
CREATE OR REPLACE FUNCTION minutes_itemsearch_sample_matches(q tsquery)
RETURNS TABLE (item_id bigint, date date, year smallint, municipality_id bigint,
               committee_id bigint, case_id bigint, outcomes varchar(12)[], closed boolean,
               scale real)
LANGUAGE sql STABLE PARALLEL SAFE SET enable_seqscan = off AS $fn$
    WITH k AS (
        SELECT greatest(1, least(32, round(3200.0 * 1024 / greatest(reltuples, 1))))::int AS k,
               greatest(reltuples, 0) AS items
        FROM pg_class WHERE oid = 'minutes_itemsearch'::regclass),
    sampled AS (
        SELECT k.k, CASE WHEN k.items > 0 THEN k.items / count(*) ELSE 1024.0 / k.k END AS scale
        FROM minutes_itemsearchsample s, k WHERE s.sample < k.k GROUP BY k.k, k.items),
    matched AS MATERIALIZED (
        SELECT s.item_id, s.date, s.year, s.municipality_id, s.committee_id, s.case_id,
               s.outcomes, s.closed, s.sample
        FROM minutes_itemsearchsample s WHERE s.vector @@ q)
    SELECT m.item_id, m.date, m.year, m.municipality_id, m.committee_id, m.case_id, m.outcomes,
           m.closed, sampled.scale::real
    FROM matched m, sampled
    WHERE m.sample < sampled.k
$fn$;
DROP FUNCTION IF EXISTS minutes_tsquery_unordered(tsquery);
"""
    + "".join(f"DROP INDEX IF EXISTS itemsearchsample_vector_{n}_idx;\n" for n in BUCKETS)
    + r"""DROP INDEX IF EXISTS itemsearchsample_bucket_idx;
CREATE INDEX itemsearchsample_sample_idx ON minutes_itemsearchsample (sample);
"""
)


class Migration(migrations.Migration):
    dependencies = [("minutes", "0008_tier_vectors_from_item_vector")]

    operations = [migrations.RunSQL(NEW, OLD)]
