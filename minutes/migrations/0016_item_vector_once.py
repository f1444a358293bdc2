"""Each item's search vector is parsed and stored once, in its search row.

AgendaItem.search_vector (a stored generated column) and ItemSearch.vector held the same
vector: the item's copy was written, compressed and kept in TOAST for every item (2.4 KB on
average, half a gigabyte at 200,000 items) only to be copied into the search row. Now the
search row's trigger parses the item's text itself (minutes_item_vector), and the title words
for "Mente du …?" are read from the search row's title tier.

The functions are loaded from minutes/sql/item_search.sql, which holds the current definition
of every function of the search table (until now spread over migrations 0004–0014).
"""

from importlib import import_module
from pathlib import Path

from django.db import migrations, models

SQL = (Path(__file__).resolve().parent.parent / "sql" / "item_search.sql").read_text("utf-8")

# Back to the functions as 0008 and 0014 left them, reading the item's own vector: 0008's
# refresh function as it is, and the vocabulary trigger's function as 0014 defined it.
REVERSE = (
    import_module("minutes.migrations.0008_tier_vectors_from_item_vector").FORWARD
    + r"""
CREATE OR REPLACE FUNCTION minutes_searchword_add() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO minutes_searchword (word)
    SELECT DISTINCT w
    FROM changed_rows r, unnest(tsvector_to_array(ts_filter(r.search_vector, '{a}'))) AS w
    WHERE w ~ '^[[:alpha:]][[:alpha:]-]{2,38}[[:alpha:]]$'
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$fn$;
DROP FUNCTION IF EXISTS minutes_item_vector(text, text, text, text);
"""
)


class Migration(migrations.Migration):
    dependencies = [("minutes", "0015_background_jobs")]

    # The functions first, so that none reads the column when it goes; reversed, the column
    # comes back (recomputed by PostgreSQL) before the old functions that read it.
    operations = [
        migrations.RunSQL(SQL, REVERSE),
        migrations.RemoveField(model_name="agendaitem", name="search_vector"),
        migrations.AlterField(
            model_name="agendaitem",
            name="text_a",
            field=models.TextField(blank=True, help_text="Titel, sagsnummer"),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="text_d",
            field=models.TextField(blank=True, help_text="Øvrige afsnit, bilag og udvalg"),
        ),
    ]
