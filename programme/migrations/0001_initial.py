"""The programme moves here from the themes app, keeping its tables ("themes_programme" and
"themes_historicalprogramme") and every row in them: on a database made before, this only takes
the model over; on a new one the themes' first migrations have made the tables already. The
programme's content types move too, so its permissions and admin log stay attached to it."""

import django.db.models.deletion
import havering_improve.validators
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ("programme", "historicalprogramme")


def _move_content_types(apps, source: str, target: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects
    for model in MODELS:
        if not content_types.filter(app_label=target, model=model).exists():
            content_types.filter(app_label=source, model=model).update(app_label=target)


def content_types_to_programme(apps, schema_editor):
    _move_content_types(apps, "themes", "programme")


def content_types_to_themes(apps, schema_editor):
    _move_content_types(apps, "programme", "themes")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("themes", "0008_single_line_title"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Programme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(unique=True)),
                        ('name', models.CharField(max_length=200)),
                        ('local_authority', models.CharField(max_length=200)),
                        ('service', models.CharField(blank=True, max_length=200)),
                        ('summary', models.TextField(blank=True)),
                        ('source_document', models.CharField(blank=True, help_text='The decision that set the programme up.', max_length=300)),
                        ('review_due', models.DateField(blank=True, help_text='When the programme is reviewed and evaluated (after its first year).', null=True, validators=[havering_improve.validators.validate_plausible_date], verbose_name='Review due')),
                        ('review_plan', models.TextField(blank=True, help_text='What the review decides, as the decision set it out.', verbose_name='The review')),
                        ('roles_after_review', models.TextField(blank=True, help_text="One a line: the programme's roles the service may fund itself once the review has decided which continue.", verbose_name='Roles the service may fund after the review')),
                    ],
                    options={
                        'db_table': 'themes_programme',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalProgramme',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('slug', models.SlugField()),
                        ('name', models.CharField(max_length=200)),
                        ('local_authority', models.CharField(max_length=200)),
                        ('service', models.CharField(blank=True, max_length=200)),
                        ('summary', models.TextField(blank=True)),
                        ('source_document', models.CharField(blank=True, help_text='The decision that set the programme up.', max_length=300)),
                        ('review_due', models.DateField(blank=True, help_text='When the programme is reviewed and evaluated (after its first year).', null=True, validators=[havering_improve.validators.validate_plausible_date], verbose_name='Review due')),
                        ('review_plan', models.TextField(blank=True, help_text='What the review decides, as the decision set it out.', verbose_name='The review')),
                        ('roles_after_review', models.TextField(blank=True, help_text="One a line: the programme's roles the service may fund itself once the review has decided which continue.", verbose_name='Roles the service may fund after the review')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical programme',
                        'verbose_name_plural': 'historical programmes',
                        'db_table': 'themes_historicalprogramme',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_programme, content_types_to_themes),
    ]
