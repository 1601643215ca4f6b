import pytest
from freezegun import freeze_time

from havering_improve import roles
from tests.factories import UserFactory

from .factories import HighlightReportFactory, MeasureFactory, MilestoneFactory, RiskFactory


@pytest.fixture(autouse=True)
def _today():
    # "Today" for every theme test: overdue and current-period rules depend on it.
    with freeze_time("2026-11-26 10:00:00", tick=True):
        yield


@pytest.fixture
def milestone(theme):
    return MilestoneFactory(theme=theme)


@pytest.fixture
def measure(theme):
    return MeasureFactory(theme=theme)


@pytest.fixture
def risk(theme):
    return RiskFactory(theme=theme)


@pytest.fixture
def draft_report(theme):
    return HighlightReportFactory(theme=theme, status="draft")


@pytest.fixture
def other_member(other_theme):
    """On the Quality Assurance team, a stranger to Supervision."""
    from themes.models import TeamMembership

    user = UserFactory(username="other-member", roles=[roles.TEAM_MEMBER])
    TeamMembership.objects.create(theme=other_theme, user=user)
    return user
