"""Who may see and change what in the evaluation app: 404 for what does not exist,
PermissionDenied for what the user may not do. Rules themselves live in havering_improve.roles."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404

from havering_improve import roles
from themes.models import Theme

from . import selectors
from .models import Finding, Recommendation

MANAGER_ONLY = "Only the programme manager can change the evaluation plan and its results."


def require_reader(user) -> None:
    if not roles.can_view_programme(user):
        raise PermissionDenied("Your account has no role in the programme yet.")


def require_editor(user) -> None:
    require_reader(user)
    if not roles.can_edit_evaluation(user):
        raise PermissionDenied(MANAGER_ONLY)


def get_activity_for_user(user, pk: int, *, edit: bool = False):
    activity = selectors.activity_with_results(pk)
    if activity is None:
        raise Http404("No such evaluation activity.")
    require_editor(user) if edit else require_reader(user)
    return activity


def can_add_finding(user) -> bool:
    return roles.can_edit_evaluation(user) or roles.has_role(user, roles.PROJECT_LEAD)


def get_finding_for_user(user, pk: int, *, edit: bool = False) -> Finding:
    finding = (
        Finding.objects.select_related("activity__programme", "area", "milestone", "risk")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("number")))
        .filter(pk=pk)
        .first()
    )
    if finding is None:
        raise Http404("No such finding.")
    require_reader(user)
    if edit and not roles.can_edit_finding(user, finding.themes.all()):
        raise PermissionDenied(
            "Only the programme manager or the lead of a theme this finding concerns can change it."
        )
    return finding


def get_inspection_for_user(user, pk: int, *, edit: bool = False):
    inspection = selectors.inspection_detail(pk)
    if inspection is None:
        raise Http404("No such inspection or visit.")
    require_editor(user) if edit else require_reader(user)
    return inspection


def get_recommendation_for_user(user, pk: int, *, edit: bool = False) -> Recommendation:
    recommendation = (
        Recommendation.objects.select_related("inspection__programme")
        .prefetch_related("themes")
        .filter(pk=pk)
        .first()
    )
    if recommendation is None:
        raise Http404("No such recommendation.")
    require_editor(user) if edit else require_reader(user)
    return recommendation
