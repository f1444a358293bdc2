"""Tell Django about the sample table that migration 0004 created in SQL (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("minutes", "0004_item_search_table")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ItemSearchSample",
                    fields=[
                        (
                            "item",
                            models.OneToOneField(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="+",
                                serialize=False,
                                to="minutes.agendaitem",
                            ),
                        ),
                    ],
                    options={"db_table": "minutes_itemsearchsample", "managed": True},
                ),
            ],
            database_operations=[],
        ),
    ]
