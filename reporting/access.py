"""Load what a pack or progress-report page is about: 404 for what does not exist,
PermissionDenied (from the rules in `havering_improve.roles`) for what the user may not do."""

from django.shortcuts import get_object_or_404

from board.access import require_manager, require_report_reader
from board.models import Board
from havering_improve import roles, summaries

from .models import MeetingPack, ProgressReport


def get_pack_for_user(user, pk: int, *, manage: bool = False, kept: bool = False) -> MeetingPack:
    """Board members and the auditor read published packs; drafts are the manager's until then.
    `kept`: for a page that only reads it, the pack may come from the summaries cache."""

    def load():
        # The data snapshot is large and no page shows it: it loads only if something asks.
        return get_object_or_404(
            MeetingPack.objects.select_related("meeting__board").defer("snapshot"), pk=pk
        )

    pack = summaries.cached(("pack", pk), load, areas=[summaries.BOARD]) if kept else load()
    if manage or not pack.is_published:
        roles.require("can_manage_board", user)
    else:
        roles.require("can_read_pack", user, pack)
    return pack


def get_reporting_body_for_manager(user, pk: int) -> Board:
    """A body that receives progress reports, for the programme manager to set its schedule."""
    body = get_object_or_404(Board, pk=pk, kind=Board.Kind.REPORTING_BODY)
    require_manager(user)
    return body


def get_report_for_user(user, pk: int) -> ProgressReport:
    report = get_object_or_404(ProgressReport.objects.select_related("schedule__board"), pk=pk)
    require_report_reader(user)
    return report
