from django.db import migrations, models


def renumber(apps, schema_editor):
    """The one row was made with an explicit id, so a database's id sequence may not have moved
    past it: make it again the ordinary way, so that new areas' rows get ids of their own."""
    DataVersion = apps.get_model("havering_improve", "DataVersion")
    number = max(DataVersion.objects.values_list("number", flat=True), default=0)
    DataVersion.objects.all().delete()
    DataVersion.objects.create(area="all", number=number)


class Migration(migrations.Migration):
    """The one data version becomes the version of the area "all" (which every cached summary
    still depends on); the other areas get their rows when they first change."""

    dependencies = [
        ("havering_improve", "0003_council_identity"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="area",
            field=models.CharField(default="all", max_length=100),
            preserve_default=False,
        ),
        migrations.RunPython(renumber, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dataversion",
            name="area",
            field=models.CharField(max_length=100, unique=True),
        ),
    ]
