from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.actions import activities, audits, findings, inspections, recommendations
from evaluation.actions import feedback as feedback_actions
from evaluation.models import ActivityKind, AuditResult, Finding, SurveyScore
from tests.evaluation.factories import ActivityFactory, days_ago, strand
from tests.themes.factories import MeasureFactory
from themes.models import Measure, MeasureReading, Milestone, Risk

pytestmark = pytest.mark.django_db


def _grades(**overrides):
    values = dict(
        date=days_ago(5),
        cases_audited=12,
        outstanding=1,
        good=8,
        requires_improvement=2,
        inadequate=1,
    )
    values.update(overrides)
    return values


def test_an_audit_result_feeds_the_measure_a_reading_linked_back_to_the_audit(
    audit, theme, measure, programme_manager
):
    result = audits.audit_result_record(
        activity=audit, theme=theme, measure=measure, actor=programme_manager, **_grades()
    )
    reading = MeasureReading.objects.get(measure=measure)
    assert reading.value == Decimal("75.00")
    assert reading.date == result.date
    assert reading.recorded_by == programme_manager
    assert reading.source == "QA audit: Supervision audit"
    assert reading.audit_result == result
    assert "9 of 12 cases audited" in reading.note


def test_correcting_the_grades_moves_the_reading_they_fed(audit, theme, measure, programme_manager):
    result = audits.audit_result_record(
        activity=audit, theme=theme, measure=measure, actor=programme_manager, **_grades()
    )
    audits.audit_result_update(
        result=result, actor=programme_manager, good=5, requires_improvement=5
    )
    result.measure_reading.refresh_from_db()
    assert result.measure_reading.value == Decimal("50.00")


def test_an_audit_cannot_feed_another_themes_measure(audit, theme, other_theme, programme_manager):
    elsewhere = MeasureFactory(theme=other_theme)
    with pytest.raises(ValidationError, match="Select a measure of the Supervision theme"):
        audits.audit_result_record(
            activity=audit, theme=theme, measure=elsewhere, actor=programme_manager, **_grades()
        )
    assert not AuditResult.objects.exists()
    assert not MeasureReading.objects.exists()


def test_an_audit_cannot_feed_a_measure_counted_in_days(audit, theme, programme_manager):
    days = MeasureFactory(theme=theme, unit=Measure.Unit.DAYS, name="Days to supervision")
    with pytest.raises(ValidationError, match="measured in days"):
        audits.audit_result_record(
            activity=audit, theme=theme, measure=days, actor=programme_manager, **_grades()
        )


def test_grades_are_refused_for_an_activity_that_is_not_an_audit(
    programme, theme, programme_manager
):
    survey = ActivityFactory(
        programme=programme,
        strand=strand(programme, "staff-feedback"),
        kind=ActivityKind.STAFF_FEEDBACK,
    )
    with pytest.raises(ValidationError, match="only be recorded for a QA audit"):
        audits.audit_result_record(
            activity=survey, theme=theme, actor=programme_manager, **_grades()
        )


def test_every_change_is_in_the_history_with_who_made_it(audit, theme, programme_manager):
    result = audits.audit_result_record(
        activity=audit, theme=theme, actor=programme_manager, **_grades()
    )
    audits.audit_result_update(result=result, actor=programme_manager, notes="Rechecked")
    history = list(result.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert {h.history_user for h in history} == {programme_manager}


def test_planning_an_activity_records_its_themes_in_the_history(
    programme, theme, programme_manager
):
    activity = activities.activity_create(
        programme=programme,
        actor=programme_manager,
        strand=strand(programme),
        kind=ActivityKind.QA_AUDIT,
        title="Practice week",
        start_date=days_ago(-10),
        themes=[theme],
    )
    assert list(activity.themes.all()) == [theme]
    assert {h.history_user for h in activity.history.all()} == {programme_manager}
    latest = activity.history.latest()
    assert [t.theme_id for t in latest.themes.all()] == [theme.pk]


def _feedback(programme, user):
    survey = ActivityFactory(
        programme=programme,
        strand=strand(programme, "staff-feedback"),
        kind=ActivityKind.STAFF_FEEDBACK,
    )
    return feedback_actions.feedback_save(
        activity=survey, actor=user, responses=100, key_messages="More reflective supervision"
    )


def _csv(text: str, name="survey.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_survey_scores_import_from_csv(programme, programme_manager):
    feedback = _feedback(programme, programme_manager)
    count = feedback_actions.survey_scores_import(
        feedback=feedback,
        upload=_csv("Question,Score,Out_of,Responses\nI feel supported,3.9,5,98\nMorale,7,10,\n"),
        actor=programme_manager,
    )
    assert count == 2
    scores = list(feedback.scores.values_list("question", "score", "out_of", "responses"))
    assert scores == [
        ("I feel supported", Decimal("3.90"), Decimal("5.00"), 98),
        ("Morale", Decimal("7.00"), Decimal("10.00"), None),
    ]


def test_a_bad_survey_file_names_each_row_and_column_and_changes_nothing(
    programme, programme_manager
):
    feedback = _feedback(programme, programme_manager)
    feedback_actions.survey_scores_import(
        feedback=feedback, upload=_csv("question,score\nKept,4\n"), actor=programme_manager
    )
    with pytest.raises(feedback_actions.SurveyImportError) as exc:
        feedback_actions.survey_scores_import(
            feedback=feedback,
            upload=_csv("question,score,responses\nFine,4,10\n,abc,\nToo high,6,x\n"),
            actor=programme_manager,
        )
    assert exc.value.messages == [
        "Row 3, column question: enter the question.",
        "Row 3, column score: “abc” is not a number.",
        "Row 4, column score: 6 is more than the maximum of 5.",
        "Row 4, column responses: “x” is not a whole number.",
    ]
    assert list(SurveyScore.objects.values_list("question", flat=True)) == ["Kept"]


def test_a_survey_file_without_the_right_columns_is_refused(programme, programme_manager):
    feedback = _feedback(programme, programme_manager)
    with pytest.raises(feedback_actions.SurveyImportError, match="Missing: score"):
        feedback_actions.survey_scores_import(
            feedback=feedback, upload=_csv("question,mark\nA,3\n"), actor=programme_manager
        )


def test_a_survey_file_that_is_not_text_is_refused(programme, programme_manager):
    feedback = _feedback(programme, programme_manager)
    upload = SimpleUploadedFile("survey.csv", b"%PDF-1.4 binary\x00\x01", "text/csv")
    with pytest.raises(feedback_actions.SurveyImportError, match="must be a CSV file"):
        feedback_actions.survey_scores_import(
            feedback=feedback, upload=upload, actor=programme_manager
        )


def _accepted(finding, user):
    return findings.finding_update(
        finding=finding,
        version=finding.version,
        actor=user,
        response=Finding.Response.ACCEPTED,
        response_note="Reflective supervision training",
        action_owner="Principal social worker",
        action_due=days_ago(-30),
    )


def test_an_accepted_finding_becomes_a_milestone_on_its_theme(finding, theme, programme_manager):
    _accepted(finding, programme_manager)
    milestone = findings.finding_to_milestone(finding=finding, theme=theme, actor=programme_manager)
    assert milestone.theme == theme
    assert milestone.title == "Supervision is not reflective"
    assert milestone.owner == "Principal social worker"
    assert milestone.due_date == days_ago(-30)
    finding.refresh_from_db()
    assert finding.milestone == milestone
    assert finding.is_open


def test_an_accepted_finding_goes_on_the_theme_risk_log(finding, theme, programme_manager):
    _accepted(finding, programme_manager)
    risk = findings.finding_to_risk(
        finding=finding, theme=theme, likelihood=4, impact=3, actor=programme_manager
    )
    assert (risk.theme, risk.score, risk.mitigation) == (
        theme,
        12,
        "Reflective supervision training",
    )


def test_a_finding_not_yet_accepted_cannot_become_a_milestone(finding, theme, programme_manager):
    with pytest.raises(ValidationError, match="Accept the finding"):
        findings.finding_to_milestone(finding=finding, theme=theme, actor=programme_manager)
    assert not Milestone.objects.exists()


def test_a_finding_becomes_a_milestone_only_on_a_theme_it_concerns(
    finding, other_theme, programme_manager
):
    _accepted(finding, programme_manager)
    with pytest.raises(ValidationError, match="themes the finding concerns"):
        findings.finding_to_milestone(finding=finding, theme=other_theme, actor=programme_manager)
    assert not Risk.objects.exists() and not Milestone.objects.exists()


def test_a_recommendation_is_mapped_to_the_themes_that_answer_it(
    visit, theme, other_theme, programme_manager
):
    recommendation = recommendations.recommendation_add(
        inspection=visit,
        actor=programme_manager,
        themes=[theme, other_theme],
        text="Make supervision reflective",
    )
    assert set(recommendation.themes.all()) == {theme, other_theme}
    assert recommendation.order == 1
    assert list(theme.inspection_recommendations.all()) == [recommendation]


def test_a_recommendation_with_no_theme_is_refused(visit, programme_manager):
    with pytest.raises(ValidationError, match="Select the themes that answer"):
        recommendations.recommendation_add(
            inspection=visit, actor=programme_manager, themes=[], text="Unmapped"
        )


def test_recording_a_visit_records_a_judgement_per_area_judged(programme, programme_manager):
    from evaluation.models import JudgementArea, OfstedGrade

    areas = {a.slug: a for a in JudgementArea.objects.all()}
    inspection = inspections.inspection_record(
        programme=programme,
        actor=programme_manager,
        grades={
            areas["help-and-protection"]: OfstedGrade.GOOD,
            areas["leaders"]: "",
        },
        kind="monitoring_visit",
        title="Monitoring visit",
        start_date=days_ago(3),
    )
    assert [(j.area.slug, j.grade) for j in inspection.judgements.all()] == [
        ("help-and-protection", "good")
    ]
    inspections.inspection_update(
        inspection=inspection,
        actor=programme_manager,
        grades={areas["help-and-protection"]: ""},
    )
    assert not inspection.judgements.exists()


def test_survey_and_ledger_imports_say_what_and_where_in_one_way():
    from budget.ledger import Problem as LedgerProblem
    from evaluation.actions.feedback import Problem as SurveyProblem

    assert LedgerProblem is SurveyProblem
    assert str(SurveyProblem(14, "Amount", "“12.345” is not pounds and pence")) == (
        "Row 14, column Amount: “12.345” is not pounds and pence."
    )
    assert str(SurveyProblem(None, "", "The file is empty.")) == "The file is empty."
