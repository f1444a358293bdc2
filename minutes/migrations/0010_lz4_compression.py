"""Compress the large columns with lz4 instead of pglz.

Ingestion is CPU-bound on two cores, and pglz was a visible part of it: every meeting stores its
source file, its sections, the item text behind the search vector and the vector itself, all
compressed. lz4 saved 2.2 ms of the database's 24.8 ms per 65 KB meeting (three alternating runs
of 300 meetings each). It affects values written from now on; existing ones stay readable.
PostgreSQL built without lz4 (the private pgserver fallback) keeps pglz.
"""

from django.db import migrations

COLUMNS = [
    ("minutes_sourcefile", "content"),
    ("minutes_agendaitem", "text_b"),
    ("minutes_agendaitem", "text_c"),
    ("minutes_agendaitem", "text_d"),
    ("minutes_agendaitem", "search_vector"),
    ("minutes_section", "text"),
    ("minutes_decision", "text"),
    ("minutes_documentsection", "text"),
    ("minutes_stagedupload", "content"),
]


def _alter(method: str) -> str:
    statements = "\n".join(
        f"    ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method};"
        for table, column in COLUMNS
    )
    return f"""
DO $$
BEGIN
{statements}
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'This PostgreSQL has no lz4; the columns keep pglz.';
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("minutes", "0009_sample_phrases_through_gin")]

    operations = [migrations.RunSQL(_alter("lz4"), _alter("pglz"))]
