"""Two people at one evaluation form: the second save is refused with what the first changed,
and the first's change is kept (before, the second silently overwrote it)."""

import pytest

from evaluation.models import ActivityKind, FeedbackResult, OfstedGrade
from tests.evaluation.factories import ActivityFactory, strand
from tests.form_page import assert_refused, race, second_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_manager(programme_manager):
    return second_user(programme_manager, "pm.two")


def test_an_activity(audit, programme_manager, other_manager):
    response = race(
        f"/evaluation/activities/{audit.pk}/edit/",
        programme_manager,
        other_manager,
        {"lead_name": "Principal Social Worker"},
        {"title": "Supervision audit, round 2"},
    )
    assert_refused(response, "Principal Social Worker")
    audit.refresh_from_db()
    assert (audit.lead_name, audit.title) == ("Principal Social Worker", "Supervision audit")


def test_audit_grades(audit_result, programme_manager, other_manager):
    response = race(
        f"/evaluation/audits/{audit_result.pk}/edit/",
        programme_manager,
        other_manager,
        {"notes": "Moderated by the PSW"},
        {"notes": "Second look"},
    )
    assert_refused(response, "Moderated by the PSW")
    audit_result.refresh_from_db()
    assert audit_result.notes == "Moderated by the PSW"


@pytest.mark.parametrize("recorded_before", [False, True], ids=["first-record", "recorded"])
def test_feedback(programme, programme_manager, other_manager, recorded_before):
    survey = ActivityFactory(
        programme=programme,
        strand=strand(programme, "staff-feedback"),
        kind=ActivityKind.STAFF_FEEDBACK,
    )
    if recorded_before:
        FeedbackResult.objects.create(activity=survey, responses=5, key_messages="Morale")
    response = race(
        f"/evaluation/activities/{survey.pk}/feedback/",
        programme_manager,
        other_manager,
        {"responses": "40", "key_messages": "Morale is up"},
        {"responses": "12", "key_messages": "Caseloads"},
    )
    assert_refused(response, "Morale is up")
    feedback = FeedbackResult.objects.get(activity=survey)
    assert (feedback.responses, feedback.key_messages) == (40, "Morale is up")


def test_an_inspection_and_its_judgements(visit, programme_manager, other_manager):
    overall = "grade_overall"
    response = race(
        f"/evaluation/inspections/{visit.pk}/edit/",
        programme_manager,
        other_manager,
        {overall: OfstedGrade.REQUIRES_IMPROVEMENT},
        {"summary": "Leaders know their service"},
    )
    assert_refused(response, "Judgement: Overall effectiveness", "Requires improvement")
    visit.refresh_from_db()
    assert visit.summary == ""
    assert [j.grade for j in visit.judgements.all()] == [OfstedGrade.REQUIRES_IMPROVEMENT]


def test_a_recommendation(recommendation, programme_manager, other_manager):
    response = race(
        f"/evaluation/recommendations/{recommendation.pk}/edit/",
        programme_manager,
        other_manager,
        {"text": "Record supervision monthly"},
        {"status": "met", "met_on_0": "1", "met_on_1": "12", "met_on_2": "2026"},
    )
    assert_refused(response, "Record supervision monthly")
    recommendation.refresh_from_db()
    assert recommendation.text == "Record supervision monthly"
    assert recommendation.status != "met"
