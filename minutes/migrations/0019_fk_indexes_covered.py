"""Drop the single-column indexes of foreign keys that a unique or composite index already leads
with (section_unique_position (item, position), item_unique_position (meeting, position),
itemsearch_muni_date_idx (municipality, date), …): every row written paid for a second index
that no query needs, about 170 index entries per meeting.

Only the indexes go: Django's AlterField would also drop and re-add (and so re-check) each
foreign key constraint, a full scan of each table on a large archive, for nothing.
"""

import django.db.models.deletion
from django.db import migrations, models


# index → (table, column), as Django named them for the foreign keys.
INDEXES = {
    "minutes_agendaitem_meeting_id_28b5b545": ("minutes_agendaitem", "meeting_id"),
    "minutes_attachment_item_id_f9adb9c0": ("minutes_attachment", "item_id"),
    "minutes_attendance_meeting_id_18bcd16d": ("minutes_attendance", "meeting_id"),
    "minutes_case_municipality_id_db2d4801": ("minutes_case", "municipality_id"),
    "minutes_committee_municipality_id_0879b710": ("minutes_committee", "municipality_id"),
    "minutes_decision_item_id_09fd5cce": ("minutes_decision", "item_id"),
    "minutes_document_municipality_id_44f595dd": ("minutes_document", "municipality_id"),
    "minutes_documentsection_document_id_1efc583c": ("minutes_documentsection", "document_id"),
    "minutes_itemsearch_committee_id_0862e569": ("minutes_itemsearch", "committee_id"),
    "minutes_itemsearch_municipality_id_578b16ff": ("minutes_itemsearch", "municipality_id"),
    "minutes_meeting_committee_id_2b15c96f": ("minutes_meeting", "committee_id"),
    "minutes_section_item_id_74105dc5": ("minutes_section", "item_id"),
    "minutes_stagedupload_batch_f0214833": ("minutes_stagedupload", "batch"),
    "minutes_vote_item_id_a8251154": ("minutes_vote", "item_id"),
}
DROP = "".join(f"DROP INDEX IF EXISTS {name};\n" for name in INDEXES)
CREATE = "".join(
    f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column});\n"
    for name, (table, column) in INDEXES.items()
)


class Migration(migrations.Migration):

    dependencies = [
        ('minutes', '0018_search_compounds'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='agendaitem',
                    name='meeting',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='items', to='minutes.meeting'),
                ),
                migrations.AlterField(
                    model_name='attachment',
                    name='item',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='minutes.agendaitem'),
                ),
                migrations.AlterField(
                    model_name='attendance',
                    name='meeting',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='minutes.meeting'),
                ),
                migrations.AlterField(
                    model_name='case',
                    name='municipality',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='minutes.municipality'),
                ),
                migrations.AlterField(
                    model_name='committee',
                    name='municipality',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='committees', to='minutes.municipality'),
                ),
                migrations.AlterField(
                    model_name='decision',
                    name='item',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='minutes.agendaitem'),
                ),
                migrations.AlterField(
                    model_name='document',
                    name='municipality',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='minutes.municipality'),
                ),
                migrations.AlterField(
                    model_name='documentsection',
                    name='document',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='minutes.document'),
                ),
                migrations.AlterField(
                    model_name='itemsearch',
                    name='committee',
                    field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='minutes.committee'),
                ),
                migrations.AlterField(
                    model_name='itemsearch',
                    name='municipality',
                    field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='minutes.municipality'),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='committee',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='minutes.committee'),
                ),
                migrations.AlterField(
                    model_name='section',
                    name='item',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='sections', to='minutes.agendaitem'),
                ),
                migrations.AlterField(
                    model_name='stagedupload',
                    name='batch',
                    field=models.UUIDField(),
                ),
                migrations.AlterField(
                    model_name='vote',
                    name='item',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='minutes.agendaitem'),
                ),
            
            ],
            database_operations=[
                migrations.RunSQL(DROP, reverse_sql=CREATE),
            ],
        ),
    ]
