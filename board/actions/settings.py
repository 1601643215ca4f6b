"""The board's settings: how far ahead of each meeting its pack is built and leads reminded."""

from havering_improve import actions
from havering_improve.actions import KEEP, Keep, given

from ..models import Board, BoardSettings


@actions.action("can_manage_board")
def board_settings_save(
    *,
    board: Board,
    actor,
    version: int | None = None,
    pack_days_before: int | Keep = KEEP,
    reminder_working_days: int | Keep = KEEP,
) -> BoardSettings:
    """When packs are built and leads reminded, for the board: its one row of settings, made or
    changed from the `version` its form was opened at (`actions.save_current`)."""
    return actions.save_current(
        BoardSettings.objects.filter(board=board).first() or BoardSettings(board=board),
        version,
        given(pack_days_before=pack_days_before, reminder_working_days=reminder_working_days),
    )
