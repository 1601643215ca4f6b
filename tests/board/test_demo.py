import pytest

from board import demo
from board.models import Action, Meeting, RotaSlot
from portfolio import loader
from reporting import demo as reporting_demo
from reporting.models import MeetingPack, ReportSchedule

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_board_year_and_loading_it_again_changes_nothing(programme, settings):
    settings.DEBUG = True
    loader.demo_users_create(programme=programme, password=settings.DEMO_PASSWORD)
    demo.demo_data_load(programme=programme)
    reporting_demo.demo_data_load(programme=programme)
    assert Meeting.objects.count() == 12
    assert RotaSlot.objects.count() == 24
    statuses = sorted(MeetingPack.objects.values_list("status", flat=True))
    assert statuses == ["published", "ready"]
    published = MeetingPack.objects.get(status="published")
    assert published.meeting.minutes and published.meeting.actions.exists()
    assert ReportSchedule.objects.count() == 4
    actions = Action.objects.count()
    demo.demo_data_load(programme=programme)
    reporting_demo.demo_data_load(programme=programme)
    assert (Meeting.objects.count(), MeetingPack.objects.count(), Action.objects.count()) == (
        12,
        2,
        actions,
    )
