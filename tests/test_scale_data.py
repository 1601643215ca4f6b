import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from board.models import Meeting
from budget.models import LedgerRow
from evaluation.models import EvaluationActivity
from portfolio import loader
from reporting.models import MeetingPack
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
    assert LedgerRow.objects.count() == 20_000
    assert EvaluationActivity.objects.count() == 24
    assert Meeting.objects.count() == 12
    published = MeetingPack.objects.filter(status=MeetingPack.Status.PUBLISHED)
    assert published.count() == Meeting.objects.filter(date__lt=dt.date(2026, 11, 26)).count()
    assert published.order_by("-meeting__date").first().pdf.size > 0


@pytest.mark.django_db(transaction=True)  # flushes the database between the two runs
def test_the_same_scale_and_seed_give_the_same_data(programme):
    call_command("generate_scale_data", "--scale", "1", stdout=StringIO())
    first = _digest()
    call_command("flush", interactive=False, verbosity=0)
    loader.programme_load(data=loader.read_data_file(loader.DEFAULT_DATA_FILE))
    call_command("generate_scale_data", "--scale", "1", stdout=StringIO())
    assert _digest() == first
