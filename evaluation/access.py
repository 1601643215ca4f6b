"""Load what an evaluation page is about: 404 for what does not exist, PermissionDenied (from the
rules in havering_improve.roles, asked by name) for what the user may not do."""

from django.db.models import Prefetch
from django.http import Http404

from havering_improve import roles
from themes.models import Theme

from . import selectors
from .models import Finding, Recommendation


def require_reader(user) -> None:
    roles.require("can_view_programme", user)


def require_editor(user) -> None:
    roles.require("can_edit_evaluation", user)


def _for_user(found, user, *, edit: bool, missing: str):
    """What was found (404 saying `missing` if nothing was): the programme manager's to edit,
    everyone's with a role to read."""
    if found is None:
        raise Http404(missing)
    require_editor(user) if edit else require_reader(user)
    return found


def get_activity_for_user(user, pk: int, *, edit: bool = False):
    activity = selectors.activity_with_results(pk)
    return _for_user(activity, user, edit=edit, missing="No such evaluation activity.")


def get_finding_for_user(user, pk: int, *, edit: bool = False) -> Finding:
    finding = (
        Finding.objects.select_related("activity__programme", "area", "milestone", "risk")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("number")))
        .filter(pk=pk)
        .first()
    )
    if finding is None:
        raise Http404("No such finding.")
    if edit:
        roles.require("can_edit_finding_record", user, finding)
    else:
        require_reader(user)
    return finding


def get_inspection_for_user(user, pk: int, *, edit: bool = False):
    inspection = selectors.inspection_detail(pk)
    return _for_user(inspection, user, edit=edit, missing="No such inspection or visit.")


def get_recommendation_for_user(user, pk: int, *, edit: bool = False) -> Recommendation:
    recommendation = (
        Recommendation.objects.select_related("inspection__programme")
        .prefetch_related("themes")
        .filter(pk=pk)
        .first()
    )
    return _for_user(recommendation, user, edit=edit, missing="No such recommendation.")
