"""The sample's matches (estimated counts and facets) in PL/pgSQL, so its plan is kept.

minutes_itemsearch_sample_matches is not inlined (it sets enable_seqscan), and PostgreSQL plans
a SQL function of that kind again on every call: its five branches cost about a millisecond
of planning on every search, once or twice. A PL/pgSQL function keeps its statement's plan for
the session. Same query, same results (minutes/sql/item_search.sql, loaded again).
"""

from importlib import import_module
from pathlib import Path

from django.db import migrations

SQL = (Path(__file__).resolve().parent.parent / "sql" / "item_search.sql").read_text("utf-8")

# Back to the SQL function as migration 0009 made it.
_0009 = import_module("minutes.migrations.0009_sample_phrases_through_gin").NEW
REVERSE = _0009[_0009.index("CREATE OR REPLACE FUNCTION minutes_itemsearch_sample_matches") :]


class Migration(migrations.Migration):
    dependencies = [("minutes", "0020_searchword_trgm_no_pending_list")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
