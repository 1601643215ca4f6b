"""Load what a board page is about: 404 for what does not exist, PermissionDenied (from the rules
in `havering_improve.roles`, asked by name) for what the user may not do."""

from django.shortcuts import get_object_or_404

from havering_improve import roles

from .models import Action, Meeting


def require_reader(user) -> None:
    roles.require("can_view_programme", user)


def require_manager(user) -> None:
    roles.require("can_manage_board", user)


def require_report_reader(user) -> None:
    """Progress reports and the rota's history."""
    roles.require("can_read_reports", user)


def get_meeting_for_user(user, pk: int, *, manage: bool = False) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    require_reader(user)
    if manage:
        require_manager(user)
    return meeting


def get_action_for_user(user, pk: int) -> Action:
    """An action, for its owner or the programme manager to update."""
    action = get_object_or_404(
        Action.objects.select_related("meeting__board", "owner", "theme"), pk=pk
    )
    roles.require("can_update_action", user, action)
    return action
