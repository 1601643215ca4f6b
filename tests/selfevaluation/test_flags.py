"""The flags: a claim with no evidence, and a judgement area with no evidence in the last year."""

from selfevaluation.actions import claims as claims_actions
from selfevaluation.actions import evidence as evidence_actions
from selfevaluation.evidence import flags
from tests.evaluation.factories import days_ago


def test_a_claim_with_no_evidence_is_flagged_and_one_with_evidence_is_not(
    programme_manager, self_evaluation, leaders_section
):
    supported = claims_actions.claim_add(
        actor=programme_manager,
        section=leaders_section,
        kind="strength",
        sentence="Supervision is more regular.",
        evidence=leaders_section.evidence.filter(kind="audit"),
    )
    bare = claims_actions.claim_add(
        actor=programme_manager,
        section=leaders_section,
        kind="afi",
        sentence="Staff feel unheard.",
        evidence=[],
    )
    assert flags(self_evaluation).unsupported_claims == [bare]
    # Dropping the only evidence a claim had leaves it unsupported too.
    item = leaders_section.evidence.get(kind="audit")
    evidence_actions.evidence_item_update(
        actor=programme_manager, item=item, version=item.version, kept=False, order=1, narrative=""
    )
    assert {c.pk for c in flags(self_evaluation).unsupported_claims} == {supported.pk, bare.pk}


def test_an_area_without_evidence_in_the_last_twelve_months_is_flagged(
    programme_manager, self_evaluation, leaders_section
):
    found = flags(self_evaluation)
    titles = {s.title for s in found.areas_without_recent_evidence}
    assert leaders_section.title not in titles  # the audit is a month old
    # The other areas have no themes, hence no evidence at all; the whole is never flagged.
    assert titles and not any(s.is_whole for s in found.areas_without_recent_evidence)
    for item in leaders_section.evidence.all():
        evidence_actions.evidence_item_update(
            actor=programme_manager,
            item=item,
            version=item.version,
            kept=item.dated < days_ago(400),
            order=item.order,
            narrative="",
        )
    assert leaders_section.title in {
        s.title for s in flags(self_evaluation).areas_without_recent_evidence
    }


def test_the_page_shows_both_flags(client, programme_manager, self_evaluation, leaders_section):
    claims_actions.claim_add(
        actor=programme_manager,
        section=leaders_section,
        kind="afi",
        sentence="Staff feel unheard.",
        evidence=[],
    )
    client.force_login(programme_manager)
    page = client.get(self_evaluation.get_absolute_url()).content.decode()
    assert "No evidence linked" in page
    assert "has no evidence from the last twelve months" in page
