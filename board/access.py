"""Who may do what on the board's pages. Every board view asks these helpers, which use
`havering_improve.roles`: 404 for what does not exist, PermissionDenied for what is not allowed."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from havering_improve import roles, summaries

from .models import Action, Meeting, MeetingPack, ProgressReport, ReportSchedule

MANAGER_ONLY = "Only the programme manager can do that."


def can_manage_board(user) -> bool:
    """Calendars, rotas, packs, minutes and report schedules belong to the programme manager."""
    return roles.is_programme_manager(user)


def can_read_packs(user) -> bool:
    """Packs, minutes and the actions log are for the board (and the auditor reads everything)."""
    return roles.has_role(user, roles.PROGRAMME_MANAGER, roles.BOARD_MEMBER, roles.AUDITOR)


def can_read_reports(user) -> bool:
    return roles.has_role(user, roles.PROGRAMME_MANAGER, roles.AUDITOR)


def require_reader(user) -> None:
    if not roles.can_view_programme(user):
        raise PermissionDenied("Your account has no role in the programme yet.")


def require_manager(user) -> None:
    if not can_manage_board(user):
        raise PermissionDenied(MANAGER_ONLY)


def get_meeting_for_user(user, pk: int, *, manage: bool = False) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    require_reader(user)
    if manage:
        require_manager(user)
    return meeting


def get_pack_for_user(user, pk: int, *, manage: bool = False, kept: bool = False) -> MeetingPack:
    """Board members and the auditor read published packs; drafts are the manager's until then.
    `kept`: for a page that only reads it, the pack may come from the summaries cache."""

    def load():
        # The data snapshot is large and no page shows it: it loads only if something asks.
        return get_object_or_404(
            MeetingPack.objects.select_related("meeting__board").defer("snapshot"), pk=pk
        )

    pack = summaries.cached(("pack", pk), load, areas=[summaries.BOARD]) if kept else load()
    require_reader(user)
    if manage or not pack.is_published:
        require_manager(user)
    elif not can_read_packs(user):
        raise PermissionDenied("Meeting packs are for board members and the programme manager.")
    return pack


def can_update_action(user, action: Action) -> bool:
    return can_manage_board(user) or (user.is_authenticated and action.owner_id == user.pk)


def get_action_for_user(user, pk: int, *, update: bool = False) -> Action:
    action = get_object_or_404(
        Action.objects.select_related("meeting__board", "owner", "theme"), pk=pk
    )
    require_reader(user)
    if update and not can_update_action(user, action):
        raise PermissionDenied("Only the action's owner or the programme manager can update it.")
    if not (can_read_packs(user) or can_update_action(user, action)):
        raise PermissionDenied("The actions log is for board members and action owners.")
    return action


def get_schedule_for_manager(user, pk: int) -> ReportSchedule:
    schedule = get_object_or_404(ReportSchedule.objects.select_related("board"), pk=pk)
    require_reader(user)
    require_manager(user)
    return schedule


def get_report_for_user(user, pk: int) -> ProgressReport:
    report = get_object_or_404(ProgressReport.objects.select_related("schedule__board"), pk=pk)
    require_reader(user)
    if not can_read_reports(user):
        raise PermissionDenied("Sent reports are for the programme manager and the auditor.")
    return report
