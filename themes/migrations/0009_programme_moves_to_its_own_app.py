"""The themes point at the programme in its own app, which has taken over its tables; the themes
app lets go of the model. Nothing in the database changes: the tables keep their names and rows."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('board', '0013_programme_from_its_own_app'),
        ('budget', '0008_programme_from_its_own_app'),
        ('evaluation', '0006_programme_from_its_own_app'),
        ('programme', '0001_initial'),
        ('themes', '0008_single_line_title'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicaltheme',
                    name='programme',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programme.programme'),
                ),
                migrations.AlterField(
                    model_name='theme',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='themes', to='programme.programme'),
                ),
                migrations.DeleteModel(
                    name='HistoricalProgramme',
                ),
                migrations.DeleteModel(
                    name='Programme',
                ),
            ],
            database_operations=[],
        ),
    ]
