"""Load what an evaluation page is about: 404 for what does not exist, PermissionDenied (from the
rules in havering_improve.roles, asked by name) for what the user may not do."""

from django.http import Http404

from havering_improve import roles

from . import selectors
from .models import Finding, Recommendation


def require_reader(user) -> None:
    roles.require("can_view_programme", user)


def require_editor(user) -> None:
    roles.require("can_edit_evaluation", user)


def _for_user(found, user, *, edit: bool, missing: str, edit_rule: str = ""):
    """What was found (404 saying `missing` if nothing was): everyone's with a role to read; to
    edit, the programme manager's, or whoever the rule `edit_rule` (about the record) allows."""
    if found is None:
        raise Http404(missing)
    if not edit:
        require_reader(user)
    elif edit_rule:
        roles.require(edit_rule, user, found)
    else:
        require_editor(user)
    return found


def get_activity_for_user(user, pk: int, *, edit: bool = False):
    activity = selectors.activity_with_results(pk)
    return _for_user(activity, user, edit=edit, missing="No such evaluation activity.")


def get_finding_for_user(user, pk: int, *, edit: bool = False) -> Finding:
    finding = selectors.finding_detail(pk)
    return _for_user(
        finding, user, edit=edit, missing="No such finding.", edit_rule="can_edit_finding_record"
    )


def get_inspection_for_user(user, pk: int, *, edit: bool = False):
    inspection = selectors.inspection_detail(pk)
    return _for_user(inspection, user, edit=edit, missing="No such inspection or visit.")


def get_recommendation_for_user(user, pk: int, *, edit: bool = False) -> Recommendation:
    recommendation = selectors.recommendation_detail(pk)
    return _for_user(recommendation, user, edit=edit, missing="No such recommendation.")
