"""The evaluation's actions own their inputs: each names the fields it takes, asks the rules
of roles.py itself (a page's form only narrows the choices), keeps a record in its programme,
and makes another app's records through that app's own actions."""

import importlib
import inspect
import pkgutil

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import evaluation.actions
from evaluation.actions import activities, audits, findings, recommendations
from evaluation.models import AuditResult, Finding
from havering_improve import actions, roles
from programme.models import Programme
from tests.evaluation.factories import FindingFactory, days_ago
from themes.actions import records as theme_actions
from themes.models import Measure, MeasureReading, Milestone, Risk, Theme

pytestmark = pytest.mark.django_db


def _action_modules():
    package = evaluation.actions
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]


def _evaluation_actions():
    _action_modules()
    return {
        name: fn for name, fn in actions.REGISTRY.items() if name.startswith("evaluation.actions.")
    }


def test_no_evaluation_action_takes_fields_it_does_not_name():
    found = _evaluation_actions()
    assert len(found) >= 17
    loose = [
        name
        for name, fn in found.items()
        if any(
            p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
            for p in inspect.signature(fn).parameters.values()
        )
    ]
    assert loose == []


def test_no_update_takes_a_new_parent():
    """A record's parent is not a field an update changes: an activity stays in its programme, a
    result with its audit, a finding with its activity, a recommendation with its inspection."""
    parents = {
        activities.activity_update: "programme",
        audits.audit_result_update: "activity",
        findings.finding_update: "activity",
        recommendations.recommendation_update: "inspection",
    }
    for update, parent in parents.items():
        assert parent not in inspect.signature(update).parameters, update.__name__


@pytest.fixture
def accepted(audit, theme, other_theme, lead, other_lead):
    """An accepted area for improvement on Supervision (led by `lead`) and Quality Assurance (led
    by `other_lead`)."""
    return FindingFactory(
        activity=audit,
        themes=[theme, other_theme],
        kind=Finding.Kind.AREA_FOR_IMPROVEMENT,
        response=Finding.Response.ACCEPTED,
        action_owner="Principal social worker",
        action_due=days_ago(-30),
    )


def test_a_lead_cannot_take_a_finding_onto_a_theme_they_do_not_lead(accepted, lead, other_theme):
    with pytest.raises(PermissionDenied):
        theme_actions.milestone_create(
            theme=other_theme, actor=lead, title="Close the loop", due_date=days_ago(-30)
        )
    with pytest.raises(PermissionDenied) as refused:
        findings.finding_to_milestone(finding=accepted, theme=other_theme, actor=lead)
    assert str(refused.value) == roles.REFUSALS["can_take_finding_onto_theme"]
    with pytest.raises(PermissionDenied):
        findings.finding_to_risk(
            finding=accepted, theme=other_theme, likelihood=3, impact=3, actor=lead
        )
    assert not Milestone.objects.filter(theme=other_theme).exists()
    assert not Risk.objects.filter(theme=other_theme).exists()
    accepted.refresh_from_db()
    assert (accepted.milestone_id, accepted.risk_id) == (None, None)


def test_a_lead_takes_a_finding_onto_their_own_theme_in_the_history_as_them(accepted, lead, theme):
    milestone = findings.finding_to_milestone(finding=accepted, theme=theme, actor=lead)
    assert (milestone.theme, milestone.owner, milestone.due_date) == (
        theme,
        "Principal social worker",
        days_ago(-30),
    )
    # One history entry for the milestone and one for the finding, each by the lead.
    assert [(h.history_type, h.history_user) for h in milestone.history.all()] == [("+", lead)]
    latest = accepted.history.order_by("-history_date", "-history_id")
    assert [(h.history_type, h.history_user) for h in latest[:1]] == [("~", lead)]
    assert Finding.objects.get(pk=accepted.pk).milestone == milestone


def test_a_lead_cannot_record_a_finding_on_themes_they_do_not_lead(audit, lead, other_theme, theme):
    with pytest.raises(PermissionDenied) as refused:
        findings.finding_create(
            activity=audit,
            actor=lead,
            themes=[other_theme],
            kind=Finding.Kind.AREA_FOR_IMPROVEMENT,
            title="Someone else's theme",
        )
    assert str(refused.value) == roles.REFUSALS["can_set_finding_themes"]
    assert not Finding.objects.filter(title="Someone else's theme").exists()
    finding = findings.finding_create(
        activity=audit,
        actor=lead,
        themes=[theme, other_theme],
        kind=Finding.Kind.AREA_FOR_IMPROVEMENT,
        title="Shared with another theme",
    )
    assert set(finding.themes.all()) == {theme, other_theme}


def test_a_lead_cannot_take_another_leads_theme_off_a_finding(accepted, lead, theme):
    with pytest.raises(PermissionDenied):
        findings.finding_update(
            finding=accepted, actor=lead, version=accepted.version, themes=[theme]
        )
    assert accepted.themes.count() == 2


@pytest.fixture
def elsewhere(programme):
    """A theme of another programme."""
    other = Programme.objects.create(slug="elsewhere", name="Elsewhere", local_authority="Else")
    return Theme.objects.create(programme=other, number=1, slug="elsewhere", title="Elsewhere")


def test_records_keep_to_their_programmes_themes(
    audit, accepted, recommendation, programme_manager, elsewhere
):
    with pytest.raises(ValidationError, match="Elsewhere is not one"):
        activities.activity_update(activity=audit, actor=programme_manager, themes=[elsewhere])
    with pytest.raises(ValidationError, match="Elsewhere is not one"):
        findings.finding_update(
            finding=accepted, actor=programme_manager, version=accepted.version, themes=[elsewhere]
        )
    with pytest.raises(ValidationError, match="Elsewhere is not one"):
        recommendations.recommendation_update(
            recommendation=recommendation, actor=programme_manager, themes=[elsewhere]
        )
    assert not audit.themes.filter(pk=elsewhere.pk).exists()


def test_an_audits_reading_is_made_by_the_themes_action_in_one_history_entry(
    audit, theme, measure, programme_manager
):
    result = audits.audit_result_record(
        activity=audit,
        actor=programme_manager,
        theme=theme,
        date=days_ago(20),
        cases_audited=10,
        good=7,
        requires_improvement=3,
        measure=measure,
    )
    reading = result.measure_reading
    assert reading.recorded_by == programme_manager
    assert [(h.history_type, h.history_user) for h in result.history.all()] == [
        ("+", programme_manager)
    ]
    assert [h.history_user for h in reading.history.all()] == [programme_manager]


def test_a_reading_the_themes_action_refuses_is_a_form_error_and_nothing_is_saved(
    client, audit, theme, measure, programme_manager, monkeypatch
):
    """The themes app refuses a reading (here, as it refuses one outside 0 to 100 %): the audit
    page says why against the measure, and neither the grades nor a reading are saved."""

    def refuse(**kwargs):
        raise ValidationError({"value": "A percentage must be between 0 and 100"})

    # The audit's action does the themes action as part of its own (`.within`).
    monkeypatch.setattr(theme_actions.measure_reading_add, "within", refuse)
    client.force_login(programme_manager)
    response = client.post(
        reverse("evaluation:audit_create", kwargs={"pk": audit.pk}),
        {
            "theme": theme.pk,
            "date_0": days_ago(20).day,
            "date_1": days_ago(20).month,
            "date_2": days_ago(20).year,
            "cases_audited": 10,
            "good": 7,
            "requires_improvement": 3,
            "measure": measure.pk,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "did not take the reading, so nothing was saved" in html
    assert "A percentage must be between 0 and 100" in html
    assert not AuditResult.objects.filter(activity=audit).exists()
    assert not MeasureReading.objects.filter(measure=measure).exists()


def test_the_grades_feeding_a_reading_stay_with_its_theme(
    audit, theme, other_theme, measure, programme_manager
):
    result = audits.audit_result_record(
        activity=audit,
        actor=programme_manager,
        theme=theme,
        date=days_ago(20),
        cases_audited=4,
        good=4,
        measure=measure,
    )
    with pytest.raises(ValidationError, match="stay that theme's"):
        audits.audit_result_update(result=result, actor=programme_manager, theme=other_theme)
    assert Measure.objects.get(pk=measure.pk).theme == theme
