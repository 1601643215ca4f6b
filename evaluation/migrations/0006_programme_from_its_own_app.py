"""The evaluation's records point at the programme in its own app: the same table, so nothing in
the database changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0005_edit_forms_version'),
        ('programme', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='evaluationactivity',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='programme.programme'),
                ),
                migrations.AlterField(
                    model_name='evaluationstrand',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='strands', to='programme.programme'),
                ),
                migrations.AlterField(
                    model_name='historicalevaluationactivity',
                    name='programme',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programme.programme'),
                ),
                migrations.AlterField(
                    model_name='historicalevaluationstrand',
                    name='programme',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programme.programme'),
                ),
                migrations.AlterField(
                    model_name='historicalinspection',
                    name='programme',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programme.programme'),
                ),
                migrations.AlterField(
                    model_name='inspection',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspections', to='programme.programme'),
                ),
            ],
            database_operations=[],
        ),
    ]
