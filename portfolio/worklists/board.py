"""A board member's home: the next meeting and its pack, and everyone's own board actions."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from board import selectors as board_selectors
from board.models import Action

from .items import (
    BLUE,
    GREEN,
    GREY,
    RED,
    Task,
    WorkList,
    as_day,
)


def actions_list(actions: list[Action], on: dt.date) -> WorkList:
    tasks = [
        Task(
            action.description[:120],
            reverse("board:action_update", kwargs={"pk": action.pk}),
            f"Agreed at the {action.meeting.board.short_name or action.meeting.board.name} on "
            f"{as_day(action.meeting.date)}; due {as_day(action.due_date)}",
            "Overdue" if action.is_overdue(on) else action.get_status_display(),
            RED if action.is_overdue(on) else BLUE,
        )
        for action in actions
    ]
    return WorkList("actions", "Your board actions", tasks, empty="You have no open actions.")


# --- Board member -----------------------------------------------------------------------------


def board_member_lists(user, programme, *, on: dt.date) -> list[WorkList]:
    board = board_selectors.improvement_board(programme)
    work = WorkList("board", "The next board meeting", empty="No board meeting is scheduled.")
    if board is not None:
        meeting = board_selectors.next_meeting(board, today=on)
        if meeting is not None:
            focus = ", ".join(slot.theme.title for slot in meeting.slots.all())
            work.tasks.append(
                Task(
                    f"{meeting.board.name}, {as_day(meeting.date)}",
                    reverse("board:meeting", kwargs={"pk": meeting.pk}),
                    f"Themes in focus: {focus}" if focus else "No themes in focus yet",
                    "Next meeting",
                    BLUE,
                )
            )
            pack = board_selectors.published_pack(meeting)
            work.tasks.append(
                Task(
                    "Read the meeting pack",
                    reverse("board:pack", kwargs={"pk": pack.pk}) if pack else "",
                    f"Published {as_day(pack.published_at.date())}"
                    if pack and pack.published_at
                    else "The pack is published before the meeting",
                    "Ready to read" if pack else "Not published yet",
                    GREEN if pack else GREY,
                )
            )
    actions = [a for a in board_selectors.my_actions(user) if a.is_open]
    return [work, actions_list(actions, on)]
