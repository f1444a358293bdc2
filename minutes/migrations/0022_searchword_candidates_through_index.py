"""The vocabulary's candidate corrections through an index, always (minutes_searchword_candidates).

For a long word the planner judged the trigram index dearer than comparing the word with the
whole vocabulary, which took 15 ms instead of 0.9 at 200,000 items; the function sets
enable_seqscan off for its own statement. Both candidate queries (trigrams, and by length where
the server has no pg_trgm) move from search_suggest into minutes/sql/item_search.sql, which is
loaded again (every definition in it is CREATE OR REPLACE).
"""

from pathlib import Path

from django.db import migrations

SQL = (Path(__file__).resolve().parent.parent / "sql" / "item_search.sql").read_text("utf-8")

REVERSE = "DROP FUNCTION IF EXISTS minutes_searchword_candidates(text, int, int, boolean);"


class Migration(migrations.Migration):
    dependencies = [("minutes", "0021_sample_matches_plpgsql")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
