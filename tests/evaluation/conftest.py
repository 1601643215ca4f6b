import shutil

import pytest

from tests.evaluation.factories import (
    ActivityFactory,
    AuditResultFactory,
    FindingFactory,
    InspectionFactory,
    RecommendationFactory,
    days_ago,
)
from tests.themes.factories import MeasureFactory


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    """Evidence is stored as files: each test gets its own media folder, so a file an earlier
    run left behind never changes the name a new one is stored under."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def audit(programme, theme):
    """A completed QA audit of Supervision, with no grades recorded yet."""
    return ActivityFactory(
        programme=programme, title="Supervision audit", completed_on=days_ago(25), themes=[theme]
    )


@pytest.fixture
def measure(theme):
    return MeasureFactory(theme=theme, name="Supervision audits graded good or better")


@pytest.fixture
def audit_result(audit, theme):
    return AuditResultFactory(activity=audit, theme=theme)


@pytest.fixture
def finding(audit, theme):
    return FindingFactory(activity=audit, themes=[theme], title="Supervision is not reflective")


@pytest.fixture
def other_finding(audit, other_theme):
    return FindingFactory(activity=audit, themes=[other_theme], title="QA loop not closed")


@pytest.fixture
def visit(programme):
    return InspectionFactory(programme=programme, title="Focused visit")


@pytest.fixture
def recommendation(visit, theme):
    return RecommendationFactory(inspection=visit, themes=[theme], text="Record supervision")
