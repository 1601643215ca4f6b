"""The board's records point at the programme in its own app: the same table, so nothing in the
database changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('board', '0012_meeting_calendar_sequence_and_cancelling'),
        ('programme', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='board',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='boards', to='programme.programme'),
                ),
                migrations.AlterField(
                    model_name='historicalboard',
                    name='programme',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programme.programme'),
                ),
            ],
            database_operations=[],
        ),
    ]
