"""Words of the archive's vocabulary by their beginning, for the suggestions as one types
(search_suggest.completions): a text_pattern_ops index answers `word LIKE 'lok%'` in any
collation, with or without pg_trgm."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("minutes", "0017_search_speed")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX searchword_prefix_idx ON minutes_searchword (word text_pattern_ops)",
            "DROP INDEX IF EXISTS searchword_prefix_idx",
        )
    ]
