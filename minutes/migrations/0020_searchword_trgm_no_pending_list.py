"""The vocabulary's trigram index without a pending list (fastupdate off).

With GIN's fast update, new words wait in a pending list that every "Mente du …?" lookup reads
in full, and that only VACUUM empties; the vocabulary gets a few new words per meeting, so the
list grew through a whole import: at 200,000 items the planner then judged the index too costly
and compared the query with all 8,348 words, 12–15 ms per lookup instead of 0.1 ms. Writing
each new word into the index directly costs ingestion next to nothing (few are new).
"""

from django.db import migrations

FORWARD = """
DO $do$
BEGIN
    IF to_regclass('searchword_trgm_idx') IS NOT NULL THEN
        ALTER INDEX searchword_trgm_idx SET (fastupdate = off);
        PERFORM gin_clean_pending_list('searchword_trgm_idx'::regclass);
    END IF;
END
$do$;
"""

BACKWARD = """
DO $do$
BEGIN
    IF to_regclass('searchword_trgm_idx') IS NOT NULL THEN
        ALTER INDEX searchword_trgm_idx RESET (fastupdate);
    END IF;
END
$do$;
"""


class Migration(migrations.Migration):
    dependencies = [("minutes", "0019_fk_indexes_covered")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
