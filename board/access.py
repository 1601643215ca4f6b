"""Load what a board page is about: 404 for what does not exist, PermissionDenied (from the rules
in `havering_improve.roles`, asked by name) for what the user may not do."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from havering_improve import roles, summaries

from .models import Action, Meeting, MeetingPack, ProgressReport, ReportSchedule


def require_reader(user) -> None:
    roles.require("can_view_programme", user)


def require_manager(user) -> None:
    roles.require("can_manage_board", user)


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
    roles.require("can_manage_board" if manage or not pack.is_published else "can_read_packs", user)
    return pack


def get_action_for_user(user, pk: int, *, update: bool = False) -> Action:
    action = get_object_or_404(
        Action.objects.select_related("meeting__board", "owner", "theme"), pk=pk
    )
    if update:
        roles.require("can_update_action", user, action)
    require_reader(user)
    if not (roles.can_read_packs(user) or roles.can_update_action(user, action)):
        raise PermissionDenied("The actions log is for board members and action owners.")
    return action


def get_schedule_for_manager(user, pk: int) -> ReportSchedule:
    schedule = get_object_or_404(ReportSchedule.objects.select_related("board"), pk=pk)
    require_reader(user)
    require_manager(user)
    return schedule


def get_report_for_user(user, pk: int) -> ProgressReport:
    report = get_object_or_404(ProgressReport.objects.select_related("schedule__board"), pk=pk)
    roles.require("can_read_reports", user)
    return report
