"""The self-evaluation's writes, named in one place for whoever looks for an app's services: each
is an `@action` defined in `selfevaluation.actions`, one module per concept."""

from .actions.claims import claim_add, claim_remove, claim_update
from .actions.engagement import (
    engagement_action_add,
    engagement_action_update,
    engagement_letter_upload,
    engagement_meeting_record,
    engagement_meeting_update,
)
from .actions.evidence import evidence_item_update
from .actions.grants import sign_off_grant, sign_off_withdraw
from .actions.plans import plan_item_add, plan_item_update
from .actions.review import self_evaluation_return, self_evaluation_sign_off, self_evaluation_submit
from .actions.sections import section_update
from .actions.self_evaluations import evidence_gather, self_evaluation_start, self_evaluation_update

__all__ = [
    "claim_add",
    "claim_remove",
    "claim_update",
    "engagement_action_add",
    "engagement_action_update",
    "engagement_letter_upload",
    "engagement_meeting_record",
    "engagement_meeting_update",
    "evidence_gather",
    "evidence_item_update",
    "plan_item_add",
    "plan_item_update",
    "section_update",
    "self_evaluation_return",
    "self_evaluation_sign_off",
    "self_evaluation_start",
    "self_evaluation_submit",
    "self_evaluation_update",
    "sign_off_grant",
    "sign_off_withdraw",
]
