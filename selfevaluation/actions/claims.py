"""Strengths and areas for improvement: a sentence each, linked to the evidence behind it."""

from django.core.exceptions import ValidationError

from havering_improve.actions import action, lock_current, save_current

from ..models import Claim, Section
from ._common import require_open


def _check_evidence(section: Section, evidence) -> list:
    chosen = list(evidence)
    if any(item.section_id != section.pk for item in chosen):
        raise ValidationError({"evidence": "Choose evidence from this section."})
    return chosen


@action("can_edit_self_evaluation", on="section.self_evaluation")
def claim_add(*, actor, section: Section, kind: str, sentence: str, evidence) -> Claim:
    require_open(section.self_evaluation)
    chosen = _check_evidence(section, evidence)
    last = max(section.claims.values_list("order", flat=True), default=0)
    claim = Claim(section=section, kind=kind, sentence=sentence.strip(), order=last + 1)
    claim.full_clean()
    claim.save()
    claim.evidence.set(chosen)
    return claim


@action("can_edit_self_evaluation", on="claim.section.self_evaluation")
def claim_update(
    *, actor, claim: Claim, version: int | None, kind: str, sentence: str, evidence
) -> Claim:
    require_open(claim.section.self_evaluation)
    chosen = _check_evidence(claim.section, evidence)
    claim = save_current(claim, version, {"kind": kind, "sentence": sentence.strip()})
    claim.evidence.set(chosen)
    return claim


@action("can_edit_self_evaluation", on="claim.section.self_evaluation")
def claim_remove(*, actor, claim: Claim, version: int | None) -> None:
    require_open(claim.section.self_evaluation)
    lock_current(claim, version).delete()
