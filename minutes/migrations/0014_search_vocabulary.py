"""The archive's vocabulary for "Mente du …?": minutes/sql/search_vocabulary.sql.

Uses pg_trgm where the server has it (contrib); the embedded server of a bare machine has
not, and search_suggest then finds candidates by length instead.
"""

from pathlib import Path

from django.db import migrations

SQL = (Path(__file__).resolve().parent.parent / "sql" / "search_vocabulary.sql").read_text("utf-8")

REVERSE = """
DROP TRIGGER IF EXISTS searchword_items_inserted ON minutes_agendaitem;
DROP TRIGGER IF EXISTS searchword_items_updated ON minutes_agendaitem;
DROP FUNCTION IF EXISTS minutes_searchword_add();
DROP TABLE IF EXISTS minutes_searchword;
"""


class Migration(migrations.Migration):
    dependencies = [("minutes", "0013_upload_permission")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
