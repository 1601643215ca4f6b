"""The auditor's home: the latest changes across the programme, each in a sentence naming the
theme, budget or board it belongs to, with what it changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import JSONField
from django.urls import reverse
from django.utils import timezone

from board.models import Action, RotaRun
from budget.models import (
    BudgetAllocation,
    BudgetLine,
    LedgerImport,
    MatchingRule,
    PeriodState,
    RowAllocation,
)
from evaluation.models import Finding
from havering_improve.fy import FinancialYear
from reporting.models import MeetingPack
from themes.history import _field_label, _value
from themes.models import PID, HighlightReport, Measure, Milestone, Risk, Theme

from .items import (
    GREY,
    Task,
    WorkList,
    as_day,
    plural,
)

# --- Auditor ----------------------------------------------------------------------------------

_ACTIONS = {"+": "Added", "~": "Changed", "-": "Deleted"}
_VERBS = {"+": "added", "~": "changed", "-": "deleted"}


@dataclass
class _Change:
    """One change for the auditor: when, who, what it belongs to (a theme, a year's budget or a
    board), a sentence saying what happened, the fields it changed and where to read more."""

    when: dt.datetime
    who: object
    context: str
    sentence: str
    status: str
    href: str
    details: list[str] | None = field(default_factory=list)  # None: nothing visible changed


def _fields_changed(record, previous) -> list[str]:
    """What a change did to its record, as the theme history writes it: field labels and
    values in the house style ("Due date: 3 December 2026 → 10 December 2026"); a reference to
    another record is named as changed, never shown as its id."""
    if previous is None or record.history_type != "~":
        return []
    model = type(record.instance)
    out = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in {"id", "version"} or isinstance(model_field, JSONField):
            continue
        before, after = _value(previous, model_field, {}), _value(record, model_field, {})
        if before == after:
            continue
        label = _field_label(model_field)
        if model_field.is_relation:
            out.append(f"{label} changed")
        else:
            out.append(f"{label}: {before} → {after}")
    return out or None  # None: a save that changed nothing people can see


def _history(model, limit: int, *related: str) -> list:
    """The model's latest changes, each with `previous`: the state before it, where the window
    of records read (three times what is shown, one query) holds it."""
    records = list(
        model.history.select_related("history_user", *related).order_by(
            "-history_date", "-history_id"
        )[: limit * 3]
    )
    older = {}
    for record in reversed(records):
        record.previous = older.get(record.id)
        older[record.id] = record
    return records[:limit]


def _theme_changes(limit: int) -> list[_Change]:
    """Changes to the themes and what is in them: each belongs to its theme, and is read in the
    theme's History part."""
    sources = [
        ("theme", Theme, lambda r: f"“{r.title}”"),
        ("PID", PID, lambda r: ""),
        ("milestone", Milestone, lambda r: f"“{r.title}”"),
        ("measure", Measure, lambda r: f"“{r.name}”"),
        ("risk or issue", Risk, lambda r: f"“{r.description[:90]}”"),
        ("highlight report", HighlightReport, lambda r: f"for {r.period:%B %Y}"),
    ]
    themes = {t.pk: t for t in Theme.objects.only("pk", "slug", "title")}
    changes = []
    for kind, model, name in sources:
        for record in _history(model, limit):
            theme = themes.get(record.id if model is Theme else record.theme_id)
            what = " ".join(part for part in (kind[:1].upper() + kind[1:], name(record)) if part)
            changes.append(
                _Change(
                    record.history_date,
                    record.history_user,
                    theme.title if theme else "A theme since deleted",
                    f"{what} {_VERBS.get(record.history_type, 'changed')}",
                    _ACTIONS.get(record.history_type, "Changed"),
                    reverse("themes:section", args=[theme.slug, "history"]) if theme else "",
                    _fields_changed(record, record.previous),
                )
            )
    return changes


def _budget_changes(limit: int) -> list[_Change]:
    """Changes to the budget: lines, imports, matching rules, rows allocated by hand and period
    closes, each belonging to its year's budget and linked to the budget page that shows it."""
    years = {
        pk: FinancialYear(start)
        for pk, start in BudgetAllocation.objects.values_list("pk", "start_year")
    }
    lines = {
        pk: (title, code, allocation)
        for pk, title, code, allocation in (
            BudgetLine.objects.values_list("pk", "title", "code", "allocation_id")
        )
    }
    changes = []

    def add(record, allocation_id, sentence, url_name, details=(), **kwargs):
        year = years.get(allocation_id)
        href = reverse(url_name, kwargs={"year": year.slug, **kwargs}) if year else ""
        changes.append(
            _Change(
                record.history_date,
                record.history_user,
                f"Budget {year.label}" if year else "A budget since deleted",
                sentence,
                _ACTIONS.get(record.history_type, "Changed"),
                href,
                None if details is None else list(details),
            )
        )

    for r in _history(BudgetLine, limit):
        add(
            r,
            r.allocation_id,
            f"Budget line “{r.title}” {_VERBS[r.history_type]}",
            "budget:line",
            _fields_changed(r, r.previous),
            code=r.code,
        )
    for r in _history(LedgerImport, limit):
        if r.history_type == "+":
            sentence = f"Ledger file “{r.original_name}” uploaded"
        elif r.status == LedgerImport.Status.IMPORTED and r.rows_imported:
            sentence = (
                f"Ledger file “{r.original_name}” imported: {plural(r.rows_imported, 'row')}, "
                f"£{r.total_imported:,.2f}"
            )
        else:
            sentence = f"Ledger file “{r.original_name}”: {r.get_status_display().lower()}"
        add(r, r.allocation_id, sentence, "budget:import", pk=r.id)
    for r in _history(MatchingRule, limit):
        title = lines.get(r.line_id, ("a line since deleted",))[0]
        add(
            r,
            r.allocation_id,
            f"Matching rule {_VERBS[r.history_type]}: {r.instance.describe()} → {title}",
            "budget:rules",
            _fields_changed(r, r.previous),
        )
    for r in _history(RowAllocation, limit):
        title, _, allocation_id = lines.get(r.line_id, ("a line since deleted", "", None))
        verb = "allocated by hand to" if r.history_type != "-" else "taken off"
        add(r, allocation_id, f"£{r.amount:,.2f} of a ledger row {verb} {title}", "budget:queue")
    for r in _history(PeriodState, limit):
        year = years.get(r.allocation_id)
        month = f" ({year.period_start(r.period):%B %Y})" if year else ""
        add(
            r,
            r.allocation_id,
            f"Period {r.period}{month} {'closed' if r.closed else 'reopened'}",
            "budget:periods",
        )
    return changes


def _board_changes(limit: int) -> list[_Change]:
    """The board's rota applied, packs published and actions agreed or updated."""
    changes = []
    for run in (
        RotaRun.objects.filter(status=RotaRun.Status.DONE)
        .select_related("requested_by", "board")
        .order_by("-finished_at", "-pk")[:limit]
    ):
        changes.append(
            _Change(
                run.finished_at,
                run.requested_by,
                run.board.name,
                f"Rota applied: {run.message}",
                "Applied",
                reverse("board:rota_history"),
            )
        )
    for pack in (
        MeetingPack.objects.filter(published_at__isnull=False)
        .select_related("published_by", "meeting__board")
        .order_by("-published_at", "-pk")[:limit]
    ):
        meeting = pack.meeting
        changes.append(
            _Change(
                pack.published_at,
                pack.published_by,
                meeting.board.name,
                f"Pack for the meeting of {as_day(meeting.date)} published"
                + (f" (version {pack.version})" if pack.version > 1 else ""),
                "Published",
                reverse("board:pack", kwargs={"pk": pack.pk}),
            )
        )
    for r in _history(Action, limit, "meeting__board"):
        changes.append(
            _Change(
                r.history_date,
                r.history_user,
                r.meeting.board.name if r.meeting else "The board",
                f"Action “{r.description[:90]}” {_VERBS.get(r.history_type, 'changed')}",
                _ACTIONS.get(r.history_type, "Changed"),
                reverse("board:actions"),
                _fields_changed(r, r.previous),
            )
        )
    for r in _history(Finding, limit):
        changes.append(
            _Change(
                r.history_date,
                r.history_user,
                "Evaluation",
                f"Finding “{r.title[:90]}” {_VERBS.get(r.history_type, 'changed')}",
                _ACTIONS.get(r.history_type, "Changed"),
                reverse("evaluation:activity_detail", kwargs={"pk": r.activity_id}),
                _fields_changed(r, r.previous),
            )
        )
    return changes


def auditor_lists(*, limit: int = 15) -> list[WorkList]:
    """The latest changes across the programme, each naming the theme, budget or board it
    belongs to in a sentence, with what it changed, linked to where it is read in the service
    (never the admin). A fixed number of queries: one per kind of record."""
    changes = _theme_changes(limit) + _budget_changes(limit) + _board_changes(limit)
    changes = [c for c in changes if c.details is not None]
    changes.sort(key=lambda c: c.when, reverse=True)
    tasks = []
    for change in changes[:limit]:
        user = change.who
        who = (user.get_full_name() or user.get_username()) if user else "the system"
        when = timezone.localtime(change.when)
        detail = "; ".join(change.details[:3]) + ("; …" if len(change.details) > 3 else "")
        tasks.append(
            Task(
                f"{change.context}: {change.sentence}",
                change.href,
                (f"{detail}. " if detail else "")
                + f"By {who}, {as_day(when.date())} at {when:%H:%M}",
                change.status,
                GREY,
            )
        )
    return [WorkList("auditor", "Recent changes", tasks, empty="Nothing has changed yet.")]
