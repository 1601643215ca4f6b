"""Load what a self-evaluation page is about: 404 for what does not exist, PermissionDenied (from
the rules in havering_improve.roles) for what the user may not read or do."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from havering_improve import roles

from . import selectors
from .models import (
    Claim,
    EngagementAction,
    EngagementMeeting,
    EvidenceItem,
    FrozenVersion,
    PlanItem,
)


def _found(obj, missing: str):
    if obj is None:
        raise Http404(missing)
    return obj


def require_reader_of_any(user, programme) -> None:
    """The index: those who read some part of a self-evaluation or the engagement meeting."""
    roles.require("can_view_programme", user)
    if roles.has_role(
        user, roles.PROGRAMME_MANAGER, roles.BOARD_MEMBER, roles.AUDITOR, roles.PROJECT_LEAD
    ) or roles.holds_sign_off(user, programme):
        return
    raise PermissionDenied(roles.REFUSALS["can_read_self_evaluation"])


def require_editor(user) -> None:
    roles.require("can_edit_self_evaluation", user)


def get_self_evaluation_for_user(user, pk: int, *, edit: bool = False, sign: bool = False):
    found = _found(selectors.self_evaluation_detail(pk), "No such self-evaluation.")
    rule = (
        "can_sign_off_self_evaluation"
        if sign
        else "can_edit_self_evaluation"
        if edit
        else "can_read_self_evaluation"
    )
    roles.require(rule, user, found)
    return found


def get_section_for_user(user, pk: int, *, edit: bool = False):
    found = _found(selectors.section_detail(pk), "No such section.")
    if edit:
        roles.require("can_edit_self_evaluation", user, found.self_evaluation)
    else:
        roles.require("can_read_self_evaluation_section", user, found)
    return found


def _editable(user, model, pk: int, missing: str):
    found = _found(
        model.objects.select_related("section__self_evaluation__programme").filter(pk=pk).first(),
        missing,
    )
    roles.require("can_edit_self_evaluation", user, found.section.self_evaluation)
    return found


def get_evidence_for_user(user, pk: int) -> EvidenceItem:
    return _editable(user, EvidenceItem, pk, "No such evidence.")


def get_claim_for_user(user, pk: int) -> Claim:
    return _editable(user, Claim, pk, "No such claim.")


def get_plan_item_for_user(user, pk: int) -> PlanItem:
    return _editable(user, PlanItem, pk, "No such plan.")


def get_version_for_user(user, pk: int) -> FrozenVersion:
    found = _found(
        FrozenVersion.objects.select_related("self_evaluation__programme", "made_by")
        .filter(pk=pk)
        .first(),
        "No such version.",
    )
    roles.require("can_read_self_evaluation_version", user, found)
    return found


def get_meeting_for_user(user, pk: int, *, edit: bool = False) -> EngagementMeeting:
    found = get_object_or_404(EngagementMeeting.objects.select_related("self_evaluation"), pk=pk)
    roles.require("can_edit_self_evaluation" if edit else "can_read_engagement", user)
    return found


def get_action_for_user(user, pk: int) -> EngagementAction:
    found = get_object_or_404(EngagementAction.objects.select_related("meeting", "owner"), pk=pk)
    roles.require("can_update_engagement_action", user, found)
    return found
