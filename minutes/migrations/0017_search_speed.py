"""Search speed (issue 17): the newest-first probes read the (date, item) index in the order they
need, with the filters inside the probe, so no probe sorts its rows or throws most of them away.

And no parallel scans of the search table: a search reads a few rows through its indexes, and a
lower tier that its one-time guard never runs still launched two parallel workers when the
planner chose a parallel plan for it (an outcome filter: 17–34 ms of a 1.3 ms query).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0016_item_vector_once"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="itemsearch",
            name="itemsearch_date_idx",
        ),
        migrations.AddIndex(
            model_name="itemsearch",
            index=models.Index(fields=["date", "item"], name="itemsearch_date_item_idx"),
        ),
        migrations.RunSQL(
            "ALTER TABLE minutes_itemsearch SET (parallel_workers = 0)",
            "ALTER TABLE minutes_itemsearch RESET (parallel_workers)",
        ),
    ]
