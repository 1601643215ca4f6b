import pytest

from evaluation import demo
from evaluation.models import AuditResult, EvaluationActivity, Finding, Recommendation
from evaluation.selectors import readiness
from portfolio import loader
from themes.models import MeasureReading

pytestmark = pytest.mark.django_db


def test_the_demo_gives_a_year_of_evaluation_and_running_it_twice_changes_nothing(
    programme, settings
):
    settings.DEBUG = True
    loader.demo_users_create(programme=programme, password="demo-pass-123")
    demo.demo_data_load(programme=programme)
    counts = (
        EvaluationActivity.objects.count(),
        AuditResult.objects.count(),
        Finding.objects.count(),
        MeasureReading.objects.count(),
    )
    assert counts[0] >= 8 and counts[1] >= 6 and counts[2] >= 5
    assert set(EvaluationActivity.objects.values_list("kind", flat=True)) >= {
        "qa_audit",
        "staff_feedback",
        "peer_review",
        "independent_challenge",
        "ofsted_visit",
    }
    assert Recommendation.objects.exists()
    assert all(r.measure_reading_id for r in AuditResult.objects.all())
    areas = readiness(programme)
    assert all(area.themes for area in areas)
    assert any(area.audit_trend for area in areas)
    demo.demo_data_load(programme=programme)
    assert counts == (
        EvaluationActivity.objects.count(),
        AuditResult.objects.count(),
        Finding.objects.count(),
        MeasureReading.objects.count(),
    )
