"""What the self-evaluation puts on a person's home page: the actions from the annual
engagement meeting that they own, tracked like board actions. Built in one query."""

import datetime as dt

from . import selectors


def home_lists(user, programme, *, on: dt.date, work_list, task) -> list:
    """`work_list` and `task` build the home page's lists and rows (the page's own types)."""
    actions = list(selectors.open_actions_for(user, programme))
    if not actions:
        return []
    rows = [
        task(
            action.description[:120],
            action.get_absolute_url(),
            f"Arising from the annual engagement meeting on {action.meeting.date.day} "
            f"{action.meeting.date:%B %Y}; due {action.due_date.day} {action.due_date:%B %Y}",
            "Overdue" if action.is_overdue(on) else action.get_status_display(),
            "red" if action.is_overdue(on) else "blue",
        )
        for action in actions
    ]
    return [work_list("engagement-actions", "Your actions from the engagement meeting", rows)]
