import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from themes.models import HighlightReport, Measure, MeasureReading, Milestone, Risk

pytestmark = pytest.mark.django_db


def _digest():
    return list(
        MeasureReading.objects.order_by("measure__name", "date").values_list("value", flat=True)[
            :200
        ]
    )


def test_one_year_of_data_has_the_promised_shape(programme):
    call_command("generate_scale_data", "--scale", "1", stdout=StringIO())
    themes = programme.themes.count()
    assert Measure.objects.count() == 10 * themes
    assert MeasureReading.objects.count() == 52 * 10 * themes
    assert Milestone.objects.count() == 50 * themes
    assert Risk.objects.count() == 40 * themes
    assert HighlightReport.objects.count() == 12 * themes
    assert HighlightReport.objects.order_by("-period").first().period == dt.date(2026, 10, 1)


def test_the_same_scale_and_seed_give_the_same_data(programme):
    call_command("generate_scale_data", "--scale", "1", stdout=StringIO())
    first = _digest()
    for model in (MeasureReading, Measure, Milestone, Risk, HighlightReport):
        model.objects.all().delete()
    call_command("generate_scale_data", "--scale", "1", stdout=StringIO())
    assert _digest() == first
