"""Each person's home page: what needs them, one list per role they hold.

Every list is built in a fixed number of queries whatever the programme holds (one query per
kind of record, never one per theme, row or meeting), so the home page's query count stays the
same as the data grows (tests/test_worklists.py pins it at two data sizes). Each role's lists are
built in a module of their own; this one puts them together in the page's order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from budget.selectors import BUDGET_AREAS
from havering_improve import roles, summaries
from selfevaluation import home as selfevaluation_home
from themes import selectors as theme_selectors

from .board import board_member_lists
from .changes import auditor_lists
from .finance import finance_lists
from .items import Task, WorkList
from .lead import lead_lists
from .manager import programme_manager_lists

__all__ = ["Task", "WorkList", "home_lists"]

# --- Everyone ---------------------------------------------------------------------------------


def _role_lists(user, programme, on: dt.date) -> list[tuple[str, Callable, tuple[str, ...]]]:
    """(role, its lists, the areas of programme data they show), in the order the page shows
    them. The areas are what keeps each role's lists in the summaries cache: a lead's new
    reading leaves a board member's or a finance officer's lists kept."""
    everything = (*summaries.EVERY_APP, summaries.PROGRAMME)
    return [
        (roles.PROGRAMME_MANAGER, lambda: programme_manager_lists(programme, on=on), everything),
        (
            roles.PROJECT_LEAD,
            lambda: lead_lists(user, on=on),
            (summaries.THEMES, summaries.BOARD, summaries.PROGRAMME),
        ),
        (roles.FINANCE_OFFICER, lambda: finance_lists(programme, on=on), BUDGET_AREAS),
        (
            roles.BOARD_MEMBER,
            lambda: board_member_lists(user, programme, on=on),
            (summaries.BOARD, summaries.PROGRAMME),
        ),
        (roles.AUDITOR, auditor_lists, everything),
    ]


def home_lists(user, programme, *, on: dt.date | None = None, kept: bool = False) -> list[WorkList]:
    """The lists for each role the user holds, in a fixed order. `kept`: for the page, each
    role's lists come from the summaries cache until the data they show changes."""
    on = on or theme_selectors.today()
    held = roles.role_names(user)
    lists: list[WorkList] = []
    for role, build, areas in _role_lists(user, programme, on):
        if role not in held:
            continue
        if kept:
            key = ("home", role.replace(" ", "-"), user.pk, programme.pk, on.isoformat())
            lists += summaries.cached(key, build, areas=areas)
        else:
            lists += build()

    def engagement():
        return selfevaluation_home.home_lists(user, programme, on=on, work_list=WorkList, task=Task)

    if kept:  # anyone may own an action from the engagement meeting
        key = ("home", "engagement", user.pk, programme.pk, on.isoformat())
        lists += summaries.cached(key, engagement, areas=("selfevaluation",))
    else:
        lists += engagement()
    seen: set[str] = set()
    unique = []
    for work in lists:  # a lead who sits on the board sees their actions once
        if work.key not in seen:
            seen.add(work.key)
            unique.append(work)
    return unique
