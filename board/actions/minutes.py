"""A meeting's minutes, saved from the version of the meeting the editor opened."""

from havering_improve import actions
from havering_improve.actions import lock_current

from ..models import Meeting


@actions.action("can_manage_board")
def minutes_save(*, meeting: Meeting, minutes: str, actor, version: int) -> Meeting:
    """Save the minutes, from the version of the meeting the editor opened (StaleEdit if
    someone else changed it since)."""
    meeting = lock_current(meeting, version)
    meeting.minutes = minutes.strip()
    meeting.version += 1
    meeting.save(update_fields=["minutes", "version"])
    return meeting
