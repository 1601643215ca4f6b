"""Gathering: each kind of evidence appears as a factual statement with a working link, and
nothing appears from another programme or from after the self-evaluation's day."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from evaluation.models import ActivityKind, EvaluationStrand, FeedbackResult, SurveyScore
from programme.models import Programme
from selfevaluation.actions import evidence as evidence_actions
from selfevaluation.actions import self_evaluations as self_evaluations_actions
from selfevaluation.evidence import measure_statement
from tests.evaluation.factories import ActivityFactory, AuditResultFactory, FindingFactory, days_ago
from tests.themes.factories import HighlightReportFactory, MeasureFactory, MeasureReadingFactory
from themes.models import Theme


def _kinds(section):
    return {item.kind for item in section.evidence.all()}


def test_each_kind_of_evidence_is_proposed_with_a_link_that_opens(
    client, programme, programme_manager, signer, theme, leaders, evidence_data
):
    survey = ActivityFactory(
        programme=programme,
        kind=ActivityKind.STAFF_FEEDBACK,
        title="Staff survey",
        start_date=days_ago(60),
        completed_on=days_ago(55),
    )
    feedback = FeedbackResult.objects.create(activity=survey, responses=120, key_messages="Good")
    feedback.themes.set([theme])
    SurveyScore.objects.create(feedback=feedback, question="I get supervision", score=Decimal("4"))
    peer = ActivityFactory(
        programme=programme,
        kind=ActivityKind.PEER_REVIEW,
        title="Peer review of supervision",
        start_date=days_ago(70),
        completed_on=days_ago(69),
        partner_authorities="London Borough of Redbridge",
    )
    FindingFactory(
        activity=peer, themes=[theme], title="Managers know their teams", kind="strength"
    )
    HighlightReportFactory(theme=theme, submitted=True, overall_rag="amber", period=days_ago(40))
    made = self_evaluations_actions.self_evaluation_start(
        actor=programme_manager,
        programme=programme,
        year="2026/27",
        as_of=timezone.localdate(),
        reviewer=signer,
    )
    section = made.sections.get(area=leaders)
    whole = made.sections.get(is_whole=True)
    assert _kinds(section) >= {
        "audit",
        "finding",
        "recommendation",
        "feedback",
        "challenge",
        "measure",
        "rag",
    }
    assert {"feedback", "challenge"} <= _kinds(whole)
    client.force_login(programme_manager)
    for item in [*section.evidence.all(), *whole.evidence.all()]:
        response = client.get(item.link.split("#")[0])
        assert response.status_code == 200, (item.kind, item.link)


def test_a_measure_is_stated_against_its_baseline_and_target(evidence_data):
    measure, reading = evidence_data["measure"], evidence_data["reading"]
    reading.date = dt.date(2026, 10, 15)
    assert measure_statement(measure, reading) == (
        "Supervision audits graded good or better: 62% in October 2026, up from 48% at the "
        "June 2018 baseline (better); target 80%."
    )


def test_nothing_after_the_day_of_the_self_evaluation_is_gathered(
    programme, programme_manager, signer, theme, leaders, evidence_data
):
    made = self_evaluations_actions.self_evaluation_start(
        actor=programme_manager,
        programme=programme,
        year="2025/26",
        as_of=days_ago(45),
        reviewer=signer,
    )
    keys = set(made.sections.get(area=leaders).evidence.values_list("source_key", flat=True))
    # The audit (25 days ago), its finding (10 days ago) are after the day; the visit's
    # recommendation (40 days ago) too; the reading (50 days ago) is before it.
    assert keys == {f"measure:{evidence_data['measure'].pk}"}
    later = MeasureReadingFactory(measure=evidence_data["measure"], value=Decimal("70"))
    later.date = days_ago(1)
    later.save()
    self_evaluations_actions.evidence_gather(actor=programme_manager, self_evaluation=made)
    item = made.sections.get(area=leaders).evidence.get()
    assert "62%" in item.statement and "70%" not in item.statement


def test_nothing_from_another_programme_is_gathered(
    programme, programme_manager, signer, leaders, evidence_data
):
    other = Programme.objects.create(slug="send", name="SEND", local_authority="Havering")
    stranger = Theme.objects.create(programme=other, number=1, slug="send-plans", title="Plans")
    leaders.themes.add(stranger)
    EvaluationStrand.objects.create(
        programme=other, code="a", slug="practice-week-qa-audits", title="Audits"
    )
    visit = ActivityFactory(programme=other, title="SEND audit", completed_on=days_ago(5))
    AuditResultFactory(activity=visit, theme=stranger, date=days_ago(5))
    FindingFactory(activity=visit, themes=[stranger], title="SEND plans are late")
    reading_of = MeasureFactory(theme=stranger, name="EHC plans on time")
    MeasureReadingFactory(measure=reading_of, date=days_ago(3))
    made = self_evaluations_actions.self_evaluation_start(
        actor=programme_manager,
        programme=programme,
        year="2026/27",
        as_of=timezone.localdate(),
        reviewer=signer,
    )
    statements = " ".join(item.statement for s in made.sections.all() for item in s.evidence.all())
    assert "SEND" not in statements and "EHC" not in statements
    assert "Autumn audit" in statements


def test_gathering_again_keeps_what_the_programme_manager_decided(
    programme_manager, self_evaluation, leaders_section
):
    item = leaders_section.evidence.get(kind="audit")
    evidence_actions.evidence_item_update(
        actor=programme_manager,
        item=item,
        version=item.version,
        kept=False,
        order=9,
        narrative="Read with the spring audit.",
    )
    self_evaluations_actions.evidence_gather(
        actor=programme_manager, self_evaluation=self_evaluation
    )
    item.refresh_from_db()
    assert (item.kept, item.order, item.narrative) == (False, 9, "Read with the spring audit.")
    assert leaders_section.evidence.filter(kind="audit").count() == 1


def test_plans_are_drawn_from_milestones_due_and_open_recommendations(
    programme_manager, self_evaluation, leaders_section, evidence_data
):
    texts = list(leaders_section.plan_items.values_list("source", "text"))
    assert ("recommendation", "Record supervision on the child's file") in texts
