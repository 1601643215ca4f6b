"""Review and sign-off: numbered frozen versions, a signed-off self-evaluation that changes no
more, next year's started from it, two versions compared, and every change in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from havering_improve.actions import StaleEdit
from havering_improve.errors import AlreadyDone
from selfevaluation.actions import claims as claims_actions
from selfevaluation.actions import grants as grants_actions
from selfevaluation.actions import review as review_actions
from selfevaluation.actions import sections as sections_actions
from selfevaluation.actions import self_evaluations as self_evaluations_actions
from selfevaluation.models import FrozenVersion, SelfEvaluation
from tests.evaluation.factories import days_ago


def _submit(pm, se):
    se.refresh_from_db()
    return review_actions.self_evaluation_submit(actor=pm, self_evaluation=se, version=se.version)


def _sign(signer, se):
    se.refresh_from_db()
    return review_actions.self_evaluation_sign_off(
        actor=signer, self_evaluation=se, version=se.version
    )


def test_sign_off_freezes_a_numbered_version_and_refuses_later_changes(
    programme_manager, signer, self_evaluation, leaders_section
):
    claims_actions.claim_add(
        actor=programme_manager,
        section=leaders_section,
        kind="strength",
        sentence="Supervision is more regular than last year.",
        evidence=leaders_section.evidence.all()[:1],
    )
    first = _submit(programme_manager, self_evaluation)
    signed = _sign(signer, self_evaluation)
    self_evaluation.refresh_from_db()
    assert self_evaluation.status == "signed_off"
    assert (first.number, first.kind, signed.number, signed.kind) == (
        1,
        "for_review",
        2,
        "signed_off",
    )
    section = next(
        s for s in signed.snapshot["sections"] if s["area_id"] == leaders_section.area_id
    )
    assert section["strengths"][0]["sentence"] == "Supervision is more regular than last year."
    assert signed.snapshot["reviewer"] == "Angela Morrison"
    leaders_section.refresh_from_db()
    with pytest.raises(ValidationError, match="signed off and frozen"):
        sections_actions.section_update(
            actor=programme_manager,
            section=leaders_section,
            version=leaders_section.version,
            what_we_know="Changed after sign-off.",
            how_we_know="",
            plans="",
        )
    with pytest.raises(ValidationError, match="signed off and frozen"):
        self_evaluations_actions.evidence_gather(
            actor=programme_manager, self_evaluation=self_evaluation
        )


def test_only_the_named_reviewer_signs_off_and_a_second_press_says_it_is_done(
    programme_manager, signer, board_member, self_evaluation
):
    _submit(programme_manager, self_evaluation)
    for stranger in (programme_manager, board_member):
        with pytest.raises(PermissionDenied):
            _sign(stranger, self_evaluation)
    version_seen = SelfEvaluation.objects.get(pk=self_evaluation.pk).version
    _sign(signer, self_evaluation)
    with pytest.raises(AlreadyDone):
        review_actions.self_evaluation_sign_off(
            actor=signer, self_evaluation=self_evaluation, version=version_seen
        )
    assert FrozenVersion.objects.filter(kind="signed_off").count() == 1


def test_a_reviewer_who_loses_the_permission_cannot_sign_off(
    programme_manager, signer, self_evaluation
):
    _submit(programme_manager, self_evaluation)
    grant = signer.sign_off_grants.get()
    with pytest.raises(ValidationError, match="is reviewing"):
        grants_actions.sign_off_withdraw(actor=programme_manager, grant=grant)
    self_evaluation.refresh_from_db()
    review_actions.self_evaluation_return(
        actor=signer, self_evaluation=self_evaluation, version=self_evaluation.version, note="More"
    )
    grants_actions.sign_off_withdraw(actor=programme_manager, grant=grant)
    _submit_refused = pytest.raises(ValidationError, match="Sign-off permission")
    with _submit_refused:
        _submit(programme_manager, self_evaluation)


def test_a_stale_edit_is_refused_and_names_what_changed(
    programme_manager, self_evaluation, leaders_section
):
    opened = leaders_section.version
    sections_actions.section_update(
        actor=programme_manager,
        section=leaders_section,
        version=opened,
        what_we_know="First editor's words.",
        how_we_know="",
        plans="",
    )
    with pytest.raises(StaleEdit) as refused:
        sections_actions.section_update(
            actor=programme_manager,
            section=leaders_section,
            version=opened,
            what_we_know="Second editor's words.",
            how_we_know="",
            plans="",
        )
    assert refused.value.changes[0]["after"] == "First editor's words."


def test_next_year_starts_from_this_year_and_two_versions_compare(
    client, programme, programme_manager, signer, self_evaluation, leaders_section
):
    sections_actions.section_update(
        actor=programme_manager,
        section=leaders_section,
        version=leaders_section.version,
        what_we_know="Leaders audit supervision every quarter.",
        how_we_know="",
        plans="",
    )
    claims_actions.claim_add(
        actor=programme_manager,
        section=leaders_section,
        kind="afi",
        sentence="Drift is not always challenged.",
        evidence=leaders_section.evidence.filter(kind="audit"),
    )
    _submit(programme_manager, self_evaluation)
    last = _sign(signer, self_evaluation)
    following = self_evaluations_actions.self_evaluation_start(
        actor=programme_manager,
        programme=programme,
        year="2027/28",
        as_of=days_ago(0),
        reviewer=signer,
        previous=self_evaluation,
    )
    carried = following.sections.get(area=leaders_section.area)
    assert carried.what_we_know == "Leaders audit supervision every quarter."
    claim = carried.claims.get()
    assert claim.sentence == "Drift is not always challenged."
    assert [e.section_id for e in claim.evidence.all()] == [carried.pk]  # this year's evidence
    sections_actions.section_update(
        actor=programme_manager,
        section=carried,
        version=carried.version,
        what_we_know="Leaders now audit supervision every month.",
        how_we_know="",
        plans="",
    )
    following.refresh_from_db()
    newer = review_actions.self_evaluation_submit(
        actor=programme_manager, self_evaluation=following, version=following.version
    )
    client.force_login(programme_manager)
    page = client.get(reverse("selfevaluation:compare"), {"a": last.pk, "b": newer.pk})
    text = page.content.decode()
    assert '<del><span class="govuk-visually-hidden">Taken out: </span>Leaders audit' in text
    assert '<ins><span class="govuk-visually-hidden">Added: </span>Leaders now audit' in text


def test_every_change_is_in_the_history_with_who_made_it(
    programme_manager, signer, self_evaluation, leaders_section
):
    _submit(programme_manager, self_evaluation)
    _sign(signer, self_evaluation)
    latest = self_evaluation.history.order_by("-history_date", "-history_id").first()
    assert (latest.status, latest.history_user) == ("signed_off", signer)
    assert leaders_section.evidence.first().history.first().history_user == programme_manager


def test_the_confirmation_pages_say_what_will_happen_before_anything_does(
    client, programme_manager, signer, self_evaluation
):
    client.force_login(programme_manager)
    page = client.get(reverse("selfevaluation:submit", args=[self_evaluation.pk]))
    assert "freezes a numbered copy" in page.content.decode()
    self_evaluation.refresh_from_db()
    assert self_evaluation.status == "draft"
    client.post(
        reverse("selfevaluation:submit", args=[self_evaluation.pk]),
        {"version": self_evaluation.version},
    )
    client.force_login(signer)
    page = client.get(reverse("selfevaluation:sign_off", args=[self_evaluation.pk]))
    assert "freezes the 2026/27 self-evaluation for good" in page.content.decode()
    self_evaluation.refresh_from_db()
    response = client.post(
        reverse("selfevaluation:sign_off", args=[self_evaluation.pk]),
        {"version": self_evaluation.version},
    )
    assert response.status_code == 302
    self_evaluation.refresh_from_db()
    assert self_evaluation.status == "signed_off"
