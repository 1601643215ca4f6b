"""What a home page list is made of: tasks with a coloured status, the lists that hold them, and
the house style of the dates and counts they show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse

from themes import selectors as theme_selectors
from themes.models import Theme

# Tag colours (GOV.UK Design System): what needs doing now, what is waiting, what is fine.
RED, ORANGE, BLUE, GREEN, GREY = "red", "orange", "blue", "green", "grey"


@dataclass
class Task:
    title: str
    href: str = ""
    hint: str = ""
    status: str = ""
    colour: str = GREY


@dataclass
class WorkList:
    key: str
    title: str
    tasks: list[Task] = field(default_factory=list)
    empty: str = "Nothing needs you here."
    link_href: str = ""
    link_text: str = ""


def as_day(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


# The reporting convention is themes.selectors' one rule: a month's report is due on its 26th.
report_due = theme_selectors.report_due_date
expected_period = theme_selectors.expected_report_period


def theme_section(theme: Theme, part: str) -> str:
    return reverse("themes:section", kwargs={"slug": theme.slug, "section": part})
