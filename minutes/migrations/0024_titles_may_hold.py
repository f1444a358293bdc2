"""minutes_titles_may_hold: whether a title can hold what a query needs, from the vocabulary
(which holds every eligible word of every title), so that search skips its title tier's
newest-items probe for a word in no title (alone or with others). minutes_searchword_eligible
is the one definition of a vocabulary word, used by the trigger that fills the vocabulary and
by this check. Both in minutes/sql/item_search.sql, loaded again.
"""

from pathlib import Path

from django.db import migrations

SQL = (Path(__file__).resolve().parent.parent / "sql" / "item_search.sql").read_text("utf-8")

# The trigger function keeps the current definition (the same words as before, from the same
# test); the two new functions go.
REVERSE = """
DROP FUNCTION IF EXISTS minutes_titles_may_hold(text[]);
"""


class Migration(migrations.Migration):
    dependencies = [("minutes", "0023_sample_bucket_count_from_index")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
