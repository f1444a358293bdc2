-- The item search table's SQL: the current definition of every function that keeps
-- minutes_itemsearch, its sample and the search vocabulary up to date, and of those the search
-- calls. The tables, indexes and triggers are created by migrations 0004, 0009 and 0014; a
-- migration that changes a function here loads this whole file again (0016 did), so this file
-- is where a reader finds what PostgreSQL runs.
--
-- Flow: COPY into minutes_agendaitem → statement trigger itemsearch_items_inserted →
-- minutes_itemsearch_refresh (parses the item's text once: its search vector, and the title
-- and lead tiers cut from it by weight) → row trigger itemsearch_sampled (the 1/32 sample) →
-- statement trigger searchword_items_inserted (the title words, for "Mente du …?").

-- An item's search vector from its four texts by weight: title line A, Indstilling and
-- decisions B, Resume and Sagsfremstilling C, the rest D (minutes.services.contents.search_text).
CREATE OR REPLACE FUNCTION minutes_item_vector(a text, b text, c text, d text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT setweight(to_tsvector('danish'::regconfig, coalesce(a, '')), 'A')
        || setweight(to_tsvector('danish'::regconfig, coalesce(b, '')), 'B')
        || setweight(to_tsvector('danish'::regconfig, coalesce(c, '')), 'C')
        || setweight(to_tsvector('danish'::regconfig, coalesce(d, '')), 'D')
$fn$;

-- The search row of each item in `ids`, written or rewritten. The item's text is parsed here,
-- once: AgendaItem keeps only the text (text_a–text_d, one column per weight), so each item's
-- vector is stored and indexed once, here. The tiers are cut from the vector by weight with
-- ts_filter (title A; title + Indstilling/decisions A, B), so they cannot disagree with it.
-- `OFFSET 0` keeps the vector a value computed once per row: without it the planner copies
-- the expression into each of the three uses and parses the text three times.
CREATE OR REPLACE FUNCTION minutes_itemsearch_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $fn$
    INSERT INTO minutes_itemsearch AS s (
        item_id, date, year, municipality_id, committee_id, case_id, outcomes, closed, sample,
        title_vector, lead_vector, vector)
    SELECT i.id, m.date, extract(year FROM m.date)::smallint, c.municipality_id, c.id,
           i.case_id,
           coalesce((SELECT array_agg(DISTINCT d.outcome ORDER BY d.outcome)
                     FROM minutes_decision d WHERE d.item_id = i.id AND d.this_meeting),
                    '{}'),
           i.closed, (hashint8(i.id) & 1023)::smallint,
           ts_filter(parsed.vector, '{a}'),
           ts_filter(parsed.vector, '{a,b}'),
           parsed.vector
    FROM minutes_agendaitem i
    JOIN minutes_meeting m ON m.id = i.meeting_id
    JOIN minutes_committee c ON c.id = m.committee_id
    CROSS JOIN LATERAL (
        SELECT minutes_item_vector(i.text_a, i.text_b, i.text_c, i.text_d) AS vector OFFSET 0
    ) parsed
    WHERE i.id = ANY (ids)
    ON CONFLICT (item_id) DO UPDATE SET
        date = excluded.date, year = excluded.year, municipality_id = excluded.municipality_id,
        committee_id = excluded.committee_id, case_id = excluded.case_id,
        outcomes = excluded.outcomes, closed = excluded.closed,
        title_vector = excluded.title_vector, lead_vector = excluded.lead_vector,
        vector = excluded.vector
$fn$;

-- The outcomes of this meeting's decisions, after decisions change.
CREATE OR REPLACE FUNCTION minutes_itemsearch_outcomes(ids bigint[]) RETURNS void
LANGUAGE sql AS $fn$
    UPDATE minutes_itemsearch s SET outcomes = coalesce(
        (SELECT array_agg(DISTINCT d.outcome ORDER BY d.outcome)
         FROM minutes_decision d WHERE d.item_id = s.item_id AND d.this_meeting), '{}')
    WHERE s.item_id = ANY (ids)
$fn$;

CREATE OR REPLACE FUNCTION minutes_itemsearch_items_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM minutes_itemsearch_refresh(ARRAY(SELECT id FROM changed_rows));
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION minutes_itemsearch_decisions_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM minutes_itemsearch_outcomes(ARRAY(SELECT DISTINCT item_id FROM changed_rows));
    RETURN NULL;
END
$fn$;

-- A meeting moved to another date or committee: its items' search rows follow.
CREATE OR REPLACE FUNCTION minutes_itemsearch_meetings_changed() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE minutes_itemsearch s
    SET date = m.date, year = extract(year FROM m.date)::smallint,
        committee_id = c.id, municipality_id = c.municipality_id
    FROM changed_rows m
    JOIN minutes_committee c ON c.id = m.committee_id
    JOIN minutes_agendaitem i ON i.meeting_id = m.id
    WHERE s.item_id = i.id
      AND (s.date, s.committee_id) IS DISTINCT FROM (m.date, c.id);
    RETURN NULL;
END
$fn$;

-- The fixed 1/32 hash sample (sample < 32) that estimated counts and facets read.
CREATE OR REPLACE FUNCTION minutes_itemsearch_sampled() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    IF NEW.sample >= 32 THEN
        DELETE FROM minutes_itemsearchsample WHERE item_id = NEW.item_id;
        RETURN NULL;
    END IF;
    INSERT INTO minutes_itemsearchsample AS t (item_id, date, year, municipality_id,
        committee_id, case_id, outcomes, closed, sample, vector)
    VALUES (NEW.item_id, NEW.date, NEW.year, NEW.municipality_id, NEW.committee_id,
        NEW.case_id, NEW.outcomes, NEW.closed, NEW.sample, NEW.vector)
    ON CONFLICT (item_id) DO UPDATE SET date = excluded.date, year = excluded.year,
        municipality_id = excluded.municipality_id, committee_id = excluded.committee_id,
        case_id = excluded.case_id, outcomes = excluded.outcomes, closed = excluded.closed,
        vector = excluded.vector;
    RETURN NULL;
END
$fn$;

-- Whether a lexeme is a word of the vocabulary's kind: letters (and inner hyphens) only, 4 to
-- 40 of them. Numbers and one-letter pieces are no words to suggest.
CREATE OR REPLACE FUNCTION minutes_searchword_eligible(w text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
    SELECT w ~ '^[[:alpha:]][[:alpha:]-]{2,38}[[:alpha:]]$'
$fn$;

-- The archive's own vocabulary for "Mente du …?" (minutes/search_suggest.py): every eligible
-- lexeme of an item's title line (its title tier: title and case number). Runs after
-- itemsearch_items_inserted (triggers fire in name order), so the search rows are there. A
-- word stays when its items go (a suggestion is checked against the archive before it is
-- offered), so the vocabulary holds every eligible word of every title.
CREATE OR REPLACE FUNCTION minutes_searchword_add() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO minutes_searchword (word)
    SELECT DISTINCT w
    FROM changed_rows r
    JOIN minutes_itemsearch s ON s.item_id = r.id,
    unnest(tsvector_to_array(s.title_vector)) AS w
    WHERE minutes_searchword_eligible(w)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$fn$;

-- Whether a title can hold what a query needs: one lexeme at least of each group (each group
-- its lexemes separated by spaces; minutes.search_query.ParsedQuery.required). A lexeme the
-- vocabulary cannot tell about (no eligible word) may be in a title; an eligible one is in a
-- title only if it is in the vocabulary. False means no title matches the query, so its title
-- tier is empty (minutes/search.py skips the tier's newest-items probe: 5,000 rows read for
-- nothing for a word in no title, alone or with others).
CREATE OR REPLACE FUNCTION minutes_titles_may_hold(groups text[]) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $fn$
    SELECT NOT EXISTS (
        SELECT FROM unnest(groups) AS g (lexemes)
        WHERE NOT EXISTS (
            SELECT FROM unnest(string_to_array(g.lexemes, ' ')) AS l (w)
            WHERE NOT minutes_searchword_eligible(l.w)
               OR EXISTS (SELECT FROM minutes_searchword s WHERE s.word = l.w)))
$fn$;

-- The vocabulary's likely corrections of a stem for "Mente du …?" (minutes/search_suggest.py
-- weighs them by edit distance): its nearest words by trigram similarity where the server has
-- pg_trgm (`trigrams`), else the words of about its length (`edits` either way) that share its
-- first letter or its last two (a typo seldom changes both ends), through the length index.
-- Always through an index (SET enable_seqscan = off): the planner costs the similarity test
-- like an equality, so for a long word it preferred to compare it with every word of the
-- vocabulary (15 ms for "frivillihedspolitik" at 8,331 words) over the trigram index (0.9 ms).
-- PL/pgSQL: the `%` operator is only resolved in the branch that runs, so the function exists
-- on a server without pg_trgm too.
CREATE OR REPLACE FUNCTION minutes_searchword_candidates(
    stem text, edits int, n int, trigrams boolean)
RETURNS SETOF text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET enable_seqscan = off AS $fn$
BEGIN
    IF trigrams THEN
        RETURN QUERY
        SELECT w.word FROM minutes_searchword w WHERE w.word % stem
        ORDER BY similarity(w.word, stem) DESC, w.word LIMIT n;
    ELSE
        RETURN QUERY
        SELECT w.word FROM minutes_searchword w
        WHERE length(w.word) BETWEEN length(stem) - edits AND length(stem) + edits
          AND (left(w.word, 1) = left(stem, 1) OR right(w.word, 2) = right(stem, 2))
        LIMIT 2000;
    END IF;
END
$fn$;

-- The same words without their order: a superset of the matches of q that GIN answers without
-- reading any vector. Left as it is when q has a negation (under a phrase, dropping the order
-- would not give a superset) or no phrase.
CREATE OR REPLACE FUNCTION minutes_tsquery_unordered(q tsquery) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
    SELECT CASE WHEN q::text ~ '<(-|\d+)>' AND strpos(q::text, '!') = 0
                THEN regexp_replace(q::text, '<(-|\d+)>', '&', 'g')::tsquery
                ELSE q END
$fn$;

-- The sample rows matching a query, with how many items each stands for, for estimated counts
-- and facets. Always through a GIN index (SET enable_seqscan = off: for a word in 95 % of the
-- sample the planner would otherwise scan the table and detoast every vector; not inlinable
-- because of the SET, on purpose). The first k of the 32 buckets are used so that about 3,200
-- items are sampled whatever the archive's size (k = 32 up to ~100,000 items); `scale` is the
-- planner's row count over the sampled rows (the bucket share before any ANALYZE). Each bucket
-- count 2, 4, 8, 16 has a partial GIN index (migration 0009); one-time filters run only the
-- branch for the archive's k. A phrase is matched in the index without its word order (no
-- recheck of vectors in TOAST) and checked on the rows of the buckets in use only.
-- PL/pgSQL, not SQL: a SQL function that is not inlined is planned again on every call
-- (~1 ms for these five branches, on every search); PL/pgSQL keeps the plan for the session.
-- (`use_column`: the result's column names are also variables in PL/pgSQL.)
CREATE OR REPLACE FUNCTION minutes_itemsearch_sample_matches(q tsquery)
RETURNS TABLE (item_id bigint, date date, year smallint, municipality_id bigint,
               committee_id bigint, case_id bigint, outcomes varchar(12)[], closed boolean,
               scale real)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET enable_seqscan = off AS $fn$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH k AS MATERIALIZED (
        SELECT greatest(1, least(32, round(3200.0 * 1024 / greatest(reltuples, 1))))::int AS k,
               greatest(reltuples, 0) AS items
        FROM pg_class WHERE oid = 'minutes_itemsearch'::regclass),
    -- Counted in the bucket index alone (migration 0023 has it include the column), without
    -- grouping: reading the sample's rows and grouping them cost 1.2 ms of every call, matches
    -- or none. (An empty sample has no matches either: its scale is never used.) Materialised:
    -- counted once, not once for each match.
    sampled AS MATERIALIZED (
        SELECT k.k, CASE WHEN k.items > 0
                         THEN k.items / nullif((SELECT count(*) FROM minutes_itemsearchsample s
                                                WHERE s.sample::int < k.k), 0)
                         ELSE 1024.0 / k.k END AS scale
        FROM k),
    -- Once per call, not once per row. (No column may be called q: a column name would win
    -- over the parameter.)
    unordered AS MATERIALIZED (
        SELECT minutes_tsquery_unordered(q) AS relaxed, minutes_tsquery_unordered(q) = q AS exact),
    -- Only the branch for the archive's bucket count runs (one-time filters); its partial GIN
    -- index holds just those buckets, so a word in most items fetches ~k/32 of the sample rows.
    -- Not materialised: the rows go straight into the result (a word in most items: 3.2 →
    -- 2.7 ms).
    matched AS (
        SELECT s.item_id, s.date, s.year, s.municipality_id, s.committee_id, s.case_id,
               s.outcomes, s.closed, s.sample, s.vector
        FROM minutes_itemsearchsample s
        WHERE (SELECT k FROM k) <= 2
          AND s.sample < 2
          AND s.vector @@ (SELECT u.relaxed FROM unordered u)
        UNION ALL
        SELECT s.item_id, s.date, s.year, s.municipality_id, s.committee_id, s.case_id,
               s.outcomes, s.closed, s.sample, s.vector
        FROM minutes_itemsearchsample s
        WHERE (SELECT k FROM k) > 2
          AND (SELECT k FROM k) <= 4
          AND s.sample < 4
          AND s.vector @@ (SELECT u.relaxed FROM unordered u)
        UNION ALL
        SELECT s.item_id, s.date, s.year, s.municipality_id, s.committee_id, s.case_id,
               s.outcomes, s.closed, s.sample, s.vector
        FROM minutes_itemsearchsample s
        WHERE (SELECT k FROM k) > 4
          AND (SELECT k FROM k) <= 8
          AND s.sample < 8
          AND s.vector @@ (SELECT u.relaxed FROM unordered u)
        UNION ALL
        SELECT s.item_id, s.date, s.year, s.municipality_id, s.committee_id, s.case_id,
               s.outcomes, s.closed, s.sample, s.vector
        FROM minutes_itemsearchsample s
        WHERE (SELECT k FROM k) > 8
          AND (SELECT k FROM k) <= 16
          AND s.sample < 16
          AND s.vector @@ (SELECT u.relaxed FROM unordered u)
        UNION ALL
        SELECT s.item_id, s.date, s.year, s.municipality_id, s.committee_id, s.case_id,
               s.outcomes, s.closed, s.sample, s.vector
        FROM minutes_itemsearchsample s
        WHERE (SELECT k FROM k) > 16
          AND s.vector @@ (SELECT u.relaxed FROM unordered u)
    )
    SELECT m.item_id, m.date, m.year, m.municipality_id, m.committee_id, m.case_id, m.outcomes,
           m.closed, sampled.scale::real
    FROM matched m, sampled, unordered u
    WHERE m.sample < sampled.k AND (u.exact OR m.vector @@ q);
END
$fn$;

