"""Keep each search row's outcomes in the row itself.

The search table's heap is kept narrow (toast_tuple_target = 128), which also pushed the small
outcomes array of most rows out to TOAST: counting outcomes over 2,600 matches then fetched
2,600 TOAST values (10,000 buffer reads, 14 ms of a 40 ms search; make bench). MAIN storage
keeps it inline; the rows stored before are rewritten once so they follow the new rule
(27 s for 200,000 items; search keeps working meanwhile, writes to the search table wait).
"""

from django.db import migrations

FORWARD = r"""
SET LOCAL statement_timeout = 0;
ALTER TABLE minutes_itemsearch ALTER COLUMN outcomes SET STORAGE MAIN;
ALTER TABLE minutes_itemsearchsample ALTER COLUMN outcomes SET STORAGE MAIN;
-- A freshly built array is stored under the new rule (an unchanged one keeps its TOAST pointer).
UPDATE minutes_itemsearch SET outcomes = ARRAY(SELECT unnest(outcomes)) WHERE outcomes <> '{}';
"""

BACKWARD = r"""
ALTER TABLE minutes_itemsearch ALTER COLUMN outcomes SET STORAGE EXTENDED;
ALTER TABLE minutes_itemsearchsample ALTER COLUMN outcomes SET STORAGE EXTENDED;
"""


class Migration(migrations.Migration):
    dependencies = [("minutes", "0006_sample_matches_through_gin")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
